"""How far one socket vote travels: Spolu's own functions it calls, and the apps it crosses.

    .venv/bin/python bench/vote_path.py [--list]

A guest of a live workshop casts one vote over the session's socket, through the full ASGI
application and the in-memory channel layer, on a scratch SQLite database. Every call into a
function of Spolu's own code (not Django's, not the libraries') is recorded in every thread,
from the moment the vote is sent until its ack and the tally frame it causes have reached
the socket (comprehensions and lambdas count as part of their function). Reported: the
distinct functions, the calls, and the sequence of apps the calls pass through (consecutive
calls in one app count once). docs/architecture.md quotes it.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import threading
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
APPS = ("core", "realtime", "accounts", "deliberation", "proposals", "voting", "live")


def setup() -> dict:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SPOLU_DATA_DIR=tempfile.mkdtemp(prefix="spolu-vote-path-"),
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from deliberation.models import City, Process
    from live.guests import GuestIdentity, guest_cookie_name, sign_guest
    from live.services import agenda, ballots, sessions
    from voting import services as voting

    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="path", name="Path")
    process = Process.objects.create(slug="path", city=city, title="Path")
    staff = User.objects.create(email="path-staff@example.org", is_staff=True)
    session = sessions.create_session(
        staff,
        process=process,
        title="Workshop",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=staff,
    )
    made = []
    for question in ("Warm-up", "Measured"):
        ballot = voting.create_ballot(
            staff,
            process,
            question=question,
            method="yes_no",
            results_visibility="live",
            eligibility="session_guests",
        )
        agenda.add_agenda_item(staff, session, title=question, ballot=ballot)
        made.append(ballot)
    sessions.start_session(staff, session)
    for ballot in made:
        ballots.open_session_ballot(staff, session, ballot.pk)
    guest = GuestIdentity(session.pk, "e" * 32, "Eva")
    sessions.join_session(session, guest=guest)
    return {
        "code": session.join_code,
        "warm_up": made[0].pk,
        "measured": made[1].pk,
        "cookie": f"{guest_cookie_name(session.pk)}={sign_guest(guest)}",
    }


class Recorder:
    """Calls into Spolu's own functions, from every thread, while `on` is set."""

    def __init__(self):
        self.on = False
        self.calls: list[tuple[str, str]] = []
        self.at_ack = 0
        self.lock = threading.Lock()
        self.root = str(BASE) + os.sep
        self.skip = (str(BASE / "bench") + os.sep, str(BASE / "tests") + os.sep)

    def __call__(self, frame, event, arg):
        if not self.on or event != "call":
            return
        path = frame.f_code.co_filename
        if not path.startswith(self.root) or path.startswith(self.skip) or ".venv" in path:
            return
        name = frame.f_code.co_qualname
        if "<" in name:  # comprehensions and lambdas are part of the function around them
            return
        module = frame.f_globals.get("__name__", "?")
        with self.lock:
            self.calls.append((module, name))

    def install(self) -> None:
        sys.setprofile(self)
        threading.setprofile(self)


async def vote(data: dict, recorder: Recorder) -> None:
    import orjson
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    headers = [
        (b"host", b"127.0.0.1"),
        (b"origin", b"http://127.0.0.1"),
        (b"cookie", data["cookie"].encode()),
    ]
    socket = WebsocketCommunicator(application, f"/ws/sessions/{data['code']}/", headers)
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_from()  # the snapshot

    async def cast(ref: str, ballot: int) -> None:
        command = {"id": ref, "type": "vote.cast", "data": {"ballot": ballot, "choice": ["yes"]}}
        command["data"]["key"] = ref
        await socket.send_to(text_data=orjson.dumps(command).decode())
        acked = tallied = False
        while not (acked and tallied):
            frame = orjson.loads(await socket.receive_from(timeout=5))
            if frame["type"] == "ack" and frame["data"]["ref"] == ref:
                acked = True
                recorder.at_ack = len(recorder.calls)
            tallied = tallied or (
                frame["type"] == "ballot.tally" and frame["data"]["ballot"] == ballot
            )

    await cast("warm-up", data["warm_up"])  # makes the guest's stand-in account
    recorder.on = True
    await cast("measured", data["measured"])
    recorder.on = False
    await socket.disconnect()


def crossings(calls: list[tuple[str, str]]) -> list[str]:
    path: list[str] = []
    for module, _name in calls:
        app = module.split(".")[0]
        if app in APPS and (not path or path[-1] != app):
            path.append(app)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print each function, in order")
    args = parser.parse_args()
    data = setup()
    recorder = Recorder()
    recorder.install()
    asyncio.run(vote(data, recorder))
    sys.setprofile(None)
    threading.setprofile(None)
    distinct = list(dict.fromkeys(recorder.calls))
    to_ack = set(recorder.calls[: recorder.at_ack])
    print(f"functions of Spolu's own: {len(distinct)} distinct, {len(recorder.calls)} calls")
    print(f"  until the ack reached the voter: {len(to_ack)} distinct")
    print("apps crossed until the ack: " + " → ".join(crossings(recorder.calls[: recorder.at_ack])))
    print("apps crossed in all: " + " → ".join(crossings(recorder.calls)))
    if args.list:
        for module, name in distinct:
            print(f"  {module}.{name}")


if __name__ == "__main__":
    main()
