"""What a seminar facilitator found projecting the flagship at 1280×800, checked as geometry at
that size and the others the board is used at: long names and briefings are read whole, the
umpire's cards hold their text, a refusal's strip leaves the buttons it speaks of clickable,
and a click during the adjudication show acts.
"""

from __future__ import annotations

import os
import re

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.app import BoardApp, loop  # noqa: E402
from game.board.layout import Mode  # noqa: E402
from game.board.screen import draw_board, layout_for, make_scene  # noqa: E402
from game.board.ui import DialogKind, Ui  # noqa: E402
from game.board.umpire import control_actors_to_move  # noqa: E402
from game.board.widgets import Click, Hit, find_hit  # noqa: E402
from game.engine.actions import CONTROL  # noqa: E402
from game.engine.errors import EngineError  # noqa: E402
from game.engine.views import MoveOption, View  # noqa: E402
from game.session import Game  # noqa: E402

SIZES = [(1024, 768), (1280, 720), (1280, 800), (1920, 1080)]
TEAMS_BY_COMPUTER = "EU=greedy,ROK=greedy,RUS=greedy,DPRK=greedy,control=human"
"""The facilitator's seats: computer teams, a human umpire who plays the control cell."""


@pytest.fixture(autouse=True)
def fonts() -> Iterator[None]:
    pygame.font.init()
    yield


def umpire_waits(seats: str, ready: object = None) -> Game:
    """The flagship played by its computer seats until the human umpire must act (and, with
    ``ready``, until ``ready(view)`` holds: the umpire advances meanwhile)."""
    game = Game.new("kursk-2024", seed=1, seats=seats)
    for _ in range(400):
        if game.step_agent():
            continue
        view = game.view(CONTROL)
        if ready is None or ready(view):  # type: ignore[operator]
            return game
        rule = next((a for a in view.legal if a.startswith("control: rule")), None)
        game.submit(rule or "control: advance")
    raise AssertionError("the umpire was never asked")


def draw_umpire(game: Game, size: tuple[int, int], ui: Ui | None = None
                ) -> tuple[pygame.Surface, list[Hit]]:
    view = game.view(CONTROL)
    layout = layout_for(game.rules, size, Mode.UMPIRE)
    surface = pygame.Surface(layout.size)
    ui = ui or Ui(viewer=CONTROL, mode=Mode.UMPIRE)
    return surface, draw_board(surface, view, make_scene(view, layout), ui)


# ---- 3. the refusal's strip leaves the umpire's buttons clickable ------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_the_refusal_strip_does_not_cover_the_umpires_buttons(size: tuple[int, int]) -> None:
    """Advance refused ('the umpire must rule … first'): the red strip says so, and every button
    of the dock is still the topmost region under its own centre."""
    game = umpire_waits("all=greedy,control=human")
    with pytest.raises(EngineError) as refused:
        game.submit("control: advance")
    ui = Ui(viewer=CONTROL, mode=Mode.UMPIRE, flash=refused.value.message)
    _, hits = draw_umpire(game, size, ui)
    layout = layout_for(game.rules, size, Mode.UMPIRE)
    strip = hits[-1]
    assert strip.click is Click.CANCEL and layout.screen.contains(strip.rect)
    assert not strip.rect.colliderect(layout.dock), (size, strip.rect, layout.dock)
    buttons = [h for h in hits if layout.dock.contains(h.rect)]
    assert {h.click for h in buttons} >= {Click.ADJUST, Click.UNDO, Click.PAUSE, Click.END_GAME}
    for h in buttons:
        assert find_hit(hits, h.rect.center) == h, (size, h)


# ---- 4. a click during the adjudication show acts ----------------------------------------------


