"""Hints for the usual YAML slips behind a type error (used by :mod:`game.scenario.load`).

YAML reads some text as something else, and the type error alone does not say why:

* ``color: #E69F00`` — ``#`` starts a comment, so the colour is empty (``None``);
* ``version: 0.4`` — a number where text is wanted (and ``1.10`` would even become ``1.1``);
* ``start_date: 13/09/2027`` — not a date YAML knows; dates are written ``2027-09-13``.

>>> date_hint("13/09/2027")
'write dates as YYYY-MM-DD: 2027-09-13'
>>> date_hint("09/13/2027")
'write dates as YYYY-MM-DD: 2027-09-13'
>>> date_hint("03/04/2027")
'write dates as YYYY-MM-DD, e.g. 2027-04-03 for 3 April 2027'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from game.scenario.yamlio import Loc, SourceMap

_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


def _raw(smap: SourceMap, loc: Loc) -> str:
    """The value at ``loc`` as written in the file (to the end of the line, comments kept)."""
    line, col = smap.at(loc)
    lines = smap.text.split("\n")
    return lines[line][col:].rstrip() if line < len(lines) else ""


def _iso(day: int, month: int, year: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_hint(text: str) -> str:
    """How to write ``text`` (a date YAML did not read) as YYYY-MM-DD."""
    m = _DMY.match(text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day_first, month_first = _iso(a, b, year), _iso(b, a, year)
        if day_first and (a > 12 or not month_first):
            return f"write dates as YYYY-MM-DD: {day_first}"
        if month_first and (b > 12 or not day_first):
            return f"write dates as YYYY-MM-DD: {month_first}"
        if day_first:
            when = dt.date.fromisoformat(day_first)
            return (f"write dates as YYYY-MM-DD, e.g. {day_first} for {when.day} "
                    f"{when.strftime('%B')} {when.year}")
    return "write dates as YYYY-MM-DD, e.g. 2027-09-13"


def slip_hint(err: Any, loc: Loc, smap: SourceMap) -> str | None:
    """A hint for a pydantic error ``err`` at ``loc`` when a YAML slip explains it, else None."""
    kind, value = err.get("type", ""), err.get("input")
    if kind == "string_type" and value is None:
        written = _raw(smap, loc)
        if written.lstrip().startswith("#") or (written == "" and "#" in _line_rest(smap, loc)):
            token = (written.strip() or _line_rest(smap, loc).strip()).split()[0]
            return f"'#' starts a comment in YAML, so the value is empty: write it in quotes, " \
                   f"\"{token}\""
        return None
    if kind == "string_type" and isinstance(value, bool | int | float):
        token = _raw(smap, loc).split("#")[0].strip() or str(value)
        return f"YAML reads {token} as a {'yes/no' if isinstance(value, bool) else 'number'}: " \
               f"write it in quotes, \"{token}\""
    if kind.startswith(("date_", "datetime_")) and isinstance(value, str):
        return date_hint(value)
    return None


def _line_rest(smap: SourceMap, loc: Loc) -> str:
    """The rest of the line after the key at ``loc`` (for an empty value, where YAML puts it)."""
    line, col = smap.at(loc, key=True)
    lines = smap.text.split("\n")
    if line >= len(lines):
        return ""
    rest = lines[line][col:]
    return rest.split(":", 1)[1] if ":" in rest else ""
