"""Turning pygame events into board commands: clicks on hit regions, and keyboard shortcuts.

Every shortcut is a click in disguise: a key finds the region it stands for (or builds the
same command), so mouse and keyboard do exactly the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import pygame

from game import present as P
from game.board.cards import options_for, unavailable_text
from game.board.layout import Mode
from game.board.overlays import POPUP_MORE
from game.board.ui import Choice, Dialog, DialogKind
from game.board.widgets import Click, Hit, find_hit
from game.engine.actions import CONTROL, PUBLIC, Action
from game.engine.views import MoveOption

if TYPE_CHECKING:
    from game.board.app import BoardApp

KeyAction = Callable[["BoardApp"], None]


_MODIFIERS = frozenset((pygame.K_LCTRL, pygame.K_RCTRL, pygame.K_LSHIFT, pygame.K_RSHIFT,
                        pygame.K_LALT, pygame.K_RALT, pygame.K_LMETA, pygame.K_RMETA,
                        pygame.K_LGUI, pygame.K_RGUI, pygame.K_CAPSLOCK, pygame.K_MODE))
"""Keys pressed on their way to a shortcut (Ctrl before Q), not keys of their own."""


def handle_event(app: BoardApp, event: pygame.event.Event) -> None:
    if event.type == pygame.MOUSEBUTTONDOWN or (
            event.type == pygame.KEYDOWN and event.key not in _MODIFIERS
            and not (event.key == pygame.K_q and event.mod & pygame.KMOD_CTRL)):
        app.quit_asked = None  # anything else between two quit requests: the question lapses
    if event.type == pygame.QUIT:
        app.request_quit()
    elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
        surface = pygame.display.get_surface()
        size = surface.get_size() if surface is not None else (event.x, event.y)
        if size != app.size:
            app.size = size
            app.scenes.clear()
        app.dirty = True
    elif event.type in (pygame.WINDOWEXPOSED, pygame.VIDEOEXPOSE):
        app.dirty = True
    elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
        hit = find_hit(app.hits, event.pos)
        if hit is not None:
            if app.show is not None and hit.click is not Click.CONTINUE:
                app.show = None  # a click beside the replay of results ends it, then acts
            click(app, hit.click, hit.arg)
        elif app.ui.flash:
            app.ui.flash = ""
            app.dirty = True
    elif event.type == pygame.MOUSEWHEEL:
        scroll(app, -event.y)
    elif event.type == pygame.TEXTINPUT and app.ui.dialog is not None:
        d = app.ui.dialog
        if not (d.echo and event.text == d.echo):  # not the key that opened the dialog
            type_text(d, event.text)
        d.echo = ""
        app.dirty = True
    elif event.type == pygame.KEYDOWN:
        opening = app.ui.dialog is None
        key(app, event.key, event.mod)
        if opening and app.ui.dialog is not None:
            app.ui.dialog.echo = getattr(event, "unicode", "")


def scroll(app: BoardApp, steps: int) -> None:
    if app.briefing:
        app.turn_briefing(1 if steps > 0 else -1)
    elif app.ui.show_log:
        app.ui.log_scroll = max(0, app.ui.log_scroll - steps * 3)
    elif not app.ui.has_overlay():
        app.ui.page = max(0, app.ui.page + (1 if steps > 0 else -1))
    app.dirty = True


def type_text(d: Dialog, chars: str) -> None:
    if d.field == "value":
        typed = "".join(c for c in chars if c in "0123456789.-")
        if typed and d.fresh:  # the prefilled value is replaced, not appended to
            d.value, d.fresh = "", False
        d.value = (d.value + typed)[:12]
    else:
        d.text = (d.text + chars.replace("|", "/"))[:300]
    d.error = ""


# ---------------------------------------------------------------------------------- clicks


def click(app: BoardApp, what: Click, arg: str = "") -> None:
    """Do what a click on a region of kind ``what`` does."""
    app.dirty = True
    handler = _HANDLERS.get(what)
    if handler is not None:
        handler(app, arg)


def _continue(app: BoardApp, arg: str) -> None:
    """Space, Enter or a Continue button: skip a beat, close a pop-up, leave the room's
    results. Never the hand-off: that takes its own button or key (O)."""
    ui = app.ui
    if app.briefing:
        app.briefing_next()
    elif ui.handoff_to is not None:
        ui.flash = ""
        ui.hint = HANDOFF_HINT
    elif app.show is not None:
        app.show.skip_beat()
    elif ui.popups:
        if popup_has_more(app):
            turn_popup(app, 1)
        else:
            ui.popups.pop(0)
    elif ui.viewer == PUBLIC and not ui.has_overlay():
        app.leave_room()
    else:
        _cancel(app, arg)


HANDOFF_HINT = "To open the next team's screen, click its button or press O."


def _handoff(app: BoardApp, arg: str) -> None:
    """The next seat takes the screen: only by its button or O, and not in the first moment
    after the hand-off appeared (a double click on Done must not open the next team)."""
    ui = app.ui
    if ui.handoff_to is None:
        return
    if not app.handoff_ready:
        return
    app.take_seat(ui.handoff_to)


def _cancel(app: BoardApp, arg: str) -> None:
    ui = app.ui
    if ui.flash:
        ui.flash = ""
    elif ui.popups:
        ui.popups.pop(0)
    elif ui.explain is not None:
        ui.explain = None
    elif ui.dialog is not None:
        ui.dialog = None
        pygame.key.stop_text_input()
    elif ui.show_log:
        ui.show_log = False
    elif ui.show_help:
        ui.show_help = False
    elif ui.brief_page is not None:
        ui.brief_page = None


def _ending_key(app: BoardApp, k: int) -> None:
    """The game-over screen: R writes the debrief, V shows the final board, H the help."""
    if k == pygame.K_r:
        app.write_debrief()
    elif k == pygame.K_v:
        _final_board(app, "")
    elif k in (pygame.K_h, pygame.K_F1):
        app.final_board = True
        _help(app, "")


def _final_board(app: BoardApp, arg: str) -> None:
    app.final_board = not app.final_board


def _debrief(app: BoardApp, arg: str) -> None:
    app.write_debrief()


def _brief(app: BoardApp, arg: str) -> None:
    """B: the seat's own briefing and objectives (again: close them)."""
    if app.view is None or app.ui.viewer in ("", PUBLIC):
        return
    app.ui.brief_page = None if app.ui.brief_page is not None else 0


