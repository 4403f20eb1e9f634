"""What the plan's page lists beside its commitments, as the OGP template asks: the
non-governmental organisations that endorse the plan, and the independent monitor's three
reports on it. Both are recorded in the plan's history like every other change."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from actionplan.models import ActionPlan, Endorsement, MonitorReport
from actionplan.services import record_change

NAME_MAX_LENGTH = 160
ORGANISATION_MAX_LENGTH = 200
# A monitor's report runs to many pages: room for it, but not for anything.
REPORT_MAX_LENGTH = 200_000


def _clean_line(value: str, field: str, limit: int, missing: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: missing})
    if len(value) > limit:
        message = _("At most %(limit)d characters.") % {"limit": limit}
        raise ValidationError({field: message})
    return value


def _clean_date(value, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("Give the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def add_endorsement(
    user: User,
    plan: ActionPlan,
    *,
    organisation: str,
    endorsed_on: date,
    name: str = "",
) -> Endorsement:
    """Staff list an endorser by name; anyone else signed in endorses in their own name (their
    display name) and may take it back later."""
    if not user.has_perm("actionplan.add_endorsement", plan):
        raise PermissionDenied(_("Log in to endorse the plan."))
    on_behalf = user.has_perm("actionplan.add_endorsement_for_others", plan)
    if not on_behalf:
        name = user.display_name
        if not name:
            raise ValidationError(
                {"name": _("Set your display name in your profile: endorsements are public.")}
            )
    fields = {
        "name": _clean_line(name, "name", NAME_MAX_LENGTH, _("Give the endorser's name.")),
        "organisation": _clean_line(
            organisation,
            "organisation",
            ORGANISATION_MAX_LENGTH,
            _("Give the organisation that endorses the plan."),
        ),
        "endorsed_on": _clean_date(endorsed_on, "endorsed_on"),
    }
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                plan=plan, user=None if on_behalf else user, added_by=user, **fields
            )
            record_change(user, endorsement, "endorsement", None, str(endorsement))
    except IntegrityError:
        raise ValidationError(
            {"organisation": _("This person already endorses the plan for this organisation.")}
        ) from None
    return endorsement


def withdraw_endorsement(user: User, endorsement: Endorsement) -> None:
    """Staff remove a listing; an endorser takes their own back. The history keeps both."""
    if not user.has_perm("actionplan.delete_endorsement", endorsement):
        raise PermissionDenied(_("Only staff or the endorser can take an endorsement back."))
    with transaction.atomic():
        record_change(user, endorsement, "endorsement", str(endorsement), None)
        endorsement.delete()


def publish_monitor_report(
    user: User, plan: ActionPlan, *, kind: str, published_on: date, text: str
) -> MonitorReport:
    """One of the monitor's three reports on the plan, published as written: one of each kind,
    and nobody edits it afterwards."""
    if not user.has_perm("actionplan.add_monitorreport", plan):
        raise PermissionDenied(_("Only the independent monitor publishes these reports."))
    if kind not in MonitorReport.Kind.values:
        raise ValidationError({"kind": _("Choose a valid kind of report.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Paste the report's text.")})
    if len(text) > REPORT_MAX_LENGTH:
        raise ValidationError({"text": _("This text is too long.")})
    published_on = _clean_date(published_on, "published_on")
    try:
        with transaction.atomic():
            report = MonitorReport.objects.create(
                plan=plan, kind=kind, published_on=published_on, text=text, author=user
            )
            record_change(user, report, "text", None, text)
    except IntegrityError:
        raise ValidationError(
            {"kind": _("The plan already has this report; reports are published once.")}
        ) from None
    return report
