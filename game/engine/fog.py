"""What a team may infer: the one rule of the fog of war, enforced here.

A track a team cannot see is shown to it as its estimate range, or not at all (see
:mod:`game.engine.knowledge`). Nothing else the engine shows a team may tell it more than that
range. So, for a team (an actor) and anything that depends on what it cannot see:

1. **Scores.** An objective's points reach a team while the game runs only if the team sees every
   track its per-turn scoring reads (its end-of-game points are scored when the game is over,
   and then everything is shown). A team's own objective whose per-turn scoring reads a track
   it cannot see is shown as "depends on what you cannot see"; its points come at the debrief.
   Points shown to the room follow the same rule for every team.
2. **Rolls.** A roll (the dice, the modifiers that applied, the total and the target) is shown
   whole only to those who see every track its modifiers read. Anyone else who may learn how
   the order came out learns the outcome only: no dice and no target, since the distance between
   them would give away what an unseen modifier added. A team's own roll follows the same rule.
3. **Odds.** The odds on a card leave out the modifiers the team cannot see, and say so
   (:attr:`MoveOption.unseen_factors <game.engine.views.MoveOption>`): "as far as you know".
4. **Order.** The outcomes of a phase's orders are applied first for the orders every team learns
   of, then for the others (``Engine._resolve_orders``). So a hidden order's changes to a public
   track come after every result the room reads: neither their place in the log nor the values
   the public results show tells which order, or which team, caused them.

The umpire sees everything. Masks are actor bits; ``-1`` means everyone sees it.

>>> sees(-1, 3), sees(0b0101, 1), sees(0b0101, 2)
(True, False, True)
"""

from __future__ import annotations

from game.engine.rules import Move, Objective, Rules

EVERYONE = -1


def sees(mask: int, actor: int) -> bool:
    """Does ``actor`` (-1: the room) see everything behind ``mask`` (the actors who see every
    track read)?"""
    return mask == EVERYONE or (actor >= 0 and bool(mask >> actor & 1))


def score_audience(rules: Rules, o: Objective) -> int:
    """The actors who may be told ``o``'s points while the game runs: the owner (or, for a
    public objective, everyone), less whoever cannot see a track it reads."""
    audience = rules.all_mask if o.public else 1 << o.actor
    return audience if o.seen_by == EVERYONE else audience & o.seen_by


def score_shown(rules: Rules, o: Objective, actor: int | None, over: bool) -> bool:
    """May ``actor`` (None: the umpire, -1: the room) see ``o``'s points now?"""
    if actor is None or over:
        return True
    return o.public if actor < 0 else bool(score_audience(rules, o) >> actor & 1)


def roll_audience(mv: Move) -> int:
    """The actors who see every track the modifiers of ``mv`` read (-1: everyone)."""
    mask = EVERYONE
    for m in mv.modifiers:
        mask &= m.seen_by
    return mask


def roll_shown(mv: Move, actor: int | None) -> bool:
    """May ``actor`` (None: the umpire, -1: the room) see the dice, modifiers and target of a
    roll of ``mv``, rather than its outcome only?"""
    return actor is None or sees(roll_audience(mv), actor)
