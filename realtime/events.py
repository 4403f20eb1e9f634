"""One typed model per frame of the live protocol (docs/realtime-protocol.md).

Server frames share the envelope `{"v": 1, "seq": …, "type": …, "at": …, "data": …}`: each
event class below is that envelope with a literal `type` and a typed `data`. Durable events
(`durable = True`) get a per-stream `seq` when `realtime.broadcast.record` writes them; every
other frame carries `"seq": null`. Client commands are `{"id": …, "type": …, "data": …}`, one
class each. Every model forbids unknown keys, so a frame that drifts from its schema fails the
tests instead of reaching a client.

To add an event: a class here (and to SERVER_FRAMES), an example in the docs, a test.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_serializer,
    model_validator,
)

from core import text
from core.errors import CODES

PROTOCOL_VERSION = 1
ERROR_CODES = CODES  # the error codes, kept with the errors that carry them (core.errors)
ErrorCode = Literal[CODES]
AT_PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def now_iso() -> str:
    """UTC with milliseconds and a Z, as in the contract's example."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- Pieces shared by several frames ------------------------------------------------------
OptionId = str  # yes/no ballots: "yes", "no", "abstain"; other ballots: the option's pk
WireChoice = list[OptionId] | dict[OptionId, int]
Count = int | float


class OptionInfo(Strict):
    id: OptionId
    label: str


class TallyCounts(Strict):
    counts: dict[OptionId, Count]
    total: int


class BallotInfo(Strict):
    id: int
    question: str
    method: str
    state: Literal["draft", "open", "closed"]
    options: list[OptionInfo]
    # null where this viewer may not see results yet.
    tally: TallyCounts | None
    results_live: bool = False


class AgendaItemInfo(Strict):
    id: int
    title: str
    current: bool
    timebox_minutes: int | None = None
    ballot: int | None = None
    proposals: list[int] = []


class QuestionInfo(Strict):
    id: int
    text: str
    upvotes: int
    answered: bool
    author: str | None = None
    item: int | None = None
    # Addition: the asker's attendance (as a speaker's `id`), so their page offers no upvote.
    attendance: int | None = None


class SpeakerInfo(Strict):
    id: int
    name: str
    state: Literal["waiting", "speaking"]


class TimerInfo(Strict):
    running: bool
    # Clients count down locally to this instant.
    ends_at: str | None = None
    seconds: int | None = None


class CommentInfo(Strict):
    id: int
    proposal: int
    parent: int | None
    level: int
    author: str
    stance: Literal["for", "against", "neutral"]
    # Sanitised when it was written (core.markup), so clients may insert it as HTML.
    html: str
    created_at: str
    edited: bool = False


