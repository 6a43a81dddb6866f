"""What changed since a viewer last had the screen: the tracks to highlight on the map and the
lines of the "since last turn" strip.

Everything comes from the viewer's own view — its log lines after the seq the viewer last saw
and its tracks — never from the engine's state, so a team's strip and highlights hold only
what that team may know. Words and numbers come from :mod:`game.present`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from game.engine.log import BY_UMPIRE, Kind
from game.engine.views import LogLine, View
from game.present import UMPIRE_HAND, known, unit_after, value

PULSE_SECONDS = 1.6
"""How long the rings around changed markers pulse when a seat sits down (once)."""


@dataclass(frozen=True)
class Moved:
    """One track's change over the stretch: its value before and after (None: an estimate
    that was revised, whose values the viewer reads from the track itself)."""

    old: float | None
    new: float | None
    by_umpire: bool = False


@dataclass(frozen=True)
class Changes:
    """Tracks changed since the viewer last looked, in the order they first changed."""

    moved: Mapping[str, Moved] = field(default_factory=dict)

    @property
    def tracks(self) -> frozenset[str]:
        """The tracks whose markers stand out: moved to another value, or re-estimated."""
        return frozenset(tid for tid, m in self.moved.items() if m.old is None or m.old != m.new)

    def __bool__(self) -> bool:
        return bool(self.tracks)

    def then(self, later: Changes) -> Changes:
        """These changes followed by ``later`` ones (a track keeps its first old value)."""
        out = dict(self.moved)
        for tid, m in later.moved.items():
            first = out.get(tid)
            if first is None:
                out[tid] = m
            else:
                out[tid] = Moved(first.old if m.old is not None else None, m.new,
                                 first.by_umpire or m.by_umpire)
        return Changes(out)


NO_CHANGES = Changes()


def changes_since(view: View, since: int) -> Changes:
    """The track changes and revised estimates among ``view``'s log lines after seq ``since``
    (a fresh estimate counts only for a track the viewer knows as an estimate: the umpire, who
    knows the value, reads those lines as another team's intelligence)."""
    return changes_in(view.log, since, {t.id for t in view.tracks if t.status == "estimate"})


def changes_in(lines: Iterable[LogLine], since: int, estimated: Collection[str]) -> Changes:
    """The track changes among ``lines`` after seq ``since``, and the re-estimates of the
    ``estimated`` tracks."""
    moved: dict[str, Moved] = {}
    for line in lines:
        if line.seq <= since:
            continue
        if line.kind == Kind.CHANGE:
            tid = str(line.data["track"])
            old, new = float(line.data["old"]), float(line.data["new"])
            umpire = int(line.data.get("effect", 0)) == BY_UMPIRE
            first = moved.get(tid)
            moved[tid] = Moved(old if first is None else first.old, new,
                               umpire or (first is not None and first.by_umpire))
        elif line.kind == Kind.INTEL and str(line.data["track"]) in estimated:
            tid = str(line.data["track"])
            first = moved.get(tid)
            moved[tid] = Moved(None, None, first is not None and first.by_umpire)
    return Changes(moved)


def strip_lines(view: View, changes: Changes) -> list[str]:
    """The strip's lines: 'DPRK troops ▲ 11 → 12 thousand', 'Tension: yes', 'North's troops:
    new estimate ≈2–4 thousand'. A track the view does not hold is left out; a track the viewer
    knows only as an estimate never shows the values the log carried."""
    tracks = {t.id: t for t in view.tracks}
    out = []
    for tid, m in changes.moved.items():
        t = tracks.get(tid)
        if t is None:
            continue
        hand = f" {UMPIRE_HAND}" if m.by_umpire else ""
        unit = unit_after(t)
        if t.status != "exact" or m.old is None or m.new is None:
            out.append(f"{t.name}: now {known(t)}{hand}")
        elif t.is_flag:
            out.append(f"{t.name}: {value(t, m.new)}{hand}")
        elif m.old == m.new:
            continue
        else:
            arrow = "▲" if m.new > m.old else "▼"
            out.append(f"{t.name} {arrow} {value(t, m.old)} → {value(t, m.new)}{unit}{hand}")
    return out
