"""Make tests/fixtures/hostile-text.yaml from the tutorial: every text field made hostile.

    python tools/make_hostile.py

Names get rich/textual markup, right-to-left letters and marks, zero-width characters and
spreadsheet formula starts, but no control characters (the loader refuses those in names). Long
texts get all of that plus ANSI/OSC escapes, a C1 CSI, a bidi override, tab, CR and BEL (the
loader warns on those).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

ROOT = Path(__file__).resolve().parents[1]
HEBREW = "\u05e9\u05dc\u05d5\u05dd"
ARABIC = "\u0633\u0644\u0627\u0645"
NAME_BITS = ["[b]", "[/]", "[@click=app.quit]", "[/b]", HEBREW, "\u200b", "\u200d", "\u200f",
             ARABIC, "[red]", "\ufeff"]
FORMULA = ["=", "+", "-", "@"]
TEXT_BITS = ["\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;cHduZWQ=\x07", "\x9b31m", "\u202e",
             "\x1b[31m", "[@click=app.quit]Read the cable[/]", "[/]", "[b]", "\x07"]
TEXT_FORMULA = ['=HYPERLINK("http://evil.example","x")+', "@SUM(1+1)", "+1+", "-1-", "\t", "\r"]
NAME_KEYS = {"name", "title", "unit", "publisher"}
TEXT_KEYS = {"text", "description", "public", "private", "why"}
HEAD = """\
# A hostile scenario (issues 19 and 20): every text field holds rich/textual markup ([b], [/],
# [@click=app.quit]), right-to-left letters and marks, zero-width characters and spreadsheet
# formula starts; the long texts also hold ANSI/OSC escapes (clear screen, window title,
# clipboard), a C1 CSI, a bidi override, tab, CR and BEL. Names hold no control characters, so it
# loads (with warnings for the long texts). Made from the tutorial by tools/make_hostile.py;
# shared by the CLI, report, board and TUI tests.
"""


class Hostile:
    def __init__(self) -> None:
        self.n = 0

    def name(self, s: str) -> DoubleQuotedScalarString:
        self.n += 1
        n = self.n
        pre = FORMULA[n % len(FORMULA)] if n % 2 else ""
        bits = NAME_BITS[n % len(NAME_BITS)] + NAME_BITS[(n * 3 + 1) % len(NAME_BITS)]
        return DoubleQuotedScalarString(f"{pre}{s} {bits}")

    def text(self, s: str) -> DoubleQuotedScalarString:
        self.n += 1
        n = self.n
        pre = TEXT_FORMULA[n % len(TEXT_FORMULA)]
        b1, b2 = TEXT_BITS[n % len(TEXT_BITS)], TEXT_BITS[(n * 7 + 3) % len(TEXT_BITS)]
        mid = NAME_BITS[n % len(NAME_BITS)]
        return DoubleQuotedScalarString(f"{pre}{s} {b1} [b]{mid}[/] {b2} {HEBREW}\u200b end")

    def walk(self, node: Any) -> None:
        if isinstance(node, dict):
            for k in list(node):
                v = node[k]
                if isinstance(v, str) and k in NAME_KEYS:
                    node[k] = self.name(v)
                elif isinstance(v, str) and k in TEXT_KEYS:
                    node[k] = self.text(v)
                elif k == "authors":
                    node[k] = [self.name(a) for a in v]
                else:
                    self.walk(v)
        elif isinstance(node, list):
            for x in node:
                self.walk(x)


def main() -> None:
    yaml = YAML()
    yaml.width = 4096
    data = yaml.load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    Hostile().walk(data)
    data["meta"]["id"] = "hostile-text"
    out = io.StringIO()
    yaml.dump(data, out)
    body = out.getvalue()
    if body.startswith("# yaml-language-server"):
        body = body.split("\n", 1)[1]
    (ROOT / "tests" / "fixtures" / "hostile-text.yaml").write_text(HEAD + body, encoding="utf-8")


if __name__ == "__main__":
    main()
