"""Offers (issue 12): one team puts a proposal on the table with a move, another team's move
accepts or declines it, and both pay. One test per clause, the clause as the docstring; the
fixture is ``tests/fixtures/scenarios/bargain.yaml`` (Westland offers Southland a deal: market
access for aid to the front; Eastland plays alongside and must learn nothing of it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_engine_rules import play, refused

from game.engine.actions import Action
from game.engine.views import view_for
from game.saves import read_save, write_save
from game.scenario.errors import ScenarioError
from game.scenario.load import load_text
from game.session import Game

FIXTURE = Path(__file__).parent / "fixtures" / "scenarios" / "bargain.yaml"
TEXT = FIXTURE.read_text(encoding="utf-8")
MARKET = "Offer Southland a deal (What Westland gives: Market access)"
CREDIT = "Offer Southland a deal (What Westland gives: Export credit)"


def game(seed: int = 1, seats: str = "all=passive") -> Game:
    return Game.new(str(FIXTURE), seed, seats)


def finish_orders(g: Game) -> None:
    """Every team still giving orders passes (the turn then resolves)."""
    for who in ("WEST", "SOUTH", "EAST"):
        if who in g.waiting_for():
            g.submit(Action(who, "pass"))


def offered(g: Game) -> Game:
    """Turn 1: Westland offers the deal; now turn 2, the offer on the table."""
    play(g, "WEST: offer_deal give=credit | a fair price")
    finish_orders(g)
    assert g.engine.state.turn == 2
    return g


def lines(g: Game, viewer: str) -> list[str]:
    return [x.text for x in view_for(g.engine, viewer).log]


def test_an_offer_is_put_on_the_table_when_its_move_resolves() -> None:
    """The maker pays the offer move's cost when giving it; when the move resolves the offer is
    open to the receiver until the end of turn made + expires, its flag is 1, and both sides are
    told."""
    g = game()
    play(g, "WEST: offer_deal give=market")
    assert g.engine.resource("WEST", "pc") == 1 and not g.engine.state.offers
    finish_orders(g)
    [offer] = g.engine.state.offers
    assert (offer.ref, offer.turn, offer.until) == ("WEST-1", 1, 2)
    assert g.engine.value("deal_on_table") == 1
    said = (f"Westland offers Southland: {MARKET} — open until the end of turn 2.")
    assert said in lines(g, "WEST") and said in lines(g, "SOUTH")
    [shown] = view_for(g.engine, "SOUTH").offers
    assert (shown.actor_name, shown.label, shown.until) == ("Westland", MARKET, 2)
    assert shown.answers == ("take_deal", "refuse_deal")


def test_accepting_makes_both_sides_pay() -> None:
    """The receiver's accepting move pays its own cost and its outcome applies both sides of
    the bargain (here the maker's political capital too); the offer closes and its flag drops."""
    g = offered(game())
    pc, ap = g.engine.resource("WEST", "pc"), g.engine.resource("SOUTH", "ap")
    play(g, "SOUTH: take_deal")
    assert g.engine.resource("SOUTH", "ap") == ap - 1
    finish_orders(g)
    assert g.engine.state.offers == ()
    assert g.engine.value("south_aid") == 2 and g.engine.value("partnership") == 4
    assert g.engine.value("deal_on_table") == 0
    income = 1
    assert g.engine.resource("WEST", "pc") == pc - 2 + income  # export credit costs it 2
    assert f"Southland accepts the offer of Westland: {CREDIT}." in lines(g, "WEST")


def test_the_answer_reads_the_terms_of_the_offer() -> None:
    """An answering move's effects read the offer's parameters (its terms) by their ids: market
    access costs Westland 1 and adds 1 to the partnership, export credit 2 and 2."""
    for give, cost, partnership in (("market", 1, 3), ("credit", 2, 4)):
        g = game()
        play(g, f"WEST: offer_deal give={give}")
        finish_orders(g)
        pc = g.engine.resource("WEST", "pc")
        play(g, "SOUTH: take_deal")
        finish_orders(g)
        assert g.engine.resource("WEST", "pc") == pc - cost + 1
        assert g.engine.value("partnership") == partnership


def test_declining_closes_the_offer_and_refunds_the_maker() -> None:
    """A declining move closes the offer; a ``refund: true`` offer gives the maker its cost
    back; the decline's own outcome applies."""
    g = offered(game())
    pc = g.engine.resource("WEST", "pc")
    play(g, "SOUTH: refuse_deal")
    finish_orders(g)
    assert g.engine.state.offers == () and g.engine.value("partnership") == 1
    assert g.engine.resource("WEST", "pc") == min(6, pc + 2 + 1)
    assert f"Southland declines the offer of Westland: {CREDIT}." in lines(g, "SOUTH")


def test_an_unanswered_offer_lapses_at_the_end_of_its_last_turn() -> None:
    """Not answered by the end of turn made + expires, the offer lapses: logged for both sides,
    the maker refunded, the flag down, and the answers no longer legal."""
    g = offered(game())
    pc = g.engine.resource("WEST", "pc")
    finish_orders(g)  # turn 2 ends unanswered
    assert g.engine.state.turn == 3 and g.engine.state.offers == ()
    assert g.engine.value("deal_on_table") == 0
    assert g.engine.resource("WEST", "pc") == min(6, pc + 2 + 1)
    assert (f"The offer of Westland to Southland lapses unanswered: {CREDIT}."
            in lines(g, "SOUTH"))
    assert not any(a.verb in ("take_deal", "refuse_deal") for a in g.legal_actions("SOUTH"))


def test_an_offer_cannot_be_accepted_twice() -> None:
    """Once accepted the offer is gone: a second acceptance is refused with a clear
    IllegalAction; an answer given beside the first in the same phase does nothing when it
    resolves, and its cost comes back."""
    g = offered(game())
    play(g, "SOUTH: take_deal", "SOUTH: refuse_deal")
    finish_orders(g)
    assert g.engine.value("partnership") == 4  # the decline's -1 did not apply
    assert any("answers too late" in x for x in lines(g, "SOUTH"))
    err = refused(g, "SOUTH: take_deal", "action/prerequisite")
    assert "an open offer of 'Offer Southland a deal' to you" in err.message


def test_an_answer_without_an_open_offer_is_refused() -> None:
    """Before any offer is made, accepting is refused with ``action/prerequisite`` saying what
    is missing, and the game is left as it was."""
    g = game()
    err = refused(g, "SOUTH: take_deal", "action/prerequisite")
    assert err.message == ("SOUTH cannot make 'take_deal' now: needs an open offer of 'Offer "
                           "Southland a deal' to you (not met)")
    assert not any(a.verb == "take_deal" for a in g.legal_actions("SOUTH"))


def test_the_same_offer_cannot_be_made_again_while_it_is_open() -> None:
    g = offered(game())
    refused(g, "WEST: offer_deal give=market", "action/prerequisite")


def test_a_third_team_learns_nothing_of_the_offer() -> None:
    """Eastland sees no offer, no line of the log about it, and not the flag; its view is the
    same as in a game where no offer was made."""
    g, quiet = offered(game()), game()
    finish_orders(quiet)
    east, east_quiet = view_for(g.engine, "EAST"), view_for(quiet.engine, "EAST")
    assert east.offers == () and east.track("deal_on_table").status == "unknown"
    assert [x.text for x in east.log] == [x.text for x in east_quiet.log]
    assert "offer" not in json.dumps([x.data for x in east.log]).lower()
    assert view_for(g.engine, "public").offers == ()
    assert len(view_for(g.engine, "control").offers) == 1


def test_a_save_with_an_open_offer_round_trips(tmp_path: Path) -> None:
    g = offered(game())
    write_save(g, tmp_path / "s.json")
    back = read_save(tmp_path / "s.json")
    assert back.engine.state.to_json() == g.engine.state.to_json()
    play(back, "SOUTH: take_deal")
    finish_orders(back)
    assert back.engine.value("south_aid") == 2


def test_a_clone_answers_the_offer_as_the_game_would() -> None:
    g = offered(game())
    c = g.fork()
    for x in (g, c):
        play(x, "SOUTH: take_deal")
        finish_orders(x)
    assert c.engine.state.to_json() == g.engine.state.to_json()


@pytest.mark.parametrize("seats", ["all=random", "all=greedy"])
def test_computer_players_make_and_answer_offers(seats: str) -> None:
    """Offers and answers are ordinary legal actions: computer players make and answer them
    with no special code."""
    made = answered = 0
    for seed in range(30):
        g = game(seed, seats)
        g.play_out()
        assert g.is_over
        kinds = [e.get("status") for e in g.engine.state.entries() if e.kind == "offer"]
        made += kinds.count("open")
        answered += kinds.count("accepted") + kinds.count("declined")
    assert made > 0 and answered > 0


def test_an_answer_may_not_reuse_the_name_of_a_term_of_the_offer() -> None:
    text = TEXT.replace("    accepts: offer_deal\n", "    accepts: offer_deal\n    params: [{id: give, "
                        "choices: [{id: yes}]}]\n", 1)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "bargain.yaml")
    assert "bargain.yaml:58:19" in str(info.value)
    assert "parameter 'give' is also a term of the offer 'offer_deal'" in str(info.value)