class StanceCounts(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    for_: int = Field(alias="for")
    against: int
    neutral: int


# --- The envelope -------------------------------------------------------------------------
class ServerFrame(Strict):
    durable: ClassVar[bool] = False
    v: Literal[1] = PROTOCOL_VERSION
    seq: int | None = None
    at: str = Field(default_factory=now_iso, pattern=AT_PATTERN)

    @classmethod
    def type_name(cls) -> str:
        return cls.model_fields["type"].default


class DurableEvent(ServerFrame):
    durable: ClassVar[bool] = True


class EphemeralEvent(ServerFrame):
    durable: ClassVar[bool] = False


# --- Durable events -----------------------------------------------------------------------
class SessionStateChangedData(Strict):
    state: Literal["scheduled", "live", "closed", "cancelled"]


class SessionStateChanged(DurableEvent):
    type: Literal["session.state_changed"] = "session.state_changed"
    data: SessionStateChangedData


class AgendaItemChangedData(Strict):
    current: int | None
    agenda: list[AgendaItemInfo]


class AgendaItemChanged(DurableEvent):
    type: Literal["agenda.item_changed"] = "agenda.item_changed"
    data: AgendaItemChangedData


class BallotOpenedData(Strict):
    ballot: BallotInfo


class BallotOpened(DurableEvent):
    type: Literal["ballot.opened"] = "ballot.opened"
    data: BallotOpenedData


class BallotClosedData(Strict):
    ballot: int
    # The final counts where results are public; null otherwise (e.g. results after close
    # still being hidden for a secret ballot with few votes).
    tally: TallyCounts | None


class BallotClosed(DurableEvent):
    type: Literal["ballot.closed"] = "ballot.closed"
    data: BallotClosedData


class CommentData(Strict):
    comment: CommentInfo


class CommentCreated(DurableEvent):
    type: Literal["comment.created"] = "comment.created"
    data: CommentData


class CommentEdited(DurableEvent):
    """Addition to the contract: the author edited a visible comment."""

    type: Literal["comment.edited"] = "comment.edited"
    data: CommentData


class CommentRestored(DurableEvent):
    """Addition to the contract: moderation showed a hidden comment again."""

    type: Literal["comment.restored"] = "comment.restored"
    data: CommentData


class CommentHiddenData(Strict):
    comment: int
    proposal: int
    # "deleted": its author took it back; "moderation": hidden after reports or by staff.
    reason: Literal["moderation", "deleted"]


class CommentHidden(DurableEvent):
    type: Literal["comment.hidden"] = "comment.hidden"
    data: CommentHiddenData


class QuestionData(Strict):
    question: QuestionInfo


class QuestionCreated(DurableEvent):
    type: Literal["question.created"] = "question.created"
    data: QuestionData


class QuestionAnsweredData(Strict):
    question: int
    answer: str = ""


class QuestionAnswered(DurableEvent):
    type: Literal["question.answered"] = "question.answered"
    data: QuestionAnsweredData


class QuestionRefData(Strict):
    question: int


class QuestionHidden(DurableEvent):
    type: Literal["question.hidden"] = "question.hidden"
    data: QuestionRefData


class SpeakerQueueData(Strict):
    speakers: list[SpeakerInfo]


class SpeakerQueueChanged(DurableEvent):
    type: Literal["speaker.queue_changed"] = "speaker.queue_changed"
    data: SpeakerQueueData


class TimerChanged(DurableEvent):
    type: Literal["timer.changed"] = "timer.changed"
    data: TimerInfo


class OutcomeRecordedData(Strict):
    item: int
    text: str
    decision: str
    ballot: int | None = None
    result: dict[str, Any] | None = None


class OutcomeRecorded(DurableEvent):
    type: Literal["outcome.recorded"] = "outcome.recorded"
    data: OutcomeRecordedData


class MinutesUpdatedData(Strict):
    item: int
    notes: str
    actions: list[str] = []


class MinutesUpdated(DurableEvent):
    """Addition to the contract: the note-taker saved an agenda item's notes."""

    type: Literal["minutes.updated"] = "minutes.updated"
    data: MinutesUpdatedData


# --- Ephemeral frames ---------------------------------------------------------------------
class BallotTallyData(Strict):
    ballot: int
    counts: dict[OptionId, Count]
    total: int
    final: bool


class BallotTally(EphemeralEvent):
    type: Literal["ballot.tally"] = "ballot.tally"
    data: BallotTallyData


class QuestionUpvotesData(Strict):
    question: int
    upvotes: int


class QuestionUpvotes(EphemeralEvent):
    type: Literal["question.upvotes"] = "question.upvotes"
    data: QuestionUpvotesData


class PresenceChangedData(Strict):
    count: int


class PresenceChanged(EphemeralEvent):
    type: Literal["presence.changed"] = "presence.changed"
    data: PresenceChangedData


class ProposalCountsData(Strict):
    proposal: int
    supports: int
    comments: int
    stances: StanceCounts


class ProposalCounts(EphemeralEvent):
    type: Literal["proposal.counts"] = "proposal.counts"
    data: ProposalCountsData


class ConversationCountsData(Strict):
    conversation: int
    open: bool
    statements: int
    votes: int
    voters: int


class ConversationCounts(EphemeralEvent):
    type: Literal["conversation.counts"] = "conversation.counts"
    data: ConversationCountsData


class AckData(Strict):
    ref: str | None
    # Filled by the commands that produce something.
    receipt: str | None = None
    kind: str | None = None
    replayed: int | None = None
    id: int | None = None


class Ack(EphemeralEvent):
    type: Literal["ack"] = "ack"
    data: AckData


class ErrorData(Strict):
    ref: str | None
    code: ErrorCode
    message: str
    # With `rate_limited` for a vote the server's queue had no room for: milliseconds after
    # which the same command, same key, is worth sending again. Left out when there is none.
    retry_after_ms: int | None = Field(default=None, ge=0)

    @model_serializer(mode="wrap")
    def _without_empty_hint(self, handler):
        data = handler(self)
        if data.get("retry_after_ms") is None:
            data.pop("retry_after_ms", None)
        return data


class Error(EphemeralEvent):
    type: Literal["error"] = "error"
    data: ErrorData


class You(Strict):
    role: Literal["guest", "participant", "member", "facilitator", "staff", "anonymous"]
    name: str
    votes: dict[str, WireChoice] = {}


class SessionInfo(Strict):
    code: str
    title: str
    state: Literal["scheduled", "live", "closed", "cancelled"]
    guests_allowed: bool = False


class SessionSnapshotData(Strict):
    stream: Literal["session"] = "session"
    last_seq: int
    session: SessionInfo
    you: You
    agenda: list[AgendaItemInfo]
    ballots: list[BallotInfo]
    questions: list[QuestionInfo]
    speakers: list[SpeakerInfo]
    presence: int
    timer: TimerInfo | None = None


class ProposalInfo(Strict):
    id: int
    title: str
    state: str


class ProposalSnapshotData(Strict):
    stream: Literal["proposal"] = "proposal"
    last_seq: int
    proposal: ProposalInfo
    you: You
    # Visible comments only, oldest first; hidden and deleted ones are left out.
    comments: list[CommentInfo]
    counts: ProposalCountsData


class BallotSnapshotData(Strict):
    stream: Literal["ballot"] = "ballot"
    last_seq: int
    ballot: BallotInfo
    you: You


SnapshotData = Annotated[
    SessionSnapshotData | ProposalSnapshotData | BallotSnapshotData,
    Field(discriminator="stream"),
]


class SessionSnapshot(EphemeralEvent):
    """The first frame on every connection, whatever the stream (the name is the contract's)."""

    type: Literal["session.snapshot"] = "session.snapshot"
    data: SnapshotData


DURABLE_EVENTS: tuple[type[DurableEvent], ...] = (
    SessionStateChanged,
    AgendaItemChanged,
    BallotOpened,
    BallotClosed,
    CommentCreated,
    CommentEdited,
    CommentRestored,
    CommentHidden,
    QuestionCreated,
    QuestionAnswered,
    QuestionHidden,
    SpeakerQueueChanged,
    TimerChanged,
    OutcomeRecorded,
    MinutesUpdated,
)
EPHEMERAL_EVENTS: tuple[type[EphemeralEvent], ...] = (
    BallotTally,
    QuestionUpvotes,
    PresenceChanged,
    ProposalCounts,
    ConversationCounts,
    Ack,
    Error,
    SessionSnapshot,
)
SERVER_FRAMES = DURABLE_EVENTS + EPHEMERAL_EVENTS
EVENT_TYPES: dict[str, type[ServerFrame]] = {cls.type_name(): cls for cls in SERVER_FRAMES}
DURABLE_TYPES = frozenset(cls.type_name() for cls in DURABLE_EVENTS)

_server_frame = TypeAdapter(
    Annotated[
        SessionStateChanged
        | AgendaItemChanged
        | BallotOpened
        | BallotClosed
        | CommentCreated
        | CommentEdited
        | CommentRestored
        | CommentHidden
        | QuestionCreated
        | QuestionAnswered
        | QuestionHidden
        | SpeakerQueueChanged
        | TimerChanged
        | OutcomeRecorded
        | MinutesUpdated
        | BallotTally
        | QuestionUpvotes
        | PresenceChanged
        | ProposalCounts
        | ConversationCounts
        | Ack
        | Error
        | SessionSnapshot,
        Field(discriminator="type"),
    ]
)


def validate_frame(frame: dict) -> ServerFrame:
    """Check a frame as sent on the wire: its schema, and seq set exactly on durable events."""
    event = _server_frame.validate_python(frame)
    if event.durable and (not isinstance(event.seq, int) or event.seq < 1):
        raise ValueError(f"durable {event.type} without a positive seq: {frame!r}")
    if not event.durable and event.seq is not None:
        raise ValueError(f"ephemeral {event.type} with a seq: {frame!r}")
    return event


# --- Client commands ----------------------------------------------------------------------
class Command(Strict):
    id: str = Field(min_length=1, max_length=64)
    # Facilitator commands are refused with `forbidden` for everyone else.
    facilitator_only: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _only_clean_text(cls, frame: Any) -> Any:
        # Every string of every command, now and to come: no NUL or other control character.
        return text.check_all(frame)

    @classmethod
    def type_name(cls) -> str:
        return cls.model_fields["type"].default


class FacilitatorCommand(Command):
    facilitator_only: ClassVar[bool] = True


class Empty(Strict):
    pass


class ResumeData(Strict):
    after: int = Field(ge=0)


class Resume(Command):
    type: Literal["resume"] = "resume"
    data: ResumeData


class VoteCastData(Strict):
    ballot: int
    choice: WireChoice
    key: str = Field(min_length=1, max_length=64)


class VoteCast(Command):
    type: Literal["vote.cast"] = "vote.cast"
    data: VoteCastData


class VoteWithdrawData(Strict):
    ballot: int
    key: str | None = Field(default=None, min_length=1, max_length=64)


class VoteWithdraw(Command):
    type: Literal["vote.withdraw"] = "vote.withdraw"
    data: VoteWithdrawData


class QuestionAskData(Strict):
    text: str = Field(min_length=1, max_length=500)


class QuestionAsk(Command):
    type: Literal["question.ask"] = "question.ask"
    data: QuestionAskData


class QuestionUpvote(Command):
    type: Literal["question.upvote"] = "question.upvote"
    data: QuestionRefData


class HandRaise(Command):
    type: Literal["hand.raise"] = "hand.raise"
    data: Empty = Empty()


class HandLower(Command):
    type: Literal["hand.lower"] = "hand.lower"
    data: Empty = Empty()


class Ping(Command):
    type: Literal["ping"] = "ping"
    data: Empty = Empty()


class AgendaGotoData(Strict):
    item: int


class AgendaGoto(FacilitatorCommand):
    type: Literal["agenda.goto"] = "agenda.goto"
    data: AgendaGotoData


class BallotRefData(Strict):
    ballot: int


class BallotOpen(FacilitatorCommand):
    type: Literal["ballot.open"] = "ballot.open"
    data: BallotRefData


class BallotClose(FacilitatorCommand):
    type: Literal["ballot.close"] = "ballot.close"
    data: BallotRefData


class QuestionAnswerData(Strict):
    question: int
    answer: str = Field(default="", max_length=2000)


class QuestionAnswer(FacilitatorCommand):
    type: Literal["question.answer"] = "question.answer"
    data: QuestionAnswerData


class QuestionHide(FacilitatorCommand):
    type: Literal["question.hide"] = "question.hide"
    data: QuestionRefData


class CommentHideData(Strict):
    comment: int
    reason: str = Field(min_length=1, max_length=500)


class CommentHide(FacilitatorCommand):
    type: Literal["comment.hide"] = "comment.hide"
    data: CommentHideData


class SpeakerNext(FacilitatorCommand):
    type: Literal["speaker.next"] = "speaker.next"
    data: Empty = Empty()


class TimerStartData(Strict):
    seconds: int = Field(ge=1, le=24 * 3600)


class TimerStart(FacilitatorCommand):
    type: Literal["timer.start"] = "timer.start"
    data: TimerStartData


class TimerStop(FacilitatorCommand):
    type: Literal["timer.stop"] = "timer.stop"
    data: Empty = Empty()


class OutcomeRecordData(Strict):
    item: int
    text: str = Field(max_length=5000)
    decision: str = Field(default="", max_length=12)


class OutcomeRecord(FacilitatorCommand):
    type: Literal["outcome.record"] = "outcome.record"
    data: OutcomeRecordData


class SessionStart(FacilitatorCommand):
    type: Literal["session.start"] = "session.start"
    data: Empty = Empty()


class SessionClose(FacilitatorCommand):
    type: Literal["session.close"] = "session.close"
    data: Empty = Empty()


COMMANDS: tuple[type[Command], ...] = (
    Resume,
    VoteCast,
    VoteWithdraw,
    QuestionAsk,
    QuestionUpvote,
    HandRaise,
    HandLower,
    Ping,
    AgendaGoto,
    BallotOpen,
    BallotClose,
    QuestionAnswer,
    QuestionHide,
    CommentHide,
    SpeakerNext,
    TimerStart,
    TimerStop,
    OutcomeRecord,
    SessionStart,
    SessionClose,
)
COMMAND_TYPES: dict[str, type[Command]] = {cls.type_name(): cls for cls in COMMANDS}


def parse_command(frame: Any) -> Command:
    """The command model for a decoded client frame; raises ValueError with a reason."""
    if not isinstance(frame, dict):
        raise ValueError("a command is a JSON object")
    kind = frame.get("type")
    model = COMMAND_TYPES.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ValueError(f"unknown command type: {str(kind)[:40]!r}")
    return model.model_validate(frame)
