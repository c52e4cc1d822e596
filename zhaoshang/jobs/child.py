"""`python -m zhaoshang.jobs.child JOB_ID`: run one job in this process (started by the runner, with limits)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from zhaoshang.jobs.runner import execute_job

    job = execute_job(int(argv[0]))
    return 0 if job.exit_code is None else min(max(job.exit_code, 0), 255)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
