"""Ballots, their options, the votes cast and the counters kept current as votes arrive.

Secret ballots keep two unlinkable halves: a `Vote` row saying only that a person has voted,
and a voter-less paper holding the choice. Nothing in the database joins them; the way from a
voter to their paper is a keyed HMAC (`voting.choices`) that needs the server's secret key,
which staff reading the database or the admin do not have. The paper is written in the same
transaction as the vote, which a database reader can see (row order, PostgreSQL's `xmin`), so
while the ballot is open it is a `SealedPaper` that only the server can read; when the ballot
closes the papers are opened into `BallotPaper` rows written in a random order with fresh
random ids, no time and the sector still sealed (docs/voting.md, "Secrecy").
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GENESIS_HASH = "0" * 64
# A secret ballot shows no breakdown below this many online votes until it closes, and splits
# by sector only when every sector group has at least this many voters.
SMALL_GROUP = 5


class Ballot(models.Model):
    class Method(models.TextChoices):
        SUPPORT = "support", _("Support (approval)")
        YES_NO = "yes_no", _("Yes / no / abstain")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RANKED = "ranked", _("Ranked choice")
        SCORE = "score", _("Score")
        DOTS = "dots", _("Dot voting")
        BUDGET = "budget", _("Budget allocation")

    class Eligibility(models.TextChoices):
        SIGNED_IN = "signed_in", _("Everyone signed in")
        BODY_MEMBERS = "body_members", _("Members of a body")
        # Checked once live sessions exist; until then the voter check refuses with a reason.
        SESSION_ATTENDEES = "session_attendees", _("Attendees of a session")
        SESSION_GUESTS = "session_guests", _("Guests of a session")

    class Secrecy(models.TextChoices):
        SECRET = "secret", _("Secret")
        PUBLIC = "public", _("Public")

    class ResultsVisibility(models.TextChoices):
        LIVE = "live", _("Live, while voting is open")
        AFTER_CLOSE = "after_close", _("After the ballot closes")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("ballot state", "Open")
        CLOSED = "closed", pgettext_lazy("ballot state", "Closed")

    class RankedCounting(models.TextChoices):
        IRV = "irv", _("Instant runoff")
        BORDA = "borda", _("Borda count")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority")

    process = models.ForeignKey(
        "deliberation.Process", on_delete=models.CASCADE, related_name="ballots"
    )
    body = models.ForeignKey(
        "deliberation.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        help_text=_(
            "Its chair and facilitators run the ballot; its members vote if eligibility "
            "is “members of a body”."
        ),
    )
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    # Method settings; each method reads only its own.
    max_supports = models.PositiveIntegerField(_("supports per voter"), null=True, blank=True)
    min_selections = models.PositiveIntegerField(_("minimum selections"), default=1)
    max_selections = models.PositiveIntegerField(_("maximum selections"), null=True, blank=True)
    score_max = models.PositiveSmallIntegerField(
        _("score scale"), choices=[(5, "0–5"), (10, "0–10")], default=5
    )
    dots_per_voter = models.PositiveIntegerField(_("dots per voter"), default=5)
    max_dots_per_option = models.PositiveIntegerField(
        _("most dots on one option"), null=True, blank=True
    )
    budget_total = models.PositiveBigIntegerField(_("budget"), null=True, blank=True)
    ranked_counting = models.CharField(
        _("counting"), max_length=8, choices=RankedCounting.choices, default=RankedCounting.IRV
    )
    quorum = models.PositiveIntegerField(_("quorum"), null=True, blank=True)
    majority = models.CharField(
        _("majority"), max_length=12, choices=Majority.choices, default=Majority.SIMPLE
    )

    eligibility = models.CharField(
        _("who may vote"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.SIGNED_IN,
    )
    secrecy = models.CharField(
        _("secrecy"), max_length=8, choices=Secrecy.choices, default=Secrecy.PUBLIC
    )
    results_visibility = models.CharField(
        _("results shown"),
        max_length=12,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_secret(self) -> bool:
        return self.secrecy == self.Secrecy.SECRET

    def current_state(self, now=None) -> str:
        """The state, with the scheduled opening and closing times applied."""
        now = now or timezone.now()
        if self.state == self.State.DRAFT and self.opens_at and self.opens_at <= now:
            if not (self.closes_at and self.closes_at <= now):
                return self.State.OPEN
            return self.State.CLOSED
        if self.state == self.State.OPEN and self.closes_at and self.closes_at <= now:
            return self.State.CLOSED
        return self.state

    def hides_breakdown(self, voters: int) -> bool:
        """A secret ballot with fewer than SMALL_GROUP online voters shows only its turnout
        until it closes (paper counts are shown apart, so they do not count towards it)."""
        return self.is_secret and voters < SMALL_GROUP and self.current_state() != self.State.CLOSED


# The largest cost or budget: whole units of money that a browser still adds up exactly
# (below 2**53) and that every database's big integer holds.
MAX_COST = 999_999_999_999_999


class Option(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cost = models.PositiveBigIntegerField(_("cost"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # "yes", "no", "abstain" on yes/no ballots, so results read the right option.
    code = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """Yes / no / abstain read in the reader's language; other labels as written."""
        fixed = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
        return str(fixed.get(self.code, self.label))


