"""Benchmark: how soon a newly opened ballot shows on many participant pages in Chromium, and
that the pages ask the server for nothing to show it (issue 11, "Speed").

    .venv/bin/python bench/live_pages.py --pages 20

In a scratch data directory (SQLite): a live workshop whose current item holds a draft
yes/no ballot; one daphne process on 127.0.0.1; `--pages` guests join in their own Chromium
contexts and keep the participant view open. The facilitator opens the ballot with the
console's form post; each page records (MutationObserver) when the ballot's form appears.
Reports p50/p95/max from the post to each page showing it, and the HTTP requests the
watched pages made meanwhile (page, fetch, XHR: there should be none).
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

# bench/live.py's server, ports and percentiles, under a name that is not the `live` app's.
_spec = importlib.util.spec_from_file_location("live_bench", BASE / "bench" / "live.py")
live_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live_bench)

WATCH = """(id) => new Promise((resolve) => {
  const seen = () => document.querySelector(`#part-ballots article[data-ballot="${id}"]`);
  new MutationObserver(() => { if (seen() && !window.__shownAt) window.__shownAt = Date.now(); })
    .observe(document.body, { childList: true, subtree: true });
  resolve(true);
})"""


def prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from deliberation.models import City, Process
    from live.services import agenda, sessions
    from voting import services as voting

    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench", name="Bench")
    process = Process.objects.create(slug="bench-pages", city=city, title="Benchmark")
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True)
    ballot = voting.create_ballot(
        staff,
        process,
        question="Build the benches?",
        method="yes_no",
        results_visibility="live",
        eligibility="session_guests",
    )
    session = sessions.create_session(
        staff,
        process=process,
        title="Benchmark workshop",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=staff,
    )
    agenda.add_agenda_item(staff, session, title="The vote", ballot=ballot)
    sessions.start_session(staff, session)
    # The facilitator's browser is signed in by a session made here (as bench/live.py does).
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(staff.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = staff.get_session_auth_hash()
    store.create()
    return {"code": session.join_code, "ballot": ballot.pk, "sessionid": store.session_key}


def main(args) -> None:
    data_dir = tempfile.mkdtemp(prefix="spolu-bench-pages-")
    env = live_bench.server_env(data_dir)
    os.environ.update(env)
    prepared = prepare()
    port = live_bench.free_port()
    log = open(Path(data_dir) / "server.log", "wb")  # noqa: SIM115 — closed with the server
    server = subprocess.Popen(
        live_bench.server_command("daphne", port), env=env, cwd=BASE, stdout=log, stderr=log
    )
    try:
        live_bench.wait_port(port)
        run(args, prepared, f"http://{live_bench.HOST}:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def run(args, prepared: dict, url: str) -> None:
    from playwright.sync_api import sync_playwright

    code, ballot = prepared["code"], prepared["ballot"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        pages, asked = [], []
        for n in range(args.pages):
            page = browser.new_context().new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{url}/join/{code}/")
            page.fill("input[name=nickname]", f"Guest {n}")
            page.locator("main form button[type=submit]").click()
            page.locator("html[data-live=connected]").wait_for(state="attached")
            page.evaluate(WATCH, ballot)
            page.on(
                "request",
                lambda request: (
                    asked.append(request.url)
                    if request.resource_type in ("document", "fetch", "xhr")
                    else None
                ),
            )
            pages.append(page)
        chair = browser.new_context().new_page()
        chair.context.add_cookies(
            [{"name": "sessionid", "value": prepared["sessionid"], "url": url}]
        )
        chair.goto(f"{url}/sessions/{code}/console/")
        chair.locator("html[data-live=connected]").wait_for(state="attached")
        button = chair.get_by_role("button", name="Open the ballot")
        started = time.time() * 1000
        button.click()  # over the console's socket, as a facilitator does
        delays = []
        for page in pages:
            page.wait_for_function("() => window.__shownAt")
            delays.append(page.evaluate("() => window.__shownAt") - started)
        browser.close()
    delays.sort()
    print(f"pages: {len(delays)}")
    print(
        "ballot shown after the facilitator's click, ms: "
        f"p50 {live_bench.percentile(delays, 50):.0f}, "
        f"p95 {live_bench.percentile(delays, 95):.0f}, max {delays[-1]:.0f}"
    )
    print(f"HTTP requests for pages, fetch or XHR meanwhile: {len(asked)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    main(parser.parse_args())
