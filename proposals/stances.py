"""How a proposal's discussion leans: its comments for, against and neutral, as one split bar."""

from django.utils.translation import gettext as _

from core.charts import Segment, split_bar
from proposals.models import Proposal


def stance_split(proposal: Proposal) -> list[Segment]:
    """The three counts kept on the proposal (no query), in a fixed order: for, against,
    neutral. A proposal without stances gives no segments."""
    return split_bar(
        [
            ("for", _("For"), proposal.stance_for_count),
            ("against", _("Against"), proposal.stance_against_count),
            ("neutral", _("Neutral"), proposal.stance_neutral_count),
        ]
    )