def _card(app: BoardApp, arg: str) -> None:
    """Open the move's dialog: parameters (one choice preselected) and the rationale; a greyed
    card says why it cannot be chosen."""
    assert app.view is not None
    actor, _, move = arg.partition(":")
    options = dock_cards(app)
    number, opt = next(((i + 1, m) for i, m in enumerate(options)
                        if m.actor == actor and m.move == move), (0, None))
    if opt is None:
        return
    if not opt.legal:
        app.ui.flash = unavailable_text(opt, number)
        return
    app.ui.flash = ""
    params = {pid: values[0] for pid, values in opt.params if len(values) == 1}
    app.ui.dialog = Dialog(DialogKind.MOVE, actor=actor, move=move, params=params,
                           choices=move_choices(opt))
    pygame.key.start_text_input()


def dock_cards(app: BoardApp) -> list[MoveOption]:
    """The cards in the dock now, in their numbered order (card n is ``[n - 1]``)."""
    from game.board.umpire import control_actors_to_move

    view = app.view
    if view is None or app.ui.handoff_to is not None:
        return []
    if app.ui.mode is Mode.TEAM:
        return options_for(view, [view.viewer])
    if app.ui.mode is Mode.UMPIRE:
        return options_for(view, control_actors_to_move(view))
    return []


