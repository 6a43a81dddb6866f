"""Board input that cannot misfire (issue 11): card keys are the numbers printed on the cards,
across pages; a greyed card says why; the hand-off takes its own deliberate action; the room's
results are shown once, not replayed on each team's screen."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game import present as P  # noqa: E402
from game.board import text  # noqa: E402
from game.board.app import BoardApp, loop  # noqa: E402
from game.board.input import dock_cards  # noqa: E402
from game.board.layout import Mode  # noqa: E402
from game.board.widgets import Click  # noqa: E402
from game.engine.actions import CONTROL, PUBLIC  # noqa: E402
from game.session import Game  # noqa: E402


@pytest.fixture()
def screen() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode((1280, 720))
    pygame.quit()


def run(app: BoardApp, screen: pygame.Surface, frames: int = 3) -> None:
    loop(app, screen, max_frames=frames, fixed_dt=0.05)


def key(app: BoardApp, screen: pygame.Surface, k: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=""))
    run(app, screen)


def click_at(app: BoardApp, screen: pygame.Surface, pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    run(app, screen)


def take_handoff(app: BoardApp, screen: pygame.Surface) -> None:
    run(app, screen, 14)
    key(app, screen, pygame.K_o)
    assert app.ui.handoff_to is None


@pytest.fixture()
def rok(screen: pygame.Surface) -> BoardApp:
    """The flagship at ROK's orders (EU passed): ten cards, three pages at 1280×720."""
    game = Game.new("kursk-2024", seed=1, seats="control=human")
    app = BoardApp(game, screen.get_size())
    run(app, screen)
    take_handoff(app, screen)
    assert app.ui.viewer == "EU"
    key(app, screen, pygame.K_d)
    take_handoff(app, screen)
    assert app.ui.viewer == "ROK" and app.ui.mode is Mode.TEAM
    return app


def shown_numbers(app: BoardApp) -> list[str]:
    return [h.arg for h in app.hits if h.click is Click.CARD]


def test_a_card_key_is_the_number_printed_on_it_whatever_the_page(
        rok: BoardApp, screen: pygame.Surface) -> None:
    cards = dock_cards(rok)
    assert len(cards) >= 10 and rok.cards_per_page < 10
    key(rok, screen, pygame.K_6)  # card 6 is on a later page
    assert rok.ui.dialog is not None and rok.ui.dialog.move == cards[5].move
    assert f"{cards[5].actor}:{cards[5].move}" in shown_numbers(rok)  # turned to its page
    key(rok, screen, pygame.K_ESCAPE)
    key(rok, screen, pygame.K_1)  # '1' may begin '10': it waits
    assert rok.ui.dialog is None and rok.ui.digits == "1" and "card 10" in rok.ui.hint
    key(rok, screen, pygame.K_0)
    assert rok.ui.dialog is not None and rok.ui.dialog.move == cards[9].move
    key(rok, screen, pygame.K_ESCAPE)
    key(rok, screen, pygame.K_1)
    key(rok, screen, pygame.K_RETURN)  # Enter: card 1 itself
    assert rok.ui.dialog is not None and rok.ui.dialog.move == cards[0].move
    key(rok, screen, pygame.K_RETURN)
    assert [o.move for o in rok.game.view("ROK").orders] == [cards[0].move]


def test_a_greyed_card_says_why_and_orders_nothing(rok: BoardApp,
                                                    screen: pygame.Surface) -> None:
    cards = dock_cards(rok)
    before = rok.game.log_digest()
    key(rok, screen, pygame.K_3)  # ROK's card 3 is greyed (a rung not reached)
    assert not cards[2].legal
    assert rok.ui.dialog is None and rok.ui.flash.startswith(f"Card 3, {cards[2].name}, is not")
    key(rok, screen, pygame.K_RETURN)
    assert rok.game.log_digest() == before and rok.game.view("ROK").orders == ()
    key(rok, screen, pygame.K_ESCAPE)
    greyed = {c.move for c in cards if not c.legal}
    grey = next(h for h in rok.hits if h.click is Click.CARD and h.arg.split(":")[-1] in greyed)
    click_at(rok, screen, grey.rect.center)  # by mouse too
    assert rok.ui.dialog is None and "is not available" in rok.ui.flash
    assert rok.game.log_digest() == before


