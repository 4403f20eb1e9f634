"""Ballots in the participant view: voting's own vote fields, with the protocol's option ids
as their values, so the page's script sends a form as `vote.cast` unchanged and the same form
posted without the script reads back into the same wire choice."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from voting import stream as ballot_stream
from voting.forms import choice_from_post
from voting.models import Ballot


def form_options(ballot: Ballot, options) -> list[dict]:
    """The options as voting's fields read them (`pk`, `display_label`, `cost`), by wire id."""
    ids = ballot_stream.wire_ids(ballot, options)
    return [{"pk": ids[o.pk], "display_label": o.display_label, "cost": o.cost} for o in options]


def current_choice(mine) -> dict:
    """The viewer's wire-form vote as voting's fields pre-fill it."""
    if isinstance(mine, dict):
        return {"scores": mine, "dots": mine}
    mine = mine or []
    return {
        "option": mine[0] if len(mine) == 1 else None,
        "options": set(mine),
        "ranking": dict(enumerate(mine, start=1)),
    }


def vote_summary(mine, options: list[dict]) -> list[dict]:
    """The viewer's vote in words: each option chosen, in order, with its score or dots."""
    if isinstance(mine, dict):
        return [{"label": o["label"], "amount": mine[o["id"]]} for o in options if o["id"] in mine]
    labels = {o["id"]: o["label"] for o in options}
    return [{"label": labels[w]} for w in mine or [] if w in labels]


def posted_choice(ballot: Ballot, options, post) -> list | dict:
    """What the participant view's form posted, in the wire form `vote.cast` takes
    (`options`: the ballot's, when the caller has read them)."""
    options = form_options(ballot, list(options if options is not None else ballot.options.all()))
    # voting's reader names score and dot fields by `option.pk`: here the wire id.
    raw = choice_from_post(ballot, [SimpleNamespace(pk=o["pk"]) for o in options], post)
    if "option" in raw:
        if not raw["option"]:
            raise ValidationError(_("Choose an option."))
        return [raw["option"]]
    for key in ("options", "ranking"):
        if key in raw:
            return raw[key]
    return dict(raw.get("scores", raw.get("dots")))