@pytest.fixture()
def window(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[pygame.Surface]:
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    pygame.init()
    yield pygame.display.set_mode((1280, 800))
    pygame.quit()


def frames(app: BoardApp, screen: pygame.Surface, n: int = 2) -> None:
    loop(app, screen, max_frames=n, fixed_dt=0.05)


def click_on(app: BoardApp, screen: pygame.Surface, pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    frames(app, screen, 1)


def umpire_at_the_show(screen: pygame.Surface) -> BoardApp:
    """The umpire has just taken the screen at the first adjudication: its dice are rolling."""
    app = BoardApp(umpire_waits("all=greedy,control=human"), screen.get_size())
    app.seen[CONTROL] = -1  # the umpire has not seen this turn's rolls yet
    frames(app, screen, 16)
    assert app.ui.handoff_to == CONTROL
    app.take_seat(CONTROL)
    frames(app, screen)
    assert app.show is not None and app.show.current() is not None
    return app


def test_a_click_on_the_dock_during_the_show_acts(window: pygame.Surface) -> None:
    """Adjust… clicked while the dice roll opens the adjust dialog (it was swallowed as
    'skip this beat'); the show ends, so the dialog is seen at once."""
    app = umpire_at_the_show(window)
    adjust = next(h for h in app.hits if h.click is Click.ADJUST)
    click_on(app, window, adjust.rect.center)
    assert app.ui.dialog is not None and app.ui.dialog.kind is DialogKind.ADJUST
    assert app.show is None
    assert any(h.click is Click.FIELD for h in app.hits)  # the dialog is on the screen


def test_a_click_on_the_dice_still_skips_a_beat(window: pygame.Surface) -> None:
    app = umpire_at_the_show(window)
    assert app.show is not None
    beat = app.show.current()
    dice = next(h for h in reversed(app.hits) if h.click is Click.CONTINUE)
    layout = layout_for(app.game.rules, window.get_size(), Mode.UMPIRE)
    assert layout.map.contains(dice.rect) and not dice.rect.colliderect(layout.dock)
    click_on(app, window, dice.rect.center)
    assert app.show is not None and app.show.current() != beat and app.ui.dialog is None


# ---- 2. the umpire's cards hold their text -----------------------------------------------------


Card = tuple[pygame.Rect, MoveOption, list[tuple[str, pygame.Rect]]]


def spy_cards(monkeypatch: pytest.MonkeyPatch) -> list[Card]:
    """Every card drawn from now on: its rect, its move, and each line of text on it with the
    rect of its pixels."""
    from game.board import cards, text

    drawn: list[Card] = []
    inside: list[list[tuple[str, pygame.Rect]]] = []  # the lines of the card being drawn
    real_card, real_draw = cards.draw_card, text.draw

    def card(surface: pygame.Surface, rect: pygame.Rect, m: MoveOption, *a: object) -> object:
        inside.append([])
        try:
            return real_card(surface, rect, m, *a)  # type: ignore[arg-type]
        finally:
            drawn.append((pygame.Rect(rect), m, inside.pop()))

    def draw(surface: pygame.Surface, line: str, *a: object, **kw: object) -> pygame.Rect:
        r = real_draw(surface, line, *a, **kw)  # type: ignore[arg-type]
        if inside:
            inside[-1].append((line, r))
        return r

    monkeypatch.setattr(cards, "draw_card", card)
    monkeypatch.setattr(text, "draw", draw)
    return drawn


def control_cell_moves(view: View) -> bool:
    return bool(control_actors_to_move(view))


@pytest.mark.parametrize("size", SIZES)
def test_the_umpires_cards_hold_their_text(monkeypatch: pytest.MonkeyPatch,
                                           size: tuple[int, int]) -> None:
    """The umpire gives the control cell's orders: every line of every card (pixels drawn, not
    the words) lies inside the card's frame, and each card shows its number, its title and its
    odds (at 1280×800 the odds and 'the umpire decides' ran over the card's foot)."""
    game = umpire_waits(TEAMS_BY_COMPUTER, control_cell_moves)
    drawn = spy_cards(monkeypatch)
    draw_umpire(game, size)
    monkeypatch.undo()
    assert len(drawn) >= 2, size
    for rect, _, lines in drawn:
        frame = rect.inflate(-4, -4)
        shown = [(s, r) for s, r in lines if s]
        assert len(shown) >= 3, (size, shown)  # the title, the odds, the cost at least
        for s, r in shown:
            assert frame.contains(r), (size, s, r, rect)


# ---- 1. long names and briefings are read whole ------------------------------------------------


def spy_lines(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, pygame.Rect]]:
    """Every line of text drawn from now on, with the rect of its pixels."""
    from game.board import text

    drawn: list[tuple[str, pygame.Rect]] = []
    real = text.draw

    def draw(surface: pygame.Surface, line: str, *a: object, **kw: object) -> pygame.Rect:
        r = real(surface, line, *a, **kw)  # type: ignore[arg-type]
        drawn.append((line, r))
        return r

    monkeypatch.setattr(text, "draw", draw)
    return drawn


def words(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("size", SIZES)
def test_the_hand_off_writes_a_long_name_whole(monkeypatch: pytest.MonkeyPatch,
                                               size: tuple[int, int]) -> None:
    """'DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA' (it read 'DEMOCRATIC PEOPLE'S REP…'): every
    team's name is drawn whole, in lines that lie in the band between 'PASS THE BOARD TO'
    and 'Everyone else, please look away.'"""
    from game.board.overlays import draw_handoff, handoff_name_rect

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    layout = layout_for(game.rules, size, Mode.WATCH)
    surface = pygame.Surface(layout.size)
    room = handoff_name_rect(layout)
    for actor in [a for a in game.rules.actors if a.is_player]:
        who = actor.name.upper()
        drawn = spy_lines(monkeypatch)
        draw_handoff(surface, layout, who, (204, 121, 167), "a line")
        monkeypatch.undo()
        lines = [(s, r) for s, r in drawn if s and s in who]
        assert " ".join(s for s, _ in lines) == who, (size, lines)
        for s, r in lines:
            assert room.contains(r), (size, s, r, room)
        rest = [r for s, r in drawn if (s, r) not in lines]
        assert all(r.collidelist([r2 for _, r2 in lines]) == -1 for r in rest), size


@pytest.mark.parametrize("size", SIZES)
def test_the_opening_briefing_is_read_whole(monkeypatch: pytest.MonkeyPatch,
                                            size: tuple[int, int]) -> None:
    """The room's opening briefing shows the situation and each team's whole public briefing
    (it showed one cut line per team), page after page, each line inside the screen and
    clear of the buttons."""
    from game.board.room import briefing_pages, draw_briefing

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    layout = layout_for(game.rules, size, Mode.WATCH)
    view = game.view("public")
    about = game.rules.description
    surface = pygame.Surface(layout.size)
    shown: list[str] = []
    pages = len(briefing_pages(layout, view, about))
    for page in range(pages):
        drawn = spy_lines(monkeypatch)
        hits = draw_briefing(surface, layout, view, about, page)
        monkeypatch.undo()
        buttons = [h.rect for h in hits]
        labels = [(s, r) for s, r in drawn if any(b.contains(r) for b in buttons)]
        assert any(h.click is Click.CONTINUE for h in hits)
        for s, r in drawn:
            assert layout.screen.contains(r) and "…" not in s, (size, page, s)
            if (s, r) not in labels:
                assert r.collidelist(buttons) == -1, (size, page, s, r)
        shown += [s for s, r in drawn[2:] if (s, r) not in labels]  # after title and dates
    read = words(" ".join(shown))
    assert words(about) in read, size
    for a in [a for a in view.actors if a.kind == "player"]:
        assert words(a.public_briefing) in read, (size, a.id)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_the_opening_briefings_pages_are_packed_full(monkeypatch: pytest.MonkeyPatch,
                                                     size: tuple[int, int]) -> None:
    """A page of the opening briefing goes on until the next team's block would not fit: the
    room left under a page's last line is less than the gap and the next page's first block.
    Page 1 of the flagship at 1280×800 held the situation and the EU only, half the screen
    empty (the gap after a block was counted twice and the texts' last newlines drawn as
    blank lines)."""
    from game.board.room import briefing_area, briefing_pages, draw_briefing

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    layout = layout_for(game.rules, size, Mode.WATCH)
    view, about = game.view("public"), game.rules.description
    area, ts = briefing_area(layout), layout.type
    names = {a.name for a in view.actors}
    pages = []
    for page in range(len(briefing_pages(layout, view, about))):
        drawn = spy_lines(monkeypatch)
        draw_briefing(pygame.Surface(layout.size), layout, view, about, page)
        monkeypatch.undo()
        lines = [(s, r) for s, r in drawn if area.contains(r)]
        assert all(s.strip() for s, _ in lines), (size, page, "a blank line")
        pages.append(lines)
    assert len(pages) >= 2
    for this, after in zip(pages, pages[1:], strict=False):
        left = area.bottom - this[-1][1].bottom
        starts = [i for i, (s, _) in enumerate(after) if s in names] + [len(after)]
        block = after[:starts[1]] if starts[0] == 0 else after[:starts[0]]
        need = block[-1][1].bottom - block[0][1].top
        assert left < ts.pad * 2 + need, (size, left, need, [s for s, _ in block][:1])
    firsts = [s for s, _ in pages[0] if s in names]
    assert len(firsts) >= 2, (size, firsts)  # the EU and the next team at least


def test_enter_turns_the_briefings_pages_then_begins(window: pygame.Surface) -> None:
    app = BoardApp(Game.new("kursk-2024", seed=1, seats="control=human"), window.get_size(),
                   briefing=True)
    frames(app, window)
    assert any(h.click is Click.CONTINUE for h in app.hits) and app.briefing_page == 0
    for _ in range(10):
        if not app.briefing:
            break
        page = app.briefing_page
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0,
                                             unicode="\r"))
        frames(app, window)
        if app.briefing:
            assert app.briefing_page == page + 1
            back = next(h for h in app.hits if h.click is Click.PAGE)
            click_on(app, window, back.rect.center)
            assert app.briefing_page == page
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PAGEDOWN, mod=0,
                                                 unicode=""))
            frames(app, window)
            assert app.briefing_page == page + 1
    assert not app.briefing and app.briefing_page >= 1  # the flagship's briefing is two pages
    assert app.ui.handoff_to == "EU"


