"""What changed since a seat last had the screen stands out on the board's map: the markers of
changed tracks are drawn with a highlight (and pulse once when the seat sits down), and a
"since last turn" strip lists the changes — from that seat's own view only."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.app import BoardApp  # noqa: E402
from game.board.changes import PULSE_SECONDS, Changes, Moved, changes_since, strip_lines  # noqa: E402
from game.board.mapview import draw_markers  # noqa: E402
from game.board.screen import draw_board, layout_for, make_scene, mode_for  # noqa: E402
from game.board.shot import play_to  # noqa: E402
from game.board.theme import HIGHLIGHT  # noqa: E402
from game.board.ui import Ui  # noqa: E402
from game.engine.actions import CONTROL, PUBLIC  # noqa: E402
from game.session import Game  # noqa: E402

SIZE = (1280, 720)


@pytest.fixture(scope="module")
def game() -> Game:
    return play_to("kursk-2024", 1, 2)


def _pixels(surface: pygame.Surface, rect: pygame.Rect) -> bytes:
    return pygame.image.tobytes(surface.subsurface(rect.clip(surface.get_rect())).copy(), "RGB")


def _highlight_pixels(surface: pygame.Surface, rect: pygame.Rect) -> int:
    rect = rect.clip(surface.get_rect())
    return sum(1 for x in range(rect.left, rect.right, 2) for y in range(rect.top, rect.bottom, 2)
               if tuple(surface.get_at((x, y)))[:3] == HIGHLIGHT)


def test_a_changed_marker_is_drawn_differently_from_an_unchanged_one(
        screen: pygame.Surface, game: Game) -> None:
    view = game.view(CONTROL)
    layout = layout_for(game.rules, SIZE, mode_for(view, acting=True))
    scene = make_scene(view, layout)

    def markers(changed: frozenset[str], pulse: float | None = None
                ) -> tuple[pygame.Surface, dict[str, pygame.Rect]]:
        surface = pygame.Surface(SIZE)
        surface.blit(scene.base, layout.map.topleft)
        hits = draw_markers(surface, view, layout, scene.transform, scene.names, {}, changed,
                            pulse)
        return surface, {h.arg: h.rect for h in hits}

    plain, rects = markers(frozenset())
    lit, _ = markers(frozenset({"shells"}))
    pulsing, _ = markers(frozenset({"shells"}), 0.5)
    # the changed arrow glows in the highlight colour; an unchanged marker is as it was
    assert _highlight_pixels(plain, rects["shells"].inflate(40, 40)) == 0
    assert _highlight_pixels(lit, rects["shells"].inflate(40, 40)) > 20
    tension = rects["inter_korean_tension"]
    assert _pixels(lit, tension) == _pixels(plain, tension)
    # the pulse draws a ring beyond the steady highlight
    assert pygame.image.tobytes(pulsing, "RGB") != pygame.image.tobytes(lit, "RGB")
    # a deployment disc gets a ring too
    troops = rects["dprk_workers"]
    ringed, _ = markers(frozenset({"dprk_workers"}))
    around = troops.inflate(30, 30)
    assert _highlight_pixels(ringed, around) > _highlight_pixels(plain, around) + 20


def test_the_strip_holds_only_the_viewers_own_view(game: Game) -> None:
    truth = game.view(CONTROL)
    true_values = {t.id: t for t in truth.tracks}
    for seat in ("EU", "ROK", "DPRK", "RUS", PUBLIC):
        view = game.view(seat)
        changes = changes_since(view, -1)
        lines = strip_lines(view, changes)
        assert lines, seat
        mine = {t.id: t for t in view.tracks}
        # only tracks this seat's own log reports, and only tracks its view holds
        assert changes.tracks <= set(mine)
        named = {tid for tid in changes.tracks if any(mine[tid].name in ln for ln in lines)}
        assert named == {tid for tid in changes.tracks}
        for tid, t in mine.items():
            if t.status == "exact":
                continue
            for line in lines:
                if line.startswith(t.name):
                    # what the seat knows (a range, or unknown), never the true value
                    assert "≈" in line or "unknown" in line, line
                    exact = true_values[tid]
                    assert f"now {exact.value:g} " not in line
        # a track that changed in the umpire's view but is hidden from this seat is not listed
        hidden = [t.name for t in truth.tracks if t.id not in mine]
        assert not [ln for ln in lines for name in hidden if ln.startswith(name)]
    room = strip_lines(game.view(PUBLIC), changes_since(game.view(PUBLIC), -1))
    dprk = strip_lines(game.view("DPRK"), changes_since(game.view("DPRK"), -1))
    shells = next(t.name for t in truth.tracks if t.id == "shells")
    assert any(ln.startswith(shells) for ln in dprk)  # the DPRK knows what it shipped
    assert not any(shells in ln for ln in room)  # the room does not


def test_strip_values_at_declared_precision() -> None:
    game = Game.new("kursk-2024", seed=1)
    view = game.view(CONTROL)
    t = view.track("poland_rok")
    assert t.precision == 1
    changes = Changes({"poland_rok": Moved(13.273999, 15.71, by_umpire=True)})
    [line] = strip_lines(view, changes)
    assert line == f"{t.name} ▲ 13.3 → 15.7 {t.unit} ✎"
    back = Changes({"poland_rok": Moved(13.0, 13.0)})
    assert strip_lines(view, back) == [] and not back  # changed and changed back: nothing
    later = Changes({"poland_rok": Moved(15.71, 14.0)})
    assert changes.then(later).moved["poland_rok"] == Moved(13.273999, 14.0, True)


def test_a_percent_in_the_strip_follows_its_value_as_odds_do() -> None:
    """A percentage track's change in the strip reads '26 → 31%', as odds are written (it read
    '26 → 31 %'); a ladder's steps go without a unit."""
    view = Game.new("kursk-2024", seed=1).view(CONTROL)
    t = view.track("rok_support")
    assert t.unit == "%"
    [line] = strip_lines(view, Changes({"rok_support": Moved(26.0, 31.0)}))
    assert line == f"{t.name} ▲ 26 → 31%", line


