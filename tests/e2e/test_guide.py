"""The guide in docs/guide/ walked in Chromium on the demo city, one test per guide: each step
does what the guide says, checks what a person relies on there, and takes the guide's
screenshot of it. So the guide's pictures stay current and its steps keep working.

`make guide` sets SPOLU_GUIDE_SCREENSHOTS=docs/guide/img and the pictures replace the
committed ones; otherwise they go to pytest's tmp_path and the repository is left alone.
Steps find things by role, label and text, never by a CSS class, so a restyled page keeps
its guide."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import login, server_environment, set_language

GUIDE = Path(settings.BASE_DIR) / "docs" / "guide"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 800}

# Every screenshot each guide shows, in the order its steps take them.
SCREENSHOTS = {
    "residents.md": [
        "residents-home",
        "residents-join-code",
        "residents-join-nickname",
        "residents-live-session",
        "residents-live-voted",
        "residents-process",
        "residents-write-proposal",
        "residents-proposal-published",
        "residents-support",
        "residents-comment",
        "residents-ballot",
        "residents-ballot-voted",
        "residents-proposal-outcome",
        "residents-commitment",
        "residents-notifications",
    ],
    "facilitators.md": [
        "facilitators-schedule",
        "facilitators-agenda",
        "facilitators-session",
        "facilitators-console",
        "facilitators-projector",
        "facilitators-ballot-open",
        "facilitators-ballot-closed",
        "facilitators-outcome",
        "facilitators-minutes",
    ],
    "staff.md": [
        "staff-new-process",
        "staff-process",
        "staff-new-ballot",
        "staff-results",
        "staff-moderation",
        "staff-promote",
        "staff-promoted",
        "staff-milestone",
        "staff-progress-update",
        "staff-plan",
        "staff-participation",
    ],
}

IMAGE_REFERENCE = re.compile(r"\]\(img/([\w-]+)\.png\)")


class Camera:
    """Takes a guide's screenshots, each one it expects once, into one folder."""

    def __init__(self, folder: Path, guide: str):
        self.folder = folder
        self.expected = SCREENSHOTS[guide]
        self.taken: list[str] = []

    def shot(self, page, name: str, full_page: bool = False) -> None:
        assert name in self.expected and name not in self.taken, name
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(
            path=self.folder / f"{name}.png",
            full_page=full_page,
            animations="disabled",
            caret="hide",
        )
        self.taken.append(name)

    def assert_every_step_taken(self) -> None:
        assert self.taken == self.expected


@pytest.fixture
def demo(server, transactional_db):
    """The demo city, seeded as `make run` seeds it: by the command, under the server's own
    secret key (a secret ballot's sealed papers open only with the key that sealed them)."""
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR,
        env=server_environment(server.mail_dir),
        check=True,
        capture_output=True,
    )


@pytest.fixture
def screenshots(tmp_path) -> Path:
    chosen = os.environ.get("SPOLU_GUIDE_SCREENSHOTS")
    folder = Path(settings.BASE_DIR) / chosen if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, server, viewport: dict, email: str | None = None):
    """A fresh English browser at the given size (device scale 1: small PNGs), logged in."""
    context = browser.new_context(locale="en-GB", viewport=viewport, device_scale_factor=1)
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    if email:
        login(page, server, email)
    return page


def main(page):
    return page.get_by_role("main")


def see(page, text: str) -> None:
    """The page shows this text (somewhere in its main part)."""
    main(page).get_by_text(text, exact=False).first.wait_for(state="visible")


