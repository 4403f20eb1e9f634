"""Telling people what happened to their content: in-app notifications and e-mail.

Other apps call `notify(...)`; it stores the notification and, when the recipient wants
that kind by e-mail, sends one after the transaction commits, in the recipient's language.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, NotificationPreference, User

Kind = Notification.Kind

# One sentence per kind; filled with the notification's params in the reader's language.
MESSAGES = {
    Kind.COMMENT_ON_MY_PROPOSAL: _("%(actor)s commented on your proposal “%(title)s”."),
    Kind.REPLY_TO_MY_COMMENT: _("%(actor)s replied to your comment on “%(title)s”."),
    Kind.PROPOSAL_STATE_CHANGED: _("The proposal “%(title)s” is now: %(state)s."),
    Kind.PROPOSAL_ANSWERED: _("The city answered the proposal “%(title)s” (%(state)s)."),
    Kind.CONTENT_HIDDEN: _("Your %(content)s “%(title)s” was hidden by moderation: %(reason)s"),
    Kind.CONTENT_RESTORED: _("Your %(content)s “%(title)s” was restored: %(reason)s"),
    # The action plan's kinds (sent by actionplan.services and its reminders command).
    "commitment_promoted": _("“%(title)s” became part of the commitment “%(commitment)s”."),
    "commitment_progress": _("The commitment “%(title)s” has a new progress update."),
    "milestone_due_soon": _("The milestone “%(title)s” falls due on %(due)s."),
    "milestone_overdue": _("The milestone “%(title)s” is overdue since %(due)s."),
}
# What the content is, for the hidden/restored messages; translated when read.
CONTENT_NAMES = {"proposal": _("proposal"), "comment": _("comment")}
REPORTED_REASON = _("several people reported it; it waits for a moderator's review.")
# What each kind is called on the e-mail preferences page and in e-mail subjects.
KIND_LABELS = {
    **dict(Kind.choices),
    "commitment_promoted": _("A proposal I follow became part of a commitment"),
    "commitment_progress": _("Progress on a commitment I follow"),
    "milestone_due_soon": _("A milestone falls due soon"),
    "milestone_overdue": _("A milestone is overdue"),
}
ALL_KINDS = list(KIND_LABELS)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def message_for(notification: Notification) -> str:
    """The notification's sentence in the active language."""
    params = {"actor": "", "title": "", "state": "", "reason": "", "content": ""}
    params.update({key: str(value) for key, value in notification.params.items()})
    if params["content"] in CONTENT_NAMES:
        params["content"] = str(CONTENT_NAMES[params["content"]])
    if notification.params.get("reason_code") == "reports":
        params["reason"] = str(REPORTED_REASON)
    if "state_code" in notification.params:
        params["state"] = _state_label(notification.params["state_code"])
    return str(MESSAGES[notification.kind]) % params


def _state_label(code: str) -> str:
    # Imported here: accounts must not depend on proposals at import time.
    from proposals.models import Proposal

    return str(dict(Proposal.State.choices).get(code, code))


def email_kinds(user: User) -> list[str]:
    """The kinds this person also receives by e-mail; everything until they choose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return ALL_KINDS if preference is None else list(preference.email_kinds)


def set_email_kinds(user: User, kinds: Iterable[str]) -> NotificationPreference:
    chosen = [kind for kind in ALL_KINDS if kind in set(kinds)]
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_kinds": chosen}
    )
    return preference


def notify(
    recipient: User,
    kind: str,
    *,
    url: str = "",
    actor: User | None = None,
    **params: str,
) -> Notification | None:
    """Tell `recipient` about something; never tells people about their own actions.

    params fill the kind's sentence in MESSAGES: title, state_code, reason, content
    ("proposal" or "comment"). Returns None when nobody needs telling.
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    if not recipient.is_active:
        return None
    if actor is not None:
        params["actor"] = actor.public_name
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, params=params, url=url
    )
    if kind in email_kinds(recipient) and recipient.email:
        transaction.on_commit(lambda: send_notification_email(notification))
    return notification


def send_notification_email(notification: Notification) -> None:
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "notification": notification,
            "message": message_for(notification),
            "kind_label": kind_label(notification.kind),
            "link": absolute_url(notification.url),
            "settings_link": absolute_url(reverse("notification_settings")),
        }
        subject = render_to_string("accounts/email/notification_subject.txt", context)
        body = render_to_string("accounts/email/notification_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        fail_silently=True,
    )


def absolute_url(path: str) -> str:
    if not path or path.startswith("http"):
        return path
    return settings.SPOLU_SITE_URL + path


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of the user's own notifications as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    with transaction.atomic():
        return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
