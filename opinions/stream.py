"""A conversation's frames: its counts as statements and votes arrive (coalesced per
conversation). Who voted what never goes on the wire; the map's own frames come with the live
room."""

from django.db.models import Count

from opinions.models import Conversation, OpinionVote, Statement
from realtime import events, groups
from realtime.broadcast import publish_ephemeral


def counts(conversation_pk: int) -> events.ConversationCountsData:
    is_open = Conversation.objects.filter(pk=conversation_pk).values_list("is_open", flat=True)
    visible = Statement.objects.filter(
        conversation_id=conversation_pk, state=Statement.State.VISIBLE
    )
    votes = OpinionVote.objects.filter(
        conversation_id=conversation_pk, statement__state=Statement.State.VISIBLE
    ).aggregate(votes=Count("pk"), voters=Count("voter", distinct=True))
    return events.ConversationCountsData(
        conversation=conversation_pk,
        open=bool(is_open and is_open[0]),
        statements=visible.count(),
        votes=votes["votes"],
        voters=votes["voters"],
    )


def announce_counts(conversation_pk: int) -> None:
    publish_ephemeral(
        groups.conversation_stream(conversation_pk),
        events.ConversationCounts(data=counts(conversation_pk)),
        coalesce=f"conversation.counts:{conversation_pk}",
    )
