"""Every change to ballots and votes. Each runs in one transaction with the ballot's tally
row locked, so casts on a ballot are serialised: one vote per voter, the counters and the
hash chain always agree with the votes."""

import hashlib
import json
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from deliberation.rules import manages_body
from voting import counting, sealing, stream, tallies, visibility, vote_sql
from voting.choices import paper_lookup, sealed_lookup
from voting.counting import InvalidChoice, Rules
from voting.eligibility import eligibility_refusal
from voting.errors import (
    BallotFrozen,
    BallotNotOpen,
    InvalidBallot,
    InvalidVote,
    NotAllowed,
    NotEligible,
    VotingError,
)
from voting.models import (
    MAX_COST,
    Ballot,
    BallotPaper,
    Option,
    OptionTally,
    PaperCount,
    SealedPaper,
    Tally,
    Vote,
    VoteLogEntry,
)
from voting.savepoints import vote_atomic

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BALLOT_FIELDS = {
    "question",
    "description",
    "method",
    "body",
    "max_supports",
    "min_selections",
    "max_selections",
    "score_max",
    "dots_per_voter",
    "max_dots_per_option",
    "budget_total",
    "ranked_counting",
    "quorum",
    "majority",
    "eligibility",
    "secrecy",
    "results_visibility",
    "opens_at",
    "closes_at",
}
# What may still change once a ballot is open: nothing that changes how votes count.
OPEN_BALLOT_FIELDS = {"description", "closes_at"}


@dataclass(frozen=True)
class CastResult:
    receipt: str
    kind: str
    replayed: bool = False


# --- Ballots ------------------------------------------------------------------------------


def _require(user, perm: str, ballot=None) -> None:
    if not user.has_perm(perm, ballot):
        raise NotAllowed()


def _check_settings(ballot: Ballot) -> None:
    if ballot.eligibility == Ballot.Eligibility.BODY_MEMBERS and not ballot.body_id:
        raise InvalidBallot(_("Choose the body whose members vote."))
    if ballot.method == Ballot.Method.BUDGET and not ballot.budget_total:
        raise InvalidBallot(_("A budget ballot needs a budget."))
    if ballot.budget_total is not None and not 0 <= ballot.budget_total <= MAX_COST:
        raise InvalidBallot(_("The budget must be between 0 and %(max)s.") % {"max": MAX_COST})
    if ballot.max_selections is not None and ballot.max_selections < ballot.min_selections:
        raise InvalidBallot(_("The maximum selections cannot be below the minimum."))
    if ballot.opens_at and ballot.closes_at and ballot.closes_at <= ballot.opens_at:
        raise InvalidBallot(_("The ballot must close after it opens."))
    if ballot.score_max not in (5, 10):
        raise InvalidBallot(_("The score scale is 0–5 or 0–10."))


def _replace_options(ballot: Ballot, options: list[dict]) -> None:
    ballot.options.all().delete()
    if ballot.method == Ballot.Method.YES_NO:
        options = [
            {"label": "Yes", "code": "yes"},
            {"label": "No", "code": "no"},
            {"label": "Abstain", "code": "abstain"},
        ]
    for position, spec in enumerate(options, start=1):
        label = (spec.get("label") or "").strip()
        proposal = spec.get("proposal")
        if not label and proposal is not None:
            label = proposal.title
        if not label:
            raise InvalidBallot(_("Every option needs a label."))
        if proposal is not None and proposal.process_id != ballot.process_id:
            raise InvalidBallot(_("A proposal from another process cannot be an option."))
        if ballot.method == Ballot.Method.BUDGET and spec.get("cost") in (None, ""):
            raise InvalidBallot(_("Every project in a budget ballot needs a cost."))
        cost = spec.get("cost")
        if cost not in (None, "") and (
            not isinstance(cost, int) or isinstance(cost, bool) or not 0 <= cost <= MAX_COST
        ):
            raise InvalidBallot(
                _("The cost of “%(label)s” must be between 0 and %(max)s.")
                % {"label": label, "max": MAX_COST}
            )
        Option.objects.create(
            ballot=ballot,
            label=label[:200],
            proposal=proposal,
            cost=spec.get("cost") or None,
            position=position,
            code=spec.get("code", ""),
        )


