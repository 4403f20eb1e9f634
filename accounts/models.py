from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Self-declared, optional; used only in aggregated participation statistics."""

    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COUNCIL = "council", _("City council")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    STUDENT = "student", _("Student")
    RESIDENT = "resident", _("Resident")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; the e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown next to what you write. Leave empty to appear as “Participant”."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    sector = models.CharField(
        _("sector"),
        max_length=32,
        choices=Sector.choices,
        blank=True,
        help_text=_(
            "Optional. Used only to count participation by sector in published statistics; "
            "never shown next to your name."
        ),
    )
    is_staff = models.BooleanField(
        _("staff (city office)"),
        default=False,
        help_text=_("Moderates, answers proposals and keeps the action plan current."),
    )
    is_monitor = models.BooleanField(
        _("independent monitor"),
        default=False,
        help_text=_("Reads drafts and writes published assessments of commitments."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A live session's guest votes under an account of this kind: it cannot sign in and only
    # the session's own ballots for guests accept it (voting.services.eligibility_refusal).
    is_guest_stand_in = models.BooleanField(_("guest of a session"), default=False, editable=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown to others: never the e-mail address."""
        return self.display_name or str(_("Participant"))

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name


class Notification(models.Model):
    """Something that happened to a person's content, shown in-app and optionally e-mailed.

    The text is not stored: `accounts.notifications` builds it from `kind` and `params` in
    the reader's language, so the same notification reads in Slovak, English or French.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # One of the kinds the apps register with accounts.notifications.
    kind = models.CharField(_("kind"), max_length=32)
    # Names and titles to put into the message, e.g. {"title": "...", "actor": "..."}.
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """Which kinds of notification a person also wants by e-mail (no row: all of them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_kinds = models.JSONField(_("kinds sent by e-mail"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
