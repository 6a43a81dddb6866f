"""Text from a scenario or a player is data: what it may hold, and how it is shown on a terminal.

Every string the program shows came from someone else (a scenario shared between institutions,
a rationale typed by a player). On a terminal, a control character is an instruction: ESC starts
sequences that set the window title, write the clipboard or clear the screen; a right-to-left
override reorders what follows. So text bound for a terminal goes through :func:`for_terminal`,
which shows each such character as a visible placeholder instead; the loader refuses them in
names (:func:`unsafe_char`) and warns of them in longer text (:func:`find_unsafe`). (Rich and
textual markup are handled where text meets them: ``Text`` objects and ``markup=False``; HTML is
escaped; CSV cells are neutralised in the debrief.)

>>> for_terminal("Title\\x1b]0;owned\\x07 \\u202eevil")
'Title␛]0;owned␇ <U+202E>evil'
"""

from __future__ import annotations

BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder everything after them ('Trojan source').
(The direction marks U+200E/U+200F and zero-width joiners belong to ordinary Arabic, Hebrew,
Persian or Indic text, and are kept.)"""


def _kind(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
        return "a control character"
    if ch in BIDI:
        return "a text-direction override"
    return None


def is_plain(text: str) -> bool:
    """Whether ``text`` holds no control character and no direction override (the quick test)."""
    return text.isprintable() and not BIDI.intersection(text)


def find_unsafe(text: str, allowed: str = "") -> tuple[int, str] | None:
    """Where the first control character or direction override of ``text`` is (other than
    those in ``allowed``), and what it is; else None.

    >>> find_unsafe("Line one\\nline two\\x1b[2J", allowed="\\n\\t")
    (17, 'U+001B (a control character)')
    """
    if is_plain(text):
        return None
    for i, ch in enumerate(text):
        kind = _kind(ch)
        if kind is not None and ch not in allowed:
            return i, f"U+{ord(ch):04X} ({kind})"
    return None


def unsafe_char(text: str) -> str | None:
    """The first character of ``text`` that has no place in a name, described; else None.

    >>> unsafe_char("Mass troops\u202e"), unsafe_char("Ünïcode, שלום, می\u200cخواهم: fine")
    ('U+202E (a text-direction override)', None)
    """
    found = find_unsafe(text)
    return None if found is None else found[1]


def _placeholder(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ ␇ ...
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def for_terminal(text: str, *, keep_lines: bool = True) -> str:
    """``text`` with every control character and direction override shown as a visible
    placeholder (line breaks and tabs kept unless ``keep_lines`` is False)."""
    if is_plain(text):
        return text
    kept = "\n\t" if keep_lines else ""
    return "".join(ch if ch in kept or _kind(ch) is None else _placeholder(ch) for ch in text)
