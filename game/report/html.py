"""The debrief as one self-contained HTML page for the hotwash: charts (matplotlib, inline
SVG), names never ids, every text escaped, a print stylesheet; it opens offline.

    powerplay report SAVE --format html -o debrief.html

Sections: how the game ended; the scores over the turns; each objective's points, hidden
agendas revealed; the key tracks over the turns with each team's belief beside the truth (an
estimate that missed is marked); the game beside the real record; the decisions with their
rationales and outcomes; the umpire's rulings, overrides and adjustments with their reasons;
the messages. matplotlib is imported only here, when a page is asked for.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from game import present as P
from game.engine import wording as W
from game.engine.log import Kind, attribution
from game.present import UMPIRE_HAND
from game.report.debrief import By, Debrief, debrief, scored_when
from game.session import Game
from game.textsafe import for_terminal

MAX_TRACK_CHARTS = 12
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
"""Okabe-Ito colours (readable by people with colour-blindness), for actors without a colour."""

CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
.lead { font-size: 1.1rem; } .muted { color: #666; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.miss { color: #B00020; font-weight: 600; } .umpire { color: #7A4B00; }
figure { margin: 1rem 0; page-break-inside: avoid; } figure svg { width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #555; }
nav.contents { font-size: .92rem; margin: .6rem 0 0; }
@media print { nav.contents, a.back { display: none; } .why { page-break-inside: avoid; } }
.why { border-left: 3px solid #ddd; padding-left: .8rem; margin: .8rem 0; }
.why h3 { font-size: 1rem; margin: 0 0 .3rem; } .why ol { margin: 0; padding-left: 1.4rem; }
.why:target { border-left-color: #0072B2; background: #EEF6FB; }
a.back { font-size: .85rem; font-weight: normal; margin-left: .5rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; } }
"""


def e(text: Any) -> str:
    """Text for the page: escaped, its control characters shown, not kept."""
    return html.escape(for_terminal(str(text)), quote=True)


def to_html(game: Game, d: Debrief | None = None) -> str:
    """The page for ``game`` (finished or not)."""
    d = d or debrief(game)
    rules = game.rules
    charts = Charts(game)
    parts = [f"<h1>Debrief: {e(d.title)}</h1>",
             f"<p class='muted'>Seed {d.seed}, {d.turns_played} turn(s) played of "
             f"{rules.turns}.</p>", _contents(d),
             "<h2 id='ending'>How it ended</h2>", _ending(game)]
    parts += ["<h2 id='scores'>Scores over the turns</h2>", charts.scores(), _score_table(game)]
    parts += ["<h2 id='objectives'>Objectives and hidden agendas</h2>", _objectives(d)]
    parts += ["<h2 id='tracks'>The key tracks: what each team believed, and the truth</h2>",
              "<p class='muted'>The line is the truth at the start of each turn; each team's "
              "band is its estimate then. A band that missed the truth is marked ✕.</p>",
              "<div class='grid'>", *charts.tracks(), "</div>", _misses(game, d)]
    parts += ["<h2 id='history'>The game beside the real record</h2>", *charts.history(),
              _history_table(game, d)]
    parts += ["<h2 id='decisions'>Decisions, their reasons and what came of them</h2>",
              _decisions(game)]
    parts += ["<h2 id='rulings'>The umpire's rulings, overrides and adjustments</h2>",
              _rulings(game, d)]
    parts += ["<h2 id='changes'>What changed, and why</h2>", _changes(game, d)]
    if d.messages:
        parts += ["<h2 id='messages'>Messages on the channels</h2>", _table(
            ("Turn", "Message"), [(m.turn, m.said) for m in d.messages])]
    parts += _causes(game, d)
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>Debrief: {e(d.title)}</title><style>{CSS}</style></head>"
            f"<body>\n{body}\n</body></html>\n")


CONTENTS = (("ending", "How it ended"), ("scores", "Scores"), ("objectives", "Objectives"),
            ("tracks", "Key tracks"), ("history", "The real record"), ("decisions", "Decisions"),
            ("rulings", "The umpire's hand"), ("changes", "What changed, and why"),
            ("messages", "Messages"), ("causes", "Causes of each change"))


def _contents(d: Debrief) -> str:
    """Links to the page's sections (those it has)."""
    absent = {"messages"} if not d.messages else set()
    absent |= {"causes"} if not d.changes else set()
    links = " · ".join(f"<a href='#{anchor}'>{e(title)}</a>" for anchor, title in CONTENTS
                       if anchor not in absent)
    return f"<nav class='contents'>{links}</nav>"


