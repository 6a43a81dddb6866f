"""The board's setup screen, driven by keys and clicks (SDL's dummy driver): the terminal UI's
choices (game.seating), a human umpire by default, a seed typed, a save that cannot be loaded
refused in words with the screen kept, and a new game opened with the seats chosen."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.app import BoardApp, loop  # noqa: E402
from game.board.setup import SetupApp  # noqa: E402
from game.board.widgets import Click  # noqa: E402
from game.engine.actions import CONTROL  # noqa: E402
from game.seating import PLAYER_KINDS, new_game, next_kind, save_words  # noqa: E402

SIZE = (1024, 768)


@pytest.fixture()
def screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pygame.Surface]:
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path / "saves"))
    pygame.init()
    yield pygame.display.set_mode(SIZE)
    pygame.quit()


def run(app: SetupApp, screen: pygame.Surface) -> None:
    loop(app, screen, max_frames=2, fixed_dt=0.05)


def key(app: SetupApp, screen: pygame.Surface, k: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=""))
    run(app, screen)


def click(app: SetupApp, screen: pygame.Surface, kind: Click, arg: str) -> None:
    hit = next(h for h in app.hits if h.click is kind and h.arg == arg)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=hit.rect.center, button=1))
    run(app, screen)


def typed(app: SetupApp, screen: pygame.Surface, chars: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=chars))
    run(app, screen)


def test_seats_seed_and_a_new_game(screen: pygame.Surface) -> None:
    app = SetupApp(SIZE, scenario="tutorial")
    run(app, screen)
    assert app.rules is not None and app.rules.id == "tutorial"
    teams = app.team_seats()
    assert app.seats == {**dict.fromkeys(teams, "human"), CONTROL: "human"}
    assert not any(h.arg == "resume" for h in app.hits)  # no save yet: greyed
    # a click and a key change who plays a seat, in the terminal UI's order
    click(app, screen, Click.ACT, teams[0])
    assert app.seats[teams[0]] == next_kind(teams[0], "human") == PLAYER_KINDS[1]
    key(app, screen, pygame.K_2)
    key(app, screen, pygame.K_2)
    assert app.seats[teams[1]] == "greedy"
    key(app, screen, pygame.K_2)
    assert app.seats[teams[1]] == "ismcts"
    for _ in range(2):  # ismcts -> passive -> script: its file is asked for
        key(app, screen, pygame.K_2)
    assert app.field == "script" and app.seats[teams[1]] == "passive"
    key(app, screen, pygame.K_ESCAPE)  # no script after all: on to human
    assert app.field == "" and app.seats[teams[1]] == "human"
    key(app, screen, pygame.K_u)
    assert app.seats[CONTROL] == "auto"
    key(app, screen, pygame.K_u)
    assert app.seats[CONTROL] == "human"
    # the seed: Tab, digits replace it, Enter leaves the box
    key(app, screen, pygame.K_TAB)
    typed(app, screen, "4x2")
    key(app, screen, pygame.K_RETURN)
    assert app.seed == "42" and app.field == "" and app.running
    key(app, screen, pygame.K_RETURN)  # start
    assert not app.running and app.game is not None and not app.loaded
    assert app.game.seed == 42 and app.game.rules.id == "tutorial"
    assert app.game.is_human(CONTROL) and not app.game.is_human(teams[0])


def test_a_team_played_from_a_script_file(screen: pygame.Surface, tmp_path: Path) -> None:
    """As in the terminal UI, a team may be played from a script: the board asks for its file,
    refuses one that cannot be read in words (the box stays), and the game opens with it."""
    app = SetupApp(SIZE, scenario="tutorial")
    run(app, screen)
    first = app.team_seats()[0]
    for _ in range(5):  # human -> random -> greedy -> ismcts -> passive -> script
        key(app, screen, pygame.K_1)
    assert app.field == "script"
    assert any(h.click is Click.SUBMIT and h.arg == "script" for h in app.hits)
    typed(app, screen, str(tmp_path / "missing.txt"))
    key(app, screen, pygame.K_RETURN)
    assert app.field == "script" and "missing.txt" in app.error
    assert app.seats[first] == "passive"
    plan = tmp_path / "plan.txt"
    plan.write_text(f"{first}: pass | nothing to do\n", encoding="utf-8")
    app.script_path = ""
    typed(app, screen, str(plan))
    click(app, screen, Click.SUBMIT, "script")
    assert app.field == "" and app.error == "" and app.seats[first] == f"script:{plan}"
    key(app, screen, pygame.K_RETURN)  # start
    assert app.game is not None and app.game.seats[first] == f"script:{plan}"


def test_a_save_that_cannot_be_loaded_keeps_the_screen(screen: pygame.Surface,
                                                        tmp_path: Path) -> None:
    app = SetupApp(SIZE)
    run(app, screen)
    key(app, screen, pygame.K_r)  # no save
    assert app.running and "no saved game" in app.error
    key(app, screen, pygame.K_l)
    assert app.field == "load"
    app.load_path = ""
    bad = tmp_path / "not-a-save.json"
    bad.write_text("{}")
    typed(app, screen, str(bad))
    key(app, screen, pygame.K_RETURN)
    assert app.running and app.game is None and app.error and app.field == "load"
    key(app, screen, pygame.K_ESCAPE)
    assert app.field == "" and app.running
    key(app, screen, pygame.K_RIGHT)  # the next scenario, its seats
    assert app.rules is not None and set(app.seats) == {*app.team_seats(), CONTROL}
    key(app, screen, pygame.K_q, pygame.KMOD_CTRL)  # nothing to lose yet: quits at once
    assert not app.running and app.game is None


def test_play_on_the_board_with_no_scenario_opens_the_setup_screen(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`powerplay play --ui board` alone: the setup screen comes first; closing it quits."""
    from typer.testing import CliRunner

    import game.board.app as board_app
    from game.cli import app as cli

    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path / "saves"))
    looped: list[object] = []
    real = board_app.loop

    def closing_loop(app: board_app.Looped, screen: pygame.Surface, *args: object,
                     **kw: object) -> None:  # the window's close button, at once
        looped.append(app)
        pygame.event.post(pygame.event.Event(pygame.QUIT))
        real(app, screen, max_frames=2, fixed_dt=0.05)

    monkeypatch.setattr(board_app, "loop", closing_loop)
    result = CliRunner().invoke(cli, ["play", "--ui", "board", "--size", "800x600"])
    assert result.exit_code == 0, result.output
    assert [type(x).__name__ for x in looped] == ["SetupApp"]
    setup = looped[0]
    assert isinstance(setup, SetupApp) and setup.game is None
    assert setup.seats[CONTROL] == "human" and setup.scenario == "kursk-2024"


