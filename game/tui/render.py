"""Rich renderables drawn from a :class:`~game.engine.views.View` — never from the raw state.

Every function here takes view data and returns text or a rich renderable, so the same
pictures serve the team screens, the umpire console and the golden-text tests. Meaning is never
carried by colour alone: values are written out, changes have arrows, actors their ids.

>>> from game.engine.views import TrackView
>>> t = TrackView("x", "X", "", "", 0, 10, False, ((3, "Standoff"),), "estimate", None, 2, 6,
...               None, True, "")
>>> track_value(t).plain
'≈2–6'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from game import present as P
from game.engine.log import kinds
from game.engine.views import (
    ActorView,
    LogLine,
    MoveOption,
    ObjectiveView,
    ResourceView,
    TrackView,
    View,
)
from game.engine.wording import UNSEEN_POINTS


def actor_style(view: View, actor: str) -> str:
    """The scenario's (colour-blind-safe) colour of an actor, bold."""
    try:
        color = view.actor(actor).color
    except StopIteration:
        return "bold"
    return f"bold {color}" if color else "bold"


def actor_label(view: View, actor: str) -> Text:
    """An actor's id in its colour, with a square marker (the id carries the meaning)."""
    return Text.assemble(("■ ", actor_style(view, actor)), (actor, "bold"))



def status_line(view: View, who: str) -> Text:
    """Header line: who is looking, the phase, the turn and date (the long name last, so a
    narrow terminal cuts only that)."""
    head = Text(" ")
    if who == "control":
        head.append("UMPIRE", "bold reverse")
    else:
        head.append_text(actor_label(view, who))
    head.append(f" │ {view.phase_name} · turn {view.turn}/{view.turns} · {view.date} │ ")
    head.append("sees everything" if who == "control" else view.actor(who).name)
    head.no_wrap = True
    head.overflow = "ellipsis"
    return head


# ---------------------------------------------------------------- tracks


def track_value(t: TrackView) -> Text:
    """What the viewer knows of a track at its declared precision, with its unit (exact, an
    estimate range, or unknown): the words of :func:`game.present.known`."""
    return Text(P.known(t), "bold" if t.status == "exact" else "italic")


def track_gauge(t: TrackView, width: int = 12) -> Text:
    """A bar from min to max: █ the value, ░ an estimate range, · unknown; │ marks rungs."""
    if t.is_flag:
        return Text("")
    span = (t.hi - t.lo) or 1.0

    def col(x: float) -> int:
        return max(0, min(width - 1, round((x - t.lo) / span * (width - 1))))

    cells = ["·"] * width
    if t.status == "exact" and t.value is not None:
        for i in range(col(t.value) + 1 if t.value > t.lo else 0):
            cells[i] = "█"
    elif t.status == "estimate" and t.low is not None and t.high is not None:
        for i in range(col(t.low), col(t.high) + 1):
            cells[i] = "░"
    for at, _name in t.thresholds:
        i = col(at)
        if cells[i] == "·":
            cells[i] = "│"
    return Text("".join(cells))


def track_rung(t: TrackView) -> Text:
    """The rung a track stands on, its arrow the way it was reached ('▲ Standoff', '▼ Frayed'),
    or where it stands between rungs (see :func:`game.present.rung_text`)."""
    words = P.rung_text(t)
    return Text(words, "bold" if t.rung and t.status == "exact" else "dim")


def ladder(t: TrackView) -> Text:
    """The rungs of a track, each with the side of its value on which it holds, the one the
    track stands on marked."""
    out = Text()
    for at, name in t.thresholds:
        here = t.status == "exact" and t.rung == name
        out.append("▶ " if here else "  ")
        out.append(P.rung_where(t, at, name), "bold" if here else "")
        out.append("\n")
    out.rstrip()
    return out


def track_detail(t: TrackView) -> RenderableType:
    """Everything about one track, for the detail pane under the board."""
    shown = P.seen(t)
    head = Text.assemble((t.name, "bold"), "  ", track_value(t),
                         (f" ({shown})" if shown else "", "italic"),
                         ("  (secret)" if t.secret else "", "italic"))
    parts: list[RenderableType] = [head]
    if t.description:
        parts.append(Text(t.description))
    if t.umpire_note:  # filled in the umpire's view only
        parts.append(Text.assemble(("Umpire only: ", "bold"), t.umpire_note))
    parts.append(Text(f"Range {P.span(t)}"))
    if t.thresholds:
        parts.append(ladder(t))
    return Group(*parts)


# ---------------------------------------------------------------- actors, briefing


def resources_text(resources: Iterable[ResourceView], *, compact: bool = False) -> Text:
    """'Action points 2/3 (+2 a turn)' (compact: without the per-turn gain)."""
    out = Text()
    for r in resources:
        if out:
            out.append(" · ")
        most = f"/{r.max}" if r.max is not None else ""
        more = f" (+{r.per_turn} a turn)" if r.per_turn and not compact else ""
        out.append(f"{r.name} ")
        out.append(f"{r.value}{most}", "bold")
        out.append(more)
    return out


def objective_text(view: View, o: ObjectiveView) -> Text:
    flag = " (hidden from others)" if o.hidden and "hidden" not in o.name.lower() else ""
    points = (f"  [{UNSEEN_POINTS}]" if o.unseen
              else f"  [score {P.score(view, o.score)}]" if o.score is not None else "")
    return Text.assemble("• ", (o.name, "bold"), flag, f" — {o.text}" if o.text else "",
                         points)


