"""What a lab run shows: per alternative, each team's score and win share and the chosen tracks
at the end, with 95 % intervals — as lines for the terminal, Markdown, tidy CSV and JSON, and
one self-contained HTML page with charts (matplotlib, inline SVG; the page helpers of
:mod:`game.report.html`).

    powerplay lab SAVE --turn 3 --team EU --games 40 -o lab/
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from game.engine import wording as W
from game.lab import Lab, Summary
from game.report.html import CSS, Charts, Markup, _table, e
from game.session import Game
from game.textsafe import for_terminal

MAX_ROWS = 400
"""Continuations listed one by one on the page (all are in the JSON and the records)."""


def interval(row: dict[str, Any], places: int) -> str:
    """'37.3 (35.9–38.8)': a mean and its 95 % interval ('38.0 (1 game)': none from one)."""
    if row.get("games", 2) < 2:
        return f"{W.number(row['mean'], places)} (1 game)"
    return (f"{W.number(row['mean'], places)} ({W.number(row['ci_low'], places)}–"
            f"{W.number(row['ci_high'], places)})")


def share(row: dict[str, Any]) -> str:
    """'62% (41–79%)': a win share and its 95 % interval."""
    if row.get("games", 2) < 2:
        return f"{W.number(row['mean'] * 100, 0)}% (1 game)"
    return (f"{W.number(row['mean'] * 100, 0)}% ({W.number(row['ci_low'] * 100, 0)}–"
            f"{W.number(row['ci_high'] * 100, 0)}%)")


class LabReport:
    """The tables of a lab run, in words, shared by every form."""

    def __init__(self, lab: Lab, summary: Summary, tracks: Sequence[str], *,
                 save: str = "", forks: dict[tuple[str, int], str] | None = None) -> None:
        self.lab = lab
        self.summary = summary
        self.rules = lab.setup.source.rules()
        self.tracks = list(tracks)
        self.save = save
        self.forks = forks or {}
        self.players = [a for a in self.rules.actors if a.is_player]

    @property
    def title(self) -> str:
        s = self.lab.setup
        return (f"{self.rules.title}: {W.actor_name(self.rules, s.team)}'s choices at the start "
                f"of turn {s.turn}")

    def setup_text(self) -> str:
        s = self.lab.setup
        seeds = self.lab.seeds
        seats = ", ".join(f"{W.speaker(self.rules, a)} {k}" for a, k in s.seats.items())
        return (f"The saved game{f' ({self.save})' if self.save else ''} is replayed and checked "
                f"up to the start of turn {s.turn}; from there each alternative is played "
                f"{len(seeds)} times (seeds {seeds[0]}..{seeds[-1]}, the same for every "
                f"alternative), the other seats as given: {seats}. Intervals are 95 %: "
                "Student's t for a mean, Wilson for a win share.")

    def what(self, alt: Any) -> str:
        """What an alternative's orders do, in the scenario's words."""
        from game.engine.actions import Action

        texts = []
        for order in alt.orders:
            mi = self.rules.move_index.get(Action.parse(order).verb)
            if mi is not None:
                texts.append(" ".join(self.rules.moves[mi].text.split()))
        return " / ".join(texts) or f"{W.actor_name(self.rules, self.lab.setup.team)} gives no "\
                                    "orders this turn and passes."

    def ending(self, reason: str) -> str:
        cond = next((c for c in self.rules.end if c.id == reason), None)
        if cond is not None:
            return cond.text
        return "the last turn was played" if reason == "last-turn" else (
            reason.replace("-", " ") or "unfinished")

    def rows(self, measure: str, ident: str) -> list[dict[str, Any]]:
        return [r for r in self.summary.rows if r["measure"] == measure and r["id"] == ident]

    def score_table(self) -> tuple[list[str], list[list[str]]]:
        p = self.rules.score_precision
        head = ["Alternative", "Games", *(a.name for a in self.players)]
        body = []
        for alt in self.lab.alternatives:
            cells = [alt.name]
            rows = {r["id"]: r for r in self.summary.rows
                    if r["alternative"] == alt.key and r["measure"] == "score"}
            if not rows:
                continue
            cells.append(str(next(iter(rows.values()))["games"]))
            cells += [interval(rows[a.id], p) for a in self.players]
            body.append(cells)
        return head, body

    def win_table(self) -> tuple[list[str], list[list[str]]]:
        head = ["Alternative", *(a.name for a in self.players)]
        body = []
        for alt in self.lab.alternatives:
            rows = {r["id"]: r for r in self.summary.rows
                    if r["alternative"] == alt.key and r["measure"] == "win_share"}
            if rows:
                body.append([alt.name, *(share(rows[a.id]) for a in self.players)])
        return head, body

    def track_table(self) -> tuple[list[str], list[list[str]]]:
        tracks = [self.rules.tracks[self.rules.track_index[t]] for t in self.tracks]
        head = ["Alternative", *(f"{t.name} ({t.unit})" if t.unit else t.name for t in tracks)]
        body = []
        for alt in self.lab.alternatives:
            rows = {r["id"]: r for r in self.summary.rows
                    if r["alternative"] == alt.key and r["measure"] == "track"}
            if rows:
                body.append([alt.name, *(interval(rows[t.id], t.precision) for t in tracks)])
        return head, body

    def continuation_head(self) -> list[str]:
        return ["Alternative", "Seed", *(a.name for a in self.players), "Ending", "Replay"]

    def continuation_rows(self) -> list[list[str]]:
        out = []
        names = {a.key: a.name for a in self.lab.alternatives}
        for r in self.lab.records[:MAX_ROWS]:
            if "error" in r:
                said = f"stopped: {r['error']['message']}"
                scores = [""] * len(self.players)
            else:
                said = self.ending(r["end_reason"])
                scores = [W.score(self.rules, r["scores"][a.id]) for a in self.players]
            fork = self.forks.get((r["alternative"], r["seed"]), "")
            out.append([names[r["alternative"]], str(r["seed"]), *scores, said,
                        f"powerplay run --load {fork}" if fork else "—"])
        return out

    # ---------------------------------------------------------------- forms

    def text(self) -> str:
        """The tables as plain lines for a terminal."""
        lines = [self.title, self.setup_text(), "", "Scores at the end: mean (95 % interval)"]
        for head, body in (self.score_table(), ):
            lines += _columns(head, body)
        lines += ["", "Win shares (95 % interval)", *_columns(*self.win_table())]
        head, body = self.track_table()
        for i, name in enumerate(head[1:], start=1):  # one block a track: a terminal is narrow
            lines += ["", f"{name} at the end: mean (95 % interval)",
                      *_columns(["Alternative", "Mean (95 % interval)"],
                                [[row[0], row[i]] for row in body])[1:]]
        if not self.forks:
            s = self.lab.setup
            seats = ",".join(f"{a}={k}" for a, k in s.seats.items())
            lines += ["", "To replay continuation SEED of an alternative, write its fork and load it:",
                      f"  powerplay lab {self.save or 'SAVE'} --turn {s.turn} --team {s.team} "
                      f"--alternatives ALTERNATIVE --games 1 --seed SEED --seats {seats} -o DIR",
                      "  powerplay run --load DIR/forks/ALTERNATIVE-seedSEED.json",
                      "(ALTERNATIVE as --alternatives takes it: "
                      + ", ".join(a.key for a in self.lab.alternatives) + ")"]
        if self.summary.failed:
            lines += ["", f"{len(self.summary.failed)} continuation(s) stopped on an error:"]
            lines += [f"  {r['alternative']}, seed {r['seed']}: error[{r['error']['code']}]: "
                      f"{r['error']['message']}" for r in self.summary.failed[:10]]
        return for_terminal("\n".join(lines)) + "\n"

    def markdown(self) -> str:
        parts = [f"# Lab: {_md(self.title)}", "", _md(self.setup_text()), "",
                 "## Scores at the end: mean (95 % interval)", "", _md_table(*self.score_table()),
                 "", "## Win shares (95 % interval)", "", _md_table(*self.win_table())]
        if self.tracks:
            parts += ["", "## Tracks at the end: mean (95 % interval)", "",
                      _md_table(*self.track_table())]
        parts += ["", "## Continuations (replay commands run in the lab's folder)", "",
                  _md_table(self.continuation_head(), self.continuation_rows())]
        return "\n".join(parts) + "\n"

    def json_text(self) -> str:
        s = self.lab.setup
        data = {"scenario": self.rules.id, "save": self.save, "turn": s.turn, "team": s.team,
                "seats": s.seats, "seeds": list(self.lab.seeds),
                "alternatives": [{"key": a.key, "name": a.name, "orders": list(a.orders)}
                                 for a in self.lab.alternatives],
                "tracks": self.tracks, "summary": self.summary.rows,
                "values": self.summary.values,
                "continuations": [{**r, "fork": self.forks.get((r["alternative"], r["seed"]))}
                                  for r in self.lab.records]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def html(self, game: Game) -> str:
        """The page: setup, score and track charts with their tables, win shares, the
        continuations with the command that replays each."""
        charts = LabCharts(game, self)
        parts = [f"<h1>Lab: {e(self.title)}</h1>", f"<p class='lead'>{e(self.setup_text())}</p>",
                 "<h2 id='alternatives'>The alternatives</h2>",
                 _table(("Alternative", "What the orders do"),
                        [(a.name, self.what(a)) for a in self.lab.alternatives]),
                 "<h2 id='scores'>Scores at the end</h2>", charts.scores(),
                 _table(*self.score_table(), numeric=range(1, 2 + len(self.players))),
                 "<h2 id='wins'>Win shares</h2>", charts.wins(),
                 _table(*self.win_table(), numeric=range(1, 1 + len(self.players)))]
        if self.tracks:
            parts += ["<h2 id='tracks'>Tracks at the end</h2>", *charts.tracks(),
                      _table(*self.track_table(), numeric=range(1, 1 + len(self.tracks)))]
        parts += ["<h2 id='continuations'>Every continuation, and how to replay it</h2>",
                  "<p class='muted'>Each continuation's fork is a save in the folder "
                  "<code>forks</code> beside this page: <code>powerplay run --load FORK</code>, "
                  "run in this page's folder, plays that continuation again, the same to the last "
                  "roll.</p>",
                  _table(self.continuation_head(),
                         [(*row[:-1], Markup(f"<code>{e(row[-1])}</code>"))
                          for row in self.continuation_rows()],
                         numeric=range(1, 2 + len(self.players)))]
        if len(self.lab.records) > MAX_ROWS:
            parts.append(f"<p class='muted'>The first {MAX_ROWS} of {len(self.lab.records)} "
                         "continuations; lab.json lists them all.</p>")
        return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>Lab: {e(self.title)}</title><style>{CSS}{LAB_CSS}</style></head>"
                f"<body>\n" + "\n".join(parts) + "\n</body></html>\n")


LAB_CSS = """
body { max-width: 72rem; } td.num { white-space: nowrap; }
code { font-size: .82rem; white-space: nowrap; }
"""


class LabCharts:
    """The page's charts: per alternative (rows), the spread of games as a box, the mean as a
    dot with its 95 % interval as a bar."""

    def __init__(self, game: Game, report: LabReport) -> None:
        self.charts = Charts(game)
        self.report = report
        self.alts = [a for a in report.lab.alternatives
                     if any(r["alternative"] == a.key for r in report.summary.rows)]

    def _values(self, measure: str, ident: str) -> list[list[float]]:
        rules = self.report.rules
        out = []
        for alt in self.alts:
            done = [r for r in self.report.lab.records
                    if r["alternative"] == alt.key and "error" not in r]
            if measure == "score":
                out.append([r["scores"][ident] for r in done])
            else:
                t = rules.tracks[rules.track_index[ident]]
                out.append([round(r["tracks"][ident], t.precision) for r in done])
        return out

    def _panel(self, ax: Any, measure: str, ident: str, colour: str) -> None:
        """One panel: per alternative (a row), each game a faint dot, the middle half of the
        games a box, the mean a black dot with its 95 % interval as a bar."""
        rows = {r["alternative"]: r for r in self.report.rows(measure, ident)}
        ys = list(range(len(self.alts)))
        data = self._values(measure, ident)
        ax.boxplot(data, positions=ys, **self.sideways, widths=.6, patch_artist=True, whis=0,
                   showcaps=False, showfliers=False,
                   boxprops={"facecolor": colour, "alpha": .22, "edgecolor": "none"},
                   medianprops={"color": colour, "linewidth": 1.2},
                   whiskerprops={"linewidth": 0})
        for y, xs in zip(ys, data, strict=True):  # the games, spread a little up and down
            jitter = [y + .22 * (((i * 7919) % 17) / 16 - .5) for i in range(len(xs))]
            ax.scatter(xs, jitter, s=7, color=colour, alpha=.45, linewidths=0, zorder=3)
        means = [rows[a.key]["mean"] for a in self.alts]
        lo = [rows[a.key]["mean"] - rows[a.key]["ci_low"] for a in self.alts]
        hi = [rows[a.key]["ci_high"] - rows[a.key]["mean"] for a in self.alts]
        ax.errorbar(means, ys, xerr=[lo, hi], fmt="o", color="#222", markersize=4.5,
                    capsize=3, linewidth=1.6, zorder=4)
        ax.grid(True, axis="x", alpha=.3)
        ax.spines[["top", "right"]].set_visible(False)

    @property
    def sideways(self) -> dict[str, Any]:
        """Horizontal boxes, as this matplotlib spells it (3.10 renamed ``vert``)."""
        import matplotlib

        new = tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
        return {"orientation": "horizontal"} if new else {"vert": False}

    def _height(self) -> float:
        return 1.0 + 0.38 * len(self.alts)

    def scores(self) -> str:
        plt = self.charts.plt
        players = self.report.players
        plt.rcParams["svg.fonttype"] = "none"
        cols = min(2, len(players))
        rows = -(-len(players) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(9.5, self._height() * rows),
                                 sharey=True, squeeze=False)
        for i, a in enumerate(players):
            ax = axes[i // cols][i % cols]
            self._panel(ax, "score", a.id, self.charts.colour[a.id])
            ax.set_title(a.name, fontsize=10, loc="left")
            ax.set_yticks(range(len(self.alts)), [_short(x.name) for x in self.alts],
                          fontsize=8)
            if i == 0:  # the axes share y: turned once, all read top-down
                ax.invert_yaxis()
            ax.set_xlabel("points at the end", fontsize=8)
        for j in range(len(players), rows * cols):
            axes[j // cols][j % cols].set_visible(False)
        fig.tight_layout()
        return self.charts.svg(fig, "Each team's score at the end, per alternative: a faint "
                                    "dot per game, the box holds the middle half of the games "
                                    "(the line in it is the median), the black dot is the mean "
                                    "with its 95 % interval.")

    def wins(self) -> str:
        plt = self.charts.plt
        players = self.report.players
        plt.rcParams["svg.fonttype"] = "none"
        fig, ax = plt.subplots(figsize=(9.5, self._height()))
        ys = list(range(len(self.alts)))
        left = [0.0] * len(self.alts)
        for a in players:
            rows = {r["alternative"]: r for r in self.report.rows("win_share", a.id)}
            shares = [rows[x.key]["mean"] for x in self.alts]
            ax.barh(ys, shares, left=left, color=self.charts.colour[a.id], label=a.name,
                    height=.6)
            left = [x + y for x, y in zip(left, shares, strict=True)]
        ax.set_yticks(ys, [_short(x.name) for x in self.alts], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, fontsize=8, ncols=min(4, len(players)),
                  loc="lower center", bbox_to_anchor=(0.5, 1.0))
        return self.charts.svg(fig, "Who won, per alternative (a tie splits the win).")

    def tracks(self) -> list[str]:
        plt = self.charts.plt
        rules = self.report.rules
        out = []
        for tid in self.report.tracks:
            t = rules.tracks[rules.track_index[tid]]
            plt.rcParams["svg.fonttype"] = "none"
            fig, ax = plt.subplots(figsize=(7.5, self._height()))
            self._panel(ax, "track", tid, "#0072B2")
            ax.set_title(t.name, fontsize=11, loc="left")
            ax.set_yticks(range(len(self.alts)), [_short(x.name) for x in self.alts],
                          fontsize=8)
            ax.invert_yaxis()
            left, right = ax.get_xlim()
            near = [th for th in t.thresholds if left <= th.at <= right]
            for th in near:  # the rungs the games came near
                ax.axvline(th.at, color="#999", linewidth=.8, linestyle=":")
            if t.unit:
                ax.set_xlabel(t.unit, fontsize=8)
            rungs = "; ".join(f"{th.name} ({W.value(t, th.at)})" for th in near)
            out.append(self.charts.svg(fig, (t.description or t.name)
                                       + (f" Dotted lines, the rungs: {rungs}." if rungs
                                          else "")))
        return out


def _short(name: str, width: int = 44) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def _columns(head: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [head, *body]) for i in range(len(head))]
    return ["  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in [head, *body]]


def _md(text: str) -> str:
    return for_terminal(" ".join(str(text).split())).replace("|", "\\|")


def _md_table(head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(_md(h) for h in head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def write_lab(report: LabReport, game: Game, folder: Path) -> list[Path]:
    """Write the lab's page, Markdown, JSON, tidy CSV tables and records into ``folder``."""
    from game.batch import write_tables
    from game.fileio import write_text

    paths = [write_text(folder / "lab.html", report.html(game), "lab page"),
             write_text(folder / "lab.md", report.markdown(), "lab report"),
             write_text(folder / "lab.json", report.json_text(), "lab report")]
    paths += write_tables({"summary": report.summary.rows, "values": report.summary.values},
                          folder, "lab")
    lines = "".join(json.dumps(r) + "\n" for r in report.lab.records)
    paths.append(write_text(folder / "continuations.jsonl", lines, "lab records"))
    return paths
