"""Read-only ballots for /api/v1/ballots/: ballots that are not drafts, and their results
only where the results page would show them."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import NOT_FOUND_OR_INVALID, ErrorOut, Pages
from core.text import Text
from voting import visibility
from voting.models import Ballot
from voting.results import export

router = Router(tags=["ballots"])


class OptionOut(Schema):
    id: int
    label: str
    proposal: int | None
    cost: int | None


class BallotOut(Schema):
    id: int
    process: str
    question: str
    description: str
    method: str
    eligibility: str
    secrecy: str
    results_visibility: str
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    options: list[OptionOut]

    @staticmethod
    def resolve_process(ballot: Ballot) -> str:
        return ballot.process.slug

    @staticmethod
    def resolve_state(ballot: Ballot) -> str:
        return ballot.current_state()

    @staticmethod
    def resolve_options(ballot: Ballot) -> list[dict]:
        return [
            {"id": o.pk, "label": o.display_label, "proposal": o.proposal_id, "cost": o.cost}
            for o in ballot.options.all()
        ]


def _public_ballots():
    # Scheduled ballots whose opening time has passed are public too.
    return (
        Ballot.objects.exclude(state=Ballot.State.DRAFT, opens_at__isnull=True)
        .select_related("process")
        .prefetch_related("options")
        .order_by("-created_at", "-pk")
    )


@router.get("/", response={200: list[BallotOut], **NOT_FOUND_OR_INVALID})
@paginate(Pages, page_size=50)
def list_ballots(request: HttpRequest, process: Text | None = None):
    ballots = _public_ballots()
    if process:
        ballots = ballots.filter(process__slug=process)
    return [b for b in ballots if b.current_state() != Ballot.State.DRAFT]


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = get_object_or_404(_public_ballots(), pk=ballot_id)
    if ballot.current_state() == Ballot.State.DRAFT:
        raise HttpError(404, "Not found")
    return ballot


@router.get("/{ballot_id}", response={200: BallotOut, **NOT_FOUND_OR_INVALID})
def get_ballot(request: HttpRequest, ballot_id: int):
    return _ballot(request, ballot_id)


@router.get("/{ballot_id}/results", response={200: dict, 403: ErrorOut, **NOT_FOUND_OR_INVALID})
def get_results(request: HttpRequest, ballot_id: int) -> dict:
    """The results, as the CSV/JSON exports give them; 403 until they are public."""
    ballot = _ballot(request, ballot_id)
    if not visibility.may_see_results(request.user, ballot):
        raise HttpError(403, "The results of this ballot are shown when it closes.")
    return export(ballot)
