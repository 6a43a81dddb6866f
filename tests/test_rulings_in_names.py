"""The umpire's hand in names: rulings, overrides and adjustments read with the teams, moves and
outcomes people know, never an order's ref, a move's, outcome's or track's id (issue 13).

A whole flagship game is played with the automatic umpire and, on top, an umpire who rules on
orders that await a ruling (with a reason), overrides about one result in three and adjusts a
track each odd turn. Then every sentence a person reads is scanned: each viewer's log (teams,
umpire, room), the "why?" chains of the changes, and the debrief in Markdown and as the HTML page
(its text, not its markup).
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.engine.actions import CONTROL, PUBLIC
from game.engine.log import Kind
from game.engine.rules import Rules, Track
from game.report.debrief import (
    TRACE,
    By,
    chain,
    debrief,
    to_json_text,
    to_markdown,
    write_csv,
)
from game.report.html import to_html
from game.saves import read_save
from game.session import Game

SEED = 21


def umpire_game(seed: int = SEED) -> Game:
    """A flagship game to its end, with the umpire's hand in every form."""
    g = Game.new("kursk-2024", seed=seed, seats="all=random,control=auto", review=True)
    rng = random.Random(seed)
    tracks = [t for t in g.rules.tracks if not t.is_flag]
    while not g.is_over:
        if CONTROL in g.waiting_for():
            _umpire_acts(g, rng, tracks)
        if not g.step_agent():
            break
    return g


def _umpire_acts(g: Game, rng: random.Random, tracks: list[Track]) -> None:
    kind = g.engine.phase.kind.value
    if kind == "adjudication":
        rulings = [a for a in g.legal_actions(CONTROL) if a.verb == "rule"]
        if rulings:
            a = rng.choice(rulings)
            g.submit(f"{a} | the cables from Seoul settle it")
            return
        for o in g.view(CONTROL).orders:
            others = [oid for oid, _ in o.outcomes if oid != o.outcome]
            if o.status == "decided" and others and rng.random() < 0.33:
                g.submit(f"control: override order={o.ref} outcome={rng.choice(others)}"
                         f" | the cable came late")
    if kind == "review" and g.engine.state.turn % 2:
        t = rng.choice(tracks)
        g.submit(f"control: adjust track={t.id} value={round(rng.uniform(t.lo, t.hi), 3)}"
                 f" | the room argued it well")


@cache
def played() -> Game:
    return umpire_game()


def order_ref(rules: Rules) -> re.Pattern[str]:
    """An order's ref as the engine makes it: the actor's id, a dash, a number ('EU-3')."""
    ids = "|".join(re.escape(a.id) for a in rules.actors)
    return re.compile(rf"(?<![\w-])(?:{ids})-\d+\b")


def ids_of(rules: Rules) -> set[str]:
    """Move and track ids, and outcome ids that are not a word of their own name (a plain
    word such as 'success' or 'warm' in 'Beijing warm' cannot be told from prose)."""
    out = {m.id for m in rules.moves} | {t.id for t in rules.tracks if "_" in t.id}
    out |= {o.id for m in rules.moves for o in m.outcomes
            if o.id.lower() not in o.name.lower().split()}
    return out


def leaks(text: str, rules: Rules) -> list[str]:
    found = [f"id '{i}'" for i in ids_of(rules)
             if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w-])", text)]
    return found + [f"order ref '{m.group(0)}'" for m in order_ref(rules).finditer(text)]


class _Text(HTMLParser):
    """The text a reader sees of a page (not its tags, attributes, style or script)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(page: str) -> list[str]:
    p = _Text()
    p.feed(page)
    return p.parts


def texts(g: Game, html_page: str) -> Iterator[tuple[str, str]]:
    viewers = [a.id for a in g.rules.actors if a.is_player] + [CONTROL, PUBLIC]
    for who in viewers:
        v = g.view(who)
        for line in v.log:
            yield f"{who} log {line.kind.value}", line.text
        for line in v.log:
            if line.kind in (Kind.CHANGE, Kind.OUTCOME) and who in (CONTROL, PUBLIC, "EU"):
                yield from ((f"{who} why? {line.seq}", t) for t in g.explain(line.seq, who))
    yield from (("report md", line) for line in to_markdown(debrief(g)).splitlines())
    yield from (("report html", t) for t in page_text(html_page))


def test_the_game_exercises_the_umpires_hand() -> None:
    """The game below has rulings (outcomes and argument strengths), overrides, adjustments."""
    kinds = [e.kind for e in played().engine.state.entries()]
    assert kinds.count(Kind.RULING) >= 3 and Kind.OVERRIDE in kinds and Kind.ADJUST in kinds


def test_no_ref_or_id_reaches_people_from_the_umpires_log(saved: Game, html_page: str) -> None:
    g = saved
    found = [(where, p, text[:160]) for where, text in texts(g, html_page)
             for p in leaks(text, g.rules)]
    assert not found, "\n".join(f"{w}: {p}: {t}" for w, p, t in found[:25])


def test_rulings_and_overrides_say_the_umpires_hand_and_name_the_move() -> None:
    """A ruling reads 'Umpire ruled on <team> — <move>: <outcome name> — <reason>', an override
    '... overridden by the umpire: <was> → <now> — <reason>'."""
    g = played()
    rules = g.rules
    orders = {e.get("order"): e for e in g.engine.state.entries() if e.kind is Kind.ORDER}
    lines = [ln for ln in g.view(CONTROL).log if ln.kind in (Kind.RULING, Kind.OVERRIDE)]
    assert lines
    for ln in lines:
        order = orders[ln.data["order"]]
        move = rules.moves[rules.move_index[order.get("move")]]
        actor = rules.actors[rules.actor_index[order.get("actor")]]
        assert actor.name in ln.text and move.name in ln.text, ln.text
        if ln.kind is Kind.RULING:
            assert ln.text.startswith("Umpire ruled on "), ln.text
        else:
            assert "overridden by the umpire: " in ln.text, ln.text
        outcome = ln.data.get("outcome") or ln.data.get("to")
        if outcome:
            assert move.outcome(outcome).name in ln.text, ln.text  # type: ignore[union-attr]


@pytest.mark.parametrize("sentence", [
    "Umpire ruled on European Union — Sanctions listings: Success — fair.",
    "Rule: scenarios/kursk-2024.yaml:12:5 (set on ROK capital)",
])
def test_the_scan_passes_names(sentence: str) -> None:
    assert leaks(sentence, played().rules) == []


def test_the_scan_finds_refs_and_ids() -> None:
    rules = played().rules
    assert leaks("Umpire rules on order EU-3: outcome contained.", rules) == [
        "id 'contained'", "order ref 'EU-3'"]
    assert leaks("| 2 | EU | eu_rok_intel | 1–2 |", rules) == ["id 'eu_rok_intel'"]


# ---------------------------------------------------------------- the causal trace in the report


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Game:
    """The game above, saved and loaded back (the report is made from a save)."""
    path = tmp_path_factory.mktemp("trace") / "kursk.json"
    played().save(path)
    return read_save(path)


@pytest.fixture(scope="module")
def html_page(saved: Game) -> str:
    """The saved game's debrief page (made once: its charts take seconds)."""
    return to_html(saved)


