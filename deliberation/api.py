"""Read-only processes for /api/v1/processes/: everything here is public already."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import NOT_FOUND, NOT_FOUND_OR_INVALID, Pages
from core.text import Text
from deliberation.models import Process

router = Router(tags=["processes"])


class PhaseOut(Schema):
    kind: str
    starts_on: date
    ends_on: date


class ProcessOut(Schema):
    slug: str
    title: str
    summary: str
    description: str
    scope: str
    image_url: str
    support_threshold: int | None
    current_phase: str | None
    phases: list[PhaseOut]
    categories: list[str]

    @staticmethod
    def resolve_current_phase(process: Process) -> str | None:
        phase = process.current_phase()
        return phase.kind if phase else None

    @staticmethod
    def resolve_phases(process: Process) -> list:
        return list(process.phases.all())

    @staticmethod
    def resolve_categories(process: Process) -> list[str]:
        return [c.name for c in process.categories.all()]


def _processes():
    return Process.objects.prefetch_related("phases", "categories").order_by("-created_at", "pk")


@router.get("/", response={200: list[ProcessOut], **NOT_FOUND_OR_INVALID})
@paginate(Pages, page_size=25)
def list_processes(request):
    return _processes()


@router.get("/{slug}", response={200: ProcessOut, **NOT_FOUND})
def get_process(request, slug: Text):
    return get_object_or_404(_processes(), slug=slug)