def create_ballot(user, process, *, options: list[dict] | None = None, **fields) -> Ballot:
    """A new ballot, in draft. `options` is a list of {label, proposal, cost}."""
    _require(user, "voting.add_ballot")
    unknown = set(fields) - BALLOT_FIELDS
    if unknown:
        raise TypeError(f"unknown ballot fields: {sorted(unknown)}")
    with transaction.atomic():
        ballot = Ballot(process=process, created_by=user, **fields)
        if ballot.body_id and not (user.is_staff or manages_body(user, ballot.body_id)):
            raise NotAllowed(_("Only the chair or a facilitator of that body can use it."))
        _check_settings(ballot)
        ballot.save()
        Tally.objects.create(ballot=ballot)
        _replace_options(ballot, options or [])
    return ballot


def update_ballot(user, ballot: Ballot, *, options: list[dict] | None = None, **fields) -> Ballot:
    """Change a ballot; once open, only its description and closing time."""
    _require(user, "voting.change_ballot", ballot)
    with transaction.atomic():
        Tally.objects.select_for_update().get(ballot_id=ballot.pk)
        ballot = Ballot.objects.get(pk=ballot.pk)
        state = ballot.current_state()
        changed = {k for k, v in fields.items() if getattr(ballot, k) != v}
        if state == Ballot.State.CLOSED:
            raise BallotFrozen(_("The ballot is closed and can no longer change."))
        if state != Ballot.State.DRAFT and (options is not None or changed - OPEN_BALLOT_FIELDS):
            raise BallotFrozen()
        for name, value in fields.items():
            if name not in BALLOT_FIELDS:
                raise TypeError(f"unknown ballot field: {name}")
            setattr(ballot, name, value)
        _check_settings(ballot)
        ballot.save()
        if options is not None:
            _replace_options(ballot, options)
    return ballot


def _open_locked(ballot: Ballot) -> None:
    options = list(ballot.options.all())
    minimum = 1 if ballot.method == Ballot.Method.SUPPORT else 2
    if len(options) < minimum:
        raise InvalidBallot(_("Add at least two options before opening the ballot."))
    rules = Rules.for_ballot(ballot, options)
    OptionTally.objects.bulk_create(
        [OptionTally(option=o, bucket=b) for o in options for b in rules.buckets()],
        ignore_conflicts=True,
    )
    ballot.state = Ballot.State.OPEN
    ballot.opened_at = timezone.now()
    if ballot.closes_at and ballot.closes_at <= ballot.opened_at:
        ballot.closes_at = None
    ballot.save(update_fields=["state", "opened_at", "closes_at"])
    stream.announce_opened(ballot)


def open_ballot(user, ballot: Ballot) -> Ballot:
    _require(user, "voting.open_ballot", ballot)
    with transaction.atomic():
        Tally.objects.select_for_update().get(ballot_id=ballot.pk)
        ballot = Ballot.objects.get(pk=ballot.pk)
        if ballot.state != Ballot.State.DRAFT:
            raise VotingError(_("Only a ballot in draft can be opened."))
        _check_settings(ballot)
        _open_locked(ballot)
    return ballot


def close_ballot(user, ballot: Ballot) -> Ballot:
    _require(user, "voting.close_ballot", ballot)
    with transaction.atomic():
        Tally.objects.select_for_update().get(ballot_id=ballot.pk)
        ballot = Ballot.objects.get(pk=ballot.pk)
        _settle_schedule(ballot)
        if ballot.state != Ballot.State.OPEN:
            raise VotingError(_("Only an open ballot can be closed."))
        _close_locked(ballot)
    return ballot