class Vote(models.Model):
    """One voter's vote on one ballot. On a secret ballot `choice` stays empty: the row only
    says that this person has voted (their choice is in a `BallotPaper`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballot_votes"
    )
    choice = models.JSONField(null=True, blank=True)
    sector = models.CharField(max_length=32, blank=True)
    # The receipt of this vote's latest cast or change: the one that is counted.
    receipt = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_voter")
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} on ballot {self.ballot_id}"


class SealedPaper(models.Model):
    """The choice of one voter on a secret ballot that is open, sealed (voting.sealing): it is
    written beside the voter's `Vote`, so only the server may read it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="sealed_papers")
    # A keyed HMAC of (ballot, voter) with a salt of its own (voting.choices.sealed_lookup).
    lookup = models.CharField(max_length=64)
    # {"choice": …, "sector": …, "lookup": the BallotPaper lookup it will have}, sealed.
    sealed = models.TextField()

    class Meta:
        verbose_name = _("sealed ballot paper")
        verbose_name_plural = _("sealed ballot papers")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "lookup"], name="one_sealed_paper_per_lookup")
        ]

    def __str__(self) -> str:
        return f"sealed ballot paper {self.pk}"


class BallotPaper(models.Model):
    """The choice of one voter on a closed secret ballot, without the voter: random id, no
    time, written with the ballot's other papers in a random order when it closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="papers")
    # A keyed HMAC of (ballot, voter), so the voter can see their own choice.
    lookup = models.CharField(max_length=64)
    choice = models.JSONField()
    # The voter's sector when they voted, sealed: in clear it would narrow who wrote the paper
    # to the voters of that sector. The split by sector opens it (≥ 5 voters in every group).
    sealed_sector = models.TextField(blank=True)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "lookup"], name="one_paper_per_lookup")
        ]

    def __str__(self) -> str:
        return f"ballot paper {self.pk}"


class Tally(models.Model):
    """Per-ballot counters and the head of its vote log; its row lock serialises casts."""

    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="tally")
    voters = models.PositiveIntegerField(default=0)
    chain_length = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # A secret ballot's counts as of its last step (settings.SPOLU_SECRET_TALLY_STEP entries
    # of its log): what every surface shows while it is open (voting.visibility).
    step_voters = models.PositiveIntegerField(default=0)
    step_chain_length = models.PositiveIntegerField(default=0)
    step_counters = models.JSONField(default=list)  # [[option id, bucket, count], …]

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"tally of ballot {self.ballot_id}"


class OptionTally(models.Model):
    """A counter per option and bucket: bucket 0 for counts, the score given for score
    ballots, the rank position for ranked ballots."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="tallies")
    bucket = models.PositiveSmallIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "bucket"], name="one_counter_per_bucket")
        ]

    def __str__(self) -> str:
        return f"option {self.option_id} [{self.bucket}] = {self.count}"


class PaperCount(models.Model):
    """Counts from one paper round, entered by a facilitator. Entries are never edited: a
    correction is a new entry that replaces an earlier one, so the trail stays whole."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_counts")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    # {option id (as text): count}
    counts = models.JSONField(_("counts"))
    ballots_cast = models.PositiveIntegerField(_("paper ballots cast"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")
        ordering = ["entered_at", "pk"]

    def __str__(self) -> str:
        return f"paper count {self.pk} on ballot {self.ballot_id}"


class VoteLogEntry(models.Model):
    """One link of a ballot's public hash chain: a cast, change or withdrawal."""

    class Kind(models.TextChoices):
        CAST = "cast", _("Cast")
        CHANGE = "change", _("Change")
        WITHDRAW = "withdraw", _("Withdrawal")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="log")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # sha256 of the receipt code: the log can be published whole, receipts stay with voters.
    receipt_digest = models.CharField(max_length=64, unique=True)
    # On a secret ballot a digest over a discarded random nonce and the choice: no choice in
    # clear, and not guessable from the few possible choices.
    payload_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["ballot", "index"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "index"], name="one_entry_per_index")
        ]

    def __str__(self) -> str:
        return f"ballot {self.ballot_id} #{self.index} {self.kind}"


class IdempotencyRecord(models.Model):
    """What a submit returned, so the same submit retried returns it again and counts once."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    receipt = models.CharField(max_length=32)
    kind = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "voter", "key"], name="one_result_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"idempotency key on ballot {self.ballot_id}"