def go(page, locator) -> None:
    """Follow a link or send a form, and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def scroll_to(locator, above: int = 0) -> None:
    """Bring this part of the page (and `above` pixels over it) to the top of the screen."""
    locator.first.evaluate(
        "(element, above) => { element.scrollIntoView({block: 'start'}); scrollBy(0, -above); }",
        above,
    )


def in_console_column(page, locator) -> None:
    """Scroll the console's column to this part, the page itself staying at its top."""
    scroll_to(locator)
    page.evaluate("scrollTo(0, 0)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_residents_guide(server, browser, demo, screenshots):
    from proposals.models import Proposal

    camera = Camera(screenshots, "residents.md")
    page = open_page(browser, server, PHONE)

    # Join a session with a code: as a guest, from the home page.
    page.goto(f"{server.url}/")
    see(page, "Live now")
    see(page, "DEMO24")
    scroll_to(main(page).get_by_role("heading", name="Live sessions"), above=16)
    camera.shot(page, "residents-home")
    page.get_by_label("Type the code shown in the room").fill("DEMO24")
    camera.shot(page, "residents-join-code")
    go(page, main(page).get_by_role("button", name="Join", exact=True))
    page.get_by_label("Your name or nickname").fill("Katarína")
    page.get_by_label("In the room").check()
    camera.shot(page, "residents-join-nickname")
    go(page, page.get_by_role("button", name="Join"))
    page.wait_for_url(re.compile(r"/sessions/DEMO24/live/$"))
    see(page, "Does the board recommend a pilot of shaded bus stops")
    see(page, "You take part as Katarína")
    camera.shot(page, "residents-live-session")
    main(page).get_by_label("Yes").check()
    main(page).get_by_role("button", name="Vote", exact=True).click()
    see(page, "You have voted")
    camera.shot(page, "residents-live-voted")
    page.context.close()

    # Write a proposal: signed in, from the process page.
    page = open_page(browser, server, PHONE, "resident@spolu.example")
    page.goto(f"{server.url}/processes/")
    go(page, main(page).get_by_role("link", name="Mestský park / City Park"))
    see(page, "Current phase: Proposals")
    scroll_to(page.get_by_role("heading", name="Proposals", exact=True))
    camera.shot(page, "residents-process")
    go(page, main(page).get_by_role("link", name="New proposal"))
    page.get_by_label("Title").fill("Benches in the shade by the pond")
    page.get_by_label("Description").fill(
        "The benches by the pond stand in full sun. Move two of them under the old limes."
    )
    page.get_by_label("Category").select_option(label="Zeleň / Greenery")
    camera.shot(page, "residents-write-proposal")
    go(page, page.get_by_role("button", name="Publish"))
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    page.get_by_role("heading", name="Benches in the shade by the pond").wait_for()
    see(page, "Published")
    camera.shot(page, "residents-proposal-published")
    assert Proposal.objects.get(title="Benches in the shade by the pond").state == "published"

    # Support and comment: someone else's proposal.
    lighting = Proposal.objects.get(title="Better lighting on the river path")
    page.goto(f"{server.url}/proposals/{lighting.pk}/")
    see(page, "7 supports")
    go(page, main(page).get_by_role("button", name="Support", exact=True))
    see(page, "You support this proposal.")
    see(page, "8 supports")
    scroll_to(page.get_by_role("heading", name="Supports"))
    camera.shot(page, "residents-support")
    page.get_by_label("Your comment").first.fill(
        "Yes, and please keep the lights low for the bats."
    )
    main(page).get_by_label("For", exact=True).first.check()
    go(page, main(page).get_by_role("button", name="Post comment").first)
    comment = main(page).get_by_text("please keep the lights low for the bats")
    comment.wait_for()
    scroll_to(comment, above=120)
    camera.shot(page, "residents-comment")

    # Vote online, with a receipt.
    page.goto(f"{server.url}/processes/mestsky-park/")
    go(page, main(page).get_by_role("link", name=re.compile("Close the park to cars")).first)
    see(page, "Open")
    camera.shot(page, "residents-ballot")
    main(page).get_by_label("Yes").check()
    go(page, main(page).get_by_role("button", name="Vote", exact=True))
    see(page, "You have voted. Receipt code of the vote that counts")
    camera.shot(page, "residents-ballot-voted")

    # Follow what became of a proposal: from the proposal to its commitment.
    shade = Proposal.objects.get(title="Viac tieňa pri detskom ihrisku")
    page.goto(f"{server.url}/proposals/{shade.pk}/")
    see(page, "Answer from the city")
    see(page, "In the action plan")
    scroll_to(page.get_by_role("heading", name="Answer from the city"))
    camera.shot(page, "residents-proposal-outcome")
    go(page, main(page).get_by_role("link", name=re.compile("Mestský park: tieň a zeleň")))
    page.get_by_role("heading", name=re.compile("Mestský park: tieň a zeleň")).wait_for()
    see(page, "Where it came from")
    see(page, "Milestones")
    camera.shot(page, "residents-commitment")
    page.goto(f"{server.url}/me/notifications/")
    see(page, "became part of the commitment")
    camera.shot(page, "residents-notifications")
    page.context.close()
    camera.assert_every_step_taken()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_facilitators_guide(server, browser, demo, screenshots):
    from live.models import Session
    from voting.models import Ballot

    camera = Camera(screenshots, "facilitators.md")
    page = open_page(browser, server, LAPTOP, "facilitator@spolu.example")
    page.on("dialog", lambda dialog: dialog.accept())  # closing asks first

    # Prepare a session and its agenda: a ballot for it, the session, its agenda.
    page.goto(f"{server.url}/ballots/process/zelene-sidliska/new/")
    page.get_by_label("Question").fill("Start with trees on the Fončorda car parks?")
    page.get_by_label("Method").select_option(label="Yes / no / abstain")
    page.get_by_label("Who may vote").select_option(label="Guests of a session")
    page.get_by_label("Body").select_option(label="CoLaboratory Board")
    page.get_by_label("Secrecy").select_option(label="Public")
    page.get_by_label("Results shown").select_option(label="Live, while voting is open")
    go(page, page.get_by_role("button", name="Save"))
    page.get_by_role("heading", name="Start with trees on the Fončorda car parks?").wait_for()

    page.goto(f"{server.url}/sessions/")
    go(page, main(page).get_by_role("link", name="Schedule a session"))
    page.get_by_label("Body").select_option(label="CoLaboratory Board")
    page.get_by_label("Title").fill("Board meeting: trees for Fončorda")
    page.get_by_label("Format").select_option(label="Hybrid")
    page.get_by_label("Place").fill("Town hall, room 2")
    starts = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT18:00"))
    page.get_by_label("Guests may join").check()
    camera.shot(page, "facilitators-schedule", full_page=True)
    go(page, page.get_by_role("button", name="Schedule"))
    page.get_by_role("heading", name="Prepare the agenda").wait_for()
    session = Session.objects.get(title="Board meeting: trees for Fončorda")
    page.get_by_label("Title").fill("Trees on the car parks")
    page.get_by_label("Timebox (minutes)").fill("20")
    page.get_by_label("Proposals").select_option(label="Stromy na parkoviskách na Fončorde")
    page.get_by_label("Ballot").select_option(label="Start with trees on the Fončorda car parks?")
    go(page, page.get_by_role("button", name="Add to the agenda"))
    see(page, "Trees on the car parks")
    camera.shot(page, "facilitators-agenda")
    assert session.items.get().ballot.question == "Start with trees on the Fončorda car parks?"
    go(page, main(page).get_by_role("link", name="Board meeting: trees for Fončorda"))
    see(page, f"Join code: {session.join_code}")
    main(page).get_by_role("link", name="Facilitator console").wait_for()
    camera.shot(page, "facilitators-session")

    # Run the room from the console (the demo's live meeting).
    page.goto(f"{server.url}/sessions/DEMO24/")
    go(page, main(page).get_by_role("link", name="Facilitator console"))
    page.locator("html[data-live=connected]").wait_for(state="attached")
    see(page, "Participants joined")
    see(page, "How many stops in the pilot?")
    camera.shot(page, "facilitators-console")
    projector = page.context.new_page()
    projector.goto(f"{server.url}/sessions/DEMO24/projector/")
    projector.get_by_text("DEMO24").first.wait_for()
    projector.get_by_text("Does the board recommend a pilot").first.wait_for()
    camera.shot(projector, "facilitators-projector")

    # Open a ballot (the next item's), then close the one under way.
    main(page).get_by_role(
        "button", name=re.compile(r"Go to this item\W+Priority na rok 2027")
    ).click()
    main(page).get_by_role("button", name=re.compile(r"Open the ballot\W+Poradie priorít")).click()
    main(page).get_by_role(
        "button", name=re.compile(r"Close the ballot.*Poradie priorít")
    ).wait_for()
    in_console_column(
        page, main(page).get_by_role("heading", name=re.compile("Priorities for 2027$"))
    )
    camera.shot(page, "facilitators-ballot-open")
    assert Ballot.objects.get(question__startswith="Poradie priorít").state == "open"
    close = main(page).get_by_role("button", name=re.compile(r"Close the ballot.*Odporúča rada"))
    close.click()  # the console asks first; the dialog is accepted above
    close.wait_for(state="hidden")
    in_console_column(page, main(page).get_by_role("heading", name=re.compile("^Odporúča rada")))
    camera.shot(page, "facilitators-ballot-closed")
    assert Ballot.objects.get(question__startswith="Odporúča rada").state == "closed"

    # Record the outcome and take notes, close the session: the minutes.
    main(page).get_by_role(
        "button", name=re.compile(r"Go to this item\W+Hlasovanie: zatienené")
    ).click()
    main(page).get_by_role("region", name=re.compile("Outcome and notes: Hlasovanie")).wait_for()
    page.get_by_label("Decision").select_option(label="Adopted")
    page.get_by_role("textbox", name="Outcome").fill("The board recommends a pilot at six stops.")
    page.get_by_role("button", name="Record the outcome").click()
    page.get_by_role("textbox", name="Notes").fill(
        "Three for, one against. Questions: how many stops, who waters the green roofs."
    )
    page.get_by_role("button", name="Save the notes").click()
    page.get_by_role("textbox", name="Action", exact=True).fill(
        "Ask the transport company which stops can hold a sail"
    )
    page.get_by_role("textbox", name="Who").fill("Martin Kolesár")
    page.get_by_role("button", name="Add the action item").click()
    see(page, "Ask the transport company which stops can hold a sail")
    in_console_column(page, main(page).get_by_role("region", name=re.compile("Outcome and notes")))
    camera.shot(page, "facilitators-outcome")
    main(page).get_by_role("button", name="Close the session").click()
    go(page, main(page).get_by_role("link", name="Minutes").first)
    assert page.url.endswith("/sessions/DEMO24/minutes/")
    see(page, "The board recommends a pilot at six stops.")
    see(page, "Ask the transport company which stops can hold a sail")
    camera.shot(page, "facilitators-minutes")
    assert Session.objects.get(join_code="DEMO24").state == "closed"
    page.context.close()
    camera.assert_every_step_taken()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_staff_guide(server, browser, demo, screenshots):
    from actionplan.models import Commitment
    from deliberation.models import Process
    from voting.models import Ballot

    camera = Camera(screenshots, "staff.md")
    page = open_page(browser, server, LAPTOP, "staff@spolu.example")
    today = timezone.localdate()

    # Open a process and its phases.
    page.goto(f"{server.url}/processes/")
    go(page, main(page).get_by_role("link", name="New process"))
    page.get_by_label("Title").fill("Riverside paths")
    page.get_by_label("Slug").fill("riverside-paths")
    page.get_by_label("Summary").fill("Where should the new paths along the river go?")
    page.get_by_label("Supports needed for evaluation").fill("30")
    page.get_by_label("Proposal categories").fill("Paths\nLighting\nNature")
    page.get_by_label("Proposals phase starts on").fill(today.isoformat())
    page.get_by_label("Proposals phase ends on").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Voting phase starts on").fill((today + timedelta(days=31)).isoformat())
    page.get_by_label("Voting phase ends on").fill((today + timedelta(days=45)).isoformat())
    scroll_to(page.get_by_label("Information phase starts on"), above=140)
    camera.shot(page, "staff-new-process")
    go(page, page.get_by_role("button", name="Save"))
    page.get_by_role("heading", name="Riverside paths").wait_for()
    see(page, "Current phase: Proposals")
    camera.shot(page, "staff-process")
    assert Process.objects.filter(slug="riverside-paths").exists()

    # Open a ballot online, in the new process.
    go(page, main(page).get_by_role("link", name="Votes and results in this process"))
    go(page, main(page).get_by_role("link", name="New ballot"))
    page.get_by_label("Question").fill("Which path should be built first?")
    page.get_by_label("Method").select_option(label="Single choice")
    page.get_by_label("Secrecy").select_option(label="Public")
    page.get_by_label("Results shown").select_option(label="Live, while voting is open")
    page.get_by_label("Options").fill(
        "Along the river to the park\nAcross the meadow to the school"
    )
    scroll_to(page.get_by_role("heading", name="New ballot"))
    camera.shot(page, "staff-new-ballot")
    go(page, page.get_by_role("button", name="Save"))
    page.get_by_role("heading", name="Which path should be built first?").wait_for()
    go(page, main(page).get_by_role("button", name="Open the ballot"))
    assert Ballot.objects.get(question="Which path should be built first?").state == "open"
    page.goto(f"{server.url}/processes/mestsky-park/")
    go(page, main(page).get_by_role("link", name="Votes and results in this process"))
    go(page, main(page).get_by_role("link", name=re.compile("Participatívny rozpočet 2025")))
    go(page, main(page).get_by_role("link", name=re.compile("Results")).first)
    see(page, "Votes per option, online and on paper")
    camera.shot(page, "staff-results")

    # Moderate.
    page.goto(f"{server.url}/moderation/")
    see(page, "Reported by 1 person")
    page.get_by_label("Decision").select_option(label="Hide")
    page.get_by_label("Reason").fill("Advertising, unrelated to the proposal.")
    camera.shot(page, "staff-moderation")
    go(page, page.get_by_role("button", name="Record decision"))
    page.get_by_text("Reported by 1 person").wait_for(state="detached")

    # Promote a session's outcome into the action plan.
    page.goto(f"{server.url}/sessions/PARK25/minutes/")
    go(
        page,
        main(page).get_by_role("link", name=re.compile(r"Promote to commitment\W+Mapovanie parku")),
    )
    page.get_by_label("Create a new commitment").check()
    page.get_by_label("Justification").fill("The workshop asked for it; the design brief needs it.")
    page.get_by_label("Action plan").select_option(index=1)
    page.get_by_label("Title of the new commitment").fill(
        "City Park: a design brief from residents"
    )
    page.get_by_label("Priority of the new commitment").select_option(index=3)
    camera.shot(page, "staff-promote")
    go(page, page.get_by_role("button", name="Promote"))
    page.get_by_role("heading", name="City Park: a design brief from residents").wait_for()
    see(page, "Where it came from")
    see(page, "Mapovanie parku")
    camera.shot(page, "staff-promoted")

    # Edit the action plan and milestones.
    commitment = Commitment.objects.get(title="City Park: a design brief from residents")
    add = main(page).get_by_role("group").filter(has_text="Add a milestone")
    add.get_by_text("Add a milestone", exact=True).click()
    add.get_by_label("Title").fill("Design brief sent to the architects")
    add.get_by_label("Due on").fill((today + timedelta(days=30)).isoformat())
    scroll_to(page.get_by_role("heading", name="Manage"))
    camera.shot(page, "staff-milestone")
    go(page, add.get_by_role("button", name="Add the milestone"))
    see(page, "Design brief sent to the architects")
    update = main(page).get_by_role("group").filter(has_text="Post a progress update")
    update.get_by_text("Post a progress update", exact=True).click()
    update.get_by_label("What happened").fill("The map from the workshop went to the architects.")
    update.get_by_label(re.compile("^Milestone")).select_option(
        label="Design brief sent to the architects"
    )
    update.get_by_label("New status of the milestone").select_option(label="In progress")
    update.get_by_label("New progress").fill("50")
    scroll_to(page.get_by_role("heading", name="Manage"))
    camera.shot(page, "staff-progress-update")
    go(page, update.get_by_role("button", name="Publish the update"))
    see(page, "The map from the workshop went to the architects.")
    assert commitment.milestones.get().progress == 50

    # Reports and exports.
    go(
        page,
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Action plan", exact=True
        ),
    )
    main(page).get_by_role("heading", name="Commitments").first.wait_for(state="visible")
    for name in ("JSON", "CSV", "Markdown report"):
        href = main(page).get_by_role("link", name=name, exact=True).get_attribute("href")
        assert page.request.get(f"{server.url}{href}").ok, name
    camera.shot(page, "staff-plan")
    go(page, main(page).get_by_role("link", name=re.compile("participation")))
    see(page, "Sessions")
    camera.shot(page, "staff-participation")
    page.context.close()
    camera.assert_every_step_taken()


def test_it_shows_every_picture_the_guide_names_and_only_those():
    """Each guide names exactly the screenshots its walk takes, and img/ holds those only."""
    for guide, expected in SCREENSHOTS.items():
        named = IMAGE_REFERENCE.findall((GUIDE / guide).read_text())
        assert sorted(set(named)) == sorted(expected), guide
    committed = {path.stem for path in (GUIDE / "img").glob("*.png")}
    assert committed == {name for names in SCREENSHOTS.values() for name in names}