def test_resume_takes_up_the_save_made_on_quitting(screen: pygame.Surface,
                                                   tmp_path: Path) -> None:
    """A team gives an order in turn 2 and the board is quit (saved first): Resume takes up that
    save, not the older autosave of turn 2's start, says which game, turn and time it is, and
    the order is there (it resumed the autosave: 'orders given: 0')."""
    game = new_game("tutorial", 2, {"NORTH": "human", "SOUTH": "human", CONTROL: "auto"})
    game.submit("NORTH: pass")
    game.submit("SOUTH: pass")
    while game.step_agent():  # the council and the umpire: turn 1 ends, an autosave
        pass
    assert game.engine.state.turn == 2
    assert list((tmp_path / "saves" / "autosave").glob("tutorial-turn02-*.json"))
    board = BoardApp(game, SIZE)
    loop(board, screen, max_frames=14, fixed_dt=0.05)
    assert board.ui.handoff_to == "NORTH"
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_o, mod=0, unicode="o"))
    loop(board, screen, max_frames=2, fixed_dt=0.05)
    assert board.ui.viewer == "NORTH"
    assert board.submit("NORTH: mass_troops | before the talks")  # as the order dialog does
    for _ in range(2):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q,
                                             mod=pygame.KMOD_CTRL, unicode=""))
        loop(board, screen, max_frames=2, fixed_dt=0.05)
    assert not board.running and board.saved_path is not None

    app = SetupApp(SIZE)
    run(app, screen)
    assert app.latest is not None and app.latest.path == board.saved_path
    said = save_words(app.latest)
    assert said.startswith("The Border Crisis (tutorial), turn 2 of 3") and "saved today at" in said
    click(app, screen, Click.SUBMIT, "resume")
    assert app.game is not None and app.loaded
    assert [o.move for o in app.game.view("NORTH").orders] == ["mass_troops"]
