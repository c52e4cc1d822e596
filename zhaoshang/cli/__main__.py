"""`python -m zhaoshang.cli`: the same as the `zhaoshang` command."""

import sys

from zhaoshang.cli import main

sys.exit(main())
