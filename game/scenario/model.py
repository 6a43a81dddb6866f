"""The scenario authoring format: pydantic models of a scenario file.

These models are the edge of the program: they check the *shape* of a file (fields, types,
ranges). Cross-references between parts (a move naming a track, an expression naming a flag)
are checked in :mod:`game.scenario.check`, and the result is compiled into the engine's fast
index-based rules by :mod:`game.scenario.compile`. The field descriptions below become the hover
help of ``scenarios/scenario.schema.json`` in an editor.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$"),
    Field(description="An identifier: a letter, then letters, digits or '_' (at most 40)."),
]
ScenarioId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$"),
    Field(description="Scenario id: lower-case letters, digits and '-', e.g. 'kursk-2024'."),
]
Expression = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    Field(description="An expression over track names, e.g. 'eu_rok_intel >= 2 and not martial_law'."),
]
Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"),
    Field(description="A colour as '#RRGGBB'."),
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
MAX_NUMBER = 1e12
"""The largest magnitude a number in a scenario may have (the same bound as a number written in
an expression): every sum and product the engine makes of them stays a finite float."""
Number = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]
Audience = Literal["all", "self", "control"] | list[Id]
"""Who learns something: everyone, only the acting actor (and control), only control, or a list."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Model):
    """A source the scenario's facts and figures come from."""

    id: Id = Field(description="Short id used by 'source:' fields, e.g. 'nis_2025'.")
    title: str = Field(description="Title of the article, report or page.")
    url: str | None = Field(None, description="Where to find it.")
    publisher: str | None = Field(None, description="Who published it.")
    date: dt.date | str | None = Field(None, description="Publication date (YYYY-MM-DD).")


class Meta(Model):
    """What the scenario is: its name, calendar and sources."""

    id: ScenarioId
    title: str = Field(description="Title shown on the board and in reports.")
    version: str = Field(description="Version of this scenario file, e.g. '1.0'.")
    description: Text = Field("", description="A paragraph for the setup screen.")
    start_date: dt.date = Field(description="Calendar date of turn 1 (YYYY-MM-DD).")
    turn_length_days: int = Field(ge=1, le=365, description="Calendar days one turn covers.")
    turns: int = Field(ge=1, le=100, description="Number of turns; the game ends after the last.")
    dice: bool = Field(
        True,
        description="False switches dice off: dice and matrix moves take their most likely outcome.",
    )
    score_precision: int = Field(1, ge=0, le=6,
        description="Decimal places people see in scores (trailing zeros dropped).")
    authors: list[str] = Field(default_factory=list, description="Who wrote the scenario.")
    sources: list[Source] = Field(default_factory=list, description="Every source used.")

    @field_validator("turns")
    @classmethod
    def _calendar_holds_the_game(cls, turns: int, info: ValidationInfo) -> int:
        """The last turn's end must be a date the calendar has (before the year 10000)."""
        start, days = info.data.get("start_date"), info.data.get("turn_length_days")
        if isinstance(start, dt.date) and isinstance(days, int):
            try:
                start + dt.timedelta(days=days * (turns + 1))
            except OverflowError:
                raise ValueError(f"{turns} turns of {days} days from {start} would run past "
                                 "the last date of the calendar (9999-12-31); start earlier "
                                 "or play fewer turns") from None
        return turns


class Resource(Model):
    """A spendable resource of an actor, such as action points or political capital."""

    id: Id
    name: str = Field(description="Name shown to players, e.g. 'Action points'.")
    initial: int = Field(ge=0, le=1000, description="Amount at the start of the game.")
    per_turn: int = Field(0, ge=0, le=1000, description="Income added at the end of each turn.")
    max: int | None = Field(None, ge=0, le=1000, description="Cap on the amount; none if empty.")


class Briefing(Model):
    """What the teams are told about an actor."""

    public: Text = Field("", description="What every team is told about this actor.")
    private: Text = Field("", description="What only this actor's team (and control) reads.")


