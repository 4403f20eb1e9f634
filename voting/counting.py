"""The voting methods as pure functions: check a choice, turn it into counter deltas, and
compute a result from counters (and, for instant runoff, from the raw rankings).

A choice is canonical JSON, per method:
  support, multiple, budget: {"options": [id, ...]}   (sorted, no duplicates)
  yes_no, single:            {"option": id}
  ranked:                    {"ranking": [id, ...]}   (most preferred first)
  score:                     {"scores": [[id, score], ...]}   (sorted by id)
  dots:                      {"dots": [[id, n], ...]}  (sorted by id, n > 0)
"""

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SUPPORT, YES_NO, SINGLE, MULTIPLE = "support", "yes_no", "single", "multiple"
RANKED, SCORE, DOTS, BUDGET = "ranked", "score", "dots", "budget"
SELECTION_METHODS = {SUPPORT, MULTIPLE, BUDGET}
ONE_OPTION_METHODS = {YES_NO, SINGLE}
# Methods whose result is one count per option, so paper rounds can add to them.
COUNT_METHODS = {SUPPORT, YES_NO, SINGLE, MULTIPLE, DOTS, BUDGET}

Counters = dict[tuple[int, int], int]


class InvalidChoice(ValueError):
    """A choice that does not fit the ballot; the message is shown to the voter."""


@dataclass(frozen=True)
class Rules:
    method: str
    option_ids: tuple[int, ...]
    costs: dict[int, int] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)
    max_supports: int | None = None
    min_selections: int = 1
    max_selections: int | None = None
    score_max: int = 5
    dots_per_voter: int = 5
    max_dots_per_option: int | None = None
    budget_total: int | None = None
    ranked_counting: str = "irv"
    quorum: int | None = None
    majority: str = "simple"

    @classmethod
    def for_ballot(cls, ballot, options=None) -> "Rules":
        options = list(options if options is not None else ballot.options.all())
        return cls(
            method=ballot.method,
            option_ids=tuple(o.pk for o in options),
            costs={o.pk: o.cost or 0 for o in options},
            codes={o.pk: o.code for o in options if o.code},
            max_supports=ballot.max_supports,
            min_selections=ballot.min_selections,
            max_selections=ballot.max_selections,
            score_max=ballot.score_max,
            dots_per_voter=ballot.dots_per_voter,
            max_dots_per_option=ballot.max_dots_per_option,
            budget_total=ballot.budget_total,
            ranked_counting=ballot.ranked_counting,
            quorum=ballot.quorum,
            majority=ballot.majority,
        )

    def buckets(self) -> tuple[int, ...]:
        """The counter buckets each option has."""
        if self.method == SCORE:
            return tuple(range(self.score_max + 1))
        if self.method == RANKED:
            return tuple(range(1, len(self.option_ids) + 1))
        return (0,)


def _option_id(rules: Rules, value) -> int:
    try:
        option_id = int(value)
    except (TypeError, ValueError):
        raise InvalidChoice(_("That is not an option of this ballot.")) from None
    if isinstance(value, bool) or option_id not in rules.option_ids:
        raise InvalidChoice(_("That is not an option of this ballot."))
    return option_id


def _pairs(rules: Rules, raw, what: str) -> list[list[int]]:
    if isinstance(raw, dict):
        raw = list(raw.items())
    if not isinstance(raw, list):
        raise InvalidChoice(_("The vote is malformed."))
    seen: dict[int, int] = {}
    for pair in raw:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidChoice(_("The vote is malformed."))
        option_id = _option_id(rules, pair[0])
        try:
            amount = int(pair[1])
        except (TypeError, ValueError):
            raise InvalidChoice(
                _("Each %(what)s must be a whole number.") % {"what": what}
            ) from None
        if isinstance(pair[1], bool) or isinstance(pair[1], float) and pair[1] != amount:
            raise InvalidChoice(_("Each %(what)s must be a whole number.") % {"what": what})
        if option_id in seen:
            raise InvalidChoice(_("An option appears twice."))
        seen[option_id] = amount
    return [[k, v] for k, v in sorted(seen.items())]


