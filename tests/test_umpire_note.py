"""Umpire-only text (issue 11): a track's ``umpire_note`` reaches the umpire's view and nobody
else's — no team's and not the room's — while ``description`` is what everyone may read. The
flagship's secret tracks keep their true historical figures in it."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from game.engine.actions import CONTROL, PUBLIC
from game.scenario.compile import compile_rules
from game.scenario.load import load_scenario, load_text
from game.session import Game
from game.tui.render import track_detail

ROOT = Path(__file__).resolve().parents[1]


def rich_text(r: RenderableType) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(r)
    return console.export_text()


def _pieces(note: str) -> list[str]:
    """The note whole and each of its clauses long enough to be telling."""
    parts = [p.strip(" .\n") for p in re.split(r";", note)]
    return [note.strip(), *(p for p in parts if len(p) >= 20)]


@pytest.fixture(scope="module")
def flagship() -> Game:
    game = Game.new("kursk-2024", seed=3, seats="all=random")
    for _ in range(40):  # into the game, so that views carry orders, log and estimates
        if not game.step_agent():
            break
    return game


def test_every_secret_track_of_the_flagship_has_an_umpire_note(flagship: Game) -> None:
    secret = [t for t in flagship.rules.tracks if t.secret]
    assert len(secret) >= 9
    for t in secret:
        assert t.umpire_note, t.id
        assert t.umpire_note not in t.description, t.id
    # the figures that were in the descriptions are now in the notes only
    troops = next(t for t in secret if t.id == "dprk_troops")
    assert "14k" in troops.umpire_note and "14k" not in troops.description


def test_no_team_and_not_the_room_sees_an_umpire_note(flagship: Game) -> None:
    notes = {t.id: t.umpire_note for t in flagship.rules.tracks if t.umpire_note}
    viewers = [a.id for a in flagship.rules.actors] + [PUBLIC]
    for viewer in viewers:
        view = flagship.view(viewer)
        text = json.dumps(view.to_json(), ensure_ascii=False)
        for tid, note in notes.items():
            for piece in _pieces(note):
                assert piece not in text, (viewer, tid, piece)
        assert all(t.umpire_note == "" for t in view.tracks), viewer
    umpire = flagship.view(CONTROL)
    text = json.dumps(umpire.to_json(), ensure_ascii=False)
    for tid, note in notes.items():
        assert all(piece in text for piece in _pieces(note)), tid
        assert umpire.track(tid).umpire_note == note


def test_terminal_track_detail_shows_the_note_to_the_umpire_only(flagship: Game) -> None:
    note = flagship.view(CONTROL).track("dprk_casualties").umpire_note
    assert "2,700 wounded" in note
    assert "2,700 wounded" in rich_text(track_detail(flagship.view(CONTROL).track("dprk_casualties")))
    for viewer in ("EU", "RUS", PUBLIC):
        shown = rich_text(track_detail(flagship.view(viewer).track("dprk_casualties")))
        assert "Killed and wounded" in shown and "2,700" not in shown, viewer


def test_umpire_note_is_optional_and_compiles_into_the_rules() -> None:
    assert all(t.umpire_note == "" for t in compile_rules(load_scenario("tutorial")).tracks)
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    marked = text.replace("  - id: north_troops\n",
                          "  - id: north_troops\n    umpire_note: 'QQ true count'\n", 1)
    assert marked != text
    game = Game.from_rules(compile_rules(load_text(marked)), seed=1)
    assert game.view(CONTROL).track("north_troops").umpire_note == "QQ true count"
    for viewer in ("NORTH", "SOUTH", PUBLIC):
        assert "QQ true count" not in json.dumps(game.view(viewer).to_json()), viewer