@pytest.mark.parametrize("old, new, where, words", [
    ("    accepts: offer_deal\n", "    accepts: shell\n", ":57:14",
     "'shell' is not a move that makes an offer"),
    ("    declines: offer_deal\n", "    declines: offer_dea\n", ":72:15", "did you mean"),
    ("offer: {to: SOUTH,", "offer: {to: WEST,", ":44:17", "cannot be offered to it"),
    ("flag: deal_on_table}", "flag: partnership}", ":44:56", "is a number track"),
    ("    accepts: offer_deal\n", "    declines: offer_deal\n", ":44:12",
     "no move accepts the offer of 'offer_deal'"),
    ("    actors: [SOUTH]\n    phases: [orders]\n    accepts",
     "    actors: [EAST]\n    phases: [orders]\n    accepts", ":55:14",
     "only 'SOUTH' can answer it"),
])
def test_a_bad_offer_is_refused_at_its_line_and_column(old: str, new: str, where: str,
                                                       words: str) -> None:
    assert old in TEXT
    with pytest.raises(ScenarioError) as info:
        load_text(TEXT.replace(old, new, 1), "bargain.yaml")
    message = str(info.value)
    assert f"bargain.yaml{where}" in message and "scenario/bad-offer" in message, message
    assert words in message


def test_the_debrief_lists_each_offer_and_what_became_of_it(tmp_path: Path) -> None:
    """The debrief has a table of the offers: who offered what to whom, and whether it was
    accepted, declined or lapsed (and when); its CSV export has it too."""
    from game.report.debrief import debrief, to_markdown, write_csv

    g = offered(game())
    finish_orders(g)  # lapses at the end of turn 2
    play(g, "WEST: offer_deal give=market")
    finish_orders(g)
    play(g, "SOUTH: take_deal")
    finish_orders(g)
    d = debrief(g)
    assert [(o.turn, o.result, o.closed) for o in d.offers] == [(1, "lapsed", 2),
                                                                (3, "accepted", 4)]
    text = to_markdown(d)
    assert f"| 3 | Westland | Southland | {MARKET} | accepted (turn 4) |" in text
    assert any(p.name == "bargain-offers.csv" for p in write_csv(d, tmp_path))


def test_lint_knows_the_engine_raises_an_offer_flag() -> None:
    """An offer's flag is changed by the engine, so lint does not call it a track nothing
    changes."""
    from game.scenario.lint import lint
    from game.scenario.load import load_scenario

    loaded = load_scenario(FIXTURE)
    assert lint(loaded.scenario, loaded.source) == []


def test_a_view_with_an_offer_crosses_the_network_whole() -> None:
    """A hosted seat rebuilds the receiver's view, its offers included, from JSON."""
    from game.tui.link import view_from_json

    v = offered(game()).view("SOUTH")
    assert v.offers and view_from_json(json.loads(json.dumps(v.to_json()))) == v
