"""Colours and type sizes of the board, chosen for a projector at the back of a room.

Colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies);
every text colour sits on its background with a contrast ratio of at least 7:1 (WCAG AAA),
because a projector in a lit room loses half its contrast. Type scales with the window
height, so the board reads the same at 1280×720 and at 1920×1080.

>>> TypeScale.for_height(1080).body, TypeScale.for_height(720).body
(36, 24)
>>> contrast(INK, PANEL) >= 7.0 and contrast(PAPER, CHROME) >= 7.0
True
"""

from __future__ import annotations

from dataclasses import dataclass

Colour = tuple[int, int, int]

# Okabe & Ito (2008), "Color Universal Design" — the eight colours.
BLACK: Colour = (0, 0, 0)
ORANGE: Colour = (230, 159, 0)
SKY: Colour = (86, 180, 233)
GREEN: Colour = (0, 158, 115)
YELLOW: Colour = (240, 228, 66)
BLUE: Colour = (0, 114, 178)
VERMILLION: Colour = (213, 94, 0)
PURPLE: Colour = (204, 121, 167)
OKABE_ITO: tuple[Colour, ...] = (ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK)

# The chrome (top bar, ticker, hand-off) is dark; panels are light paper with black ink.
CHROME: Colour = (22, 27, 36)
CHROME_2: Colour = (44, 52, 66)
PAPER: Colour = (250, 250, 247)
PANEL: Colour = (244, 242, 236)
PANEL_EDGE: Colour = (150, 146, 136)
INK: Colour = (16, 16, 16)
MUTED: Colour = (72, 72, 72)
"""Secondary text on panels (contrast 9:1 on PANEL)."""
DIM: Colour = (190, 190, 190)
"""Secondary text on the chrome."""
DISABLED: Colour = (222, 220, 214)
GAUGE_BG: Colour = (214, 211, 203)
FILL: Colour = BLUE
ESTIMATE: Colour = SKY
DANGER: Colour = VERMILLION
GOOD: Colour = GREEN
HIGHLIGHT: Colour = YELLOW
SEA: Colour = (178, 206, 228)
LAND: Colour = (236, 232, 220)
BORDER: Colour = (128, 120, 108)
SHADE: tuple[int, int, int, int] = (10, 12, 18, 190)
"""Translucent veil behind dialogs and pop-ups."""


@dataclass(frozen=True)
class TypeScale:
    """Pixel sizes of the board's type for one window height.

    At 1080 px the body is 36 px (about 6 cm tall on a 3 m screen): the rule of thumb for
    a room is one centimetre of letter per three metres of distance, so 10 m needs ~3.5 cm.
    """

    small: int
    body: int
    large: int
    title: int
    huge: int
    pad: int

    @classmethod
    def for_height(cls, height: int) -> TypeScale:
        h = max(360, height)
        return cls(
            small=round(h / 38),
            body=round(h / 30),
            large=round(h / 22),
            title=round(h / 15),
            huge=round(h / 9),
            pad=max(4, round(h / 108)),
        )


def hex_colour(text: str, default: Colour = MUTED) -> Colour:
    """'#D55E00' -> (213, 94, 0); anything else gives ``default``.

    >>> hex_colour("#0072B2"), hex_colour("teal")
    ((0, 114, 178), (72, 72, 72))
    """
    t = text.strip().lstrip("#")
    if len(t) != 6:
        return default
    try:
        return int(t[0:2], 16), int(t[2:4], 16), int(t[4:6], 16)
    except ValueError:
        return default


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """Blend ``a`` towards ``b`` by ``t`` (0..1)."""
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def luminance(c: Colour) -> float:
    """Relative luminance (WCAG 2)."""

    def lin(v: int) -> float:
        s = v / 255.0
        return s / 12.92 if s <= 0.03928 else float(((s + 0.055) / 1.055) ** 2.4)

    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(background: Colour) -> Colour:
    """Black or white, whichever reads better on ``background``.

    >>> ink_on(YELLOW) == INK, ink_on(BLUE) == PAPER
    (True, True)
    """
    return INK if contrast(INK, background) >= contrast(PAPER, background) else PAPER
