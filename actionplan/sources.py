"""What a commitment's ballot and session sources decided, in a few lines for its page."""

from django.http import HttpRequest

from actionplan.models import CommitmentSource


def ballot_summary(request: HttpRequest, ballot) -> dict | None:
    """Voters, outcome, winner and votes per option, as the ballot's results page counts them.

    None when the visitor may not see the results (the results page would hide them too).
    """
    from voting import visibility
    from voting.results import results_context

    if not visibility.may_see_results(request.user, ballot):
        return None
    context = results_context(ballot)
    data = context["data"]
    rows = context.get("rows")
    options = [
        {"label": r["label"], "count": r["combined"], "percent": r["percent"], "won": r["winner"]}
        for r in rows or []
    ]
    scores = [{"label": r["label"], "mean": r["mean"]} for r in context.get("score_rows", [])]
    winner = context.get("winner_label")
    if winner is None and rows and ballot.method != ballot.Method.BUDGET:
        top = max(r["combined"] for r in rows)
        leaders = [r["label"] for r in rows if r["combined"] == top]
        # A tie or an empty count has no single winner to name.
        winner = leaders[0] if top and len(leaders) == 1 else None
    return {
        "ballot": ballot,
        "voters": context["total_voters"],
        "outcome": data.get("outcome") or "",
        "winner": winner,
        "options": options,
        "scores": scores,
        "hidden": context["breakdown_hidden"],
    }


def attach_results(request: HttpRequest, sources: list[CommitmentSource]) -> None:
    """Give each ballot source, and each agenda item's linked ballot, its `result` summary."""
    for source in sources:
        source.result = None
        ballot = source.ballot or (source.agenda_item.ballot if source.agenda_item else None)
        if ballot is not None:
            source.result = ballot_summary(request, ballot)