class Actor(Model):
    """A party to the crisis: a player team or an actor the control cell plays."""

    id: Id = Field(description="Short id, e.g. 'EU', 'ROK'.")
    name: str = Field(description="Full name shown to players, e.g. 'European Union'.")
    kind: Literal["player", "control"] = Field(
        description="'player': played by a team; 'control': played by the umpire or a script."
    )
    color: Colour = Field(description="Colour of the actor on the board (choose colour-blind safe).")
    resources: list[Resource] = Field(default_factory=list,
        description="Spendable resources such as action points or political capital.")
    briefing: Briefing = Field(default_factory=Briefing,
        description="The actor's public and private briefings.")


class Threshold(Model):
    """A named rung on a track: crossing it is announced and can fire events (on_up, on_down)."""

    at: Number = Field(description="Value at which the rung is reached.")
    name: str = Field(description="Name of the rung, e.g. 'Standoff'.")
    text: Text = Field("", description="What reaching the rung means.")
    reached: Literal["rising", "falling"] = Field(
        "rising",
        description="'rising': the rung holds while the value is at or above 'at' (a ladder "
                    "climbed); 'falling': while it is at or below 'at' (e.g. 'Frayed' on a "
                    "cohesion track, 'Last foothold' on ground held). The board and the log "
                    "name the rung a track stands on by it.")
    on_up: Id | None = Field(None, description=(
        "Event fired when the value rises across 'at' (from below it to at or above it), "
        "whatever the event's own trigger says; once: true (its default) fires it at the first "
        "such crossing only."))
    on_down: Id | None = Field(None, description=(
        "Event fired when the value falls across 'at' (from at or above it to below it; for a "
        "'falling' rung, from above it to at or below it)."))


class Estimate(Model):
    """How well some actors estimate a track they cannot see."""

    actors: list[Id] = Field(min_length=1, description="Actors this rule applies to.")
    quality: Expression = Field(
        description="0..1: 0 or less = unknown, 1 or more = exact, between = a range that narrows."
    )
    spread: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Width of the estimate at the worst quality, as a share of the track's range.",
    )
    bias: Annotated[float, Field(ge=-1, le=1)] | Literal["random"] = Field(
        0,
        description=(
            "How these actors' estimates lean, turn after turn: -1 (they run low: the truth at "
            "the top of the range) .. 0 (no lean) .. 1 (they run high: the truth at the bottom); "
            "'random': drawn once per actor at the start of the game, uniform in -1..1. A "
            "reveal of the track or an exact estimate of it corrects the lean (back to 0)."),
    )
    miss: float = Field(
        0,
        ge=0,
        le=1,
        description=(
            "Chance each turn that the range misses the truth (lies wholly above or below it, "
            "on the side the estimate leans to). The turn after a reveal of the track or an "
            "exact estimate, the range holds the truth."),
    )


class Track(Model):
    """A named numeric measure of the world (a flag is a 0/1 track)."""

    id: Id = Field(description="Name used in expressions, e.g. 'eu_rok_intel'.")
    name: str = Field(description="Name shown to players.")
    kind: Literal["number", "flag"] = Field("number",
        description="'number', or 'flag' for a yes/no (0/1) track.")
    theme: str = Field("general", description="Group shown together on the board, e.g. 'military'.")
    min: Number = Field(0, description="Lowest value; changes are clamped to it.")
    max: Number = Field(1, description="Highest value; changes are clamped to it.")
    initial: Number = Field(0, description="Value at the start of the game (within min..max).")
    unit: str = Field("", description="Unit shown after the value, e.g. 'thousand troops'.")
    integer: bool = Field(True, description="Round the value to a whole number after each change.")
    precision: int | None = Field(None, ge=0, le=6,
        description="Decimal places people see (default: 0 for whole-number tracks and flags; "
                    "otherwise enough that one step is at most a hundredth of the range: "
                    "1 on a 0-15 track, 2 on a 0-5 track).")
    thresholds: list[Threshold] = Field(default_factory=list,
        description="Named rungs; crossing one is announced.")
    visibility: Literal["public", "secret"] = Field(
        "public", description="'secret': only actors in known_to (and control) see the true value."
    )
    known_to: list[Id] = Field(default_factory=list, description="Actors that see a secret track.")
    estimates: list[Estimate] = Field(default_factory=list,
        description="How actors who cannot see a secret track estimate it.")
    description: Text = Field("", description=(
        "What the track measures, as everyone may read it: teams and the room see it on the board. "
        "Put what only the umpire may know (true figures, sources that give them away) in umpire_note."))
    umpire_note: Text = Field("", description=(
        "Umpire-only text: shown to the umpire and at the debrief, never to a team or the room "
        "(e.g. the true historical figure behind a secret track)."))
    source: Id | None = Field(None, description="Id of the source of the initial value.")

    def shown_precision(self) -> int:
        """Decimal places people see: as declared; else 0 for a whole-number track or a flag;
        else enough that one step is at most a hundredth of the range, so that 0.095 thousand
        on a 0-5 track reads '0.10', not '0.1', and 0.04 does not read as '0.0'.

        >>> [Track(id="t", name="T", integer=False, max=m).shown_precision() for m in (5, 15, 100)]
        [2, 1, 0]
        """
        if self.precision is not None:
            return self.precision
        if self.integer or self.kind == "flag":
            return 0
        hundredth = (abs(self.max - self.min) or 1.0) / 100 * (1 + 1e-9)
        places = 0
        while places < 6 and 10.0 ** -places > hundredth:
            places += 1
        return places


