"""The board's event loop, driven the way people drive it: mouse clicks and keys posted to
pygame's queue under SDL's dummy video driver, one full turn of the tutorial with two teams
on one screen and a human umpire who reviews the results, and the room shown them; the umpire
ending a game early."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.app import BoardApp, loop  # noqa: E402
from game.board.input import click  # noqa: E402
from game.board.layout import Mode  # noqa: E402
from game.board.ui import DialogKind, missing  # noqa: E402
from game.board.widgets import Click, Hit  # noqa: E402
from game.engine.actions import CONTROL, PUBLIC  # noqa: E402
from game.session import Game  # noqa: E402

SIZE = (1280, 720)


def run(app: BoardApp, screen: pygame.Surface, frames: int = 3) -> None:
    loop(app, screen, max_frames=frames, fixed_dt=0.05)


def hit(app: BoardApp, click: Click, contains: str = "") -> Hit:
    found = [h for h in app.hits if h.click is click and contains in h.arg]
    assert found, f"no {click} region with {contains!r} on screen: {[h.click for h in app.hits]}"
    return found[0]


def press_mouse(app: BoardApp, screen: pygame.Surface, click: Click, contains: str = "") -> None:
    pos = hit(app, click, contains).rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    run(app, screen)


def press_key(app: BoardApp, screen: pygame.Surface, key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
    run(app, screen)


def type_text(app: BoardApp, screen: pygame.Surface, text: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    run(app, screen)


def handoff(app: BoardApp, screen: pygame.Surface, key: bool = False) -> None:
    """The next team takes the screen: by its button or O, once the hand-off takes input
    (Space, which closes pop-ups, does not pass it)."""
    assert app.ui.handoff_to is not None, "no hand-off on screen"
    who = app.ui.handoff_to
    press_key(app, screen, pygame.K_SPACE)
    assert app.ui.handoff_to == who  # Space does not open it
    run(app, screen, 14)
    if key:
        press_key(app, screen, pygame.K_o)
    else:
        press_mouse(app, screen, Click.HANDOFF)
    assert app.ui.viewer == who and app.ui.handoff_to is None


def finish_show(app: BoardApp, screen: pygame.Surface) -> None:
    """Let the adjudication show play out and click away the pop-ups."""
    for _ in range(40):
        if app.show is None and not app.ui.popups:
            return
        if app.show is not None:
            run(app, screen, 20)
        else:
            press_key(app, screen, pygame.K_SPACE)
    raise AssertionError("the show never ended")


def new_app(screen: pygame.Surface, seed: int = 3) -> BoardApp:
    game = Game.new("tutorial", seed=seed, seats="control=human")
    app = BoardApp(game, screen.get_size())
    run(app, screen)
    return app


def test_a_full_turn_with_mouse_and_keys(screen: pygame.Surface) -> None:
    """Two teams and the umpire play turn 1 on one screen, hand-offs between them."""
    app = new_app(screen)
    assert app.ui.handoff_to == "NORTH" and not app.ui.viewer  # nothing secret shown yet
    handoff(app, screen)
    assert app.ui.viewer == "NORTH" and app.ui.mode is Mode.TEAM

    # NORTH: card 2 by key, a parameter by mouse, a rationale typed, submitted by mouse
    press_mouse(app, screen, Click.CARD, "NORTH:propaganda")
    assert app.ui.dialog is not None and app.ui.dialog.move == "propaganda"
    assert app.ui.dialog.choices == (  # the scenario's names are shown, the ids submitted
        ("audience", "Aimed at", (("home", "Home audience"), ("council", "The Council"))),)
    press_mouse(app, screen, Click.PARAM, "audience=home")
    type_text(app, screen, "rally the home front")
    press_mouse(app, screen, Click.SUBMIT)
    assert app.ui.dialog is None
    assert [o.move for o in app.game.view("NORTH").orders] == ["propaganda"]
    press_key(app, screen, pygame.K_d)  # done
    assert app.ui.handoff_to == "SOUTH"

    # SOUTH: the hand-off by key; a matrix argument chosen by number key, Enter submits
    handoff(app, screen, key=True)
    assert app.ui.viewer == "SOUTH"
    cards = [h.arg for h in app.hits if h.click is Click.CARD]
    press_key(app, screen, pygame.K_1 + cards.index("SOUTH:appeal"))
    type_text(app, screen, "the council's own charter")
    press_key(app, screen, pygame.K_RETURN)
    press_mouse(app, screen, Click.DONE, "SOUTH")
    assert app.ui.handoff_to == CONTROL

    # the umpire gives the Council's order, then rules on the argument and the statement
    handoff(app, screen)
    assert app.ui.mode is Mode.UMPIRE
    press_mouse(app, screen, Click.CARD, "COUNCIL:council_statement")
    press_key(app, screen, pygame.K_RETURN)
    press_mouse(app, screen, Click.DONE, "COUNCIL")
    assert app.game.engine.phase.id == "adjudication"
    press_mouse(app, screen, Click.ACT, "strength=2")
    finish_show(app, screen)
    press_mouse(app, screen, Click.ACT, "outcome=firm")
    finish_show(app, screen)

    # the review: rolls and rulings are in, nothing applied; the umpire overrides the
    # argument's outcome by mouse (a reason is required), then applies the results by key
    view = app.game.view(CONTROL)
    assert view.phase_kind == "adjudication" and "control: advance" in view.legal
    assert not any(line.kind == "outcome" for line in view.log)
    appeal = next(o for o in view.orders if o.move == "appeal")
    other = next(oid for oid, _ in appeal.outcomes if oid != appeal.outcome)
    press_mouse(app, screen, Click.OVERRIDE, appeal.ref)
    assert app.ui.dialog is not None and app.ui.dialog.choices == (
        ("outcome", "Outcome", (("success", "Success"), ("failure", "Failure"))),)
    press_mouse(app, screen, Click.PARAM, f"outcome={other}")
    press_key(app, screen, pygame.K_RETURN)  # no reason yet: Submit stays disabled
    assert app.ui.dialog is not None
    type_text(app, screen, "the Council heard it differently")
    press_mouse(app, screen, Click.SUBMIT)
    assert app.ui.dialog is None
    assert next(o for o in app.game.view(CONTROL).orders if o.move == "appeal").outcome == other
    finish_show(app, screen)  # the override's banner
    press_key(app, screen, pygame.K_a)
    finish_show(app, screen)
    assert any(line.kind == "outcome" and line.data["outcome"] == other
               for line in app.game.view(CONTROL).log)

    # the control review; the turn ends
    while app.game.engine.state.turn == 1:
        assert app.game.engine.phase.id in ("review", "events"), app.game.engine.phase.id
        press_key(app, screen, pygame.K_a)
        finish_show(app, screen)

    # the room sees the results (the public view: no rationale, no override, no secret
    # track), then the board is handed to NORTH
    assert app.ui.viewer == PUBLIC and app.ui.mode is Mode.WATCH and app.ui.handoff_to is None
    assert app.view is not None and app.view.viewer == PUBLIC
    shown = " ".join(line.text for line in app.view.log)
    assert "rally the home front" not in shown and "heard it differently" not in shown
    assert app.view.track("north_troops").status == "unknown"
    assert any(line.kind == "outcome" for line in app.view.log)
    finish_show(app, screen)
    ruled = next(line.seq for line in app.view.log if line.kind == "outcome"
                 and line.data["move"] == "council_statement")
    click(app, Click.LOG, str(ruled))  # why? as the room may follow it: not the ruling
    assert app.ui.explain is not None
    assert "(a cause not every team may see)" in app.ui.explain[1]
    press_key(app, screen, pygame.K_ESCAPE)
    press_mouse(app, screen, Click.CONTINUE)
    assert app.ui.handoff_to == "NORTH"
    texts = [e.data for e in app.game.engine.state.entries() if e.kind == "order"]
    assert any(("rationale", "rally the home front") in d for d in texts)


def test_retract_explain_log_and_help(screen: pygame.Surface) -> None:
    app = new_app(screen)
    handoff(app, screen, key=True)
    press_mouse(app, screen, Click.CARD, "NORTH:mass_troops")
    press_key(app, screen, pygame.K_RETURN)
    assert len(app.game.view("NORTH").orders) == 1
    press_mouse(app, screen, Click.RETRACT)
    assert app.game.view("NORTH").orders == ()
    press_mouse(app, screen, Click.LOG)  # the ticker line
    assert app.ui.explain is not None and app.ui.explain[1]
    press_key(app, screen, pygame.K_ESCAPE)
    assert app.ui.explain is None
    press_key(app, screen, pygame.K_l)
    assert app.ui.show_log
    press_mouse(app, screen, Click.LOG)
    assert app.ui.explain is not None
    press_key(app, screen, pygame.K_ESCAPE)
    press_key(app, screen, pygame.K_ESCAPE)
    press_key(app, screen, pygame.K_h)
    assert app.ui.show_help
    press_key(app, screen, pygame.K_ESCAPE)
    assert not app.ui.has_overlay()


def test_refused_move_keeps_the_game_and_says_why(screen: pygame.Surface) -> None:
    app = new_app(screen)
    handoff(app, screen, key=True)
    before = app.game.log_digest()
    assert not app.submit("SOUTH: mediate")  # not NORTH's move, not NORTH's seat
    assert app.ui.flash and app.game.log_digest() == before
    run(app, screen)
    press_mouse(app, screen, Click.CANCEL)
    assert not app.ui.flash


def test_umpire_adjust_needs_a_reason_then_undo_and_pause(screen: pygame.Surface) -> None:
    game = Game.new("tutorial", seed=5, seats="all=random,control=human")
    app = BoardApp(game, screen.get_size())
    for _ in range(30):
        run(app, screen, 5)
        if app.ui.handoff_to == CONTROL:
            break
    handoff(app, screen, key=True)
    assert app.ui.mode is Mode.UMPIRE
    press_key(app, screen, pygame.K_j)
    assert app.ui.dialog is not None
    press_mouse(app, screen, Click.PARAM, "track=tension")
    press_mouse(app, screen, Click.FIELD, "value")
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0))
    type_text(app, screen, "5")
    press_key(app, screen, pygame.K_RETURN)  # no reason yet: Submit stays disabled
    assert app.ui.dialog is not None
    press_mouse(app, screen, Click.FIELD, "text")
    type_text(app, screen, "the room agreed a clash happened")
    press_key(app, screen, pygame.K_RETURN)
    assert app.ui.dialog is None and app.game.engine.value("tension") == 5
    finish_show(app, screen)
    press_mouse(app, screen, Click.TRACK, "tension")  # why? the track's last change
    assert app.ui.explain is not None
    assert any("Umpire sets Border tension to 5" in line for line in app.ui.explain[1])
    press_key(app, screen, pygame.K_ESCAPE)
    press_key(app, screen, pygame.K_p)
    assert app.game.paused and app.ui.paused
    press_key(app, screen, pygame.K_p)
    assert not app.game.paused
    press_key(app, screen, pygame.K_u)  # undo the last resolution (or say there is none)
    assert app.ui.viewer == CONTROL


def test_resize_rebuilds_the_scene(screen: pygame.Surface) -> None:
    app = new_app(screen)
    handoff(app, screen, key=True)
    pygame.display.set_mode((1920, 1080), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1920, 1080), w=1920,
                                         h=1080))
    run(app, pygame.display.get_surface())
    assert app.size == (1920, 1080)
    assert all(k[0] == (1920, 1080) for k in app.scenes)


def test_idle_board_does_not_redraw(screen: pygame.Surface) -> None:
    """Nothing changes, nothing is drawn: the loop sleeps in event.wait."""
    app = new_app(screen)
    handoff(app, screen, key=True)
    run(app, screen, 2)
    assert not app.dirty and not app.animating
    drawn = []
    original = app.render
    app.render = lambda surface: drawn.append(1) or original(surface)  # type: ignore[method-assign]
    pygame.time.set_timer(pygame.USEREVENT, 5, 3)
    run(app, screen, 3)
    assert drawn == []


def test_umpire_ends_the_game_early_with_a_reason(screen: pygame.Surface) -> None:
    """'End game…' asks for a reason: while it is empty the End button is greyed, Enter does
    nothing and the dialog says in words what it wants (it showed the engine's syntax,
    "ending the game needs a reason: 'control: end | reason'"); Esc changes nothing, and a
    reason ends the game (objectives scored, the game-over pop-up, the log's end line with
    the reason)."""
    app = new_app(screen)
    for team in ("NORTH", "SOUTH"):  # both teams give no orders
        handoff(app, screen, key=True)
        assert app.ui.viewer == team
        press_key(app, screen, pygame.K_d)
    handoff(app, screen, key=True)
    assert app.ui.mode is Mode.UMPIRE
    before = app.game.log_digest()

    press_mouse(app, screen, Click.END_GAME)
    assert app.ui.dialog is not None and app.ui.dialog.kind is DialogKind.END
    assert not any(h.click is Click.SUBMIT for h in app.hits)  # greyed: no reason yet
    press_key(app, screen, pygame.K_RETURN)  # no reason: nothing is submitted
    assert app.ui.dialog is not None and app.ui.dialog.error == ""
    assert missing(app.ui.dialog) == "Write why the game ends: the reason goes in the record."
    assert not app.game.is_over and app.game.log_digest() == before
    press_key(app, screen, pygame.K_ESCAPE)  # cancel: nothing changed
    assert app.ui.dialog is None and app.ui.mode is Mode.UMPIRE
    assert not app.game.is_over and app.game.log_digest() == before

    # E opens it too; the key's own text echo is not typed into the reason
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=pygame.KMOD_SHIFT,
                                         unicode="E"))
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="E"))
    run(app, screen)
    assert app.ui.dialog is not None and app.ui.dialog.kind is DialogKind.END
    assert app.ui.dialog.text == ""
    type_text(app, screen, "the seminar is out of time")
    assert missing(app.ui.dialog) == ""
    press_mouse(app, screen, Click.SUBMIT)
    assert app.ui.dialog is None and app.game.is_over
    assert app.ui.viewer == CONTROL and app.ui.mode is Mode.WATCH
    assert app.ui.popups and app.ui.popups[0].title == "Game over"
    assert "The umpire ended the game: the seminar is out of time" in app.ui.popups[0].body
    finish_show(app, screen)
    assert app.view is not None
    end = [line for line in app.view.log if line.kind == "end"]
    assert len(end) == 1 and "ended the game: the seminar is out of time" in end[0].text
    assert app.game_over_screen and any(h.click is Click.DEBRIEF for h in app.hits)
    press_key(app, screen, pygame.K_v)  # the final board behind the game-over screen
    assert not app.game_over_screen
    assert any(h.click is Click.LOG and h.arg == str(end[0].seq) for h in app.hits)
    assert not any(h.click is Click.END_GAME for h in app.hits)


def test_the_umpires_hand_off_speaks_to_the_umpire(screen: pygame.Surface,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A team's hand-off button says 'We are ready: open our screen'; the umpire's says whose
    screen it opens (a new user found the team's words on the umpire's hand-off)."""
    from game.board import overlays
    from game.board.screen import layout_for

    app = new_app(screen)
    layout = layout_for(app.game.rules, screen.get_size(), Mode.WATCH)
    labels: list[str] = []
    monkeypatch.setattr(overlays, "button", lambda surface, rect, label, *a, **k: labels.append(
        label))
    for umpire in (False, True):
        overlays.draw_handoff(screen, layout, "X", (0, 0, 0), "line", umpire=umpire)
    assert labels == ["We are ready: open our screen (O)",
                      "I am ready: open the umpire's screen (O)"]
