"""Live sessions: a meeting of a body or a public workshop, its agenda, who takes part, their
questions and raised hands, the timer, and what the meeting recorded (notes, outcomes, action
items, minutes and their corrections)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from realtime.groups import session_stream

# No 0/O, 1/I/L: a code read aloud or copied from a projector is typed right the first time.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


class Session(models.Model):
    """A meeting of a body, or a public workshop of a process, run live."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        CLOSED = "closed", pgettext_lazy("session state", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("session state", "Cancelled")

    body = models.ForeignKey(
        "deliberation.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    process = models.ForeignKey(
        "deliberation.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SCHEDULED
    )
    join_code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, unique=True)
    guests_allowed = models.BooleanField(_("guests may join"), default=False)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="noted_sessions",
    )
    current_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Clients count down locally to this instant; null when no timer runs.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    minutes_markdown = models.TextField(_("minutes"), blank=True)
    # The note-taker's own text of the minutes, once edited: it replaces the drafted body, and
    # accepted corrections are still added after it (live.minutes.assemble).
    minutes_edited = models.TextField(_("minutes as edited"), blank=True)
    minutes_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amendments_close_at = models.DateTimeField(null=True, blank=True)
    # Published before the amendment window ended: who did it and why, kept with the minutes.
    minutes_published_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_early_reason = models.TextField(_("why the minutes were published early"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # When the invitation went to the body's members and followers; after it, changes and a
    # cancellation are announced to them, and the reminder goes the day before.
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__isnull=False) | models.Q(process__isnull=False),
                name="session_of_a_body_or_process",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.state == self.State.LIVE

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def stream(self) -> str:
        """The realtime stream this session's events are numbered in."""
        return session_stream(self.pk)

    def minutes_published(self, now=None) -> bool:
        """Minutes become public when the attendees' amendment window has passed."""
        now = now or timezone.now()
        return bool(
            self.state == self.State.CLOSED
            and self.amendments_close_at
            and self.amendments_close_at <= now
        )


class AgendaItem(models.Model):
    class Decision(models.TextChoices):
        NONE = "", _("No decision")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        NOTED = "noted", _("Noted")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    timebox_minutes = models.PositiveIntegerField(_("timebox (minutes)"), null=True, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="agenda_items"
    )
    ballot = models.ForeignKey(
        "voting.Ballot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default="", blank=True
    )
    # The ballot's result when the outcome was recorded: {"counts": {...}, "total": n, ...}.
    outcome_result = models.JSONField(null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Presence(models.Model):
    """A body member's presence at one of the body's sessions as the facilitator recorded it in
    the roll call. A member who joined through Spolu counts as present without one; a record
    says otherwise (excused, absent) or adds those who came without joining."""

    class Status(models.TextChoices):
        IN_ROOM = "in_room", _("Present in the room")
        ONLINE = "online", _("Present online")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presences")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("presence"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_presence_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.session}: {self.status}"


class Attendance(models.Model):
    """Someone taking part in a session: an account, or a guest known by a signed cookie."""

    class Mode(models.TextChoices):
        IN_ROOM = "in_room", _("In the room")
        ONLINE = "online", _("Online")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
    )
    guest_id = models.CharField(max_length=32, blank=True)
    nickname = models.CharField(_("name"), max_length=40, blank=True)
    # Guests vote through an account that cannot sign in, since a vote belongs to an account.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mode = models.CharField(_("taking part"), max_length=8, choices=Mode.choices)
    sector = models.CharField(max_length=32, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="one_attendance_per_account",
            ),
            models.UniqueConstraint(
                fields=["session", "guest_id"],
                condition=~models.Q(guest_id=""),
                name="one_attendance_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} @ {self.session}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.display_name or str(_("Participant"))
        return self.nickname

    @property
    def voting_account(self):
        """The account this person's votes are stored under: their own, or a guest's
        stand-in (None until a guest first votes)."""
        return self.user if self.user_id else self.voter


class Question(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    upvotes = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Optional: a question answered aloud in the room needs no written answer.
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-upvotes", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class QuestionUpvote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvote_rows")
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "attendance"], name="one_upvote_each")
        ]

    def __str__(self) -> str:
        return f"upvote on question {self.question_id}"


class Hand(models.Model):
    """A raised hand: waiting in the speaker queue, then speaking, then done."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SPEAKING = "speaking", _("Speaking")
        DONE = "done", _("Done")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="hands")
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="hands")
    state = models.CharField(max_length=8, choices=State.choices, default=State.WAITING)
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance"],
                condition=models.Q(state="waiting"),
                name="one_raised_hand_each",
            )
        ]

    def __str__(self) -> str:
        return f"hand {self.pk} ({self.state})"


class ActionItem(models.Model):
    """Something someone agreed to do; the action plan may later promote it to a milestone."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_items")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("who"), max_length=120, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class MinutesAmendment(models.Model):
    """A correction an attendee proposes to the minutes during the amendment window."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("correction"), max_length=2000)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
