"""What a route's typed answer must be: the serialiser's JSON, key for key, in the same order, value for value and
JSON type for JSON type (a count stays an integer, money stays a string)."""

from __future__ import annotations

import json
from typing import Any

from ninja.responses import NinjaJSONEncoder


def as_json(plain: Any) -> Any:
    """The serialiser's output as the API wrote it before the schemas: through ninja's JSON encoder."""
    return json.loads(json.dumps(plain, cls=NinjaJSONEncoder))


def differences(got: Any, want: Any, path: str = "$") -> list[str]:
    if type(got) is not type(want):
        return [f"{path}: {type(want).__name__} {want!r} → {type(got).__name__} {got!r}"]
    if isinstance(want, dict):
        if list(got) != list(want):
            missing = [k for k in want if k not in got]
            added = [k for k in got if k not in want]
            return [f"{path}: keys dropped {missing}, added {added}, order {list(got)} ≠ {list(want)}"]
        return [d for k in want for d in differences(got[k], want[k], f"{path}.{k}")]
    if isinstance(want, list):
        if len(got) != len(want):
            return [f"{path}: {len(want)} items → {len(got)}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True)) for d in differences(g, w, f"{path}[{i}]")]
    return [] if got == want else [f"{path}: {want!r} → {got!r}"]


def assert_same_json(response: Any, plain: Any) -> None:
    assert response.status_code == 200, response.content.decode()
    problems = differences(response.json(), as_json(plain))
    assert not problems, "\n".join(problems[:30])