def test_the_board_draws_the_strip_for_the_seat_at_the_screen(
        screen: pygame.Surface, game: Game) -> None:
    view = game.view("EU")
    layout = layout_for(game.rules, SIZE, mode_for(view, acting=True))
    scene = make_scene(view, layout)
    plain = pygame.Surface(SIZE)
    draw_board(plain, view, scene, Ui(viewer="EU", mode=layout.mode))
    striped = pygame.Surface(SIZE)
    draw_board(striped, view, scene,
               Ui(viewer="EU", mode=layout.mode, changes=changes_since(view, -1)))
    # the strip sits at the map's lower left; nothing outside the map changed
    low_left = pygame.Rect(layout.map.left, layout.map.centery, layout.map.width // 3,
                           layout.map.height // 2)
    assert _highlight_pixels(striped, low_left) > _highlight_pixels(plain, low_left)
    outside = pygame.Rect(layout.map.right, 0, SIZE[0] - layout.map.right, SIZE[1])
    assert _pixels(striped, outside) == _pixels(plain, outside)


def test_sitting_down_highlights_what_changed_since_the_seats_last_turn(
        screen: pygame.Surface) -> None:
    game = Game.new("kursk-2024", seed=3, seats={"all": "random"})
    app = BoardApp(game, SIZE)
    assert not app.ui.changes
    before, dprk_before = app.seen["EU"], app.seen["DPRK"]
    # the computer seats play a turn: the EU sits down to what changed since it last looked
    while game.engine.state.turn < 2 and game.step_agent():
        pass
    app.take_seat("EU")
    expected = changes_since(game.view("EU"), before)
    assert app.ui.changes.tracks == expected.tracks and expected.tracks
    assert app.ui.pulse is not None and app.animating
    app.show = None
    game.pause()  # the computer seats wait: nothing else changes while the EU looks
    for _ in range(round(PULSE_SECONDS / 0.1) + 2):
        app.tick(0.1)
    assert app.ui.pulse is None  # it pulsed once; the highlight stays for the turn
    assert app.ui.changes.tracks == expected.tracks
    # the next seat starts from its own last look, not the EU's
    app.take_seat("DPRK")
    assert app.ui.changes.tracks == changes_since(game.view("DPRK"), dprk_before).tracks


def test_a_seat_that_stays_at_the_screen_sees_the_last_turns_changes(
        screen: pygame.Surface) -> None:
    """The only human team keeps the screen from turn to turn: at each new turn its strip holds
    what changed over the turn just ended, not everything since the game began."""
    game = Game.new("kursk-2024", seed=3, seats="all=random,EU=human,control=auto")
    app = BoardApp(game, SIZE)
    app.take_seat("EU")
    for _ in range(2):
        while game.next_human() == "EU" and "EU: pass" in game.view("EU").legal:
            game.submit("EU: pass", seat="EU")
            while game.next_human() is None and game.step_agent():
                pass
            app.refresh(animate=False)
    view = game.view("EU")
    turns = [ln.seq for ln in view.log if ln.kind == "turn"]
    assert len(turns) >= 3
    last_turn = changes_since(view, turns[-2]).tracks
    assert app.ui.changes.tracks == last_turn and last_turn
    # this seed changes tracks in the first turn that the second leaves alone: not listed
    everything = changes_since(view, -1).tracks
    assert everything - last_turn and not app.ui.changes.tracks & (everything - last_turn)
