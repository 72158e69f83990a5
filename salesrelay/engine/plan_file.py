"""Writing a plan file back (SPEC §5): the tables ``tomllib`` reads, as TOML text.

>>> print(write_plans({"plans": [{"id": "h", "roles": ["hunter"],
...     "effective_from": date(2026, 1, 1),
...     "components": [{"kind": "salary", "amount": Decimal("40000.00")}]}]}), end="")
[[plans]]
id = "h"
roles = ["hunter"]
effective_from = 2026-01-01
<BLANKLINE>
  [[plans.components]]
  kind = "salary"
  amount = "40000.00"

Numbers that are ``Decimal`` are written as strings (``"0.90"``), as plan files write money and
rates, so that nothing passes through a binary float; other values keep their TOML type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def write_plans(raw: Mapping[str, Any], *, header: str = "") -> str:
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    if out:
        out.append("")
    for table in raw.get("plans", []):
        out.append("[[plans]]")
        components = table.get("components", [])
        for key, value in table.items():
            if key != "components":
                out.append(f"{_key(key)} = {_value(value)}")
        for component in components:
            out += ["", "  [[plans.components]]"]
            out += [f"  {_key(key)} = {_value(value)}" for key, value in component.items()]
        out.append("")
    return "\n".join(out)


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """One value as TOML text (``Decimal("0.90")`` as ``"0.90"``)."""
    return _value(value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return json.dumps(f"{value:f}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"{value!r} has no TOML form here")
