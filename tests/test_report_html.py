"""The debrief as one HTML page (issue 13): its sections and charts, names never ids, scenario
and player text escaped, written by ``powerplay report --format html``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from game.cli import app
from game.report.html import to_html
from game.session import Game

SECTIONS = ("ending", "scores", "objectives", "tracks", "history", "decisions", "rulings")


@pytest.fixture(scope="module")
def flagship() -> Game:
    """Three turns of the flagship with greedy teams and the automatic umpire, and one order
    whose rationale is hostile HTML."""
    g = Game.new("kursk-2024", seed=5, seats="all=greedy")
    hostile = True
    while g.engine.state.turn < 4 and not g.is_over:
        if hostile and g.engine.state.turn == 2 and "EU" in g.engine.waiting_for():
            act = next(a for a in g.legal_actions("EU")
                       if g.rules.moves[g.rules.move_index[a.verb]].cost
                       if a.verb in g.rules.move_index)
            g.submit(f"{act} | <script>alert('x')</script> & | pipes |")
            hostile = False
            continue
        if not g.step_agent():
            break
    return g


def visible_text(page: str) -> str:
    """What a reader sees: the page without its charts' markup and tags."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_page_has_every_section_and_its_charts(flagship: Game) -> None:
    page = to_html(flagship)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for section in SECTIONS:
        assert f"id='{section}'" in page
    charts = page.count("<svg")
    tracks = [t for t in flagship.rules.tracks if t.secret]
    assert charts >= 1 + min(len(tracks), 12) + 1  # scores, key tracks, the real record
    assert "http://" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.S).replace(
        "http://www.w3.org", "")  # nothing fetched from elsewhere: it opens offline
    text = visible_text(page)
    for a in flagship.rules.actors:
        if a.is_player:
            assert a.name in text
    assert "hidden agenda" in text


def test_the_page_speaks_in_names_never_ids(flagship: Game) -> None:
    text = visible_text(to_html(flagship))
    rules = flagship.rules
    ids = [x.id for x in (*rules.moves, *rules.tracks, *rules.objectives, *rules.events)
           if "_" in x.id]  # ids like 'eu_air_defence' (one-word ids are ordinary words too)
    found = sorted({i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)})
    assert not found, f"ids in the page: {found}"


def test_player_text_is_escaped_not_run(flagship: Game) -> None:
    page = to_html(flagship)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; | pipes |" in page


def test_the_command_writes_the_page(flagship: Game, tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    flagship.save(save)
    out = tmp_path / "debrief.html"
    result = CliRunner().invoke(app, ["report", str(save), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("<svg") >= 3