def debrief_path(save: Path) -> Path:
    """Where the page of a save goes: beside it, 'kursk-turn9.json' -> 'kursk-turn9-debrief.html'."""
    return save.with_name(f"{save.stem}-debrief.html")


def write_beside(game: Game, save: Path) -> Path:
    """Write ``game``'s page beside its save ``save`` (whole, through the atomic writer of
    :mod:`game.fileio`); return where."""
    from game.fileio import write_text

    return write_text(debrief_path(save), to_html(game), "debrief page")


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]], *,
           numeric: Sequence[int] = ()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = " class='num'" if i in numeric else ""
            cells.append(f"<td{cls}>{cell if isinstance(cell, Markup) else e(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class Markup(str):
    """Text already made safe HTML (put in a table as it is)."""


def _ending(game: Game) -> str:
    s = game.engine.state
    if not s.over:
        played = s.turn - 1
        return (f"<p class='lead'>The game was saved before it ended, after {played} of "
                f"{game.rules.turns} turns; no one has won yet.</p>")
    reason = s.end_reason or ""
    cond = next((c for c in game.rules.end if c.id == reason), None)
    said = cond.text if cond is not None else (
        "the last turn was played" if reason == "last-turn" else reason.replace("-", " "))
    return f"<p class='lead'>It ended because {e(said.rstrip('.'))}.</p>"


def _score_table(game: Game) -> str:
    rules = game.rules
    result = game.result()
    players = {a.id for a in rules.actors if a.is_player}
    rows = [(W.actor_name(rules, a), Markup(f"{e(W.score(rules, v))}"
                                            + (" <b>(won)</b>" if game.is_over and a in result.winners
                                               else "")))
            for a, v in sorted(result.scores.items(), key=lambda kv: -kv[1]) if a in players]
    return _table(("Team", "Score"), rows, numeric=(1,))


def _objectives(d: Debrief) -> str:
    rows = [(o.actor_name, o.name, o.text, Markup("<b>hidden agenda</b>") if o.hidden else "",
             W.points(o.points, d.score_precision), scored_when(o, d.score_precision))
            for o in d.objectives]
    return _table(("Team", "Objective", "How it scores", "", "Points", "When"), rows,
                  numeric=(4,))


def _misses(game: Game, d: Debrief) -> str:
    rules = game.rules
    misses = [b for b in d.beliefs if b.right is False]
    if not misses:
        return "<p>Every estimate held the truth.</p>"
    rows = [(b.turn, W.actor_name(rules, b.actor), W.track_name(rules, b.track),
             P.between(d.tracks[b.track], b.low, b.high), P.amount(d.tracks[b.track], b.truth))
            for b in misses]
    return ("<p class='miss'>Estimates that missed the truth:</p>"
            + _table(("Turn", "Team", "Track", "Believed", "Truth"), rows))


def _history_table(game: Game, d: Debrief) -> str:
    rules = game.rules
    if not d.history:
        return "<p>The scenario has no real record to set the game beside.</p>"
    rows = [(h.date, h.turn, h.text, W.track_name(rules, h.track),
             P.amount(d.tracks[h.track], h.real),
             "—" if h.game is None else P.amount(d.tracks[h.track], h.game)) for h in d.history]
    return _table(("Date", "Turn", "What happened", "Track", "Real", "In the game"), rows,
                  numeric=(4, 5))


def _decisions(game: Game) -> str:
    rules = game.rules
    entries = game.engine.state.entries()
    outcomes = {x.get("order"): x for x in entries if x.kind is Kind.OUTCOME}
    rows = []
    for x in entries:
        if x.kind is not Kind.ORDER or x.get("order") not in outcomes:
            continue
        out = outcomes[x.get("order")]
        mid = x.get("move")
        by_umpire = out.get("ruling")
        said = W.outcome_name(rules, mid, out.get("outcome"))
        hand = attribution(by_umpire) if isinstance(by_umpire, str) and by_umpire else ""
        cell = Markup(e(said) + (f" <span class='umpire'>({UMPIRE_HAND} {e(hand)})</span>"
                                 if hand else ""))
        rows.append((x.turn, W.actor_name(rules, x.get("actor")),
                     W.move_with_choices(rules, mid, x.get("params") or ()),
                     x.get("rationale") or "—", cell))
    if not rows:
        return "<p>No orders were given.</p>"
    return _table(("Turn", "Team", "Move", "Reason given", "Outcome"), rows)


def _rulings(game: Game, d: Debrief) -> str:
    """What the umpire did, each with links to the track changes it stands behind."""
    names = {c.seq: c.track_name for c in d.changes}
    rows = []
    for r in d.rulings:
        links = ", ".join(f"<a href='#why-{seq}'>{e(names[seq])}</a>" for seq in r.changed
                          if seq in names)
        rows.append((r.turn, Markup(f"<span class='umpire'>{e(r.text)}</span>"),
                     Markup(links or "—")))
    if not rows:
        return "<p>The umpire did not step in: every outcome came from the rules.</p>"
    return _table(("Turn", f"What the umpire did ({UMPIRE_HAND} the umpire's hand)",
                   "What it changed"), rows)


BY_WORDS = {By.ORDER: "an order", By.EVENT: "an event", By.UMPIRE: f"{UMPIRE_HAND} the umpire",
            By.RULE: "the rules"}


def _changes(game: Game, d: Debrief) -> str:
    """Every change of a track, each linked to its causal trace further down the page."""
    if not d.changes:
        return "<p>No track changed.</p>"
    rows = []
    for c in d.changes:
        near = c.cause[0] if c.cause else "—"
        cls = " class='umpire'" if c.by is By.UMPIRE else ""
        rows.append((c.turn, Markup(f"<span id='change-{c.seq}'>{e(c.track_name)}:</span> "
                                    f"<b>{e(P.change(d.tracks[c.track], c.old, c.new))}</b>"),
                     Markup(f"<span{cls}>{e(BY_WORDS[c.by])}</span>"),
                     Markup(f"{e(near)} <a href='#why-{c.seq}'>why?</a>")))
    return ("<p class='muted'>Each change links to its causes: the outcome or event behind it, "
            "the roll with its dice, target and modifiers, the umpire's ruling or override, and "
            "the scenario rule.</p>"
            + _table(("Turn", "Change", "By", "Nearest cause"), rows))


def _causes(game: Game, d: Debrief) -> list[str]:
    """The causal trace of each change: an anchor per change, its causes nearest first."""
    if not d.changes:
        return []
    out = ["<h2 id='causes'>The causes of each change</h2>"]
    for c in d.changes:
        steps = "".join(f"<li>{e(line)}</li>" for line in c.cause) or "<li>—</li>"
        out.append(f"<section class='why' id='why-{c.seq}'><h3>Turn {c.turn}: "
                   f"{e(c.track_name)} {e(P.change(d.tracks[c.track], c.old, c.new))} "
                   f"<a class='back' href='#change-{c.seq}'>↑ back</a></h3>"
                   f"<ol>{steps}</ol></section>")
    return out


class Charts:
    """The page's charts, drawn with matplotlib (Agg, SVG text kept as text)."""

    def __init__(self, game: Game) -> None:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        self.plt = plt
        self.game = game
        self.rules = game.rules
        self.s = game.engine.state
        # one palette colour per team, not the scenario's: Kursk gives the EU and the ROK two
        # near blues, and their estimate bands side by side could not be told apart
        self.colour = {a.id: PALETTE[i % len(PALETTE)] for i, a in enumerate(self.rules.actors)}

    def svg(self, fig: Any, caption: str) -> str:
        out = io.StringIO()
        fig.savefig(out, format="svg", bbox_inches="tight")
        self.plt.close(fig)
        text = out.getvalue()
        text = text[text.index("<svg"):]  # the XML header and doctype do not belong inline
        return f"<figure>{text}<figcaption>{e(caption)}</figcaption></figure>"

    def figure(self, title: str, width: float = 7.5, height: float = 3.2) -> tuple[Any, Any]:
        self.plt.rcParams["svg.fonttype"] = "none"
        fig, ax = self.plt.subplots(figsize=(width, height))
        ax.set_title(title, fontsize=11, loc="left")
        ax.grid(True, alpha=.3)
        ax.spines[["top", "right"]].set_visible(False)
        return fig, ax

    def turns(self) -> list[int]:
        return [k.turn for k in self.s.beliefs]

    def scores(self) -> str:
        """Each player's score at the end of each turn, from the log."""
        rules = self.rules
        turns = list(range(1, max(self.turns() or [1]) + 1))
        total: dict[str, dict[int, float]] = {a.id: {} for a in rules.actors if a.is_player}
        running: dict[str, float] = dict.fromkeys(total, 0.0)
        for x in self.s.entries():
            if x.kind is Kind.SCORE and x.get("actor") in running:
                running[x.get("actor")] += x.get("points")
                total[x.get("actor")][x.turn] = running[x.get("actor")]
        fig, ax = self.figure("Scores at the end of each turn")
        for aid, by_turn in total.items():
            ys, last = [], 0.0
            for t in turns:
                last = by_turn.get(t, last)
                ys.append(last)
            ax.plot(turns, ys, marker="o", color=self.colour[aid],
                    label=W.actor_name(rules, aid))
        ax.set_xlabel("turn")
        ax.set_xticks(turns)
        ax.legend(frameon=False, fontsize=9)
        return self.svg(fig, "Points as they were scored (the end-of-game points come last).")

    def key_tracks(self) -> list[int]:
        """Secret tracks first (where beliefs differ from the truth), then those in the real
        record; at most MAX_TRACK_CHARTS."""
        rules = self.rules
        secret = [t.idx for t in rules.tracks if t.secret]
        recorded = {rules.track_index[tid] for h in rules.history for tid, _ in h.values}
        chosen = [*secret, *(i for i in sorted(recorded) if i not in secret)]
        return chosen[:MAX_TRACK_CHARTS]

    def tracks(self) -> list[str]:
        rules = self.rules
        turns = self.turns()
        if not turns:
            return ["<p>No turn was played.</p>"]
        out = []
        for i in self.key_tracks():
            t = rules.tracks[i]
            fig, ax = self.figure(t.name, width=5.2, height=2.8)
            truth = [k.truth[i] for k in self.s.beliefs]
            ax.plot(turns, truth, color="#222", linewidth=2, marker="o", label="truth")
            for a in rules.actors:
                if not a.is_player:
                    continue
                lo, hi, missed = [], [], []
                for k in self.s.beliefs:
                    known = k.known[a.idx][i]
                    if isinstance(known, tuple):
                        lo.append(known[0])
                        hi.append(known[1])
                        if not known[0] <= k.truth[i] <= known[1]:
                            missed.append((k.turn, k.truth[i]))
                    else:
                        lo.append(float("nan"))
                        hi.append(float("nan"))
                if any(x == x for x in lo):  # some estimate (nan != nan)
                    ax.fill_between(turns, lo, hi, alpha=.18, color=self.colour[a.id],
                                    label=f"{a.name}'s estimate")
                for turn, value in missed:
                    ax.plot([turn], [value], marker="x", markersize=10, color="#B00020")
            ax.set_xticks(turns)
            pad = (t.hi - t.lo) * 0.05 or 0.5
            ax.set_ylim(t.lo - pad, t.hi + pad)
            if t.steps:  # a ladder reads by its steps' names, on the chart as in the tables
                ax.set_yticks([t.lo + k for k in range(len(t.steps))], list(t.steps),
                              fontsize=8)
            elif t.unit:
                ax.set_ylabel(t.unit, fontsize=9)
            ax.legend(frameon=False, fontsize=8)
            out.append(self.svg(fig, t.description or t.name))
        return out

    def history(self) -> list[str]:
        """Per track in the real record: the game's value per turn beside the real values."""
        rules = self.rules
        turns = self.turns()
        by_track: dict[int, list[tuple[int, float]]] = {}
        for h in rules.history:
            for tid, real in h.values:
                by_track.setdefault(rules.track_index[tid], []).append((h.turn, real))
        out = []
        for i, points in list(by_track.items())[:MAX_TRACK_CHARTS]:
            t = rules.tracks[i]
            fig, ax = self.figure(f"{t.name}: the game and the real record", width=7.5,
                                  height=2.6)
            if turns:
                ax.plot(turns, [k.truth[i] for k in self.s.beliefs], marker="o",
                        color="#0072B2", label="in this game")
            inside = [(turn, v) for turn, v in points if turn >= 1]
            if inside:
                ax.scatter([p[0] for p in inside], [p[1] for p in inside], marker="D",
                           color="#D55E00", zorder=3, label="what really happened")
            ax.set_xlabel("turn")
            ax.legend(frameon=False, fontsize=8)
            out.append(self.svg(fig, f"{t.name} ({t.unit})" if t.unit else t.name))
        return out or ["<p class='muted'>No track has real values to compare.</p>"]
