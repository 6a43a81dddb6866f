"""The phase flow declared once as a flat ``transitions`` state machine.

Each scenario's phases become the states of one Machine (``auto_transitions=False``): ``advance``
goes from a phase to its successor, ``skip`` passes over a phase whose ``skip_if`` holds,
``end_turn`` leads from the last phase to the turn's end, ``next_turn`` back to the first phase and
``finish`` to the end of the game. The engine follows the table read from this machine (so the
hot loop never calls into the machine, and clones never touch it); ``powerplay diagram`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transitions import Machine

END_OF_TURN = "end_of_turn"
GAME_OVER = "game_over"


@dataclass(frozen=True)
class PhaseDecl:
    """What the flow needs to know of a phase."""

    id: str
    name: str
    kind: str
    next: str | None
    skip_if: str | None


class FlowModel:
    """The machine's model; its ``state`` is the phase id (kept in the game state too)."""

    state: str


def build_machine(phases: Sequence[PhaseDecl]) -> Machine:
    """A flat machine over the phases, the end of turn and the end of the game."""
    ids = [p.id for p in phases]
    model = FlowModel()
    machine = Machine(model=model, states=[*ids, END_OF_TURN, GAME_OVER], initial=ids[0],
                      auto_transitions=False, send_event=False)
    for i, p in enumerate(phases):
        dest = p.next or (ids[i + 1] if i + 1 < len(ids) else END_OF_TURN)
        machine.add_transition("advance", p.id, dest)
        if p.skip_if:
            machine.add_transition("skip", p.id, dest)
    machine.add_transition("next_turn", END_OF_TURN, ids[0])
    machine.add_transition("finish", END_OF_TURN, GAME_OVER)
    return machine


def successor_table(machine: Machine, ids: Sequence[str]) -> list[int]:
    """For each phase index, the index of the phase ``advance`` leads to (-1: end of turn)."""
    out = []
    for pid in ids:
        dest = machine.get_transitions("advance", source=pid)[0].dest
        out.append(ids.index(dest) if dest in ids else -1)
    return out


def mermaid(machine: Machine, phases: Sequence[PhaseDecl], turns: int) -> str:
    """The machine as a mermaid state diagram."""
    lines = ["stateDiagram-v2", f"    [*] --> {phases[0].id}"]
    for p in phases:
        lines.append(f"    {p.id} : {p.name} ({p.kind})")
    labels = {"advance": "", "skip": "skip if ", "next_turn": "next turn",
              "finish": f"after turn {turns} or an end condition"}
    skip_if = {p.id: p.skip_if for p in phases}
    for trigger in ("advance", "skip", "next_turn", "finish"):
        for t in machine.get_transitions(trigger):
            label = labels[trigger] + (skip_if.get(t.source) or "" if trigger == "skip" else "")
            suffix = f" : {label}" if label else ""
            lines.append(f"    {t.source} --> {t.dest}{suffix}")
    lines.append(f"    {GAME_OVER} --> [*]")
    return "\n".join(lines) + "\n"