def close_open_ballots(user, ballots) -> list[Ballot]:
    """Close those of `ballots` still open, each as close_ballot would (its rule checked, its
    papers opened, `ballot.closed` and its final tally sent after commit): a session closing
    takes its open ballots with it. One refusal refuses them all (nothing is closed); ballots
    already closed, or not yet open, are left as they are. Tally rows are locked in id order,
    so two callers cannot lock each other out. Returns the ballots it closed."""
    closed = []
    with transaction.atomic():
        for pk in sorted({ballot.pk for ballot in ballots}):
            Tally.objects.select_for_update().get(ballot_id=pk)
            ballot = Ballot.objects.get(pk=pk)
            _settle_schedule(ballot)
            if ballot.state != Ballot.State.OPEN:
                continue
            _require(user, "voting.close_ballot", ballot)
            _close_locked(ballot)
            closed.append(ballot)
    return closed


def _close_locked(ballot: Ballot) -> None:
    ballot.state = Ballot.State.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["state", "closed_at"])
    open_papers(ballot)
    stream.announce_closed(ballot)


def _settle_schedule(ballot: Ballot) -> None:
    """Apply a scheduled opening or closing that has come due (tally row already locked)."""
    now = timezone.now()
    if ballot.state == Ballot.State.DRAFT and ballot.opens_at and ballot.opens_at <= now:
        try:
            _open_locked(ballot)
        except InvalidBallot:
            return
    if ballot.state == Ballot.State.OPEN and ballot.closes_at and ballot.closes_at <= now:
        ballot.state = Ballot.State.CLOSED
        ballot.closed_at = ballot.closes_at
        ballot.save(update_fields=["state", "closed_at"])
        open_papers(ballot)
        stream.announce_closed(ballot)


def settle_due_ballots(now=None) -> list[int]:
    """Open and close the ballots whose scheduled time has come, each announced as a manual
    opening or closing is, so sockets hear of it even if nobody touches the ballot. Each
    change happens once under the tally lock, so every server process may run this."""
    now = now or timezone.now()
    due = Ballot.objects.filter(
        Q(state=Ballot.State.OPEN, closes_at__lte=now)
        | Q(state=Ballot.State.DRAFT, opens_at__lte=now)
    ).values_list("pk", flat=True)
    settled = []
    for pk in due:
        with transaction.atomic():
            Tally.objects.select_for_update().get(ballot_id=pk)
            ballot = Ballot.objects.get(pk=pk)
            before = ballot.state
            _settle_schedule(ballot)
            if ballot.state != before:
                settled.append(pk)
    return settled


# Every sector's name fits in one block, so a sealed sector's length does not tell which it is.
SECTOR_BLOCK = 64


def _other_key() -> VotingError:
    return VotingError(
        _(
            "This ballot's papers were sealed with another secret key: the server needs the "
            "SECRET_KEY it had when they were cast."
        )
    )


def _unseal(text: str, ballot_id: int):
    try:
        return sealing.unseal(text, ballot_id)
    except sealing.Unreadable:
        raise _other_key() from None


def open_papers(ballot: Ballot) -> int:
    """As a secret ballot closes (its tally row locked): every sealed paper opened and written
    again as a `BallotPaper`, all in one go, in a random order, with fresh random ids and the
    sector sealed afresh; the sealed papers deleted. The open papers' rows then carry nothing
    from the time of voting (order, rowid, `xmin`, `ctid`) that pairs them with the votes.
    Returns how many papers it opened."""
    if not ballot.is_secret:
        return 0
    papers = []
    for text in SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True):
        content = _unseal(text, ballot.pk)
        papers.append(
            BallotPaper(
                id=uuid.uuid4(),
                ballot=ballot,
                lookup=content["lookup"],
                choice=content["choice"],
                sealed_sector=sealing.seal(content["sector"], ballot.pk, SECTOR_BLOCK),
            )
        )
    if not papers:
        return 0
    secrets.SystemRandom().shuffle(papers)
    SealedPaper.objects.filter(ballot=ballot).delete()
    BallotPaper.objects.bulk_create(papers, batch_size=500)
    return len(papers)


# --- Casting ------------------------------------------------------------------------------


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalize_receipt(code: str) -> str:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:8]}-{cleaned[8:12]}" if len(cleaned) == 12 else ""


def entry_hash(fields: dict) -> str:
    """sha256 over the canonical JSON of an entry's fields, which include prev_hash."""
    return sha256(canonical_json(fields))