def card_digit(app: BoardApp, digit: int) -> None:
    """A digit typed on the board: the card with the number typed so far, as soon as no other
    card's number starts with it (with ten cards, '1' waits for '0' or Enter)."""
    options = dock_cards(app)
    typed = app.ui.digits + str(digit)
    numbers = [str(i + 1) for i in range(len(options))]
    longer = [n for n in numbers if n.startswith(typed) and n != typed]
    if typed not in numbers and not longer:
        app.ui.digits = ""
        app.ui.hint = ""
        app.ui.flash = f"There is no card {typed}: the cards are numbered 1 to {len(options)}." \
            if options else ""
        return
    if longer:
        app.ui.digits = typed
        app.ui.hint = f"Card {typed}… — type another digit for card " \
            f"{' or '.join(longer[:3])}, or Enter for card {typed}" if typed in numbers else \
            f"Card {typed}… — type the next digit"
        return
    pick_card(app, int(typed))


def pick_card(app: BoardApp, number: int) -> None:
    """Choose card ``number`` (turning to its page, so the chosen card is seen)."""
    options = dock_cards(app)
    app.ui.digits = ""
    app.ui.hint = ""
    if not 1 <= number <= len(options):
        return
    m = options[number - 1]
    per_page = app.cards_per_page
    if per_page:
        app.ui.page = (number - 1) // per_page
    _card(app, f"{m.actor}:{m.move}")


def move_choices(opt: MoveOption) -> tuple[Choice, ...]:
    """A move's parameters as dialog questions, with the scenario's names for the choices
    (the ids where it names none)."""
    named = {pid: (question, dict(names)) for pid, question, names in opt.labels}
    out = []
    for pid, values in opt.params:
        question, names = named.get(pid, (pid.replace("_", " ").capitalize(), {}))
        out.append((pid, question, tuple((v, names.get(v, v)) for v in values)))
    return tuple(out)


def _param(app: BoardApp, arg: str) -> None:
    d = app.ui.dialog
    if d is None:
        return
    pid, _, value = arg.partition("=")
    d.params[pid] = value
    d.error = ""
    if d.kind is DialogKind.ADJUST and pid == "track" and app.view is not None:
        t = next((t for t in app.view.tracks if t.id == value), None)
        if t is not None and t.value is not None:
            d.value = f"{t.value:.{t.precision}f}"  # at its precision, as typed
            d.fresh = True
        d.field = "value"  # the number typed next is the new value


def _field(app: BoardApp, arg: str) -> None:
    if app.ui.dialog is not None:
        app.ui.dialog.field = arg


def _submit(app: BoardApp, arg: str) -> None:
    d = app.ui.dialog
    if d is None or not d.complete():
        return
    action = dialog_action(app, d)
    if action is None:
        d.error = "That choice of parameters is not available now."
        return
    if app.submit(action):
        app.ui.dialog = None
        pygame.key.stop_text_input()


def dialog_action(app: BoardApp, d: Dialog) -> str | None:
    """The action text a completed dialog stands for (None if no legal action matches)."""
    reason = d.text.strip()
    if d.kind is DialogKind.OVERRIDE:
        return f"control: override order={d.params['order']} outcome={d.params['outcome']}" \
               f" | {reason}"
    if d.kind is DialogKind.ADJUST:
        return f"control: adjust track={d.params['track']} value={d.value.strip()} | {reason}"
    if d.kind is DialogKind.END:
        return f"control: end | {reason}" if reason else "control: end"
    assert app.view is not None
    opt = next((m for m in app.view.moves if m.actor == d.actor and m.move == d.move), None)
    for text_form in opt.actions if opt else ():
        act = Action.parse(text_form)
        if all(act.param(pid) == d.params.get(pid) for pid, _, _ in d.choices):
            return str(act.with_rationale(reason)) if reason else str(act)
    return None


def _retract(app: BoardApp, arg: str) -> None:
    app.submit(arg)


def _done(app: BoardApp, arg: str) -> None:
    app.submit(f"{arg}: pass")


