"""Changes to processes (only staff create and edit them) and to what a body shows of its
members."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from deliberation.models import Category, City, Membership, Phase, Process


@dataclass(frozen=True)
class PhaseDates:
    kind: str
    starts_on: date
    ends_on: date


PROCESS_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "scope",
    "image_url",
    "image_alt",
    "support_threshold",
)


def _check_phases(phases: list[PhaseDates]) -> None:
    kinds = [p.kind for p in phases]
    if len(kinds) != len(set(kinds)):
        raise ValidationError(_("Each phase can appear only once."))
    for phase in phases:
        if phase.kind not in Phase.Kind.values:
            raise ValidationError(_("Unknown phase."))
        if phase.ends_on < phase.starts_on:
            raise ValidationError(_("A phase cannot end before it starts."))


def _replace_phases_and_categories(
    process: Process, phases: list[PhaseDates], categories: list[str]
) -> None:
    process.phases.all().delete()
    Phase.objects.bulk_create(
        Phase(process=process, kind=p.kind, starts_on=p.starts_on, ends_on=p.ends_on)
        for p in phases
    )
    wanted = {name.strip() for name in categories if name.strip()}
    # Categories are kept, not recreated, so proposals filed under them keep their category.
    process.categories.exclude(name__in=wanted).delete()
    existing = set(process.categories.values_list("name", flat=True))
    Category.objects.bulk_create(
        Category(process=process, name=name) for name in sorted(wanted - existing)
    )


def create_process(
    user: User,
    *,
    city: City,
    phases: list[PhaseDates],
    categories: list[str],
    **fields,
) -> Process:
    if not user.has_perm("deliberation.add_process"):
        raise PermissionDenied(_("Only city staff can create processes."))
    _check_phases(phases)
    with transaction.atomic():
        process = Process.objects.create(
            city=city, **{k: v for k, v in fields.items() if k in PROCESS_FIELDS}
        )
        _replace_phases_and_categories(process, phases, categories)
    return process


def update_process(
    user: User,
    process: Process,
    *,
    phases: list[PhaseDates],
    categories: list[str],
    **fields,
) -> Process:
    if not user.has_perm("deliberation.change_process", process):
        raise PermissionDenied(_("Only city staff can edit processes."))
    _check_phases(phases)
    with transaction.atomic():
        for name, value in fields.items():
            if name in PROCESS_FIELDS:
                setattr(process, name, value)
        process.save()
        _replace_phases_and_categories(process, phases, categories)
    return process


def choose_name_shown(user: User, membership: Membership, shown: bool) -> Membership:
    """The member's own choice whether the body's public page shows their name (it shows
    their group and role either way, and counts them)."""
    if not user.has_perm("deliberation.choose_name_shown", membership):
        raise PermissionDenied(_("Only the member can choose whether their name is shown."))
    with transaction.atomic():
        membership.name_shown = shown
        membership.save(update_fields=["name_shown"])
    return membership
