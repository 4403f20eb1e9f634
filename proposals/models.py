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
            # One index per list order, with the tie-breakers, so a page is an index scan
            # that stops after the page instead of a sort of every proposal.
            models.Index(fields=["process", "-created_at", "-id"], name="proposal_list_newest"),
            models.Index(
                fields=["process", "-supports_count", "-created_at", "-id"],
                name="proposal_list_supports",
            ),
            models.Index(
                fields=["process", "-comments_count", "-created_at", "-id"],
                name="proposal_list_comments",
            ),
            # Counting the list (and the random order) can read this index alone.
            models.Index(fields=["process", "state", "hidden", "id"], name="proposal_list_filter"),
            models.Index(fields=["author", "-created_at"], name="proposal_by_author"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still taking part in the process: not withdrawn and not yet decided."""
        return self.state in (self.State.PUBLISHED, self.State.EVALUATING)


class Follow(models.Model):
    """A person's own choice about a proposal's news, apart from supporting it: follow it
    without supporting it, or stop following it although they wrote or support it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_follows"
    )
    following = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_follow_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} {'follows' if self.following else 'stopped following'} {self.proposal}"


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


class Stance(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral")


# Documented limits (see docs and the comment form): longer or empty bodies are refused.
COMMENT_MAX_LENGTH = 5000
# Top-level comments are level 1; replies nest down to this level and no deeper.
COMMENT_MAX_LEVEL = 3


class Comment(models.Model):
    """A threaded comment with a stance.

    What it comments on is a nullable foreign key per kind of target, never a generic
    foreign key: today only `proposal`. A later object (e.g. a live-session agenda item)
    adds its own nullable FK here and extends the `comment_has_one_target` check so that
    exactly one target is set.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    stance = models.CharField(
        _("stance"), max_length=8, choices=Stance.choices, default=Stance.NEUTRAL
    )
    # The Markdown the author wrote and its sanitized HTML, rendered once when written.
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(_("comment (HTML)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Deleting keeps the row (so replies keep their place) but erases what was written.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden by moderation"), default=False)
    # Empty while hidden pending review after reports; the staff's reason once they decide.
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=False), name="comment_has_one_target"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=COMMENT_MAX_LEVEL),
                name="comment_level_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="comment_thread"),
            models.Index(fields=["author", "-created_at"], name="comment_by_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """Counted and shown: neither deleted by its author nor hidden by moderation."""
        return self.deleted_at is None and not self.hidden

    @property
    def accepts_replies(self) -> bool:
        return self.level < COMMENT_MAX_LEVEL


class Report(models.Model):
    """One signed-in person flagging a proposal or a comment for moderation."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("Offensive")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    text = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    # Set when staff hide, restore or dismiss; open reports are the moderation queue.
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(proposal__isnull=False, comment__isnull=True)
                    | models.Q(proposal__isnull=True, comment__isnull=False)
                ),
                name="report_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=models.Q(proposal__isnull=False),
                name="one_report_per_user_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="one_report_per_user_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.proposal or self.comment}"


class ModerationAction(models.Model):
    """The audit log: every hide, restore and dismissal, and every automatic hide."""

    class Action(models.TextChoices):
        AUTO_HIDDEN = "auto_hidden", _("Hidden automatically after reports")
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Restored")
        DISMISSED = "dismissed", _("Reports dismissed")

    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # Empty for the automatic hide, which nobody performed.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(proposal__isnull=False, comment__isnull=True)
                    | models.Q(proposal__isnull=True, comment__isnull=False)
                ),
                name="moderation_action_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.proposal or self.comment}"
