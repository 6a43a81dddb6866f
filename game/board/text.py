"""Fonts and text: cached rendering, wrapping and fitting into boxes.

Rendering a line of text is the slowest thing a board frame does, so every rendered line is
kept (keyed by text, size, weight and colour): an unchanged board re-renders nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pygame

from game.board.theme import Colour
from game.paths import assets_dir
from game.textsafe import for_terminal

FONT_FILES = {False: "DejaVuSansCondensed.ttf", True: "DejaVuSansCondensed-Bold.ttf"}
ELLIPSIS = "…"


def fonts_dir() -> Path:
    """``$POWERPLAY_ASSETS/fonts`` if set, else the repository's ``assets/fonts``."""
    return assets_dir() / "fonts"


_FONTS: dict[tuple[int, bool], pygame.font.Font] = {}


def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The board font at ``size`` px (pygame's default font if the asset is missing)."""
    f = _FONTS.get((size, bold))
    if f is None:
        if not pygame.font.get_init():
            pygame.font.init()
        f = _load(size, bold)
        _FONTS[(size, bold)] = f
    return f


def forget_fonts() -> None:
    """Drop fonts and measures (after ``pygame.quit()`` they are no longer valid)."""
    _FONTS.clear()
    width.cache_clear()
    wrap.cache_clear()
    wrap_whole.cache_clear()
    wrap_hyphen.cache_clear()


def check_fonts() -> None:
    """Forget fonts made before pygame was shut down and started again (tests do that).

    Called once per frame by the board, not per line of text.
    """
    f = next(iter(_FONTS.values()), None)
    if f is None:
        return
    try:
        f.get_height()
    except pygame.error:
        forget_fonts()


def _load(size: int, bold: bool) -> pygame.font.Font:
    path = fonts_dir() / FONT_FILES[bold]
    if path.exists():
        return pygame.font.Font(str(path), size)
    f = pygame.font.Font(None, round(size * 1.3))
    f.set_bold(bold)
    return f


_RECORD: list[list[str]] = []
"""Where the lines drawn are collected, while someone listens (:func:`recording`)."""


def recording(into: list[str] | None) -> None:
    """Collect every line of text the board draws into ``into`` from now on (None: stop).

    Tests read what a screen showed with it (no team's secret on another team's screen)."""
    _RECORD.clear()
    if into is not None:
        _RECORD.append(into)


def render(text: str, size: int, colour: Colour, bold: bool = False) -> pygame.Surface:
    """One line of antialiased text (cached; recorded while someone listens); control
    characters and direction overrides are drawn as visible placeholders (scenario and player
    text is data, see game.textsafe)."""
    if _RECORD:
        _RECORD[0].append(text)
    return _render(text, size, colour, bold)


@lru_cache(maxsize=4096)
def _render(text: str, size: int, colour: Colour, bold: bool = False) -> pygame.Surface:
    text = for_terminal(text, keep_lines=False)
    try:
        return font(size, bold).render(text, True, colour)
    except pygame.error:  # pygame was shut down and started again since the font was made
        forget_fonts()
        return font(size, bold).render(text, True, colour)


@lru_cache(maxsize=8192)
def width(text: str, size: int, bold: bool = False) -> int:
    text = for_terminal(text, keep_lines=False)  # as render draws it
    try:
        return font(size, bold).size(text)[0]
    except pygame.error:
        forget_fonts()
        return font(size, bold).size(text)[0]


def line_height(size: int, bold: bool = False) -> int:
    try:
        return font(size, bold).get_linesize()
    except pygame.error:
        forget_fonts()
        return font(size, bold).get_linesize()


def fit(text: str, size: int, max_width: int, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it is at most ``max_width`` px wide."""
    if max_width <= 0:
        return ""
    if width(text, size, bold) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS if lo else ""


PART = "  ·  "
"""Between the parts of a line of facts ('Turn 2 of 9  ·  27 Dec 2024  ·  Secret orders')."""


def fit_parts(text: str, size: int, max_width: int, bold: bool = False) -> str:
    """As many of ``text``'s leading parts (split at :data:`PART`) as fit ``max_width`` px,
    each whole, the rest left off (a part is never cut: 'YOUR MOVES  ·  orders given: 0 of 3',
    not '…  ·  Acti…'); the first part cut with '…' only if it alone is too wide.

    >>> pygame.font.init()
    >>> fit_parts("Turn 2 of 9  ·  27 Dec 2024  ·  Secret orders", 20,
    ...           width("Turn 2 of 9  ·  27 Dec 2024  ·  Secret", 20))
    'Turn 2 of 9  ·  27 Dec 2024'
    """
    parts = text.split(PART)
    for n in range(len(parts), 0, -1):
        line = PART.join(parts[:n])
        if width(line, size, bold) <= max_width:
            return line
    return fit(parts[0], size, max_width, bold)


@lru_cache(maxsize=1024)
def wrap(text: str, size: int, max_width: int, bold: bool = False) -> tuple[str, ...]:
    """Break ``text`` into lines at most ``max_width`` px wide (long words are cut)."""
    return _wrap(text, size, max_width, bold, "cut")


def _wrap(text: str, size: int, max_width: int, bold: bool, long: str) -> tuple[str, ...]:
    """Lines at most ``max_width`` px wide, broken at spaces; a word wider than a line is
    ``long``: 'cut' with an ellipsis, 'whole' on a line of its own, or 'hyphen'-ated."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if width(trial, size, bold) <= max_width or (long == "whole" and not line):
                line = trial
                continue
            if line:
                lines.append(line)
            if long == "hyphen":
                while width(word, size, bold) > max_width and len(word) > 1:
                    cut = hyphen_at(word, size, max_width, bold)
                    lines.append(word[:cut] + "-")
                    word = word[cut:]
            elif long == "cut" and width(word, size, bold) > max_width:
                word = fit(word, size, max_width, bold)
            line = word
        lines.append(line)
    return tuple(lines)


@lru_cache(maxsize=1024)
def wrap_whole(text: str, size: int, max_width: int, bold: bool = False) -> tuple[str, ...]:
    """Break ``text`` into lines at most ``max_width`` px wide at its spaces, never inside a
    word: a word wider than ``max_width`` stands whole on a line of its own (a number or its
    unit is never cut).

    >>> pygame.font.init()
    >>> wrap_whole("DPRK troops: 11 thousand", 20, 10)
    ('DPRK', 'troops:', '11', 'thousand')
    """
    return _wrap(text, size, max_width, bold, "whole")


VOWELS = frozenset("aeiouyAEIOUY")


def hyphen_at(word: str, size: int, max_width: int, bold: bool = False) -> int:
    """Where to break ``word`` so that its head and a hyphen fit ``max_width`` px: between two
    consonants ('Reconnais-sance'), else before a consonant and a vowel ('Operationa-lise'),
    at the last such place that fits, keeping three letters on each side; else as far as fits.

    >>> pygame.font.init()
    >>> w = "Reconnaissance"
    >>> w[:hyphen_at(w, 20, width("Reconnaiss-", 20))]
    'Reconnais'
    """
    fits = [i for i in range(3, len(word) - 2) if width(word[:i] + "-", size, bold) <= max_width]
    if not fits:
        return next((i for i in range(len(word) - 1, 0, -1)
                     if width(word[:i] + "-", size, bold) <= max_width), 1)

    def good(i: int) -> bool:
        a, b, c = word[i - 1], word[i], word[i + 1]
        if not (a.isalpha() and b.isalpha()):
            return False
        return (a not in VOWELS and b not in VOWELS) or (b not in VOWELS and c in VOWELS)

    return max((i for i in fits if good(i)), default=fits[-1])


@lru_cache(maxsize=1024)
def wrap_hyphen(text: str, size: int, max_width: int, bold: bool = False) -> tuple[str, ...]:
    """:func:`wrap`, with a word too long for a line broken with a hyphen ('Reconnais-' /
    'sance flight') instead of cut with an ellipsis.

    >>> pygame.font.init()
    >>> wrap_hyphen("Reconnaissance flight", 20, width("Reconnaiss-", 20))
    ('Reconnais-', 'sance flight')
    """
    return _wrap(text, size, max_width, bold, "hyphen")


def fit_lines(text: str, sizes: tuple[int, ...], max_width: int, max_height: int,
              bold: bool = False) -> tuple[int, tuple[str, ...]]:
    """The first of ``sizes`` (largest first) at which ``text`` wraps into ``max_width``
    without cutting a word and its lines fit ``max_height``; that size and the lines. At
    none: the last size, its lines cut to what fits.

    >>> pygame.font.init()
    >>> size, lines = fit_lines("Democratic People's Republic of Korea", (90, 40), 600, 200)
    >>> size, " ".join(lines)
    (40, "Democratic People's Republic of Korea")
    """
    for size in sizes:
        lines = wrap(text, size, max_width, bold)
        whole = all(width(word, size, bold) <= max_width for word in text.split())
        if whole and len(lines) * line_height(size, bold) <= max_height:
            return size, lines
    size = sizes[-1]
    room = max(1, max_height // line_height(size, bold))
    lines = wrap(text, size, max_width, bold)
    if len(lines) > room:
        lines = (*lines[:room - 1], fit(" ".join(lines[room - 1:]), size, max_width, bold))
    return size, lines


def draw(
    surface: pygame.Surface,
    text: str,
    pos: tuple[int, int],
    size: int,
    colour: Colour,
    *,
    bold: bool = False,
    align: str = "left",
    max_width: int | None = None,
) -> pygame.Rect:
    """Blit one line at ``pos`` (``align``: left, center or right of ``pos[0]``); its rect."""
    if max_width is not None:
        text = fit(text, size, max_width, bold)
    if not text:
        return pygame.Rect(pos, (0, 0))
    img = render(text, size, colour, bold)
    x, y = pos
    if align == "center":
        x -= img.get_width() // 2
    elif align == "right":
        x -= img.get_width()
    return surface.blit(img, (x, y))


def draw_block(
    surface: pygame.Surface,
    text: str,
    rect: pygame.Rect,
    size: int,
    colour: Colour,
    *,
    bold: bool = False,
    max_lines: int | None = None,
) -> int:
    """Wrap ``text`` into ``rect``; returns the y just below the last line drawn."""
    lh = line_height(size, bold)
    lines = list(wrap(text, size, rect.width, bold))
    room = max(0, rect.height // lh) if max_lines is None else max_lines
    if len(lines) > room:
        lines = lines[:room]
        if lines:
            lines[-1] = fit(lines[-1] + " " + ELLIPSIS, size, rect.width, bold)
    y = rect.y
    for line in lines:
        draw(surface, line, (rect.x, y), size, colour, bold=bold)
        y += lh
    return y

