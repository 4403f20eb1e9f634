"""Telling people what happened to their content: in-app notifications and e-mail.

Each app registers the kinds it sends (`register_kind`, from its AppConfig.ready()), with a
label and a sentence; accounts knows no other app. Apps call `notify(...)`: it stores the
notification and, when the recipient wants that kind by e-mail, sends one after the
transaction commits, in the recipient's language.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification, NotificationPreference, User


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification an app sends, registered in its AppConfig.ready()."""

    code: str  # stored in Notification.kind
    label: str  # (lazy) its name on the e-mail preferences page and in e-mail subjects
    message: str  # (lazy) its sentence, filled with the notification's params
    # Turns the stored params into the words the sentence needs, in the active language
    # (e.g. a proposal's state code into its label).
    describe: Callable[[dict], dict] | None = None
    # The e-mail's own body template, given `params` besides the sentence (an invitation's
    # agenda and place); None for the plain notification e-mail.
    email_template: str | None = None


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    code: str,
    *,
    label,
    message,
    describe: Callable[[dict], dict] | None = None,
    email_template: str | None = None,
) -> NotificationKind:
    kind = _kinds[code] = NotificationKind(code, label, message, describe, email_template)
    return kind


def kinds() -> list[NotificationKind]:
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def all_kinds() -> list[str]:
    return list(_kinds)


def kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return str(kind.label) if kind else code


def message_for(notification: Notification) -> str:
    """The notification's sentence in the active language."""
    kind = _kinds.get(notification.kind)
    if kind is None:  # the app that sent it is gone: say nothing wrong
        return str(notification.params.get("title", ""))
    return str(kind.message) % defaultdict(str, described_params(notification))


def described_params(notification: Notification) -> dict[str, str]:
    """The notification's params as words in the active language (its kind's `describe`)."""
    params = {key: str(value) for key, value in notification.params.items()}
    kind = _kinds.get(notification.kind)
    if kind is not None and kind.describe is not None:
        params.update({key: str(value) for key, value in kind.describe(params).items()})
    return params


def email_kinds(user: User) -> list[str]:
    """The kinds this person also receives by e-mail; everything until they choose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return all_kinds() if preference is None else list(preference.email_kinds)


def set_email_kinds(user: User, kinds: Iterable[str]) -> NotificationPreference:
    chosen = [kind for kind in all_kinds() if kind in set(kinds)]
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

    params fill the kind's registered sentence (e.g. title, reason); the kind's `describe`
    turns codes among them into words when the notification is read. Returns None when
    nobody needs telling.
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
        kind = _kinds.get(notification.kind)
        if kind is not None and kind.email_template:
            context["params"] = described_params(notification)
            body = render_to_string(kind.email_template, context)
        else:
            body = render_to_string("accounts/email/notification_message.txt", context)
        subject = render_to_string("accounts/email/notification_subject.txt", context)
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
