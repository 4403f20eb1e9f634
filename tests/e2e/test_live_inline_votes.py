"""In Chromium on a phone-sized screen: a participant ranks options with the keyboard alone and
casts the ranked vote, a score vote and a budget vote right in the live view, over the socket,
without a reload; the server's confirmation (or refusal) is shown and announced, the vote shows
as theirs, and the page passes axe-core in that state."""

import pytest
from django.utils import timezone

from live import stream
from live.services import agenda, ballots, sessions
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from voting import services as voting
from voting.models import Vote

pytestmark = pytest.mark.django_db(transaction=True)

OPTIONS = [{"label": "Oaks"}, {"label": "Benches"}, {"label": "Fountain"}]


@pytest.fixture
def session_with_ballots(board, board_process, facilitator, member):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        facilitator=facilitator,
        join_code="RANK42",
    )
    by_method = {}
    costed = [{**o, "cost": cost} for o, cost in zip(OPTIONS, (60, 30, 50), strict=True)]
    for method, question, options, extra in (
        ("ranked", "Which comes first in the park?", OPTIONS, {}),
        ("score", "How good is each idea?", OPTIONS, {"score_max": 5}),
        ("budget", "Which fit the budget?", costed, {"budget_total": 100}),
    ):
        ballot = voting.create_ballot(
            facilitator,
            board_process,
            question=question,
            method=method,
            body=board,
            results_visibility="live",
            options=options,
            **extra,
        )
        agenda.add_agenda_item(facilitator, session, title=question, ballot=ballot)
        by_method[method] = ballot
    sessions.start_session(facilitator, session)
    for ballot in by_method.values():
        ballots.open_session_ballot(facilitator, session, ballot.pk)
    return session, by_method, member


def test_a_participant_ranks_by_keyboard_and_scores_inline(server, browser, session_with_ballots):
    session, ballots, member = session_with_ballots
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, member.email)
    page.goto(f"{server.url}/join/{session.join_code}/")
    page.get_by_role("button", name="Join").click()
    assert page.url.endswith(f"/sessions/{session.join_code}/live/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    page.evaluate("window.notReloaded = true")

    # Ranked: Fountain first, then Oaks, then Benches — arrow keys and Tab only.
    ranked = ballots["ranked"]
    page.locator(f"#b{ranked.pk}-rank-1").focus()
    for presses in (3, 1, 2):  # the lists read: — none —, Oaks, Benches, Fountain
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    ranked_form = page.locator(f'form:has(input[name=ballot][value="{ranked.pk}"])')
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    ranked_form.locator(".message-success", has_text="Your vote was counted.").wait_for()
    page.locator("[data-announcer]", has_text="Your receipt code is").wait_for(state="attached")
    mine = page.locator(f"#ballot-{ranked.pk}-mine")
    mine.wait_for()
    assert mine.locator("ol li").all_inner_texts() == ["Fountain", "Oaks", "Benches"]
    assert page.locator(f"#b{ranked.pk}-rank-1 option:checked").inner_text() == "Fountain"

    # Score: type the scores, then Enter in the last field sends the form.
    score = ballots["score"]
    score_ids = {o.label: o.pk for o in score.options.all()}
    page.locator(f"#b{score.pk}-score-{score_ids['Oaks']}").fill("4")
    page.locator(f"#b{score.pk}-score-{score_ids['Fountain']}").fill("2")
    page.keyboard.press("Enter")
    score_form = page.locator(f'form:has(input[name=ballot][value="{score.pk}"])')
    score_form.locator(".message-success", has_text="Your vote was counted.").wait_for()
    page.locator(f"#ballot-{score.pk}-mine li", has_text="Fountain: 2").wait_for()

    # Budget: a running total against the budget; going over it is refused in words.
    budget = ballots["budget"]
    budget_form = page.locator(f'form:has(input[name=ballot][value="{budget.pk}"])')
    status = budget_form.locator("[data-budget]")
    budget_form.get_by_label("Oaks").check()
    assert status.inner_text() == "Chosen so far: 60 of 100"
    budget_form.get_by_label("Fountain").check()
    assert status.inner_text() == "Chosen so far: 110 of 100 — more than the budget"
    budget_form.get_by_role("button", name="Vote").click()
    budget_form.locator(".message-error", has_text="more than the budget of 100").wait_for()
    page.locator("[data-announcer]", has_text="more than the budget of 100").wait_for(
        state="attached"
    )
    budget_form.get_by_label("Fountain").uncheck()
    budget_form.get_by_role("button", name="Vote").click()
    budget_form.locator(".message-success", has_text="Your vote was counted.").wait_for()
    page.locator(f"#ballot-{budget.pk}-mine li", has_text="Oaks").wait_for()

    assert page.evaluate("window.notReloaded") is True  # all went over the socket
    labels = {o.pk: o.label for o in ranked.options.all()}
    ranking = Vote.objects.get(ballot=ranked, voter=member).choice["ranking"]  # a public ballot
    assert [labels[pk] for pk in ranking] == ["Fountain", "Oaks", "Benches"]
    scores = dict(Vote.objects.get(ballot=score, voter=member).choice["scores"])
    assert scores == {score_ids["Oaks"]: 4, score_ids["Fountain"]: 2}
    assert stream.ballot_result(score)["total"] == 1
    assert stream.ballot_result(budget)["total"] == 1
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    context.close()
