"""The JSON Schema of the scenario format, for editors (yaml-language-server, draft-07).

``scenarios/scenario.schema.json`` is generated from the pydantic models by
``powerplay schema -o scenarios/scenario.schema.json``; a test keeps the committed file current.
"""

from __future__ import annotations

import json
from typing import Any

from game.scenario.model import Scenario

SCHEMA_ID = "https://powerplay.example/scenario.schema.json"


def json_schema() -> dict[str, Any]:
    """A draft-07 JSON Schema whose field descriptions show as hover help in editors."""
    schema = Scenario.model_json_schema(ref_template="#/definitions/{model}", mode="validation")
    out: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "Power Play scenario",
    }
    for key, value in schema.items():
        out["definitions" if key == "$defs" else key] = value
    out["description"] = (
        "A Power Play scenario: actors, tracks, phases, moves, events, objectives, end "
        "conditions and history. See docs/scenario-authoring.md.")
    return out


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
