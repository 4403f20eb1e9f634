"""A conversation's pages, by plain form posts (no JavaScript): voting one statement at a
time, adding one, opening, moderating and closing, and the map with its tables."""

import pytest
from django.urls import reverse

from opinions import services
from opinions.models import Conversation, OpinionVote, Statement
from tests import factories

TWO_CAMPS = [[1, 1, -1, -1, 1], [-1, -1, 1, 1, 1]]


def detail(conversation):
    return reverse("opinions:conversation_detail", args=[conversation.pk])


def test_a_resident_votes_one_statement_after_another(client, conversation, resident):
    client.force_login(resident)
    page = client.get(detail(conversation)).content.decode()
    assert "Statement 1 of 3" in page
    first = Statement.objects.get(pk=int(page.split('name="statement" value="')[1].split('"')[0]))

    response = client.post(
        reverse("opinions:conversation_vote", args=[conversation.pk]),
        {"statement": first.pk, "value": "1"},
    )
    assert response.status_code == 302
    assert OpinionVote.objects.get(voter=resident).statement == first
    page = client.get(response["Location"]).content.decode()
    assert "Statement 2 of 3" in page and first.text not in page


def test_a_refused_vote_says_why_and_stores_nothing(client, conversation, resident):
    client.force_login(resident)
    response = client.post(
        reverse("opinions:conversation_vote", args=[conversation.pk]),
        {"statement": "999999", "value": "1"},
        follow=True,
    )
    assert "This statement is not open for votes." in response.content.decode()
    assert not OpinionVote.objects.exists()


def test_signed_out_visitors_are_asked_to_log_in(client, conversation):
    page = client.get(detail(conversation)).content.decode()
    assert "Log in to vote" in page and 'name="value"' not in page
    response = client.post(reverse("opinions:conversation_vote", args=[conversation.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_statement_and_a_too_long_one(client, conversation, resident):
    client.force_login(resident)
    url = reverse("opinions:statement_add", args=[conversation.pk])
    assert client.post(url, {"text": "A playground for older kids"}).status_code == 302
    response = client.post(url, {"text": "x" * 281})
    assert response.status_code == 400
    response = client.post(url, {"text": "a playground for OLDER kids!"})
    assert response.status_code == 400
    assert "already in the conversation" in response.content.decode()
    assert conversation.statements.count() == 4


def test_staff_open_a_conversation_from_the_process_page(client, process, staff, resident):
    client.force_login(resident)
    assert (
        client.get(reverse("opinions:conversation_create", args=[process.slug])).status_code == 403
    )
    client.force_login(staff)
    assert (
        "Open a conversation"
        in client.get(reverse("process_detail", args=[process.slug])).content.decode()
    )
    response = client.post(
        reverse("opinions:conversation_create", args=[process.slug]),
        {"question": "A café?", "moderation": "before", "seeds": "Yes, a café\n\nNo café\n"},
    )
    conversation = Conversation.objects.get()
    assert response["Location"] == detail(conversation)
    assert conversation.moderation == "before"
    assert list(conversation.statements.values_list("text", flat=True)) == [
        "Yes, a café",
        "No café",
    ]
    assert "A café?" in client.get(reverse("process_detail", args=[process.slug])).content.decode()


def test_staff_moderate_and_close_residents_cannot(client, conversation, staff, resident):
    moderate = reverse("opinions:conversation_moderate", args=[conversation.pk])
    trees = conversation.statements.get(text="The park needs more trees.")
    client.force_login(resident)
    assert client.get(moderate).status_code == 403
    assert client.post(moderate, {"statement": trees.pk, "state": "hidden"}).status_code == 403
    client.post(reverse("opinions:conversation_close", args=[conversation.pk]))
    assert Conversation.objects.get().is_open

    client.force_login(staff)
    new = services.add_statement(resident, conversation, "A playground")
    services.moderate_statement(staff, new, "pending")
    gone = services.add_statement(resident, conversation, "Spam")
    services.moderate_statement(staff, gone, "hidden")
    page = client.get(moderate).content.decode()
    assert page.index("A playground") < page.index(trees.text) < page.index("Spam")
    client.post(moderate, {"statement": trees.pk, "state": "hidden"})
    assert Statement.objects.get(pk=trees.pk).state == "hidden"
    client.post(reverse("opinions:conversation_close", args=[conversation.pk]))
    assert not Conversation.objects.get().is_open


@pytest.fixture
def camps(staff, process):
    return factories.planted_conversation(staff, process, TWO_CAMPS, [8, 6])


def test_the_map_shows_groups_common_ground_and_only_your_own_dot(client, camps):
    conversation, people = camps
    url = reverse("opinions:conversation_results", args=[conversation.pk])

    anonymous = client.get(url).content.decode()
    assert "Group A: 8 people" in anonymous and "Group B: 6 people" in anonymous
    assert anonymous.count('class="dot ') == 14
    assert 'class="you"' not in anonymous
    common = anonymous.split('id="common-title"')[1].split("</section>")[0]
    assert "Statement 5" in common and "Statement 1<" not in common
    assert "voter0@" not in anonymous

    client.force_login(people[0])
    own = client.get(url).content.decode()
    assert own.count('class="you"') == 1 and own.count('class="dot ') == 14
    assert "You are in group A." in own


def test_a_camp_under_five_is_not_shown(client, staff, process):
    conversation, _people = factories.planted_conversation(staff, process, TWO_CAMPS, [8, 4])
    page = client.get(
        reverse("opinions:conversation_results", args=[conversation.pk])
    ).content.decode()
    assert "Group A: 8 people" in page and "Group B" not in page
    assert "4 people are in no group shown" in page


def test_a_new_conversation_has_an_empty_map_and_a_closed_one_takes_no_votes(
    client, conversation, staff, resident
):
    results = reverse("opinions:conversation_results", args=[conversation.pk])
    page = client.get(results).content.decode()
    assert "0 people on the map." in page and "No opinion groups have formed yet." in page
    assert "<svg" not in page

    from opinions.services import close_conversation

    close_conversation(staff, conversation)
    client.force_login(resident)
    page = client.get(detail(conversation)).content.decode()
    assert "This conversation is closed." in page and 'name="value"' not in page
    assert "final opinion map" in client.get(results).content.decode()


def test_group_labels_stay_when_votes_arrive(client, staff, process):
    from opinions import results

    conversation, _people = factories.planted_conversation(staff, process, TWO_CAMPS, [6, 8])
    first = results.map_of(conversation)
    camp_b = next(g for g in first.groups if g.size == 8)
    # Three newcomers join the smaller camp, which becomes the larger one.
    newcomers = [factories.make_user(f"new{i}@example.org", password=None) for i in range(3)]
    factories.opinion_votes(
        conversation,
        [
            (person, statement, TWO_CAMPS[0][j])
            for person in newcomers
            for j, statement in enumerate(conversation.statements.order_by("pk"))
        ],
    )
    later = results.map_of(conversation)
    assert [g.size for g in later.groups if g.label == camp_b.label] == [8]


def test_the_map_draws_with_decimal_points_in_every_language(client, camps):
    conversation, _people = camps
    url = reverse("opinions:conversation_results", args=[conversation.pk])
    for language in ("sk", "fr", "en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert 'viewBox="0 0 100.0 100.0"' in svg, language
        for attribute in ('cx="', 'cy="'):
            values = [v.split('"')[0] for v in svg.split(attribute)[1:]]
            assert values and all("," not in v for v in values), language
