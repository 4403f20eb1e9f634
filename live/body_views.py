"""A body's public page: what it is, who sits on it for which group, its sessions and the
decisions they took; and the member's own choice to show their name there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deliberation import services
from deliberation.models import Body, BodyGroup, Membership
from live.models import AgendaItem, Session

# How much of a body's sessions its page lists; the calendar feed and the sessions page hold more.
PAST_SESSIONS = 10
DECISIONS = 20

_ROLE_ORDER = {role: rank for rank, role in enumerate(Membership.Role.values)}


def members_by_group(memberships: list[Membership]) -> list[tuple[str, list[Membership]]]:
    """The members under their group's name, in the groups' fixed order (members without a
    group last), each group chair first, then by role, then the names shown."""
    groups: dict[str, list[Membership]] = {}
    for membership in memberships:
        groups.setdefault(membership.group, []).append(membership)
    labels = dict(BodyGroup.choices) | {"": _("Other members")}
    ordered = []
    for group in [*BodyGroup.values, ""]:
        members = groups.get(group)
        if members:
            members.sort(
                key=lambda m: (_ROLE_ORDER[m.role], not m.name_shown, m.user.public_name, m.pk)
            )
            ordered.append((labels[group], members))
    return ordered


def body_list(request: HttpRequest) -> HttpResponse:
    current = Q(memberships__ended_on__isnull=True)
    bodies = Body.objects.annotate(member_count=Count("memberships", filter=current))
    bodies = bodies.order_by("name")
    return render(request, "live/body_list.html", {"bodies": bodies})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("city"), slug=slug)
    seats = list(body.memberships.select_related("user"))
    memberships = [m for m in seats if m.ended_on is None]
    former = sorted(
        (m for m in seats if m.ended_on is not None), key=lambda m: (m.ended_on, m.pk), reverse=True
    )
    sessions = Session.objects.filter(body=body).select_related("body", "process")
    closed = Session.State.CLOSED
    decisions = (
        AgendaItem.objects.filter(session__body=body)
        .exclude(decision="")
        .select_related("session")
        .order_by("-session__starts_at", "-pk")
    )
    own = None
    if request.user.is_authenticated:
        own = next((m for m in memberships if m.user_id == request.user.pk), None)
    return render(
        request,
        "live/body_detail.html",
        {
            "body": body,
            "groups": members_by_group(memberships),
            "member_count": len(memberships),
            "former": former,
            "can_manage": request.user.has_perm("deliberation.manage_members", body),
            "coming": sessions.exclude(state__in=[closed, Session.State.CANCELLED]).order_by(
                "starts_at"
            )[:PAST_SESSIONS],
            "past": sessions.filter(state=closed).order_by("-starts_at")[:PAST_SESSIONS],
            "decisions": decisions[:DECISIONS],
            "own": own,
        },
    )


@login_required
@require_POST
def body_name_shown(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.current(), body__slug=slug, user=request.user)
    shown = request.POST.get("name_shown") == "1"
    services.choose_name_shown(request.user, membership, shown)
    messages.success(
        request,
        _("Your name is now shown on this page.")
        if shown
        else _("Your name is no longer shown on this page."),
    )
    return redirect("body_detail", slug=slug)
