"""The roll call from the console (a plain form per member, so it works without the script)
and the attendance CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from core.refusals import show_refusal
from live.attendance_export import attendance_csv
from live.services.roll_call import record_presence
from live.views import get_session_for_user


@login_required
@require_POST
def roll_call_record(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    member_id = request.POST.get("member", "")
    if not member_id.isdigit():
        raise Http404
    member = get_object_or_404(User, pk=int(member_id))
    try:
        presence = record_presence(request.user, session, member, request.POST.get("status", ""))
    except (ValidationError, PermissionDenied) as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"{member.public_name}: {presence.get_status_display()}")
    return redirect(reverse("session_console", args=[session.join_code]) + "#roll-call")


@login_required
def attendance_download(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if not request.user.has_perm("live.facilitate_session", session):
        raise PermissionDenied
    response = HttpResponse(attendance_csv(session), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{session.join_code}.csv"'
    return response