def test_the_hand_off_needs_its_own_button_or_key(screen: pygame.Surface) -> None:
    game = Game.new("tutorial", seed=3, seats="control=human")
    app = BoardApp(game, screen.get_size())
    run(app, screen)
    assert app.ui.handoff_to == "NORTH"
    button = next(h for h in app.hits if h.click is Click.HANDOFF)
    click_at(app, screen, button.rect.center)  # too soon: a double click on Done
    assert app.ui.handoff_to == "NORTH"
    for k in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_1):
        key(app, screen, k)
    run(app, screen, 14)
    click_at(app, screen, (5, 5))  # a click anywhere but the button
    key(app, screen, pygame.K_SPACE)
    assert app.ui.handoff_to == "NORTH" and app.view is None  # nothing secret drawn yet
    assert "press O" in app.ui.hint
    click_at(app, screen, button.rect.center)
    assert app.ui.viewer == "NORTH" and app.ui.handoff_to is None


def test_the_hand_off_screen_quits_and_calls_the_umpire(
        screen: pygame.Surface, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+Q and F9 work on the hand-off screen, which opens no team's screen: Ctrl+Q asks
    (the question is on the screen, and leaves it when it lapses), a second saves and quits;
    F9 hands the board to the umpire, F9 again back to the team. (F9 only drew 'press O'
    there, and so did Ctrl+Q: its question was not shown.)"""
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    game = Game.new("tutorial", seed=3, seats="control=human")
    app = BoardApp(game, screen.get_size())
    now = [100.0]
    app.wall = lambda: now[0]
    run(app, screen, 14)
    assert app.ui.handoff_to == "NORTH"
    key(app, screen, pygame.K_F9)
    assert app.ui.handoff_to == CONTROL and app.view is None
    key(app, screen, pygame.K_F9)
    assert app.ui.handoff_to == "NORTH" and app.view is None
    game.submit("NORTH: mass_troops | leverage", seat="NORTH")  # unsaved: quitting saves it
    ctrl_q = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=pygame.KMOD_CTRL, unicode="")
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LCTRL,
                                         mod=pygame.KMOD_CTRL, unicode=""))
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert app.running and app.ui.handoff_to is not None and app.view is None
    drawn: list[str] = []
    text.recording(drawn)
    app.dirty = True
    run(app, screen)
    text.recording(None)
    assert any("again to save and quit" in line for line in drawn), drawn
    now[0] += 6  # unanswered, the question lapses and leaves the screen
    run(app, screen)
    assert app.ui.flash == "" and app.quit_asked is None
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert app.running and "again to save and quit" in app.ui.flash  # asked again
    now[0] += 1
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert not app.running and app.view is None
    (saved,) = tmp_path.glob("*.json")
    assert [o.move for o in Game.load(saved).view("NORTH").orders] == ["mass_troops"]


def test_the_room_sees_the_results_once(screen: pygame.Surface) -> None:
    """After the room has been shown a turn's results, the next team's screen opens without
    replaying them (no dice, banners or event pop-ups again)."""
    game = Game.new("tutorial", seed=3, seats="control=auto")
    app = BoardApp(game, screen.get_size())
    run(app, screen)
    take_handoff(app, screen)
    number = next(i + 1 for i, m in enumerate(dock_cards(app)) if m.move == "mass_troops")
    key(app, screen, pygame.K_0 + number)
    key(app, screen, pygame.K_RETURN)
    key(app, screen, pygame.K_d)
    take_handoff(app, screen)
    key(app, screen, pygame.K_d)  # SOUTH gives no order
    for _ in range(200):
        run(app, screen, 5)
        if app.ui.viewer == PUBLIC:
            break
    assert app.ui.viewer == PUBLIC and (app.show is not None or app.ui.popups)
    for _ in range(60):
        if app.ui.handoff_to is not None:
            break
        key(app, screen, pygame.K_SPACE)
    assert app.ui.handoff_to == "NORTH"
    take_handoff(app, screen)
    assert app.show is None or not app.show.beats
    assert app.ui.popups == []


def test_quitting_asks_first_then_saves_and_the_save_resumes(
        screen: pygame.Surface, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+Q or the window's close button asks; a second request within a few seconds saves
    what was unsaved and quits; the save loads to the same game. Ctrl+S saves at any time."""
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    game = Game.new("tutorial", seed=2, seats="control=human")
    app = BoardApp(game, screen.get_size())
    now = [100.0]
    app.wall = lambda: now[0]
    ctrl_q = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=pygame.KMOD_CTRL, unicode="")
    run(app, screen)
    game.submit("NORTH: mass_troops | leverage")
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    run(app, screen)
    assert app.running and "again to save and quit" in app.ui.flash
    assert list(tmp_path.glob("*.json")) == []
    now[0] += 10  # the question lapses with time (a real window idles: wall-clock seconds)
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert app.running, "a request long after the first one asks again"
    key(app, screen, pygame.K_h)  # ... and with any other key between
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert app.running, "a key between the two requests makes the second ask again"
    now[0] += 1
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LCTRL,
                                         mod=pygame.KMOD_CTRL, unicode=""))  # as a keyboard sends
    pygame.event.post(ctrl_q)
    run(app, screen)
    assert not app.running
    (saved,) = tmp_path.glob("*.json")
    assert app.saved_path == saved
    assert Game.load(saved).log_digest() == game.log_digest()


