"""Read a ballot's results from its counters, paper rounds and (for instant runoff and the
sector split) its raw votes; `recount` compares the counters with a count from scratch."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Sector
from core import charts
from voting import counting, sealing, tallies, visibility
from voting.counting import Rules
from voting.eligibility import eligible_count
from voting.models import (
    GENESIS_HASH,
    SMALL_GROUP,
    Ballot,
    BallotPaper,
    SealedPaper,
    Tally,
    Vote,
    VoteLogEntry,
)
from voting.services import entry_hash
from voting.tallies import counters_of


def raw_choices(ballot: Ballot, *, sectors: bool = True) -> list[tuple[dict, str]]:
    """Every counted choice with its voter's sector. A secret ballot's are on its papers:
    sealed while it is open (or closed on schedule and not yet settled), open once closed.
    Without `sectors` an open paper's sealed sector is not read (it is ""), so counting
    rankings does not need the key the sectors were sealed with."""
    if not ballot.is_secret:
        return list(Vote.objects.filter(ballot=ballot).values_list("choice", "sector"))
    papers = BallotPaper.objects.filter(ballot=ballot).values_list("choice", "sealed_sector")
    found = [
        (choice, sealing.unseal(sector, ballot.pk) if sectors else "") for choice, sector in papers
    ]
    for text in SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True):
        content = sealing.unseal(text, ballot.pk)
        found.append((content["choice"], content["sector"]))
    return found


def compute(ballot: Ballot) -> dict:
    """The result of the counts shown now (voting.visibility). While a secret ballot is open
    those are the counts of its last step, whose rankings are not kept: no IRV rounds then."""
    options = list(ballot.options.all())
    counts = visibility.shown(ballot)
    rankings = None
    irv = ballot.method == Ballot.Method.RANKED and ballot.ranked_counting == "irv"
    if irv and not visibility.stepped(ballot):
        rankings = [choice["ranking"] for choice, _sector in raw_choices(ballot, sectors=False)]
    data = tallies.result(ballot, counts, options, rankings)
    if irv and visibility.stepped(ballot):
        data.pop("rounds", None)
        data["winner"] = None
    data["eligible"] = eligible_count(ballot)
    data["as_of_entry"] = counts.chain_length
    return data


@dataclass
class SectorSplit:
    sectors: list[str]
    voters: dict[str, int]
    counts: dict[int, dict[str, int]]
    cross_sector: set[int]


def by_sector(ballot: Ballot) -> SectorSplit | None:
    """Counts per option per self-declared sector ("" = not declared), for count methods.

    An option has cross-sector support when more than half the voters of every declared
    sector chose it. None when the split would expose small groups on a secret ballot.
    """
    if ballot.method not in counting.COUNT_METHODS or ballot.method == Ballot.Method.DOTS:
        return None
    if visibility.stepped(ballot):  # each vote would move a sector's column: after close
        return None
    rules = Rules.for_ballot(ballot)
    voters: Counter = Counter()
    counts: dict[int, Counter] = defaultdict(Counter)
    try:
        choices = raw_choices(ballot)
    except sealing.Unreadable:
        # The server's key changed since the papers were sealed: the sectors cannot be read,
        # the counts (kept in clear) still can; the page shows them without this split.
        return None
    for choice, sector in choices:
        voters[sector] += 1
        for (option_id, _bucket), amount in counting.contributions(rules, choice).items():
            counts[option_id][sector] += amount
    if not voters:
        return None
    if ballot.is_secret and min(voters.values()) < SMALL_GROUP:
        return None
    declared = sorted(s for s in voters if s)
    cross = {
        o
        for o in rules.option_ids
        if len(declared) > 1 and all(counts[o][s] * 2 > voters[s] for s in declared)
    }
    sectors = declared + ([""] if "" in voters else [])
    return SectorSplit(sectors, dict(voters), {o: dict(counts[o]) for o in rules.option_ids}, cross)


# --- Recount and chain check --------------------------------------------------------------


def recount_differences(ballot: Ballot) -> list[str]:
    """Differences between the kept counters and a count from the raw votes."""
    rules = Rules.for_ballot(ballot)
    choices = raw_choices(ballot)
    fresh = counting.recount(rules, [c for c, _s in choices])
    kept = counters_of(ballot)
    problems = []
    for key in sorted(set(fresh) | set(kept)):
        if fresh.get(key, 0) != kept.get(key, 0):
            problems.append(
                f"option {key[0]} bucket {key[1]}: tally {kept.get(key, 0)}, "
                f"recount {fresh.get(key, 0)}"
            )
    tally = Tally.objects.get(ballot=ballot)
    participants = Vote.objects.filter(ballot=ballot).count()
    if tally.voters != participants or len(choices) != participants:
        problems.append(
            f"voters: tally {tally.voters}, votes {participants}, choices {len(choices)}"
        )
    return problems


def chain_break(ballot: Ballot) -> str | None:
    """Where the ballot's hash chain breaks, or None when every link holds."""
    tally = Tally.objects.get(ballot=ballot)
    prev = GENESIS_HASH
    expected_index = 1
    for entry in VoteLogEntry.objects.filter(ballot=ballot).order_by("index").iterator():
        if entry.index != expected_index:
            return f"entry {expected_index} is missing (found {entry.index})"
        if entry.prev_hash != prev:
            return f"entry {entry.index}: prev_hash does not match entry {entry.index - 1}"
        fields = {
            "ballot": ballot.pk,
            "index": entry.index,
            "kind": entry.kind,
            "receipt_digest": entry.receipt_digest,
            "payload_digest": entry.payload_digest,
            "prev_hash": entry.prev_hash,
        }
        if entry_hash(fields) != entry.hash:
            return f"entry {entry.index}: its hash does not match its content"
        prev = entry.hash
        expected_index += 1
    if expected_index - 1 != tally.chain_length or prev != tally.head_hash:
        return f"the head (entry {tally.chain_length}) does not match the last entry"
    return None