@pytest.mark.parametrize("size", SIZES)
def test_a_teams_badge_is_its_name_or_its_id_never_cut(size: tuple[int, int]) -> None:
    """The top bar's badge says whose screen it is: the whole name, or the short id where the
    name does not fit ('DPRK', not 'DEMOCRATIC PEOPL…')."""
    from game.board import text

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    layout = layout_for(game.rules, size, Mode.TEAM)
    surface = pygame.Surface(layout.size)
    for actor in [a for a in game.rules.actors if a.is_player]:
        view = game.view(actor.id)
        seen: list[str] = []
        text.recording(seen)
        draw_board(surface, view, make_scene(view, layout), Ui(viewer=actor.id, mode=Mode.TEAM))
        text.recording(None)
        assert actor.name.upper() in seen or actor.id.upper() in seen, (size, actor.id)
        assert not [s for s in seen if s.endswith("…") and actor.name.upper().startswith(
            s[:-1].strip())], (size, actor.id)


# ---- left from the facilitator's findings: buttons, page counts and costs ----------------------


Drawn = tuple[pygame.Rect, str, int]


def spy_buttons(monkeypatch: pytest.MonkeyPatch, module: object) -> list[Drawn]:
    """Every button ``module`` draws from now on: its rect, its label and the label's size."""
    drawn: list[Drawn] = []
    real = module.button  # type: ignore[attr-defined]

    def spy(surface: pygame.Surface, rect: pygame.Rect, label: str, size: int, *a: object,
            **kw: object) -> object:
        drawn.append((pygame.Rect(rect), label, size))
        return real(surface, rect, label, size, *a, **kw)

    monkeypatch.setattr(module, "button", spy)
    return drawn