class Phase(Model):
    """One step of a turn."""

    id: Id
    name: str = Field(description="Name shown on the board and in the log.")
    kind: Literal["info", "orders", "adjudication", "events", "review"] = Field(
        description=(
            "info: read briefings; orders: actors choose moves; adjudication: orders are revealed "
            "and resolved; events: injects fire; review: the umpire reviews before going on."
        )
    )
    text: Text = Field("", description="Instructions shown during the phase.")
    actors: list[Id] = Field(default_factory=list, description="Who gives orders in this phase.")
    mode: Literal["simultaneous", "sequential"] = Field(
        "simultaneous",
        description="simultaneous: secret orders revealed together; sequential: in turn, openly.",
    )
    max_orders: int = Field(1, ge=1, le=20, description="Most orders one actor gives here.")
    wait_for_control: bool | None = Field(
        None, description="Wait for the umpire to go on (default: only in review phases)."
    )
    skip_if: Expression | None = Field(None, description="Skip the phase when this holds.")
    next: Id | None = Field(None, description="Phase that follows (default: the next listed).")


class Choice(Model):
    """One value a parameter can take."""

    id: Id
    name: str = Field("", description="Label shown to players (default: the id).")


class Param(Model):
    """A choice the actor makes with a move (e.g. which system to transfer)."""

    id: Id = Field(description="Name of the parameter, usable in the move's expressions.")
    name: str = Field("", description="Question shown to the player, e.g. 'Which system?'.")
    choices: list[Choice] = Field(min_length=1, description="The values the player chooses from.")


class Limits(Model):
    """How often a move may be made."""

    per_game: int | None = Field(None, ge=1, le=10_000, description="Times the move may be made in a game.")
    per_turn: int = Field(1, ge=1, le=100, description="Times one actor may make it in one turn.")
    cooldown: int = Field(0, ge=0, le=10_000, description="Turns that must pass before it may be made again.")


class Modifier(Model):
    """A modifier to a roll that applies when its condition holds."""

    value: int = Field(ge=-20, le=20,
        description="Added to the roll when the condition holds (negative for a penalty).")
    when: Expression = "true"
    why: str = Field(description="Shown to players beside the odds.")


class Adjudication(Model):
    """How a move's outcome is decided."""

    kind: Literal["automatic", "dice", "matrix", "umpire"] = Field(
        "automatic",
        description=(
            "automatic: always succeeds; dice: NdM + modifiers >= target; matrix: a free-text "
            "argument judged by the umpire (2d6 >= 7 with strength modifiers, or the players' "
            "averaged probability estimates); umpire: the umpire chooses the outcome."
        ),
    )
    dice: Annotated[str, StringConstraints(pattern=r"^([1-9]|1[0-9]|20)d([2-9]|[1-9][0-9]|100)$")] = (
        Field("2d6", description="Dice rolled, as NdM (1-20 dice of 2-100 sides): '2d6' is two "
                                 "six-sided dice."))
    target: int | None = Field(None, ge=-1000, le=1000,
                               description="Total needed for success (dice; matrix: 7).")
    modifiers: list[Modifier] = Field(default_factory=list,
        description="Bonuses and penalties to the roll, each with a condition and a reason.")