# --- For pages and exports ----------------------------------------------------------------


def describe_choice(choice: dict | None, labels: dict[int, str]) -> str:
    """A public vote in words, for the receipt page."""
    if not choice:
        return ""
    if "option" in choice:
        return labels.get(choice["option"], "?")
    if "options" in choice:
        return ", ".join(labels.get(o, "?") for o in choice["options"])
    if "ranking" in choice:
        return " > ".join(labels.get(o, "?") for o in choice["ranking"])
    key = "scores" if "scores" in choice else "dots"
    return ", ".join(f"{labels.get(o, '?')}: {n}" for o, n in choice[key])


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def results_context(ballot: Ballot) -> dict:
    """Everything the results page shows, as rows a template can print."""
    options = list(ballot.options.all())
    labels = {o.pk: o.display_label for o in options}
    costs = {o.pk: o.cost for o in options}
    data = compute(ballot)
    tally = Tally.objects.get(ballot=ballot)
    closed = ballot.current_state() == Ballot.State.CLOSED
    context: dict = {
        "data": data,
        "voters": data["voters"],
        "paper_voters": data["paper_voters"],
        "total_voters": data["total_voters"],
        "eligible": data["eligible"],
        "turnout": _percent(data["voters"], data["eligible"] or 0),
        "breakdown_hidden": ballot.hides_breakdown(data["voters"]),
        "stepped": visibility.stepped(ballot),
        "step": visibility.step(),
        "as_of_entry": data["as_of_entry"],
        "final_hash": tally.head_hash if closed else None,
        "chain_length": tally.chain_length,
        "closed": closed,
        "small_group": SMALL_GROUP,
    }
    if context["breakdown_hidden"]:
        return context
    if "combined" in data:
        top = max(data["combined"].values(), default=0)
        whole = (
            sum(data["combined"].values())
            if ballot.method == Ballot.Method.DOTS
            else (data["total_voters"])
        )
        winners = set(data.get("winners", []))
        context["rows"] = [
            {
                "id": o,
                "label": labels[o],
                "online": data["online"][o],
                "paper": data["paper"][o],
                "combined": data["combined"][o],
                "percent": _percent(data["combined"][o], whole),
                "bar": _percent(data["combined"][o], top),
                "cost": costs[o],
                "winner": o in winners,
            }
            for o in data["order"]
        ]
        if ballot.method == Ballot.Method.BUDGET:
            context["spent"] = sum(costs[o] or 0 for o in winners)
    if "scores" in data:
        context["score_rows"] = [
            {
                "label": labels[o],
                **data["scores"][o],
                "bar": _percent(data["scores"][o]["mean"] or 0, ballot.score_max),
                "buckets": [
                    {"value": v, "count": c, "bar": _percent(c, data["scores"][o]["count"])}
                    for v, c in enumerate(data["scores"][o]["distribution"])
                ],
            }
            for o in data["order"]
        ]
    if ballot.method == Ballot.Method.RANKED:
        top = max(data["borda"].values(), default=0)
        context["borda_rows"] = sorted(
            (
                {
                    "label": labels[o],
                    "points": p,
                    "bar": _percent(p, top),
                    "first": data["first_preferences"][o],
                }
                for o, p in data["borda"].items()
            ),
            key=lambda r: -r["points"],
        )
        context["winner_label"] = labels.get(data.get("winner"))
        if "rounds" in data:
            context["round_options"] = [(o.pk, labels[o.pk]) for o in options]
            context["rounds"] = [
                {
                    "number": n,
                    "cells": [r["counts"].get(o.pk) for o in options],
                    "exhausted": r["exhausted"],
                    "eliminated": labels.get(r["eliminated"]),
                    "winner": labels.get(r["winner"]),
                }
                for n, r in enumerate(data["rounds"], start=1)
            ]
    split = by_sector(ballot)
    if split:
        context["sectors"] = split
        context["sector_rows"] = [
            {
                "label": labels[o],
                "cells": [
                    (
                        split.counts[o].get(s, 0),
                        _percent(split.counts[o].get(s, 0), split.voters[s]),
                    )
                    for s in split.sectors
                ],
                "cross": o in split.cross_sector,
            }
            for o in data.get("order", [])
        ]
        for row in context["sector_rows"]:
            row["chart"] = sector_chart(split.sectors, row["cells"])
    return context