def test_ctrl_s_saves_and_says_where(screen: pygame.Surface, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    app = BoardApp(Game.new("tutorial", seed=2, seats="control=human"), screen.get_size())
    run(app, screen)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_s, mod=pygame.KMOD_CTRL,
                                         unicode=""))
    run(app, screen)
    (saved,) = tmp_path.glob("*.json")
    assert app.ui.flash == f"Saved to {saved}" and not app.unsaved and app.running


def test_pause_blanks_the_projector_and_only_resume_works(screen: pygame.Surface) -> None:
    """The umpire's P covers the whole board with a neutral screen (no gauge, map or order
    left to read), leaves Resume as the only thing to click, refuses every other key; P again
    brings the board back."""
    game = Game.new("tutorial", seed=2, seats="control=human")
    app = BoardApp(game, screen.get_size())
    take_handoff(app, screen)  # North's screen
    key(app, screen, pygame.K_F9)  # the umpire is called to the screen
    take_handoff(app, screen)
    assert app.ui.viewer == CONTROL
    before = pygame.transform.average_color(screen)
    key(app, screen, pygame.K_p)
    assert game.paused
    points = [screen.get_at((x, y))[:3] for x in range(0, 1280, 40) for y in range(0, 720, 40)]
    blank = max(set(points), key=points.count)
    assert points.count(blank) / len(points) > 0.9, "the paused screen still shows the board"
    assert [h.click for h in app.hits] == [Click.PAUSE]
    key(app, screen, pygame.K_a)  # advance: refused while paused
    assert game.paused and "paused" in app.ui.flash
    assert {h.click for h in app.hits} <= {Click.PAUSE, Click.CANCEL}  # Resume; close the note
    resume = next(h for h in app.hits if h.click is Click.PAUSE)
    click_at(app, screen, resume.rect.center)
    assert not game.paused
    run(app, screen, 5)
    assert pygame.transform.average_color(screen) == before


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (1920, 1080)])
def test_the_adjust_dialog_names_tracks_fits_its_box_and_typing_replaces_the_value(
        size: tuple[int, int]) -> None:
    """The umpire's Adjust… (J) on the flagship: track buttons show names (not ids), a page at a
    time; every button and field lies inside the dialog; choosing a track prefills its value,
    and the digits typed next replace it (not '117'); the reason goes in its own box."""
    from game.board.overlays import DIALOG_SIZE, modal_rect
    from game.board.screen import layout_for

    pygame.init()
    screen = pygame.display.set_mode(size)
    try:
        game = Game.new("kursk-2024", seed=1, seats="control=human")
        app = BoardApp(game, size)
        take_handoff(app, screen)  # EU's screen
        key(app, screen, pygame.K_F9)  # the umpire is called to the screen
        take_handoff(app, screen)
        assert app.ui.viewer == CONTROL
        key(app, screen, pygame.K_j)
        d = app.ui.dialog
        assert d is not None
        box = modal_rect(layout_for(game.rules, size, Mode.UMPIRE), *DIALOG_SIZE)
        params = [h for h in app.hits if h.click is Click.PARAM]
        fields = {h.arg: h.rect for h in app.hits if h.click is Click.FIELD}
        buttons = [h for h in app.hits if h.click in (Click.SUBMIT, Click.CANCEL)]
        assert params and set(fields) == {"value", "text"}
        for r in [h.rect for h in params + buttons] + list(fields.values()):
            assert box.contains(r), (size, r)
        names = dict(d.choices[0][2])
        assert names["dprk_troops"] == "DPRK combat troops sent to Russia"
        assert len(params) < len(names)  # paged: PgDn shows the next tracks
        first = {h.arg for h in params}
        key(app, screen, pygame.K_PAGEDOWN)
        assert d.page == 1 and not first & {h.arg for h in app.hits if h.click is Click.PARAM}
        key(app, screen, pygame.K_PAGEUP)
        troops = next(h for h in app.hits if h.arg == "track=dprk_troops")
        click_at(app, screen, troops.rect.center)
        assert d.value == "11" and d.field == "value"
        for ch in "14":
            pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
        run(app, screen)
        assert d.value == "14"  # replaced, not '1114'
        click_at(app, screen, fields["text"].center)
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="NIS count"))
        run(app, screen)
        assert d.text == "NIS count" and d.value == "14"
        key(app, screen, pygame.K_RETURN)
        assert app.ui.dialog is None
        assert game.view(CONTROL).track("dprk_troops").value == 14
    finally:
        pygame.quit()