def _page(app: BoardApp, arg: str) -> None:
    if app.briefing:
        app.turn_briefing(int(arg or "1"))
        return
    if app.ui.popups:  # PgDn/PgUp and its More button turn the pop-up's text, not the cards
        turn_popup(app, -1 if arg.endswith("-1") else 1)
        return
    app.ui.page = max(0, app.ui.page + int(arg or "1"))


def popup_has_more(app: BoardApp) -> bool:
    """Whether the pop-up on show has a page of its text after this one (its More button)."""
    return any(h.click is Click.PAGE and h.arg == POPUP_MORE for h in app.hits)


def turn_popup(app: BoardApp, step: int) -> None:
    """The pop-up's next (``step`` 1, while it has more) or previous page (-1)."""
    p = app.ui.popups[0]
    if step > 0 and not popup_has_more(app):
        return
    app.ui.popups[0] = replace(p, page=max(0, p.page + step))


def _log(app: BoardApp, arg: str) -> None:
    assert app.view is not None
    seq = int(arg)
    line = next((ln for ln in app.view.log if ln.seq == seq), None)
    title = line.text if line is not None else f"entry {seq}"
    app.ui.explain = (title, tuple(app.game.explain(seq, app.ui.viewer)))
    app.ui.popups.clear()


def _track(app: BoardApp, arg: str) -> None:
    """Explain the latest change of a track this viewer saw, or describe the track."""
    assert app.view is not None
    t = next((t for t in app.view.tracks if t.id == arg), None)
    if t is None:
        return
    # The umpire's note is in the umpire's view only ('' in every team's and the room's).
    note = (f"Umpire only: {t.umpire_note}",) if t.umpire_note else ()
    for line in reversed(app.view.log):
        if line.kind in ("change", "threshold", "adjust") and line.data.get("track") == t.id:
            _log(app, str(line.seq))
            if note and app.ui.explain is not None:
                title, body = app.ui.explain
                app.ui.explain = (title, (*body, *note))
            return
    lines = [t.description or t.name, *note]
    if t.status == "exact":
        lines.append("No change yet in this game.")
    else:  # a secret track: its changes are not shown, what the team was shown of it is
        lines.append(f"Your team knows it only by its estimate: {P.known(t)}.")
        if t.seen is not None:
            lines.append(f"Your team was {P.seen(t)}.")
    app.ui.explain = (t.name, tuple(lines))


def _theme(app: BoardApp, arg: str) -> None:
    app.ui.theme = int(arg or "0")


def _act(app: BoardApp, arg: str) -> None:
    app.submit(arg)


def _override(app: BoardApp, arg: str) -> None:
    assert app.view is not None
    order = next((o for o in app.view.orders if o.ref == arg), None)
    if order is None:
        return
    app.ui.dialog = Dialog(DialogKind.OVERRIDE, actor=CONTROL, params={"order": arg},
                           choices=(("outcome", "Outcome", order.outcomes),))
    pygame.key.start_text_input()


def _adjust(app: BoardApp, arg: str) -> None:
    assert app.view is not None
    tracks = tuple((t.id, t.name) for t in app.view.tracks)  # names; the dialog pages them
    app.ui.dialog = Dialog(DialogKind.ADJUST, actor=CONTROL, choices=(("track", "Track", tracks),))
    if arg:
        _param(app, f"track={arg}")
    pygame.key.start_text_input()


def _end_game(app: BoardApp, arg: str) -> None:
    """'End game…': ask for the reason (the engine ends the game on Submit, or says why not)."""
    if app.view is None or app.view.over:
        return
    app.ui.dialog = Dialog(DialogKind.END, actor=CONTROL)
    pygame.key.start_text_input()


def _undo(app: BoardApp, arg: str) -> None:
    app.umpire_power(app.game.undo_resolution)


def _pause(app: BoardApp, arg: str) -> None:
    app.ui.flash = ""  # the 'paused' note goes with the pause
    app.umpire_power(app.game.resume if app.game.paused else app.game.pause)


