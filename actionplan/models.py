"""The city's open-government action plan: commitments, milestones, progress and assessments.

Every change goes through `actionplan.services`, which also writes a ChangeRecord.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OgpValue(models.TextChoices):
    TRANSPARENCY = "transparency", _("Transparency")
    PARTICIPATION = "participation", _("Civic participation")
    ACCOUNTABILITY = "accountability", _("Public accountability")
    TECHNOLOGY = "technology", _("Technology and innovation")


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IMPLEMENTATION = "implementation", _("Being implemented")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    lead_institutions = models.CharField(_("lead institutions"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The plan's co-creation, for its participation statistics: every session of these
    # processes, and the sessions of these bodies held within the co-creation period.
    processes = models.ManyToManyField(
        "deliberation.Process",
        blank=True,
        related_name="action_plans",
        verbose_name=_("co-creation processes"),
    )
    bodies = models.ManyToManyField(
        "deliberation.Body",
        blank=True,
        related_name="action_plans",
        verbose_name=_("bodies that co-created it"),
    )
    cocreation_starts_on = models.DateField(_("co-creation starts on"), null=True, blank=True)
    cocreation_ends_on = models.DateField(_("co-creation ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:plan", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT


class Priority(models.Model):
    """One of the plan's themes (the city's plan calls them priorities)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Commitment(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, related_name="commitments", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem addressed"), blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_institution = models.CharField(_("lead institution"), max_length=200, blank=True)
    supporting_institutions = models.CharField(
        _("supporting institutions"), max_length=300, blank=True
    )
    # A list of OgpValue codes; services accept only those codes.
    ogp_values = models.JSONField(_("OGP values"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    is_published = models.BooleanField(_("published"), default=False)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "priority__number", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actionplan:commitment", args=[self.pk])

    def ogp_value_labels(self) -> list[str]:
        labels = dict(OgpValue.choices)
        return [str(labels[code]) for code in self.ogp_values if code in labels]


class CommitmentFollow(models.Model):
    """A person's own choice about a commitment's progress news: follow it without having
    taken part in a source, or stop following it although they did."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitment_follows"
    )
    following = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "user"], name="one_commitment_follow_per_user"
            )
        ]

    def __str__(self) -> str:
        verb = "follows" if self.following else "stopped following"
        return f"{self.user} {verb} {self.commitment}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_milestones",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    # Set when the milestone was promoted from a live session's action item.
    action_item = models.ForeignKey(
        "live.ActionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    # One address per line.
    evidence_links = models.TextField(_("evidence links"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the reminders went out, so the daily command sends each one once.
    due_soon_reminded_on = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="milestone_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED)

    def evidence_list(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class ProgressUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    text = models.TextField(_("text"))
    new_status = models.CharField(
        _("new status"), max_length=16, choices=Milestone.Status.choices, blank=True
    )
    new_progress = models.PositiveSmallIntegerField(_("new progress (%)"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.created_at:%Y-%m-%d}"


class Assessment(models.Model):
    """The independent monitor's assessment; published as written, nobody else edits it."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        END = "end", _("End-of-commitment report")
        LEARNING = "learning", _("Learning exercise")

    class Completion(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")

    class EarlyResults(models.TextChoices):
        NONE = "none", _("No notable results yet")
        MODEST = "modest", _("Modest results")
        STRONG = "strong", _("Strong results")
        OUTSTANDING = "outstanding", _("Outstanding results")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="assessments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    completion = models.CharField(_("completion"), max_length=16, choices=Completion.choices)
    early_results = models.CharField(
        _("early results"), max_length=16, choices=EarlyResults.choices
    )
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.commitment}"


class CommitmentSource(models.Model):
    """Where a commitment came from: exactly one proposal, agenda outcome or closed ballot."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sources")
    # Set when the source was attached as a new milestone of the commitment.
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="sources"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitment_sources",
    )
    ballot = models.ForeignKey(
        "voting.Ballot",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitment_sources",
    )
    agenda_item = models.ForeignKey(
        "live.AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitment_sources",
    )
    justification = models.TextField(_("justification"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("commitment source")
        verbose_name_plural = _("commitment sources")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(proposal__isnull=False, ballot__isnull=True, agenda_item__isnull=True)
                    | models.Q(
                        proposal__isnull=True, ballot__isnull=False, agenda_item__isnull=True
                    )
                    | models.Q(
                        proposal__isnull=True, ballot__isnull=True, agenda_item__isnull=False
                    )
                ),
                name="commitment_source_exactly_one_of_three",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} ← {self.proposal or self.ballot or self.agenda_item}"


class ChangeRecord(models.Model):
    """One field changed through a service: who, when, old → new. Read by staff."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(_("object"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=64)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}.{self.field}"


class Endorsement(models.Model):
    """A non-governmental organisation's public support of the plan, as the OGP template lists
    it: who, for which organisation, since when. Added by staff, or by the endorser's own
    account (then `user` is that account)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="endorsements")
    name = models.CharField(_("name"), max_length=160)
    organisation = models.CharField(_("organisation"), max_length=200)
    endorsed_on = models.DateField(_("endorsed on"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["endorsed_on", "organisation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation", "name"], name="one_endorsement_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class MonitorReport(models.Model):
    """One of the independent monitor's three reports on the whole plan, as written: nobody
    edits it afterwards (the per-commitment assessments are `Assessment`)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        END_OF_COMMITMENT = "end_of_commitment", _("End-of-commitment report")
        FINAL_LEARNING = "final_learning", _("Final learning exercise")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="monitor_reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    published_on = models.DateField(_("date of the report"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monitor_reports"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("monitor's report")
        verbose_name_plural = _("monitor's reports")
        ordering = ["published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="one_monitor_report_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan}"