def _log_entry(tally: Tally, ballot: Ballot, kind: str, payload_digest: str, receipt: str):
    """The next link of the ballot's hash chain, moving the tally's head to it."""
    fields = {
        "ballot": ballot.pk,
        "index": tally.chain_length + 1,
        "kind": kind,
        "receipt_digest": sha256(receipt),
        "payload_digest": payload_digest,
        "prev_hash": tally.head_hash,
    }
    digest = entry_hash(fields)
    tally.chain_length = fields["index"]
    tally.head_hash = digest
    return vote_sql.append_log({**fields, "hash": digest})


def _payload_digest(ballot: Ballot, voter, choice) -> str:
    """What the public log holds of a choice. A plain hash of (voter, choice) could be undone
    by trying every account number and option, so a secret ballot's hides behind a random
    nonce that is not kept, and a public ballot's is keyed with the server's secret (the
    server can still check it against the vote)."""
    if ballot.is_secret:
        return sha256(canonical_json({"nonce": secrets.token_hex(16), "choice": choice}))
    text = canonical_json({"voter": voter.pk, "choice": choice})
    return salted_hmac("voting.payload", text, algorithm="sha256").hexdigest()


@dataclass
class _Locked:
    """What a vote works from, read in one round trip once the ballot's tally row is locked."""

    tally: Tally
    ballot: Ballot
    vote: Vote | None
    paper: SealedPaper | None  # the voter's sealed paper on a secret ballot
    lookup: str  # the key from the voter to that sealed paper
    paper_lookup: str  # the key the paper will have once the ballot closes
    options: list[Option]
    earlier: CastResult | None  # what an earlier submit under the same key returned

    @property
    def old_choice(self):
        if self.vote is None:
            return None
        if self.ballot.is_secret:
            if self.paper is None:
                raise _other_key()
            return _unseal(self.paper.sealed, self.ballot.pk)["choice"]
        return self.vote.choice


def _check_key(key: str | None) -> None:
    if key is not None and not (0 < len(key) <= 64):
        raise InvalidVote(_("The form has expired; reload the page and vote again."))


def _lock_for_voting(ballot: Ballot, voter, key: str | None) -> _Locked:
    _check_key(key)
    lookup = sealed_lookup(ballot.pk, voter.pk)
    lock, votes, papers, options, *earlier = vote_sql.run(
        vote_sql.reads(ballot.pk, voter.pk, lookup, key)
    )
    if not lock:
        raise Tally.DoesNotExist("the ballot has no tally")
    split = vote_sql.width(Tally)
    tally = vote_sql.load(Tally, lock[0][:split])
    ballot = vote_sql.load(Ballot, lock[0][split:])
    # A closing that has come due is left to settle_due_ballots: this refusal rolls back, and
    # settling it here would open a secret ballot's papers for nothing on every late vote.
    if ballot.current_state() == Ballot.State.CLOSED:
        raise BallotNotOpen(_("This ballot is closed; votes can no longer change."))
    _settle_schedule(ballot)
    if ballot.state != Ballot.State.OPEN:
        raise BallotNotOpen(_("This ballot is not open yet."))
    refusal = eligibility_refusal(ballot, voter)
    if refusal:
        raise NotEligible(refusal)
    kept = earlier[0] if earlier else []
    return _Locked(
        tally=tally,
        ballot=ballot,
        vote=vote_sql.load(Vote, votes[0]) if votes else None,
        paper=vote_sql.load(SealedPaper, papers[0]) if papers else None,
        lookup=lookup,
        paper_lookup=paper_lookup(ballot.pk, voter.pk) if ballot.is_secret else "",
        options=[vote_sql.load(Option, row) for row in options],
        earlier=CastResult(kept[0][0], kept[0][1], replayed=True) if kept else None,
    )


def _counters_to_touch(locked: _Locked) -> list[int] | None:
    """A secret ballot's vote writes all its counters, not only those it changes: which ones
    a transaction wrote would otherwise tell a database reader what its voter chose."""
    return [option.pk for option in locked.options] if locked.ballot.is_secret else None


