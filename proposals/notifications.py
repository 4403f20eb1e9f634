"""The notifications proposals send (registered with accounts in apps.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.notifications import register_kind
from proposals.models import Proposal

COMMENT_ON_MY_PROPOSAL = "comment_on_proposal"
REPLY_TO_MY_COMMENT = "reply_to_comment"
PROPOSAL_STATE_CHANGED = "proposal_state"
PROPOSAL_ANSWERED = "proposal_answer"
CONTENT_HIDDEN = "content_hidden"
CONTENT_RESTORED = "content_restored"

# What the content is, for the hidden/restored messages; translated when read.
CONTENT_NAMES = {"proposal": _("proposal"), "comment": _("comment")}
REPORTED_REASON = _("several people reported it; it waits for a moderator's review.")


def describe(params: dict) -> dict:
    """The words for the codes a proposal notification keeps, in the reader's language."""
    words = {}
    if params.get("content") in CONTENT_NAMES:
        words["content"] = CONTENT_NAMES[params["content"]]
    if params.get("reason_code") == "reports":
        words["reason"] = REPORTED_REASON
    if "state_code" in params:
        code = params["state_code"]
        words["state"] = dict(Proposal.State.choices).get(code, code)
    return words


def register() -> None:
    kinds = (
        (
            COMMENT_ON_MY_PROPOSAL,
            _("A comment on my proposal"),
            _("%(actor)s commented on your proposal “%(title)s”."),
        ),
        (
            REPLY_TO_MY_COMMENT,
            _("A reply to my comment"),
            _("%(actor)s replied to your comment on “%(title)s”."),
        ),
        (
            PROPOSAL_STATE_CHANGED,
            _("A state change of a proposal I wrote or support"),
            _("The proposal “%(title)s” is now: %(state)s."),
        ),
        (
            PROPOSAL_ANSWERED,
            _("An answer to a proposal I wrote or support"),
            _("The city answered the proposal “%(title)s” (%(state)s)."),
        ),
        (
            CONTENT_HIDDEN,
            _("My content was hidden by moderation"),
            _("Your %(content)s “%(title)s” was hidden by moderation: %(reason)s"),
        ),
        (
            CONTENT_RESTORED,
            _("My content was restored by moderation"),
            _("Your %(content)s “%(title)s” was restored: %(reason)s"),
        ),
    )
    for code, label, message in kinds:
        register_kind(code, label=label, message=message, describe=describe)