def normalize_choice(rules: Rules, raw) -> dict:
    """Check a submitted choice against the ballot's rules; return it in canonical form."""
    if not isinstance(raw, dict):
        raise InvalidChoice(_("The vote is malformed."))
    method = rules.method
    if method in ONE_OPTION_METHODS:
        if raw.get("option") in (None, ""):
            raise InvalidChoice(_("Choose an option."))
        return {"option": _option_id(rules, raw.get("option"))}

    if method in SELECTION_METHODS:
        values = raw.get("options")
        if not isinstance(values, list):
            raise InvalidChoice(_("The vote is malformed."))
        ids = [_option_id(rules, v) for v in values]
        if len(set(ids)) != len(ids):
            raise InvalidChoice(_("An option appears twice."))
        count = len(ids)
        if method == MULTIPLE:
            if count < rules.min_selections:
                raise InvalidChoice(
                    ngettext(
                        "Choose at least %(n)d option.",
                        "Choose at least %(n)d options.",
                        rules.min_selections,
                    )
                    % {"n": rules.min_selections}
                )
            if rules.max_selections is not None and count > rules.max_selections:
                raise InvalidChoice(
                    ngettext(
                        "Choose at most %(n)d option.",
                        "Choose at most %(n)d options.",
                        rules.max_selections,
                    )
                    % {"n": rules.max_selections}
                )
        if method == SUPPORT and rules.max_supports is not None and count > rules.max_supports:
            raise InvalidChoice(
                ngettext(
                    "You can support at most %(n)d proposal.",
                    "You can support at most %(n)d proposals.",
                    rules.max_supports,
                )
                % {"n": rules.max_supports}
            )
        if method == BUDGET:
            if count < 1:
                raise InvalidChoice(_("Choose at least one project."))
            spent = sum(rules.costs.get(i, 0) for i in ids)
            if rules.budget_total is not None and spent > rules.budget_total:
                raise InvalidChoice(
                    _("The projects you chose cost %(spent)s, more than the budget of %(total)s.")
                    % {"spent": spent, "total": rules.budget_total}
                )
        return {"options": sorted(ids)}

    if method == RANKED:
        values = raw.get("ranking")
        if not isinstance(values, list):
            raise InvalidChoice(_("The vote is malformed."))
        ids = [_option_id(rules, v) for v in values]
        if not ids:
            raise InvalidChoice(_("Rank at least one option."))
        if len(set(ids)) != len(ids):
            raise InvalidChoice(_("An option is ranked twice; rank each option once."))
        return {"ranking": ids}

    if method == SCORE:
        pairs = _pairs(rules, raw.get("scores"), _("score"))
        if not pairs:
            raise InvalidChoice(_("Score at least one option."))
        for _id, score in pairs:
            if not 0 <= score <= rules.score_max:
                raise InvalidChoice(
                    _("Each score must be from 0 to %(max)d.") % {"max": rules.score_max}
                )
        return {"scores": pairs}

    if method == DOTS:
        pairs = [p for p in _pairs(rules, raw.get("dots"), _("number of dots")) if p[1] != 0]
        if any(n < 0 for _id, n in pairs):
            raise InvalidChoice(_("The number of dots cannot be negative."))
        if not pairs:
            raise InvalidChoice(_("Place at least one dot."))
        total = sum(n for _id, n in pairs)
        if total > rules.dots_per_voter:
            raise InvalidChoice(
                _("You placed %(used)d dots; you have %(n)d.")
                % {"used": total, "n": rules.dots_per_voter}
            )
        cap = rules.max_dots_per_option
        if cap is not None and any(n > cap for _id, n in pairs):
            raise InvalidChoice(
                ngettext(
                    "At most %(n)d dot may go on one option.",
                    "At most %(n)d dots may go on one option.",
                    cap,
                )
                % {"n": cap}
            )
        return {"dots": pairs}

    raise InvalidChoice(_("The vote is malformed."))


def contributions(rules: Rules, choice: dict | None) -> Counter:
    """The counters one canonical choice adds: {(option id, bucket): amount}."""
    out: Counter = Counter()
    if not choice:
        return out
    if "option" in choice:
        out[(choice["option"], 0)] += 1
    elif "options" in choice:
        for option_id in choice["options"]:
            out[(option_id, 0)] += 1
    elif "ranking" in choice:
        for position, option_id in enumerate(choice["ranking"], start=1):
            out[(option_id, position)] += 1
    elif "scores" in choice:
        for option_id, score in choice["scores"]:
            out[(option_id, score)] += 1
    elif "dots" in choice:
        for option_id, n in choice["dots"]:
            out[(option_id, 0)] += n
    return out


def recount(rules: Rules, choices) -> Counter:
    """Counters computed from scratch from every counted choice."""
    total: Counter = Counter()
    for choice in choices:
        total.update(contributions(rules, choice))
    return total


# --- Results ------------------------------------------------------------------------------


def _counts(rules: Rules, counters: Counters) -> dict[int, int]:
    return {o: counters.get((o, 0), 0) for o in rules.option_ids}


def result(
    rules: Rules,
    counters: Counters,
    voters: int,
    rankings: list[list[int]] | None = None,
    paper: dict[int, int] | None = None,
    paper_voters: int = 0,
) -> dict:
    """The method's result. `paper` adds per-option counts from paper rounds (count methods)."""
    paper = paper or {}
    method = rules.method
    out: dict = {
        "method": method,
        "voters": voters,
        "paper_voters": paper_voters,
        "total_voters": voters + paper_voters,
    }
    if method in COUNT_METHODS:
        online = _counts(rules, counters)
        combined = {o: online[o] + paper.get(o, 0) for o in rules.option_ids}
        out["online"] = online
        out["paper"] = {o: paper.get(o, 0) for o in rules.option_ids}
        out["combined"] = combined
        out["order"] = sorted(
            rules.option_ids, key=lambda o: (-combined[o], rules.option_ids.index(o))
        )
        if method == YES_NO:
            out.update(yes_no_outcome(rules, combined))
        if method == BUDGET:
            out["winners"] = budget_winners(rules, combined)
    elif method == SCORE:
        out["scores"] = {o: score_summary(rules, counters, o) for o in rules.option_ids}
        out["order"] = sorted(
            rules.option_ids,
            key=lambda o: (-(out["scores"][o]["mean"] or 0), rules.option_ids.index(o)),
        )
    elif method == RANKED:
        out["first_preferences"] = {o: counters.get((o, 1), 0) for o in rules.option_ids}
        out["borda"] = borda(rules, counters)
        if rules.ranked_counting == "borda":
            out["order"] = sorted(
                rules.option_ids, key=lambda o: (-out["borda"][o], rules.option_ids.index(o))
            )
            out["winner"] = out["order"][0] if voters and rules.option_ids else None
        else:
            rounds, winner = instant_runoff(rules.option_ids, rankings or [])
            out["rounds"] = rounds
            out["winner"] = winner
    return out


