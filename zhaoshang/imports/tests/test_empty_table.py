"""A table handed to the importer directly (jobs, previews) may be empty; it is refused like an empty file."""

from __future__ import annotations

import pytest

from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import load_file
from zhaoshang.imports.reader import Table


@pytest.mark.django_db
def test_a_table_without_rows_is_refused_in_chinese(users):
    with pytest.raises(ImportRefused) as exc:
        load_file("arrivals", None, table=Table(rows=[], numbers=[]), actor=users["admin"])
    assert exc.value.summary == "文件是空的：没有表头，也没有数据"