def _record_choice(locked: _Locked, voter, build, key: str | None) -> CastResult:
    """Cast or change a vote, with the tally row locked.

    `build(old_choice)` returns the raw new choice, so a single support is added to what the
    voter already supports while their row is locked — never a check in Python alone.
    """
    if locked.earlier:
        return locked.earlier
    ballot, tally, vote = locked.ballot, locked.tally, locked.vote
    kind = VoteLogEntry.Kind.CAST if vote is None else VoteLogEntry.Kind.CHANGE
    rules = Rules.for_ballot(ballot, locked.options)
    old_choice = locked.old_choice
    try:
        choice = counting.normalize_choice(rules, build(old_choice))
    except InvalidChoice as error:
        raise InvalidVote(str(error)) from error
    delta = counting.contributions(rules, choice)
    delta.subtract(counting.contributions(rules, old_choice))
    receipt = new_receipt()
    writes = vote_sql.add_to_counters(delta, _counters_to_touch(locked))
    writes.append(_log_entry(tally, ballot, kind, _payload_digest(ballot, voter, choice), receipt))
    sector = getattr(voter, "sector", "") or ""
    if vote is None:
        tally.voters += 1
    if ballot.is_secret:
        content = {"choice": choice, "sector": sector, "lookup": locked.paper_lookup}
        paper = {"sealed": sealing.seal(content, ballot.pk)}
        if locked.paper is None:
            paper.update(ballot=ballot.pk, lookup=locked.lookup)
        writes.append(vote_sql.save_paper(locked.paper, paper))
        values = {"receipt": receipt}
        if vote is None:
            values.update(ballot=ballot.pk, voter=voter.pk, choice=None, sector="")
    else:
        values = {"choice": choice, "sector": sector, "receipt": receipt}
        if vote is None:
            values.update(ballot=ballot.pk, voter=voter.pk)
    writes.append(vote_sql.save_vote(vote, values))
    if key:
        writes.append(vote_sql.keep_result(ballot.pk, voter.pk, key, receipt, kind))
    writes.append(vote_sql.save_tally(tally))
    vote_sql.run(writes)
    stream.tally_changed(ballot, shown_changed=_take_step(ballot, tally))
    return CastResult(receipt, kind)


def _take_step(ballot: Ballot, tally: Tally) -> bool:
    """Keep a secret ballot's counts as of now when its log has grown by a whole step since
    the last (voting.visibility shows those while it is open): whether what is shown changed.
    Runs after the vote's writes, under the same lock, so a step holds exactly its votes."""
    if not ballot.is_secret:
        return True
    if not visibility.step_due(ballot, tally):
        return False
    counters = tallies.counters_of(ballot)
    Tally.objects.filter(pk=tally.pk).update(
        step_voters=tally.voters,
        step_chain_length=tally.chain_length,
        step_counters=[[o, b, c] for (o, b), c in sorted(counters.items())],
    )
    return True


def cast_vote(ballot: Ballot, voter, choice, idempotency_key: str | None = None) -> CastResult:
    """Cast a vote, or change the voter's vote; a retried submit returns its first result."""
    with vote_atomic():
        locked = _lock_for_voting(ballot, voter, idempotency_key)
        return _record_choice(locked, voter, lambda _old: choice, idempotency_key)


def support_option(
    ballot: Ballot, voter, option_id: int, idempotency_key: str | None = None
) -> CastResult:
    """Add one option to what the voter supports, within the ballot's limit per voter."""
    if ballot.method != Ballot.Method.SUPPORT:
        raise InvalidVote(_("This ballot does not take supports."))
    with vote_atomic():
        locked = _lock_for_voting(ballot, voter, idempotency_key)

        def add(old):
            current = list((old or {}).get("options", []))
            if option_id in current:
                raise InvalidVote(_("You already support this."))
            return {"options": [*current, option_id]}

        return _record_choice(locked, voter, add, idempotency_key)