def is_whole(label: str, rect: pygame.Rect, size: int) -> bool:
    """Does ``button`` draw ``label`` uncut in ``rect``?"""
    from game.board import text

    return text.width(label, size, True) <= rect.width - 8


@pytest.mark.parametrize("size", SIZES)
def test_every_ruling_and_override_is_a_whole_button(monkeypatch: pytest.MonkeyPatch,
                                                     size: tuple[int, int]) -> None:
    """Orders wait for the umpire's ruling: each strength of each and its 'Override…' is a
    button on some page of the dock (at 1024×768 'Override…' fell off the end of the row),
    inside the dock, clear of the others, its label whole."""
    from game.board import umpire

    game = umpire_waits("all=greedy,control=human")
    view = game.view(CONTROL)
    layout = layout_for(game.rules, size, Mode.UMPIRE)
    want = {(Click.ACT, a) for a in view.legal if a.startswith("control: rule")}
    want |= {(Click.OVERRIDE, o.ref) for o in view.orders if o.status == "awaiting ruling"}
    assert len(want) >= 12  # two orders: five strengths and 'Override…' each
    seen: set[tuple[Click, str]] = set()
    for page in range(12):
        drawn = spy_buttons(monkeypatch, umpire)
        _, hits = draw_umpire(game, size, Ui(viewer=CONTROL, mode=Mode.UMPIRE, page=page))
        monkeypatch.undo()
        seen |= {(h.click, h.arg) for h in hits}
        rects = [r for r, _, _ in drawn]
        for i, (r, label, px) in enumerate(drawn):
            assert layout.dock.contains(r) and is_whole(label, r, px), (size, page, label, r)
            assert r.collidelist(rects[i + 1:]) == -1, (size, page, label, r)
    assert want <= seen, (size, want - seen)


def test_a_row_of_buttons_too_long_for_its_room_wraps() -> None:
    """Longer labels (an outcome's name) than the row holds go on to another row, whole."""
    from game.board.umpire import button_rects

    layout = layout_for(Game.new("kursk-2024", seed=1).rules, (1024, 768), Mode.UMPIRE)
    labels = ["Decisive breakthrough", "Stalemate at the river", "Collapse", "Override…"]
    rects = button_rects(layout, 400, labels)
    assert len({r.y for r in rects}) >= 2
    for i, (r, label) in enumerate(zip(rects, labels, strict=True)):
        assert pygame.Rect(0, 0, 400, 1000).contains(r) and is_whole(label, r,
                                                                     layout.type.small)
        assert r.collidelist(rects[i + 1:]) == -1


