"""The debrief's Markdown, CSV and JSON on a flagship game with people at two seats: a '|' in a
rationale keeps its Markdown row whole, numbers come at their declared precision (no float
noise)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from game.report.debrief import debrief, to_json_text, to_markdown, write_csv
from game.saves import read_save, write_save
from game.session import Game

RATIONALES = ("Keep Seoul close before the talks", "Costs little | signals a lot",
              "The North is overstretched")
NOISE = re.compile(r"\d\.\d{4,}")


def _played(turns: int = 4) -> Game:
    """Kursk 2024 with people at the EU and ROK seats (one or two orders a turn, each with a
    reason, then a pass) and the program at the others."""
    g = Game.new("kursk-2024", seed=11, seats="EU=human,ROK=human")
    n = k = 0
    g.run_agents()
    while not g.is_over and g.engine.state.turn <= turns:
        who = g.next_human()
        assert who is not None
        legal = [a for a in g.legal_actions(who) if a.verb != "say"]
        moves = [a for a in legal if a.verb not in ("pass", "done")]
        given = sum(1 for o in g.engine.state.orders if g.rules.actors[o.actor].id == who)
        if moves and given < 1 + n % 2:
            g.submit(moves[n % len(moves)].with_rationale(RATIONALES[k % len(RATIONALES)]))
            k += 1
        else:
            g.submit(next(a for a in legal if a.verb == "pass"))
        n += 1
        g.run_agents()
    return g


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "kursk.json"
    write_save(_played(), path)
    return path


def test_a_pipe_in_a_rationale_keeps_its_markdown_row_whole(saved: Path) -> None:
    md = to_markdown(debrief(read_save(saved)))
    rows = [ln for ln in md.splitlines() if "Costs little" in ln]
    assert rows
    header = next(ln for ln in md.splitlines() if ln.startswith("| turn") and "rationale" in ln)
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == len(header.split("|")), row


def test_no_float_noise_in_markdown_json_or_csv(saved: Path, tmp_path: Path) -> None:
    game = read_save(saved)
    places = {t.id: t.precision for t in game.rules.tracks}
    d = debrief(game)
    assert not NOISE.search(to_markdown(d))
    data = json.loads(to_json_text(d))
    for row in data["timeline"]:  # each track at its own declared precision
        assert all(v == round(v, places[k]) for k, v in row.items() if isinstance(v, float)), row
    assert all(v == round(v, 0) for v in data["scores"].values())
    for path in write_csv(d, tmp_path):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert not any(NOISE.fullmatch(v or "") for v in row.values()), (path.name, row)


def test_the_page_of_an_unfinished_game_names_no_winner_and_no_actor_ids(saved: Path) -> None:
    """The page's lead once was the session summary ('Scores: RUS 13, EU 10, ...': actor ids, and
    values like 3.938 off their precision), and a game saved at turn 5 named a winner."""
    from game.report.html import to_html

    page = to_html(read_save(saved))
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S))
    assert "saved before it ended, after 4 of 9 turns" in text
    assert "(won)" not in text
    assert not re.search(r"\b(EU|ROK|RUS|DPRK) \d+[,.]", text)  # "RUS 13, EU 10, ..."
    assert not NOISE.search(text)