def sector_chart(sectors: list[str], cells: list[tuple[int, float]]) -> charts.BarChart:
    """One option's share of each sector's voters, as bars out of 100 %: a small sector's
    column is drawn only where the split is shown at all (by_sector's rule)."""
    names = dict(Sector.choices)
    return charts.bar_chart(
        [
            charts.Row(
                str(names.get(sector, _("Not declared"))),
                pct,
                text=f"{n} ({number_format(pct)} %)",
            )
            for sector, (n, pct) in zip(sectors, cells, strict=True)
        ],
        maximum=100,
    )


def export(ballot: Ballot) -> dict:
    """The results as plain data, for JSON and CSV."""
    context = results_context(ballot)
    data = context["data"]
    out = {
        "ballot": ballot.pk,
        "question": ballot.question,
        "method": ballot.method,
        "state": ballot.current_state(),
        "secrecy": ballot.secrecy,
        "voters_online": data["voters"],
        "voters_paper": data["paper_voters"],
        "eligible": data["eligible"],
        "final_hash": context["final_hash"],
        "options": [],
    }
    if context["stepped"]:
        out["counts_as_of_entry"] = context["as_of_entry"]
    if context["breakdown_hidden"]:
        out["note"] = "fewer than 5 votes on a secret ballot: no breakdown until it closes"
        return out
    for option in ballot.options.all():
        row: dict = {"id": option.pk, "label": option.display_label}
        if "combined" in data:
            row.update(
                online=data["online"][option.pk],
                paper=data["paper"][option.pk],
                combined=data["combined"][option.pk],
            )
            if ballot.method == Ballot.Method.BUDGET:
                row.update(cost=option.cost, winner=option.pk in data["winners"])
        if "scores" in data:
            summary = data["scores"][option.pk]
            row.update(
                count=summary["count"],
                mean=summary["mean"],
                median=summary["median"],
                distribution=summary["distribution"],
            )
        if ballot.method == Ballot.Method.RANKED:
            row.update(
                first_preferences=data["first_preferences"][option.pk],
                borda=data["borda"][option.pk],
            )
        out["options"].append(row)
    for key in ("outcome", "yes", "no", "abstain", "quorum_met", "winner"):
        if key in data:
            out[key] = data[key]
    if "rounds" in data:
        out["rounds"] = [
            {
                "counts": {str(k): v for k, v in r["counts"].items()},
                "exhausted": r["exhausted"],
                "eliminated": r["eliminated"],
                "winner": r["winner"],
            }
            for r in data["rounds"]
        ]
    return out
