"""The members page of a body, for city staff and its chair: invite by e-mail, change a
seat's role and group, end a seat with a date; and the invitation link's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deliberation import membership as services
from deliberation.forms import EndMembershipForm, InvitationForm, MembershipForm
from deliberation.models import Body, Invitation, Membership


def get_body_for_manager(request: HttpRequest, slug: str) -> Body:
    body = get_object_or_404(Body, slug=slug)
    if not request.user.has_perm("deliberation.manage_members", body):
        raise PermissionDenied
    return body


def _get_seat(body: Body, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.current().select_related("user", "body"), body=body, pk=pk
    )


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _members_page(request: HttpRequest, body: Body, form: InvitationForm, status: int = 200):
    seats = body.memberships.select_related("user").order_by("user__display_name", "pk")
    return render(
        request,
        "deliberation/body_members.html",
        {
            "body": body,
            "current": [m for m in seats if m.ended_on is None],
            "former": sorted(
                (m for m in seats if m.ended_on is not None),
                key=lambda m: (m.ended_on, m.pk),
                reverse=True,
            ),
            "invitations": services.pending_invitations(body),
            "form": form,
        },
        status=status,
    )


@login_required
def body_members(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_body_for_manager(request, slug)
    return _members_page(request, body, InvitationForm())


@login_required
@require_POST
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_body_for_manager(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_member(
                request.user, body, data["email"], data["role"], data["group"]
            )
        except ValidationError as error:
            form.add_error("email", _errors(error))
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(address)s.") % {"address": invitation.email},
            )
            return redirect("body_members", slug=body.slug)
    return _members_page(request, body, form, status=400)


def _edit_page(request, seat, form=None, end_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "deliberation/membership_edit.html",
        {
            "body": seat.body,
            "seat": seat,
            "form": form or MembershipForm(initial={"role": seat.role, "group": seat.group}),
            "end_form": end_form
            or EndMembershipForm(initial={"ended_on": timezone.localdate().isoformat()}),
        },
        status=status,
    )


@login_required
def membership_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = get_body_for_manager(request, slug)
    seat = _get_seat(body, pk)
    if request.method != "POST":
        return _edit_page(request, seat)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.change_membership(
                request.user, seat, form.cleaned_data["role"], form.cleaned_data["group"]
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("The seat of %(name)s has been changed.") % {"name": seat.user.public_name},
            )
            return redirect("body_members", slug=body.slug)
    return _edit_page(request, seat, form=form, status=400)


@login_required
@require_POST
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = get_body_for_manager(request, slug)
    seat = _get_seat(body, pk)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(
                request.user, seat, form.cleaned_data["ended_on"], form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("The membership of %(name)s has ended; it stays in the body's history.")
                % {"name": seat.user.public_name},
            )
            return redirect("body_members", slug=body.slug)
    return _edit_page(request, seat, end_form=form, status=400)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = get_body_for_manager(request, slug)
    invitation = get_object_or_404(Invitation, body=body, pk=pk)
    try:
        services.withdraw_invitation(request.user, invitation)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The invitation to %(address)s has been withdrawn.") % {"address": invitation.email},
        )
    return redirect("body_members", slug=body.slug)


def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: a visitor signs up or logs in and comes back here; a
    signed-in person accepts with one button (a POST, so a mail scanner cannot accept)."""
    invitation = get_object_or_404(Invitation.objects.select_related("body"), token=token)
    error = services.invitation_refusal(invitation)
    if request.method == "POST" and error is None:
        try:
            services.accept_invitation(request.user, token)
        except (ValidationError, PermissionDenied) as refusal:
            error = " ".join(getattr(refusal, "messages", None) or [str(refusal)])
        else:
            messages.success(
                request,
                _("Welcome to %(body)s: you are now a member.") % {"body": invitation.body.name},
            )
            return redirect("body_detail", slug=invitation.body.slug)
    here = urlencode({"next": request.path})
    return render(
        request,
        "deliberation/invitation.html",
        {
            "invitation": invitation,
            "error": error,
            "signup_url": f"{reverse('account_signup')}?{here}",
            "login_url": f"{reverse('account_login')}?{here}",
        },
        status=400 if error and request.method == "POST" else 200,
    )
