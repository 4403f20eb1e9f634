"""The in-app notification list and the e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import notifications
from accounts.models import Notification
from accounts.notification_forms import EmailPreferencesForm


def get_notification_for_user(request: HttpRequest, pk: int) -> Notification:
    """One of the signed-in person's own notifications; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/notification_list.html",
        {"page": page, "unread": notifications.unread_count(request.user)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; following it is what marks it read."""
    notification = get_notification_for_user(request, pk)
    notifications.mark_read(request.user, [notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(pk) for pk in request.POST.getlist("notification") if pk.isdigit()]
    count = notifications.mark_read(request.user, ids or None)
    messages.success(
        request,
        ngettext(
            "Marked %(count)d notification as read.",
            "Marked %(count)d notifications as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("notification_list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(
        request.POST or None,
        initial={"email_kinds": notifications.email_kinds(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        notifications.set_email_kinds(request.user, form.cleaned_data["email_kinds"])
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})
