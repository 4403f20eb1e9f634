import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """The municipality running this Spolu instance (the demo: Banská Bystrica)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A standing group that meets in sessions, e.g. the CoLaboratory Board."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="bodies"
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        null=True,
        blank=True,
        help_text=_(
            "How many members with a vote must be present for the body to decide. Empty: more "
            "than half of them."
        ),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyGroup(models.TextChoices):
    """The group a member speaks for on a cross-sector body: the eight groups of the city's
    co-creation. Unlike a person's own sector (accounts.Sector, private, for statistics),
    this is public: it is why the member sits on the body."""

    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COUNCIL = "council", _("City council")
    EXPERTS = "experts", _("Experts")
    STUDENTS = "students", _("Students")
    ROMA = "roma", _("The Roma community")
    SPECIAL_NEEDS = "special_needs", _("People with special needs")
    COMMUNITY_LEADERS = "community_leaders", _("Community leaders")


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        """Seats not ended: the only ones that count (rights, ballots, the roll call, pages)."""
        return self.filter(ended_on__isnull=True)

    def held_on(self, day: date) -> "MembershipQuerySet":
        """Seats held on that day: current ones and those that ended after it (a past
        session's roll call keeps the members it had)."""
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))


class Membership(models.Model):
    """A seat on a body. Ending it keeps the row (the body's history); re-joining adds one."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        FACILITATOR = "facilitator", _("Facilitator")
        NOTE_TAKER = "note_taker", _("Note-taker")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    group = models.CharField(
        _("group"), max_length=32, choices=BodyGroup.choices, blank=True, default=""
    )
    # Off until the member says otherwise: a seat on the Board does not publish a name.
    name_shown = models.BooleanField(_("name shown on the body's page"), default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One current seat per person; ended seats stay beside it as history.
            models.UniqueConstraint(
                fields=["body", "user"],
                condition=models.Q(ended_on__isnull=True),
                name="one_membership_per_body",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.body} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mailed invitation to take a seat on a body. The link is the proof: whoever
    opens it signed in, under whatever address, takes the seat."""

    # An invitation not accepted within this many days must be sent again.
    VALID_DAYS = 30

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    group = models.CharField(
        _("group"), max_length=32, choices=BodyGroup.choices, blank=True, default=""
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.email} — {self.body}"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=self.VALID_DAYS)

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at


class Process(models.Model):
    """A participatory process, e.g. "City Park"; its phases decide what it accepts."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="processes")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    # A URL rather than an upload: no image library or media storage to run, and the city
    # already hosts its process pictures on its own site.
    image_url = models.URLField(_("image address"), blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    support_threshold = models.PositiveIntegerField(
        _("supports needed for evaluation"),
        null=True,
        blank=True,
        help_text=_("Leave empty when proposals need no minimum number of supports."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def current_phase(self, today: date | None = None) -> "Phase | None":
        today = today or timezone.localdate()
        for phase in self.phases.all():
            if phase.starts_on <= today <= phase.ends_on:
                return phase
        return None

    def in_phase(self, *kinds: str) -> bool:
        phase = self.current_phase()
        return phase is not None and phase.kind in kinds

    @property
    def accepts_proposals(self) -> bool:
        return self.in_phase(Phase.Kind.PROPOSALS)

    @property
    def accepts_supports(self) -> bool:
        return self.in_phase(Phase.Kind.PROPOSALS, Phase.Kind.DELIBERATION)

    @property
    def accepts_comments(self) -> bool:
        return self.in_phase(Phase.Kind.PROPOSALS, Phase.Kind.DELIBERATION)


class Phase(models.Model):
    """A dated stage of a process; the one covering today is the current phase."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PROPOSALS = "proposals", _("Proposals")
        DELIBERATION = "deliberation", _("Deliberation")
        VOTING = "voting", _("Voting")
        IMPLEMENTATION = "implementation", _("Implementation")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "kind"], name="one_phase_of_each_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} — {self.get_kind_display()}"


class Category(models.Model):
    """A theme proposals in one process can be filed under, e.g. "Greenery"."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="unique_category_per_process")
        ]

    def __str__(self) -> str:
        return self.name
