"""One vocabulary on every screen: no internal id, no float noise and no unattributed umpire
hand reaches a player, the room or the debrief.

Whole flagship games (random and greedy seats, and the tutorial) are played with an umpire who
reviews every adjudication, overrides some results and adjusts some tracks. Along the way every
text a person reads is collected: each viewer's log and its "why?" chains, what the screens show
of tracks, orders and moves (through :mod:`game.present`), and the board as drawn for the room, a
team and the umpire (every string the board renders). Each text is scanned for ids (of moves,
tracks, events, objectives, outcomes, choices, phases, resources) and for numbers with more
decimals than the scenario declares. (The terminal UI's and the debrief's own scans live with
their tests.)
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pygame
import pytest

from game import present as P
from game.board import text as board_text
from game.board.shot import render_view
from game.engine.actions import CONTROL, PUBLIC
from game.engine.log import Kind
from game.engine.rules import Rules
from game.session import Game

GAMES = [("kursk-2024", "all=random,control=auto", 11), ("kursk-2024", "all=greedy,control=auto", 12),
         ("tutorial", "all=random,control=auto", 13)]


def person_ids(rules: Rules) -> set[str]:
    """Ids a person must never read: every snake_case id, and every short id that is not part
    of its own name (e.g. a resource 'ap' named 'Action points'); ids that are plain words
    ('missiles', 'firm') cannot be told from the prose around them."""
    named: list[tuple[str, str]] = []
    named += [(m.id, m.name) for m in rules.moves]
    named += [(o.id, o.name) for m in rules.moves for o in m.outcomes]
    named += [(c, n) for m in rules.moves for _, _, cs in m.labels for c, n in cs]
    named += [(t.id, t.name) for t in rules.tracks]
    named += [(e.id, e.name) for e in rules.events]
    named += [(o.id, o.name) for o in rules.objectives]
    named += [(p.id, p.name) for p in rules.phases]
    named += [(r.id, r.name) for a in rules.actors for r in a.resources]
    return {i for i, name in named
            if "_" in i or (len(i) <= 3 and i.lower() not in name.lower())}


NOISE = re.compile(r"(?<![\w.])\d+\.(\d+)")


def problems(text: str, ids: set[str], decimals: int) -> list[str]:
    out = [f"id '{i}'" for i in ids if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w-])", text)]
    out += [f"number {m.group(0)}" for m in NOISE.finditer(text) if len(m.group(1)) > decimals]
    return out


def umpire_plays(scenario: str, seats: str, seed: int) -> Iterator[Game]:
    """Play a whole game with an umpire who reviews each adjudication, overrides about one
    result in three and adjusts a track every other turn; yield the game at every step."""
    g = Game.new(scenario, seed=seed, seats=seats, review=True)
    rng = random.Random(seed)
    tracks = [t for t in g.rules.tracks if not t.is_flag]
    while not g.is_over:
        ph = g.engine.phase
        if ph.kind.value == "adjudication" and CONTROL in g.waiting_for():
            for o in g.view(CONTROL).orders:
                others = [oid for oid, _ in o.outcomes if oid != o.outcome]
                if o.status == "decided" and others and rng.random() < 0.33:
                    g.submit(f"control: override order={o.ref} outcome={rng.choice(others)}"
                             f" | the cable came late")
        if ph.kind.value == "review" and g.engine.state.turn % 2 and CONTROL in g.waiting_for():
            t = rng.choice(tracks)
            x = round(rng.uniform(t.lo, t.hi), 3)
            g.submit(f"control: adjust track={t.id} value={x} | the room argued it well")
        yield g
        if not g.step_agent():
            break


def screen_texts(g: Game, viewer: str, since: int) -> Iterator[str]:
    """What the screens read out of ``viewer``'s view, through the presentation layer."""
    v = g.view(viewer)
    for line in v.log:
        if line.seq > since:
            yield f"{P.log_mark(line)} {line.text}"
    for t in v.tracks:
        yield f"{t.name} {P.known(t)} {P.rung_text(t)}"
    for o in v.orders:
        yield f"{o.actor_name} {o.label} {P.order_result(o)}"
    for m in v.moves:
        yield f"{m.name} {P.odds_text(m)} {P.how_decided(m)} {m.reason or ''} {' '.join(m.needs)}"
    for a in v.actors:
        yield f"{a.name} {P.score(v, a.score)}"


