"""Conversations: a question, short statements, and each person's agree / disagree / pass."""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deliberation.models import Process

STATEMENT_MAX_LENGTH = 280


def normalise(text: str) -> str:
    """The form two statements are compared in: NFKC, case folded, spaces collapsed, final
    punctuation dropped ("More trees." and "more  trees" are the same statement)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split()).rstrip(".!?…;, ")


class Conversation(models.Model):
    class Moderation(models.TextChoices):
        BEFORE = "before", _("Before statements are shown")
        AFTER = "after", _("After statements are shown")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="conversations")
    agenda_item = models.ForeignKey(
        "live.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    question = models.CharField(_("question"), max_length=300)
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.AFTER
    )
    is_open = models.BooleanField(_("open"), default=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question


class Statement(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Waiting for moderation")
        HIDDEN = "hidden", _("Hidden")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    normalised = models.CharField(max_length=STATEMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.VISIBLE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["conversation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "normalised"], name="opinions_statement_unique_text"
            )
        ]

    def __str__(self) -> str:
        return self.text


class OpinionVote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        PASS = 0, _("Pass")
        DISAGREE = -1, _("Disagree")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    # Denormalised from the statement, so a conversation's votes are read in one query.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opinion_votes"
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    voted_at = models.DateTimeField(_("voted"), auto_now=True)

    class Meta:
        verbose_name = _("opinion vote")
        verbose_name_plural = _("opinion votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="opinions_vote_once"),
            models.CheckConstraint(
                condition=models.Q(value__in=(-1, 0, 1)), name="opinions_vote_value"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "voter"])]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.value:+d} {self.statement_id}"
