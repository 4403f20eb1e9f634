import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals import services
from proposals.listing import SEED_SESSION_KEY
from proposals.models import Proposal, Support
from tests.factories import make_process


def list_url(process, **params):
    from urllib.parse import urlencode

    return reverse("proposal_list", args=[process.slug]) + "?" + urlencode(params)


def titles(response) -> list[str]:
    return [p.title for p in response.context["proposals"]]


@pytest.fixture
def many(process, resident):
    made = []
    for i in range(30):
        made.append(
            Proposal.objects.create(
                process=process,
                author=resident,
                title=f"P{i:02}",
                body=f"body {i}",
                supports_count=i % 7,
                comments_count=(i * 3) % 11,
            )
        )
    return made


def test_a_resident_writes_a_proposal_through_the_form(client, process, resident):
    client.force_login(resident)
    response = client.post(
        reverse("proposal_create", args=[process.slug]),
        {"title": "Pitná fontána", "body": "Pri *ihrisku*.", "publish": ""},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.author == resident and proposal.state == "published"
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "<em>ihrisku</em>" in page


def test_an_empty_form_shows_messages_and_saves_nothing(client, process, resident):
    client.force_login(resident)
    response = client.post(reverse("proposal_create", args=[process.slug]), {"title": ""})
    assert response.status_code == 200
    assert "Give your proposal a title." in response.content.decode()
    assert "Describe your proposal." in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_oversized_body_is_refused_on_the_form(client, process, resident):
    client.force_login(resident)
    response = client.post(
        reverse("proposal_create", args=[process.slug]), {"title": "T", "body": "x" * 10_001}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Proposal.objects.exists()


def test_the_rate_limit_is_explained_on_the_form(client, process, resident, settings):
    settings.SPOLU_PROPOSAL_RATE = "1/h"
    client.force_login(resident)
    url = reverse("proposal_create", args=[process.slug])
    client.post(url, {"title": "One", "body": "B"})
    response = client.post(url, {"title": "Two", "body": "B"})
    assert "wait a while" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_unknown_coauthor_addresses_are_refused(client, process, resident):
    client.force_login(resident)
    response = client.post(
        reverse("proposal_create", args=[process.slug]),
        {"title": "T", "body": "B", "coauthors": "nobody@example.org"},
    )
    assert "nobody@example.org" in response.content.decode()
    assert not Proposal.objects.exists()


def test_guests_are_sent_to_log_in(client, process):
    response = client.get(reverse("proposal_create", args=[process.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_supporting_twice_shows_a_message_and_counts_once(client, proposal, outsider):
    client.force_login(outsider)
    url = reverse("proposal_support", args=[proposal.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "You already support this proposal." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.supports_count == 1


def test_support_button_and_take_back(client, proposal, outsider):
    client.force_login(outsider)
    client.post(reverse("proposal_support", args=[proposal.pk]))
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Take back my support" in page
    client.post(reverse("proposal_unsupport", args=[proposal.pk]))
    assert not Support.objects.exists()


def test_posting_to_a_withdrawn_proposal_changes_nothing(client, proposal, resident, outsider):
    services.withdraw_proposal(resident, proposal)
    client.force_login(outsider)
    response = client.post(reverse("proposal_support", args=[proposal.pk]), follow=True)
    assert "withdrawn" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.supports_count == 0


def test_editing_someone_elses_proposal_is_forbidden(client, proposal, outsider):
    client.force_login(outsider)
    url = reverse("proposal_edit", args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Mine", "body": "B"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "More benches"


def test_the_detail_page_says_why_support_is_unavailable(client, db, resident):
    process = make_process(current="voting")
    proposal = Proposal.objects.create(process=process, author=resident, title="T", body="B")
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "only during the proposals and deliberation phases" in page


def test_the_threshold_is_shown(client, db, resident):
    process = make_process(support_threshold=50)
    proposal = Proposal.objects.create(
        process=process, author=resident, title="T", body="B", supports_count=12
    )
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "12 of 50 supports needed" in page


def test_drafts_are_not_public(client, process, resident, outsider):
    draft = services.create_proposal(resident, process, title="Secret", body="B", publish=False)
    assert client.get(reverse("proposal_detail", args=[draft.pk])).status_code == 403
    assert "Secret" not in client.get(list_url(process)).content.decode()
    client.force_login(resident)
    assert "Secret" in client.get(list_url(process, mine=1)).content.decode()


def test_staff_answer_through_the_page(client, proposal, staff):
    client.force_login(staff)
    url = reverse("proposal_answer", args=[proposal.pk])
    client.post(url, {"state": "rejected", "answer": "Not in this budget."})
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Not in this budget." in page
    proposal.refresh_from_db()
    assert proposal.state == "rejected"


def test_residents_cannot_open_the_answer_page(client, proposal, outsider):
    client.force_login(outsider)
    assert client.get(reverse("proposal_answer", args=[proposal.pk])).status_code == 403


def test_sorting_by_support_and_by_comments(client, process, many):
    by_support = titles(client.get(list_url(process, sort="supported", per_page=50)))
    counts = [Proposal.objects.get(title=t).supports_count for t in by_support]
    assert counts == sorted(counts, reverse=True)
    by_comments = titles(client.get(list_url(process, sort="commented", per_page=50)))
    counts = [Proposal.objects.get(title=t).comments_count for t in by_comments]
    assert counts == sorted(counts, reverse=True)


def test_newest_first(client, process, many):
    assert titles(client.get(list_url(process, sort="newest", per_page=10)))[0] == "P29"


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "title; DROP TABLE x"},
        {"sort": "-id"},
        {"state": "hacked"},
        {"per_page": "1000"},
        {"category": "abc"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_unknown_parameters_fall_back_to_the_default(client, process, many, params):
    response = client.get(list_url(process, **params))
    assert response.status_code == 200
    assert response.context["params"].sort in {"random", "newest", "supported", "commented"}
    assert len(response.context["proposals"]) in {25, 5}


def test_the_random_order_is_stable_for_one_visitor_and_covers_every_proposal(
    client, process, many
):
    first = titles(client.get(list_url(process, per_page=10)))
    again = titles(client.get(list_url(process, per_page=10)))
    assert first == again
    seen = []
    for page in (1, 2, 3):
        seen += titles(client.get(list_url(process, per_page=10, page=page)))
    assert sorted(seen) == sorted(p.title for p in many)


def test_the_random_order_differs_between_visitors(client, process, many):
    orders = set()
    for seed in (1_234_567, 98_765_431, 3_000_000_019):
        session = client.session
        session[SEED_SESSION_KEY] = seed
        session.save()
        orders.add(tuple(titles(client.get(list_url(process, per_page=50)))))
    assert len(orders) > 1


def test_filters_by_state_and_category(client, process, many, resident):
    Proposal.objects.filter(title="P01").update(state="accepted")
    Proposal.objects.filter(title="P02").update(category=process.categories.get())
    assert titles(client.get(list_url(process, state="accepted"))) == ["P01"]
    category = process.categories.get().pk
    assert titles(client.get(list_url(process, category=category))) == ["P02"]


def test_withdrawn_proposals_leave_the_default_list(client, process, many):
    Proposal.objects.filter(title="P03").update(state="withdrawn")
    assert "P03" not in titles(client.get(list_url(process, per_page=50)))
    assert titles(client.get(list_url(process, state="withdrawn"))) == ["P03"]


def test_search_finds_words_in_title_and_body(client, process, resident):
    Proposal.objects.create(process=process, author=resident, title="Lavičky", body="Pri jazere")
    Proposal.objects.create(process=process, author=resident, title="Fontána", body="Voda")
    assert titles(client.get(list_url(process, q="jazere"))) == ["Lavičky"]
    assert titles(client.get(list_url(process, q="Fontána"))) == ["Fontána"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_list_runs_the_same_number_of_queries_for_any_page_size(
    client, process, many, resident, signed_in
):
    if signed_in:
        client.force_login(resident)
    client.get(list_url(process))  # the session and its seed exist from here on
    counts = []
    for size in (10, 25, 50):
        with CaptureQueriesContext(connection) as queries:
            client.get(list_url(process, per_page=size, sort="supported"))
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