class Effect(Model):
    """One change to the world. Name exactly one target: track, resource, reveal or trigger."""

    track: Id | None = Field(None, description="Track to change with add, set, mul or toward.")
    resource: Id | None = Field(None, description="Resource of 'actor' to change with add.")
    actor: Id | None = Field(None, description="Actor whose resource changes ('self' = mover).")
    add: Number | Expression | None = Field(None, description="Number or expression to add.")
    set: Number | Expression | None = Field(None, description="Number or expression to set.")
    mul: Number | Expression | None = Field(None, description="Number or expression to multiply.")
    toward: Number | Expression | None = Field(None, description=(
        "Drift: the level the track moves toward, by 'by' each time the effect applies (give a "
        "'duration' to drift every turn); it never goes past it."))
    by: Number | Expression | None = Field(None,
        description="Drift: the most the track moves toward 'toward' each time (above 0).")
    reveal: Id | None = Field(None, description="Track whose true value the 'to' actors learn.")
    to: list[Id] = Field(default_factory=list, description="Actors who learn the revealed track.")
    trigger: Id | None = Field(None, description="Event to fire (after 'delay' turns).")
    when: Expression | None = Field(None, description="Apply only when this holds.")
    delay: int = Field(0, ge=0, le=50, description="Turns to wait before it applies.")
    duration: int = Field(1, ge=1, le=50, description="Turns it applies for (a multi-turn project).")
    text: str = Field("", description="What the change means, for the log.")


class Outcome(Model):
    """A result of a move: its effects, its text and who learns of it."""

    id: Id = Field(description="'success' or 'failure' for dice and matrix moves; any for umpire.")
    name: str = Field("", description="Label of the outcome (default: from the id).")
    text: Text = Field("", description="What happened, as the log tells it.")
    effects: list[Effect] = Field(default_factory=list,
        description="Changes this outcome makes to the world.")
    visible_to: Audience = Field("all", description="Who learns of the outcome.")


class OfferTerms(Model):
    """A proposal the move puts on the table, for one other actor to accept or decline with a
    move of its own (one whose 'accepts' or 'declines' names this move)."""

    to: Id = Field(description="The actor who may answer the offer (not one who makes it).")
    expires: int = Field(1, ge=0, le=50, description=(
        "Turns after the one it is made in that the offer stays open; it lapses at the end of "
        "the last (0: at the end of the turn it is made in)."))
    refund: bool = Field(False, description=(
        "The maker gets the move's cost back if the offer is declined or lapses."))
    flag: Id | None = Field(None, description=(
        "A flag track the engine sets to 1 while the offer is open and to 0 when it closes, "
        "for expressions (requires, events, objectives) to read."))