def board_texts(g: Game, viewer: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string the board renders for ``viewer`` now."""
    drawn: list[str] = []
    real = board_text.render

    def spy(text: str, size: int, colour: Any, bold: bool = False) -> pygame.Surface:
        drawn.append(text)
        return real(text, size, colour, bold)

    monkeypatch.setattr(board_text, "render", spy)
    render_view(g, viewer, (1280, 720))
    monkeypatch.setattr(board_text, "render", real)
    return drawn


@pytest.mark.parametrize(("scenario", "seats", "seed"), GAMES)
def test_no_id_no_float_noise_reaches_people(scenario: str, seats: str, seed: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    pygame.font.init()
    texts: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    g: Game | None = None
    viewers = [a.id for a in Game.new(scenario).rules.actors if a.is_player] + [CONTROL, PUBLIC]
    last_turn = 0
    for g in umpire_plays(scenario, seats, seed):
        turn = g.engine.state.turn
        if turn == last_turn and not g.is_over:
            continue
        last_turn = turn
        for who in viewers:
            for t in screen_texts(g, who, seen.get(who, -1)):
                texts.append((f"{who} turn {turn}", t))
            seen[who] = len(g.view(who).log) - 1
        if turn in (2, 4):
            for who in (viewers[0], CONTROL, PUBLIC):
                texts += [(f"board {who} turn {turn}", t) for t in board_texts(g, who, monkeypatch)]
    assert g is not None and g.is_over
    log = g.view(CONTROL).log
    overrides = sum(line.kind is Kind.OVERRIDE for line in log)
    adjusts = sum(line.kind is Kind.ADJUST for line in log)
    assert overrides and adjusts, "the umpire's hand was not exercised"
    for who in viewers:
        v = g.view(who)
        for line in v.log[-40:]:
            texts += [(f"why? {who}", t) for t in g.explain(line.seq, who)]
    rules = g.rules
    ids = person_ids(rules)
    decimals = max([t.precision for t in rules.tracks] + [rules.score_precision, 2])
    found = [(where, p, text[:160]) for where, text in texts for p in problems(text, ids, decimals)]
    assert not found, "\n".join(f"{w}: {p}: {t}" for w, p, t in found[:30])


def test_changes_the_umpire_made_are_marked_as_the_umpires_hand_for_the_room() -> None:
    """An adjustment reaches the room as a change marked with the umpire's hand; an overridden
    result says the umpire overrode it (the reason stays with the umpire)."""
    g = Game.new("tutorial", seed=1, seats="all=passive,control=human", review=True)
    g.submit("control: adjust track=tension value=4 | the border incident")
    room = g.view(PUBLIC)
    change = next(line for line in reversed(room.log) if line.kind is Kind.CHANGE)
    assert P.log_mark(change).startswith(P.UMPIRE_HAND)
    assert "set by the umpire" in change.text and "border incident" not in change.text
    assert not any(line.kind is Kind.ADJUST for line in room.log)  # the umpire's own note


def test_the_scan_finds_ids_and_float_noise() -> None:
    """The checker itself: it catches an id and float noise, and passes names, dates,
    file positions and numbers at their precision."""
    ids = person_ids(Game.new("kursk-2024").rules)
    assert "eu_air_defence" in ids and "missiles" not in ids
    assert problems("EU: eu_air_defence size=brigade", ids, 2) == ["id 'eu_air_defence'"]
    assert problems("odds 0.35000000000000003", ids, 2) == ["number 0.35000000000000003"]
    assert problems("Turn 3 begins (2025-01-30); scenarios/kursk-2024.yaml:12:5; 13.3 $bn",
                    ids, 2) == []


def test_a_cost_is_said_in_the_resources_names_one_of_a_kind_as_one() -> None:
    """'Cost: 1 Action points' read wrong to a new user; the terminal UI's move detail and the
    board's order dialog both say a cost through present.cost."""
    from game.session import Game

    g = Game.new("kursk-2024", seed=1)
    view = g.view("EU")
    names = {r.id: r.name for r in next(a for a in view.actors if a.id == "EU").resources}
    said = {P.cost(m, names) for m in view.moves}
    assert "1 Action point" in {s.split(", ")[0] for s in said}
    assert not any("1 Action points" in s for s in said)
    assert any("2 Political capital" in s for s in said)