def _show_log(app: BoardApp, arg: str) -> None:
    app.ui.show_log = not app.ui.show_log
    app.ui.log_scroll = 0


def _help(app: BoardApp, arg: str) -> None:
    app.ui.show_help = not app.ui.show_help


_HANDLERS: dict[Click, Callable[[BoardApp, str], None]] = {
    Click.CONTINUE: _continue, Click.HANDOFF: _handoff, Click.CANCEL: _cancel,
    Click.CARD: _card, Click.PARAM: _param,
    Click.FIELD: _field, Click.SUBMIT: _submit, Click.RETRACT: _retract, Click.DONE: _done,
    Click.PAGE: _page, Click.LOG: _log, Click.TRACK: _track, Click.ACT: _act,
    Click.OVERRIDE: _override, Click.ADJUST: _adjust, Click.UNDO: _undo, Click.PAUSE: _pause,
    Click.END_GAME: _end_game, Click.BRIEF: _brief, Click.DEBRIEF: _debrief,
    Click.FINAL_BOARD: _final_board,
    Click.SHOW_LOG: _show_log, Click.HELP: _help, Click.THEME: _theme,
}


# ---------------------------------------------------------------------------------- keys


def key(app: BoardApp, k: int, mod: int = 0) -> None:
    """Keyboard shortcuts (see the help overlay, H)."""
    app.dirty = True
    if k == pygame.K_q and mod & pygame.KMOD_CTRL:
        app.request_quit()
    elif k == pygame.K_s and mod & pygame.KMOD_CTRL:
        app.save()
    elif k == pygame.K_F11:
        pygame.display.toggle_fullscreen()
    elif app.game.paused and k != pygame.K_p:
        app.ui.flash = "The game is paused: only the umpire's P (Resume) works now."
    elif app.briefing:
        if k in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER):
            app.briefing_next()
        elif k in _BACK or k in _FORWARD:
            app.turn_briefing(1 if k in _FORWARD else -1)
    elif app.game_over_screen:
        _ending_key(app, k)
    elif k == pygame.K_ESCAPE:
        _cancel(app, "")
    elif app.ui.dialog is not None:
        _dialog_key(app, app.ui.dialog, k)
    elif app.ui.handoff_to is not None:
        _handoff_key(app, k)
    elif app.ui.digits and k in (pygame.K_RETURN, pygame.K_KP_ENTER):
        pick_card(app, int(app.ui.digits))
    elif k in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_KP_ENTER):
        _continue(app, "")
    else:
        if app.show is not None:  # a key during the replay of results ends it, then acts
            app.show = None
        _board_key(app, k)


def _handoff_key(app: BoardApp, k: int) -> None:
    """On the hand-off screen O opens the next seat's screen and F9 calls the umpire to it
    (Ctrl+Q, Ctrl+S and F11 work here as everywhere); any other key says how to go on."""
    if k == pygame.K_o:
        _handoff(app, "")
    elif k == pygame.K_F9 and app.game.is_human(CONTROL) \
            and (app.summoned or app.ui.handoff_to != CONTROL):  # (else it is the umpire's turn)
        _summon(app)
    elif k not in _MODIFIERS:  # Ctrl on its way to Ctrl+Q is not a wrong key
        app.ui.flash = ""
        app.ui.hint = HANDOFF_HINT


def _dialog_key(app: BoardApp, d: Dialog, k: int) -> None:
    if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
        _submit(app, "")
    elif k == pygame.K_BACKSPACE:
        if d.field == "value":
            d.value = d.value[:-1]
            d.fresh = False
        else:
            d.text = d.text[:-1]
    elif k in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
        d.page = max(0, d.page + (1 if k == pygame.K_PAGEDOWN else -1))
    elif k == pygame.K_TAB and d.kind is DialogKind.ADJUST:
        d.field = "value" if d.field == "text" else "text"