def spy_coloured_lines(monkeypatch: pytest.MonkeyPatch
                       ) -> list[tuple[str, pygame.Rect, tuple[int, int, int]]]:
    """Every line of text drawn from now on, the rect of its pixels and its colour."""
    from game.board import text

    drawn: list[tuple[str, pygame.Rect, tuple[int, int, int]]] = []
    real = text.draw

    def draw(surface: pygame.Surface, line: str, pos: tuple[int, int], size: int,
             colour: tuple[int, int, int], **kw: object) -> pygame.Rect:
        r = real(surface, line, pos, size, colour, **kw)  # type: ignore[arg-type]
        drawn.append((line, r, colour))
        return r

    monkeypatch.setattr(text, "draw", draw)
    return drawn


def background(surface: pygame.Surface, rect: pygame.Rect) -> tuple[int, int, int]:
    """The commonest colour in ``rect`` (behind a short line of text, its background)."""
    counts: dict[tuple[int, int, int], int] = {}
    for y in range(rect.top, rect.bottom):
        for x in range(rect.left, rect.right):
            c = surface.get_at((x, y))
            counts[(c.r, c.g, c.b)] = counts.get((c.r, c.g, c.b), 0) + 1
    return max(counts, key=lambda c: counts[c])


@pytest.mark.parametrize("size", SIZES)
def test_the_cards_page_count_is_legible(monkeypatch: pytest.MonkeyPatch,
                                         size: tuple[int, int]) -> None:
    """A team's cards a page at a time: the count ('1/3') stands clear of ▲ and ▼, inside the
    dock, at 7:1 contrast or more on what is behind it (it was white on the greyed ▲)."""
    from game.board import cards
    from game.board.theme import contrast

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    view = game.view("EU")
    layout = layout_for(game.rules, size, Mode.TEAM)
    for page in (0, 1):
        surface = pygame.Surface(layout.size)
        arrows = spy_buttons(monkeypatch, cards)
        lines = spy_coloured_lines(monkeypatch)
        cards.draw_team_dock(surface, view, layout, Ui(viewer="EU", mode=Mode.TEAM, page=page))
        monkeypatch.undo()
        count = [(r, c) for s, r, c in lines if re.fullmatch(rf"{page + 1}/\d+", s)]
        assert len(count) == 1, (size, page, [s for s, _, _ in lines])
        rect, colour = count[0]
        ups = [r for r, label, _ in arrows if label in ("▲", "▼")]
        assert len(ups) == 2 and rect.collidelist(ups) == -1, (size, page, rect, ups)
        assert layout.dock.contains(rect), (size, page, rect)
        assert contrast(colour, background(surface, rect)) >= 7.0, (size, page, colour)


@pytest.mark.parametrize("size", SIZES)
def test_a_cards_cost_reads_whole(monkeypatch: pytest.MonkeyPatch,
                                  size: tuple[int, int]) -> None:
    """Every card of every team, on every page: its cost in the resources' names, as the order
    dialog says it ('1 Action point, 2 Political capital'; four cards across at 1920×1080 cut
    it to '1…'), in lines that lie inside the card."""
    from game.board import cards
    from game.present import cost

    game = Game.new("kursk-2024", seed=1, seats="control=human")
    for actor in [a for a in game.rules.actors if a.is_player]:
        view = game.view(actor.id)
        layout = layout_for(game.rules, size, Mode.TEAM)
        surface = pygame.Surface(layout.size)
        names = {r.id: r.name for r in view.actor(actor.id).resources or ()}
        drawn = spy_cards(monkeypatch)
        per_page = cards.cards_per_page(cards.team_dock_rects(layout)[0], layout)
        for page in range(-(-len(view.moves) // per_page)):
            cards.draw_team_dock(surface, view, layout,
                                 Ui(viewer=actor.id, mode=Mode.TEAM, page=page))
        monkeypatch.undo()
        assert len(drawn) == len(view.moves), (size, actor.id)
        for rect, m, lines in drawn:
            said = words(" ".join(s for s, _ in lines if s))
            assert words(cost(m, names)) in said, (size, actor.id, m.move, said)
            frame = rect.inflate(-4, -4)
            out = [(s, r) for s, r in lines if s and not frame.contains(r)]
            assert not out, (size, actor.id, m.move, frame, out)