def headline(result: dict) -> dict[int, int]:
    """One number per option, what a live tally shows of a `result`: votes (online and paper)
    for the count methods, points for score, first preferences for ranked."""
    method = result["method"]
    if method in COUNT_METHODS:
        return dict(result["combined"])
    if method == SCORE:
        return {
            o: sum(score * n for score, n in enumerate(summary["distribution"]))
            for o, summary in result["scores"].items()
        }
    return dict(result["first_preferences"])


def yes_no_outcome(rules: Rules, counts: dict[int, int]) -> dict:
    by_code = {code: counts.get(o, 0) for o, code in rules.codes.items()}
    yes, no, abstain = by_code.get("yes", 0), by_code.get("no", 0), by_code.get("abstain", 0)
    turnout = yes + no + abstain
    quorum_met = rules.quorum is None or turnout >= rules.quorum
    if rules.majority == "two_thirds":
        passed = yes + no > 0 and Fraction(yes, yes + no) >= Fraction(2, 3)
    else:
        passed = yes > no
    outcome = ("passed" if passed else "rejected") if quorum_met else "no_quorum"
    return {"yes": yes, "no": no, "abstain": abstain, "quorum_met": quorum_met, "outcome": outcome}


def budget_winners(rules: Rules, counts: dict[int, int]) -> list[int]:
    """Most voted first (ties: cheaper first, then listed first); a project wins when it
    still fits in what is left of the budget, as CONSUL and Decidim count."""
    order = sorted(
        rules.option_ids,
        key=lambda o: (-counts[o], rules.costs.get(o, 0), rules.option_ids.index(o)),
    )
    left = rules.budget_total or 0
    winners = []
    for option_id in order:
        cost = rules.costs.get(option_id, 0)
        if counts[option_id] > 0 and cost <= left:
            winners.append(option_id)
            left -= cost
    return winners


def score_summary(rules: Rules, counters: Counters, option_id: int) -> dict:
    distribution = [counters.get((option_id, s), 0) for s in range(rules.score_max + 1)]
    n = sum(distribution)
    if not n:
        return {"count": 0, "mean": None, "median": None, "distribution": distribution}
    total = sum(s * c for s, c in enumerate(distribution))
    values = [s for s, c in enumerate(distribution) for _ in range(c)]
    mid = n // 2
    median = values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2
    return {"count": n, "mean": round(total / n, 2), "median": median, "distribution": distribution}


def borda(rules: Rules, counters: Counters) -> dict[int, int]:
    """n − position points for each ranked option (n options); unranked options get none."""
    n = len(rules.option_ids)
    return {
        o: sum((n - pos) * counters.get((o, pos), 0) for pos in range(1, n + 1))
        for o in rules.option_ids
    }


def instant_runoff(option_ids, rankings) -> tuple[list[dict], int | None]:
    """Count rounds until an option has more than half of the continuing papers.

    Tie-break for elimination (documented on the results page): among the options with the
    fewest votes, eliminate the one with fewer votes in the latest earlier round where they
    differ; if they never differ, the one listed last on the ballot.
    """
    option_ids = list(option_ids)
    continuing = list(option_ids)
    history: list[dict[int, int]] = []
    rounds: list[dict] = []
    if not rankings or not option_ids:
        return rounds, None
    while continuing:
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((o for o in ranking if o in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        history.append(counts)
        active = len(rankings) - exhausted
        leader = max(continuing, key=lambda o: (counts[o], -option_ids.index(o)))
        round_info = {"counts": counts, "exhausted": exhausted, "eliminated": None, "winner": None}
        rounds.append(round_info)
        if len(continuing) == 1 or (active and counts[leader] * 2 > active):
            round_info["winner"] = leader if counts[leader] > 0 else None
            return rounds, round_info["winner"]
        fewest = min(counts.values())
        tied = [o for o in continuing if counts[o] == fewest]
        loser = _break_tie(tied, history[:-1], option_ids)
        round_info["eliminated"] = loser
        continuing.remove(loser)
    return rounds, None


def _break_tie(tied: list[int], earlier: list[dict[int, int]], option_ids: list[int]) -> int:
    for counts in reversed(earlier):
        low = min(counts[o] for o in tied)
        tied = [o for o in tied if counts[o] == low]
        if len(tied) == 1:
            return tied[0]
    return max(tied, key=option_ids.index)
