from django.core.management import call_command

from opinions import results
from opinions.models import Conversation


def test_the_demo_conversation_shows_three_groups_and_their_common_ground(db):
    call_command("seed_demo")
    call_command("seed_demo")
    conversation = Conversation.objects.get(process__slug="mestsky-park")
    result = results.map_of(conversation)

    assert result.placed == 90 and len(result.groups) == 3
    shared = {s.statement for s in result.common_ground[:3]}
    texts = set(conversation.statements.filter(pk__in=shared).values_list("text", flat=True))
    assert {t.split(" / ")[1] for t in texts} == {
        "The park needs more trees.",
        "Public toilets must be clean and open.",
        "Paths need better lighting at night.",
    }