def test_each_change_in_the_page_links_to_its_causes(saved: Game, html_page: str) -> None:
    """Every track change is listed with an anchor, and links to its causal trace: the
    engine's own explanation (Game.explain as the umpire sees it), step by step."""
    changes = [i for i, e in enumerate(saved.engine.state.entries()) if e.kind is Kind.CHANGE]
    assert len(changes) > 50
    for seq in changes:
        assert f"id='change-{seq}'" in html_page and f"href='#why-{seq}'" in html_page
        trace = re.search(rf"<section class='why' id='why-{seq}'>(.*?)</section>", html_page,
                          re.S)
        assert trace, seq
        steps = re.findall(r"<li>(.*?)</li>", trace.group(1), re.S)
        assert [html.unescape(s) for s in steps] == saved.explain(seq, CONTROL)[1:]
        assert f"href='#change-{seq}'" in trace.group(1)  # and back


def test_the_trace_holds_the_rule_the_roll_and_the_umpires_hand(saved: Game) -> None:
    d = debrief(saved)
    rolled = [c for c in d.changes if any(": rolled " in s for s in c.cause)]
    assert rolled and all(c.cause[-1].startswith("Rule: ") for c in rolled)
    roll = next(s for s in rolled[0].cause if ": rolled " in s)
    assert re.search(r"rolled \d+\+\d+.* = \d+ vs \d+ \(odds", roll), roll
    hands = [c for c in d.changes if c.by is By.UMPIRE]
    said = {s for c in hands for s in c.cause}
    assert any(s.startswith("Umpire ruled on ") for s in said)
    assert any("overridden by the umpire: " in s for s in said)
    assert any(c.cause == () or "set by the umpire" in c.cause[0] or c.cause[0].startswith(
        "Umpire sets ") for c in hands)  # an adjustment


def test_markdown_json_and_csv_carry_the_cause(saved: Game, tmp_path: Path) -> None:
    d = debrief(saved)
    md = to_markdown(d)
    assert "| turn | track | change | by | cause |" in md
    first = d.changes[0]
    assert f"| {first.turn} | {first.track_name} |" in md and TRACE.join(first.cause) in md
    data = json.loads(to_json_text(d))
    assert data["changes"][0]["cause"] == list(first.cause)
    assert data["changes"][0]["by"] in {b.value for b in By}
    path = next(p for p in write_csv(d, tmp_path) if p.name.endswith("-changes.csv"))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == len(d.changes) and rows[0]["cause"] == TRACE.join(first.cause)


def test_the_summary_names_teams_and_the_ending_and_carries_no_float_noise() -> None:
    """The summary the end screen and the debrief show: teams by name, the ending in words."""
    g = played()
    text = g.result().summary
    end = next(e for e in g.engine.state.entries() if e.kind is Kind.END)
    assert f"ended: {end.get('text')}." in text
    assert g.engine.state.end_reason not in text.split()
    for a in g.rules.actors:
        if a.is_player:
            assert a.name in text and not re.search(rf"\b{a.id} \d", text), text
    assert not re.search(r"\d\.\d{3,}", text), text


def test_each_ruling_links_to_the_changes_it_stands_behind(saved: Game, html_page: str) -> None:
    """The umpire's rulings, overrides and adjustments each link to the changes on whose chain
    of causes they lie (and only those)."""
    d = debrief(saved)
    entries = saved.engine.state.entries()
    by_seq = {e.seq: e for e in entries}
    linked = [r for r in d.rulings if r.changed]
    assert {r.kind for r in linked} >= {Kind.RULING, Kind.OVERRIDE, Kind.ADJUST}
    for r in d.rulings:
        if r.seq < 0:
            continue
        behind = [i for i, e in enumerate(entries) if e.kind is Kind.CHANGE
                  and entries[r.seq] in chain(e, by_seq)]
        assert list(r.changed) == behind, r.text
        for seq in r.changed:
            assert f"href='#why-{seq}'" in html_page
