"""Editing the draft minutes (the note-taker) and publishing them early (a facilitator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.refusals import show_refusal
from live.forms import MinutesForm, PublishMinutesForm
from live.minutes import editable_text
from live.services import minutes as record
from live.views import get_session_for_user


@login_required
def minutes_edit(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if not request.user.has_perm("live.edit_minutes", session):
        raise PermissionDenied
    form = MinutesForm(request.POST or None, initial={"text": editable_text(session)})
    if request.method == "POST" and form.is_valid():
        try:
            record.edit_minutes(request.user, session, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("The draft minutes are saved."))
            return redirect("session_minutes", code=session.join_code)
    return render(request, "live/minutes_edit.html", {"session": session, "form": form})


@login_required
@require_POST
def minutes_publish(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    form = PublishMinutesForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the minutes are published before the window ends."))
        record.publish_minutes(request.user, session, form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The minutes are published."))
    return redirect("session_minutes", code=session.join_code)