class Move(Model):
    """Something an actor may do."""

    id: Id
    name: str = Field(description="Name shown on the move card.")
    actors: list[Id] = Field(min_length=1, description="Actors who may make the move.")
    phases: list[Id] = Field(min_length=1, description="Orders phases in which it may be given.")
    text: Text = Field("", description="What the move is, for the card and the briefing.")
    cost: dict[Id, Annotated[int, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, description="Resource id -> amount spent (0 or more).")
    requires: list[Expression] = Field(default_factory=list, description="All must hold.")
    params: list[Param] = Field(default_factory=list, description="Choices the actor makes with the move.")
    limits: Limits = Field(default_factory=Limits, description="How often the move may be made.")
    adjudication: Adjudication = Field(default_factory=Adjudication,
        description="How the move's outcome is decided.")
    outcomes: list[Outcome] = Field(min_length=1, description="The possible results, with their effects.")
    reveal_to: Audience = Field("all", description="Who learns, at the reveal, that it was made.")
    source: Id | None = Field(None, description="Id of the source that justifies the move's numbers.")
    offer: OfferTerms | None = Field(None, description=(
        "Making the move (with any outcome but 'failure') puts an offer on the table for another "
        "actor to accept or decline."))
    accepts: Id | None = Field(None, description=(
        "Id of an offer move: this move accepts its open offer (with any outcome but "
        "'failure'); it may be made only while that offer is open to the actor."))
    declines: Id | None = Field(None, description=(
        "Id of an offer move: this move declines its open offer; it may be made only while "
        "that offer is open to the actor."))


class Trigger(Model):
    """When an event fires: on a turn, when a condition holds, by chance, or a mix (all must hold)."""

    turn: int | None = Field(None, ge=1, le=10_000, description="Fires at this turn.")
    when: Expression | None = Field(None, description="Fires when this holds.")
    chance: float | None = Field(None, gt=0, le=1, description="Probability per turn.")
    from_turn: int = Field(1, ge=1, le=10_000, description="Not before this turn.")


class Event(Model):
    """An event or inject: something that happens to the teams."""

    id: Id
    name: str = Field(description="Headline of the event.")
    date: dt.date | None = Field(None, description="Real date, if it happened.")
    text: Text = Field("", description="The inject's text as the teams read it.")
    trigger: Trigger = Field(default_factory=Trigger, description="When the event fires.")
    once: bool = Field(True, description="Fires at most once.")
    release: Literal["auto", "umpire"] = Field(
        "auto", description="umpire: waits for the umpire to release, hold or skip it."
    )
    effects: list[Effect] = Field(default_factory=list, description="Changes the event makes to the world.")
    visible_to: Audience = Field("all",
        description="Who learns of the event: all, control, or a list of actors.")
    source: Id | None = Field(None, description="Id of the source the event comes from.")


class Objective(Model):
    """What an actor tries to achieve, scored turn by turn and/or at the end."""

    id: Id
    actor: Id
    name: str = Field(description="Name of the objective.")
    text: Text = Field("", description="How it scores, in words for the team.")
    hidden: bool = Field(False, description="Hidden agenda: only its actor and control see it.")
    per_turn: Expression | None = Field(None, description="Points scored at the end of each turn.")
    at_end: Expression | None = Field(None, description="Points scored when the game ends.")


class EndCondition(Model):
    """A condition that ends the game before the last turn."""

    id: Id
    when: Expression
    text: Text = Field("", description="Sentence shown when the game ends this way.")


class Channel(Model):
    """Teams that may write to each other when the game is hosted for separate rooms."""

    between: list[Id] = Field(min_length=2, description=(
        "Player actors any two of whom may write to each other, e.g. [EU, ROK]."))
    name: str = Field("", description="What the players call it, e.g. 'EU-ROK bilateral'.")


class HistoryEntry(Model):
    """A dated real event with real values, to set the game beside what happened."""

    date: dt.date = Field(description="When it happened (YYYY-MM-DD).")
    text: Text = Field(description="What happened.")
    values: dict[Id, Number] = Field(default_factory=dict, description="Track id -> real value.")
    source: Id


class MapPlace(Model):
    """A named point of the map: where markers stand and arrows start or end."""

    id: Id = Field(description="Short id used by markers' 'at' and 'to', e.g. 'kursk'.")
    name: str = Field(description="Name written on the map, e.g. 'Kursk'.")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees (east positive).")
    lat: float = Field(ge=-90, le=90, description="Latitude in degrees (north positive).")
    label: bool = Field(True, description=(
        "Dot and name the place on the map (false: only markers use it). Names are placed "
        "in the order the places are listed."))


class MapMarker(Model):
    """A mark on the map whose size or label follows a track."""

    track: Id = Field(description="Track the marker shows (as far as the viewer knows it).")
    kind: Literal["deployment", "transfer", "partnership", "status"] = Field(
        "deployment", description=(
            "'deployment': a disc at 'at' whose area follows the track; 'transfer': an arrow "
            "from 'at' to 'to' whose width follows it; 'partnership': a dashed arc between "
            "'at' and 'to'; 'status': a badge at 'at' with the track's rung name or value."))
    at: Id = Field(description="Place (from 'places') the marker stands at or starts from.")
    to: Id | None = Field(None, description="Place an arrow or arc goes to (transfer, partnership).")
    actor: Id | None = Field(None, description="Actor whose colour the marker takes (none: ink).")
    label: str = Field("", description="Words before the value on the marker's tag, e.g. 'DPRK troops'.")
    offset: list[float] = Field([0.0, 0.0], min_length=2, max_length=2, description=(
        "Where the tag goes from its usual spot, in lines of text: [right, down]."))
    shown_to: list[Id] = Field(default_factory=list, description=(
        "Teams whose board draws the marker (none listed: every team and the room; the "
        "umpire always sees it). What it shows still follows what each team knows."))
    bend: float | None = Field(None, ge=-1, le=1, description=(
        "How much an arrow or arc bows sideways, as a share of its length (the sign picks "
        "the side); default a gentle bow."))


class MapProjection(Model):
    """How the round earth is laid flat for the board: a Lambert conformal conic."""

    lon0: float | None = Field(None, ge=-180, le=180, description=(
        "The meridian that runs straight up the map (default: the middle of 'bounds')."))
    parallel: float | None = Field(None, ge=-89, le=89, description=(
        "The standard parallel, where shapes and distances are truest (default: the middle "
        "latitude of 'bounds'; nearer the equator than 5 degrees counts as 5)."))


class MapSection(Model):
    """How the board pictures the scenario: the region, places, markers and tints. Optional:
    without it the board shows the actors' countries (tinted) if their ids or names are
    countries, else the whole map."""

    bounds: list[float] | None = Field(None, min_length=4, max_length=4, description=(
        "The region to show: [lon_min, lat_min, lon_max, lat_max] in degrees (the board fills "
        "its map panel with it, keeping the map's shape). Default: the actors' countries."))
    projection: MapProjection | None = Field(None, description=(
        "How the region is laid flat (default: a conic centred on 'bounds'). Only with 'bounds'."))
    places: list[MapPlace] = Field(default_factory=list,
        description="Every place named on the map or used by a marker, with coordinates.")
    markers: list[MapMarker] = Field(default_factory=list,
        description="Marks bound to tracks: discs, arrows, arcs and badges.")
    countries: dict[str, Id] = Field(default_factory=dict, description=(
        "Country (ISO 3166 alpha-3 code or English name, e.g. 'RUS') -> actor whose colour "
        "tints it."))
    ladder: Id | None = Field(None, description=(
        "Track shown as the escalation ladder (default: the track with the most thresholds)."))
    themes: list[str] = Field(default_factory=list, description=(
        "Order of the track themes in the board's gauges (others follow)."))


class Scenario(Model):
    """A whole scenario file."""

    meta: Meta = Field(description="What the scenario is: id, title, calendar, sources.")
    actors: list[Actor] = Field(min_length=1, description="The teams and the actors the control cell plays.")
    tracks: list[Track] = Field(min_length=1, description="The measures of the world (flags are 0/1 tracks).")
    phases: list[Phase] = Field(min_length=1, description="The steps of a turn, in order.")
    moves: list[Move] = Field(default_factory=list, description="What the actors may do.")
    events: list[Event] = Field(default_factory=list, description="Events and injects.")
    objectives: list[Objective] = Field(default_factory=list, description="What each actor scores.")
    end: list[EndCondition] = Field(default_factory=list, description="Conditions that end the game early.")
    history: list[HistoryEntry] = Field(default_factory=list,
        description="Dated real events with real values, for the debrief.")
    channels: list[Channel] = Field(default_factory=list, description=(
        "Who may write to whom in a hosted game. None listed: every team to every team. Any "
        "team may always write to the umpire, and the umpire to anyone; the umpire reads all."))
    map: MapSection | None = Field(None, description=(
        "How the board draws the scenario: region, places, markers, country tints."))


SECTIONS: dict[str, type[Model]] = {
    "actors": Actor,
    "tracks": Track,
    "phases": Phase,
    "moves": Move,
    "events": Event,
    "objectives": Objective,
    "end": EndCondition,
    "history": HistoryEntry,
    "channels": Channel,
}
"""List sections, validated item by item so one bad item does not hide errors in the others."""