def withdraw_vote(ballot: Ballot, voter, idempotency_key: str | None = None) -> CastResult:
    """Take back a vote while the ballot is open; the withdrawal is logged too."""
    with vote_atomic():
        locked = _lock_for_voting(ballot, voter, idempotency_key)
        # A retried withdrawal finds its vote gone: it gets its first result back.
        if locked.earlier:
            return locked.earlier
        if locked.vote is None:
            raise VotingError(_("You have not voted in this ballot."))
        ballot, tally = locked.ballot, locked.tally
        rules = Rules.for_ballot(ballot, locked.options)
        delta = Counter()
        delta.subtract(counting.contributions(rules, locked.old_choice))
        receipt = new_receipt()
        kind = VoteLogEntry.Kind.WITHDRAW
        writes = vote_sql.add_to_counters(delta, _counters_to_touch(locked))
        digest = _payload_digest(ballot, voter, None)
        writes.append(_log_entry(tally, ballot, kind, digest, receipt))
        if locked.paper is not None:
            writes.append(vote_sql.delete_paper(locked.paper))
        writes.append(vote_sql.delete_vote(locked.vote))
        if idempotency_key:
            writes.append(vote_sql.keep_result(ballot.pk, voter.pk, idempotency_key, receipt, kind))
        tally.voters -= 1
        writes.append(vote_sql.save_tally(tally))
        vote_sql.run(writes)
        stream.tally_changed(ballot, shown_changed=_take_step(ballot, tally))
        return CastResult(receipt, kind)


# --- Paper rounds -------------------------------------------------------------------------


def enter_paper_count(
    user,
    ballot: Ballot,
    *,
    counts: dict,
    ballots_cast: int,
    note: str = "",
    replaces: PaperCount | None = None,
) -> PaperCount:
    """Record one paper round's counts per option; `replaces` corrects an earlier entry."""
    _require(user, "voting.enter_paper_count", ballot)
    with transaction.atomic():
        Tally.objects.select_for_update().get(ballot_id=ballot.pk)
        ballot = Ballot.objects.get(pk=ballot.pk)
        _settle_schedule(ballot)
        if ballot.state == Ballot.State.DRAFT:
            raise BallotNotOpen(_("Paper counts can be entered once the ballot is open."))
        if ballot.method not in counting.COUNT_METHODS:
            raise InvalidVote(
                _(
                    "Paper counts are totals per option; this method needs each "
                    "ballot paper, so enter them online."
                )
            )
        option_ids = set(ballot.options.values_list("pk", flat=True))
        clean: dict[str, int] = {}
        for key, value in counts.items():
            try:
                option_id, amount = int(key), int(value)
            except (TypeError, ValueError):
                raise InvalidVote(_("Counts must be whole numbers.")) from None
            if option_id not in option_ids:
                raise InvalidVote(_("That is not an option of this ballot."))
            if amount < 0:
                raise InvalidVote(_("Counts cannot be negative."))
            clean[str(option_id)] = amount
        if ballots_cast is None or int(ballots_cast) < 0:
            raise InvalidVote(_("Enter how many paper ballots were cast."))
        ballots_cast = int(ballots_cast)
        total = sum(clean.values())
        per_voter = {
            Ballot.Method.SINGLE: 1,
            Ballot.Method.YES_NO: 1,
            Ballot.Method.DOTS: ballot.dots_per_voter,
        }.get(ballot.method)
        if per_voter is not None and total > ballots_cast * per_voter:
            raise InvalidVote(_("The counts add up to more than the paper ballots allow."))
        # One paper ballot gives an option at most one vote, or on a dot ballot its dots.
        per_option = 1
        if ballot.method == Ballot.Method.DOTS:
            per_option = ballot.max_dots_per_option or ballot.dots_per_voter
        if any(n > ballots_cast * per_option for n in clean.values()):
            raise InvalidVote(_("An option cannot have more votes than paper ballots cast."))
        if replaces is not None:
            replaces = PaperCount.objects.select_for_update().get(pk=replaces.pk)
            if replaces.ballot_id != ballot.pk or hasattr(replaces, "replaced_by"):
                raise InvalidVote(_("That entry cannot be corrected."))
        entry = PaperCount.objects.create(
            ballot=ballot,
            entered_by=user,
            counts=clean,
            ballots_cast=ballots_cast,
            note=note.strip()[:300],
            replaces=replaces,
        )
        stream.tally_changed(ballot)
        return entry
