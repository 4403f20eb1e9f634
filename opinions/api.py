"""Read-only conversations for /api/v1/conversations/: the conversations, their anonymised
votes (CSV) and their map (groups, representative statements, common ground, division).

Who voted never leaves: each voter is a number from 1 in an order drawn from the site's
secret and the conversation (the same person has another number in another conversation, and
numbers follow neither sign-up nor voting order); the map names no member of any group."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.crypto import salted_hmac
from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import NOT_FOUND, NOT_FOUND_OR_INVALID, Pages
from core.text import Text
from opinions import results
from opinions.models import Conversation, Statement

router = Router(tags=["conversations"])


class ConversationOut(Schema):
    id: int
    process: str
    question: str
    moderation: str
    open: bool
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_process(conversation: Conversation) -> str:
        return conversation.process.slug

    @staticmethod
    def resolve_open(conversation: Conversation) -> bool:
        return conversation.is_open


class StatementOut(Schema):
    id: int
    text: str
    seed: bool
    agree: int
    disagree: int
    passed: int


class RepresentativeOut(Schema):
    statement: int
    kind: str
    group: float
    rest: float


class GroupOut(Schema):
    label: str
    size: int
    representative: list[RepresentativeOut]


class ScoreOut(Schema):
    statement: int
    score: float
    agree: list[float]


class MapOut(Schema):
    conversation: int
    open: bool
    placed: int
    not_shown: int
    waiting: int
    statements: list[StatementOut]
    groups: list[GroupOut]
    common_ground: list[ScoreOut]
    divisive: list[ScoreOut]


def _conversations():
    return Conversation.objects.select_related("process").order_by("-created_at", "-pk")


@router.get("/", response={200: list[ConversationOut], **NOT_FOUND_OR_INVALID})
@paginate(Pages, page_size=50)
def list_conversations(request: HttpRequest, process: Text | None = None):
    conversations = _conversations()
    if process:
        conversations = conversations.filter(process__slug=process)
    return conversations


@router.get("/{conversation_id}", response={200: ConversationOut, **NOT_FOUND_OR_INVALID})
def get_conversation(request: HttpRequest, conversation_id: int):
    return get_object_or_404(_conversations(), pk=conversation_id)


def anonymous_numbers(conversation: Conversation, voter_ids) -> dict[int, int]:
    """Each voter's number in this conversation, 1 to n."""

    def key(pk: int) -> str:
        return salted_hmac("opinions.voter", f"{conversation.pk}:{pk}").hexdigest()

    return {pk: n for n, pk in enumerate(sorted(set(voter_ids), key=key), start=1)}


CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "statement,participant,value: one row per vote on a visible "
            "statement; participant is an anonymous number; value 1 agree, -1 disagree, 0 pass.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/{conversation_id}/votes.csv",
    response={**NOT_FOUND_OR_INVALID},
    openapi_extra=CSV_RESPONSE,
)
def votes_csv(request: HttpRequest, conversation_id: int):
    """The anonymised votes: no user id, no name."""
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    votes = sorted(results.votes_of(conversation), key=lambda v: (v[1], v[0]))
    numbers = anonymous_numbers(conversation, (voter for voter, _s, _v in votes))
    rows = sorted((statement, numbers[voter], value) for voter, statement, value in votes)
    lines = ["statement,participant,value"] + [f"{s},{p},{v}" for s, p, v in rows]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conversation-{conversation.pk}.csv"'
    return response


@router.get("/{conversation_id}/map", response={200: MapOut, **NOT_FOUND})
def get_map(request: HttpRequest, conversation_id: int):
    """The groups (at least 5 people each) with what sets them apart, the common ground and
    what divides; every probability smoothed as (a + 1) / (n + 2) (docs/opinions.md)."""
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    result = results.map_of(conversation)
    counts: dict[int, dict[int, int]] = {}
    for _voter, statement, value in results.votes_of(conversation):
        counts.setdefault(statement, {1: 0, -1: 0, 0: 0})[value] += 1
    statements = conversation.statements.filter(state=Statement.State.VISIBLE).order_by("pk")

    def scores(items):
        return [{"statement": s.statement, "score": s.score, "agree": list(s.agree)} for s in items]

    return {
        "conversation": conversation.pk,
        "open": conversation.is_open,
        "placed": result.placed,
        "not_shown": result.not_shown,
        "waiting": result.waiting,
        "statements": [
            {
                "id": s.pk,
                "text": s.text,
                "seed": s.is_seed,
                "agree": counts.get(s.pk, {}).get(1, 0),
                "disagree": counts.get(s.pk, {}).get(-1, 0),
                "passed": counts.get(s.pk, {}).get(0, 0),
            }
            for s in statements
        ],
        "groups": [
            {
                "label": results.group_name(g.label),
                "size": g.size,
                "representative": [
                    {"statement": r.statement, "kind": r.kind, "group": r.group, "rest": r.rest}
                    for r in g.representative
                ],
            }
            for g in result.groups
        ],
        "common_ground": scores(result.common_ground),
        "divisive": scores(result.divisive),
    }