def _board_key(app: BoardApp, k: int) -> None:
    if app.ui.show_log and k in (pygame.K_UP, pygame.K_DOWN):
        scroll(app, 1 if k == pygame.K_DOWN else -1)
        return
    if app.ui.brief_page is not None and k in (pygame.K_PAGEDOWN, pygame.K_PAGEUP, pygame.K_DOWN,
                                               pygame.K_UP):
        step = 1 if k in (pygame.K_PAGEDOWN, pygame.K_DOWN) else -1
        app.ui.brief_page = max(0, app.ui.brief_page + step)
        return
    digit = _DIGITS.get(k)
    if digit is not None:
        if not app.ui.has_overlay():
            card_digit(app, digit)
        return
    app.ui.digits = ""
    app.ui.hint = ""
    action = _KEYS.get(k)
    if action is not None:
        action(app)


_FORWARD = frozenset((pygame.K_PAGEDOWN, pygame.K_DOWN, pygame.K_RIGHT))
_BACK = frozenset((pygame.K_PAGEUP, pygame.K_UP, pygame.K_LEFT))
"""Keys that turn the opening briefing's pages."""

_KEYPAD = (pygame.K_KP0, pygame.K_KP1, pygame.K_KP2, pygame.K_KP3, pygame.K_KP4, pygame.K_KP5,
           pygame.K_KP6, pygame.K_KP7, pygame.K_KP8, pygame.K_KP9)
_DIGITS = {**{pygame.K_0 + i: i for i in range(10)}, **{k: i for i, k in enumerate(_KEYPAD)}}


def _key_click(kind: Click, arg: str = "") -> KeyAction:
    def run(app: BoardApp) -> None:
        hit = _first(app.hits, kind)
        if hit is not None:
            click(app, kind, arg or hit.arg)

    return run


def _first(hits: list[Hit], kind: Click) -> Hit | None:
    return next((h for h in hits if h.click is kind), None)


def _why_latest(app: BoardApp) -> None:
    from game.board.panels import latest_line

    if app.ui.popups and app.ui.popups[0].seq >= 0:
        _log(app, str(app.ui.popups[0].seq))
    elif app.view is not None:
        line = latest_line(app.view)
        if line is not None:
            _log(app, str(line.seq))


def _umpire_only(fn: KeyAction) -> KeyAction:
    def run(app: BoardApp) -> None:
        if app.ui.mode is Mode.UMPIRE:
            fn(app)

    return run


def _summon(app: BoardApp) -> None:
    """F9: call the umpire to the screen out of turn (again: give it back)."""
    if app.game.is_human(CONTROL):
        app.summoned = not app.summoned
        app.sync()


def _retract_last(app: BoardApp) -> None:
    hits = [h for h in app.hits if h.click is Click.RETRACT]
    if hits:
        app.submit(hits[-1].arg)


_KEYS: dict[int, KeyAction] = {
    pygame.K_d: _key_click(Click.DONE),
    pygame.K_r: _retract_last,
    pygame.K_PAGEDOWN: lambda app: _page(app, "+1"),
    pygame.K_PAGEUP: lambda app: _page(app, "-1"),
    pygame.K_l: lambda app: _show_log(app, ""),
    pygame.K_h: lambda app: _help(app, ""),
    pygame.K_F1: lambda app: _help(app, ""),
    pygame.K_w: _why_latest,
    pygame.K_t: _key_click(Click.THEME),
    pygame.K_a: _umpire_only(lambda app: _act(app, "control: advance")),
    pygame.K_j: _umpire_only(lambda app: _adjust(app, "")),
    pygame.K_u: _umpire_only(lambda app: _undo(app, "")),
    pygame.K_p: _umpire_only(lambda app: _pause(app, "")),
    pygame.K_e: _umpire_only(lambda app: _end_game(app, "")),
    pygame.K_F9: _summon,
    pygame.K_b: lambda app: _brief(app, ""),
    pygame.K_v: lambda app: _final_board(app, "") if app.view and app.view.over else None,
}