def test_the_umpire_note_is_on_the_umpires_board_only(screen: pygame.Surface) -> None:
    """Clicking a secret gauge explains the track: a team reads its public description, the
    umpire also reads the umpire-only note with the true figures."""
    from game.board.input import click

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    note = game.view(CONTROL).track("dprk_casualties").umpire_note
    assert "2,700 wounded" in note
    app = BoardApp(game, screen.get_size())
    take_handoff(app, screen)
    assert app.ui.viewer == "EU"
    click(app, Click.TRACK, "dprk_casualties")
    assert app.ui.explain is not None
    shown = " ".join(app.ui.explain[1])
    assert "Killed and wounded" in shown and "2,700" not in shown and "Umpire" not in shown
    key(app, screen, pygame.K_ESCAPE)
    key(app, screen, pygame.K_F9)
    take_handoff(app, screen)
    assert app.ui.viewer == CONTROL
    click(app, Click.TRACK, "dprk_casualties")
    assert app.ui.explain is not None
    assert f"Umpire only: {note}" in app.ui.explain[1]


def test_a_secret_gauge_says_what_the_team_was_shown_of_it(screen: pygame.Surface,
                                                            tmp_path: Path) -> None:
    """A team clicking a secret track reads that it knows it only by its estimate, and what it
    was shown of it and when (a reveal in turn 1), never 'No change yet': the changes of a
    secret track are not shown to it."""
    from game.board.input import click

    played = Game.new("kursk-2024", seed=1, seats="all=greedy,control=auto")
    while not (played.engine.state.turn == 2 and "EU" in played.waiting_for()):
        assert played.step_agent()
    game = Game.load(played.save(tmp_path / "turn2.json"), seats="all=greedy,EU=human,control=auto")
    t = game.view("EU").track("dprk_casualties")
    assert t.seen is not None
    app = BoardApp(game, screen.get_size())
    take_handoff(app, screen)
    assert app.ui.viewer == "EU"
    click(app, Click.TRACK, "dprk_casualties")
    assert app.ui.explain is not None
    shown = app.ui.explain[1]
    assert f"Your team was shown {P.amount(t, t.seen[0])} in turn 1." in shown
    assert any(line.startswith("Your team knows it only by its estimate: ≈") for line in shown)
    assert "No change yet in this game." not in shown


def test_a_new_game_quit_before_anyone_moved_on_the_board_is_saved(
        screen: pygame.Surface, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new game whose computer teams gave their orders before the board opened has something
    to lose: quitting saves it, and the save holds those orders."""
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    game = Game.new("kursk-2024", seed=1, seats="all=greedy,DPRK=human,control=human")
    while game.step_agent():
        pass
    assert game.decisions
    app = BoardApp(game, screen.get_size(), briefing=True)
    assert app.unsaved
    loaded = BoardApp(game, screen.get_size())  # a game from a file: nothing new yet
    assert not loaded.unsaved
    assert app.save() is not None
    (saved,) = tmp_path.glob("*.json")
    assert Game.load(saved).log_digest() == game.log_digest()


def test_space_turns_a_long_event_cards_pages_then_closes_it(screen: pygame.Surface) -> None:
    """An event's card too long for one page: Space (or its More button) shows the next page,
    PgUp the one before, and Space on the last page closes the card."""
    from game.board.ui import Popup

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    app = BoardApp(game, screen.get_size())
    run(app, screen)
    take_handoff(app, screen)
    long = " ".join(["The ministers meet at dawn and argue about the convoy until noon."] * 30)
    app.ui.popups[:] = [Popup("A long night", long, (213, 94, 0))]
    app.dirty = True
    run(app, screen)
    assert any(h.click is Click.PAGE and h.arg == "popup+1" for h in app.hits)
    key(app, screen, pygame.K_SPACE)
    assert app.ui.popups and app.ui.popups[0].page == 1
    key(app, screen, pygame.K_PAGEUP)
    assert app.ui.popups[0].page == 0
    for _ in range(10):
        if not app.ui.popups:
            break
        key(app, screen, pygame.K_SPACE)
    assert not app.ui.popups