def briefing(view: View, actor: str) -> RenderableType:
    """An actor's briefing (public and, if the viewer may know it, private) and objectives."""
    a: ActorView = view.actor(actor)
    parts: list[RenderableType] = [Text.assemble(actor_label(view, actor), f"  {a.name}")]
    parts.append(Text.assemble(("Public briefing: ", "bold"), a.public_briefing or "—"))
    if a.private_briefing:
        parts.append(Text.assemble(("Private briefing: ", "bold"), a.private_briefing.strip()))
    if a.resources:
        parts.append(Text.assemble(("Resources: ", "bold"), resources_text(a.resources)))
    objectives = [o for o in view.objectives if o.actor == actor]
    if objectives:
        parts.append(Text("Objectives:", "bold"))
        parts.extend(objective_text(view, o) for o in objectives)
    if a.score is not None:
        unseen = any(o.unseen for o in objectives)
        parts.append(Text(f"Score so far: {P.score(view, a.score)}"
                          + (" (and the points that depend on what you cannot see)"
                             if unseen else "")))
    return Group(*parts)


def others_text(view: View) -> RenderableType:
    """The other actors, as the viewer sees them (public briefings and public scores)."""
    parts: list[RenderableType] = []
    for a in view.actors:
        if a.id == view.viewer:
            continue
        kind = "" if a.kind == "player" else " (played by the umpire)"
        parts.append(Text.assemble(actor_label(view, a.id), f" {a.name}{kind}: ",
                                   a.public_briefing or "—"))
    return Group(*parts)


# ---------------------------------------------------------------- moves


def cost_text(mo: MoveOption, resources: Sequence[ResourceView] | None) -> str:
    return P.cost(mo, {r.id: r.name for r in resources or ()})


def short_reason(mo: MoveOption) -> str:
    """Why a move is unavailable, without the 'ROK cannot make 'x' now:' preamble."""
    reason = mo.reason or "not now"
    head = f"{mo.actor} cannot make '{mo.move}' now: "
    reason = reason.removeprefix(head)
    if reason.startswith(f"{mo.actor} has finished"):
        return "orders are in"
    return reason


def move_status(mo: MoveOption) -> Text:
    if mo.legal:
        return Text("✓ available")
    return Text(f"✗ {short_reason(mo)}", "dim")


def move_detail(mo: MoveOption, resources: Sequence[ResourceView] | None) -> RenderableType:
    """The highlighted move: what it does, what it costs, how it is decided, why not."""
    parts: list[RenderableType] = [Text(mo.name, "bold"), Text(mo.text)]
    if not mo.legal:
        parts.append(Text(f"Not available: {mo.reason or 'not now'}", "bold"))
    how = P.how_decided(mo)
    parts.append(Text.assemble(("Cost: ", "bold"), cost_text(mo, resources), "   ",
                               ("How: ", "bold"), how))
    for value, why in mo.modifiers:
        parts.append(Text(f"  {value:+d}  {why}"))
    if mo.needs:
        parts.append(Text.assemble(("Needs: ", "bold"), "; ".join(mo.needs)))
    for _, question, choices in param_labels(mo):
        parts.append(Text.assemble((f"{question}: ", "bold"),
                                   " / ".join(name for _, name in choices)))
    return Group(*parts)


def param_labels(mo: MoveOption) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """(parameter id, question, ((choice id, choice name), ...)) for each of a move's
    parameters: the scenario's names where it gives them, else the ids.

    >>> from game.engine.views import MoveOption
    >>> mo = MoveOption("N", "m", "M", "", (), "automatic", True, None, (), None,
    ...                 (("aim", ("home", "abroad")),), (), (), (),
    ...                 (("aim", "Aimed at", (("home", "Home audience"),)),))
    >>> param_labels(mo)
    (('aim', 'Aimed at', (('home', 'Home audience'), ('abroad', 'abroad'))),)
    """
    named = {pid: (question, dict(choices)) for pid, question, choices in mo.labels}
    out = []
    for pid, ids in mo.params:
        question, names = named.get(pid, (pid, {}))
        out.append((pid, question, tuple((c, names.get(c, c)) for c in ids)))
    return tuple(out)


# ---------------------------------------------------------------- orders


# ---------------------------------------------------------------- log and results

HEADLINE_KINDS: frozenset[str] = kinds(where=lambda s: s.headline)
"""Log kinds worth showing on the adjudication display, as the log's vocabulary declares them."""


def log_line(line: LogLine) -> Table:
    """A log line with its kind as a word (so no colour is needed to read it: the word the
    log's vocabulary declares, game.engine.log); long text wraps under the text, not under
    the word."""
    mark = line.spec.mark
    style = "bold" if line.spec.strong else ""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=6, no_wrap=True)
    grid.add_column(ratio=1)
    text = line.text.strip()
    if line.kind in ("event", "news"):
        text = text.removeprefix("EVENT — ").removeprefix("NEWS — ")
    grid.add_row(Text(mark, "dim"), Text(text, style))
    return grid


def scores_table(view: View, scores: dict[str, float], winners: Sequence[str]) -> Table:
    """Final scores of the player teams, best first, with the winners marked."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_column()
    for aid, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        try:
            a = view.actor(aid)
        except StopIteration:
            continue
        if a.kind != "player":
            continue
        grid.add_row(Text.assemble(actor_label(view, aid), f" {a.name}"), P.score(view, score),
                     Text("★ winner", "bold") if aid in winners else Text(""))
    return grid
