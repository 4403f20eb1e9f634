from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Proposal(models.Model):
    """An idea a resident puts forward in a process."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        EVALUATING = "evaluating", _("Being evaluated")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    process = models.ForeignKey(
        "deliberation.Process", on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coauthored_proposals",
        verbose_name=_("co-authors"),
    )
    category = models.ForeignKey(
        "deliberation.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=200)
    # What the author typed (Markdown subset) and its sanitized HTML, rendered once on write.
    body = models.TextField(_("body"))
    body_html = models.TextField(_("body (HTML)"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PUBLISHED
    )
    # Staff's public answer, given together with a state change.
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Set by moderation (proposals app, comments/moderation part); hidden ones leave lists/API.
    hidden = models.BooleanField(_("hidden by moderation"), default=False)
    # Denormalised counters so the list needs no COUNT per row. supports_count is kept by
    # proposals.services (support/unsupport); the comment counters by the comments service.
    supports_count = models.PositiveIntegerField(_("supports"), default=0)
    comments_count = models.PositiveIntegerField(_("comments"), default=0)
    stance_for_count = models.PositiveIntegerField(_("comments for"), default=0)
    stance_against_count = models.PositiveIntegerField(_("comments against"), default=0)
    stance_neutral_count = models.PositiveIntegerField(_("neutral comments"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["process", "state", "-created_at"], name="proposal_list_newest"),
            models.Index(fields=["process", "-supports_count"], name="proposal_list_supports"),
            models.Index(fields=["process", "-comments_count"], name="proposal_list_comments"),
            models.Index(fields=["author", "-created_at"], name="proposal_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still taking part in the process: not withdrawn and not yet decided."""
        return self.state in (self.State.PUBLISHED, self.State.EVALUATING)


class Support(models.Model):
    """One signed-in person backing one proposal; taking it back deletes the row."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"
