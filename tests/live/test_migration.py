"""Upgrading across the move of live sessions into their own app loses nothing.

Live sessions moved from deliberation into the live app (live 0001 and 0002, actionplan 0005,
deliberation 0005). A city that upgrades relies on finding every session, agenda item,
attendance, question, upvote, raised hand, action item and correction it had, under the same
ids; on the commitments and milestones that came from its meetings still pointing at them; on
its staff's permissions still applying to the same things; and on every ballot still counting
to its published tallies with an unbroken vote log.

The test makes the database that an installation of the old code would have: demo data and
votes, written by today's code and migrated back to the migrations before the move, where it is
read row by row. It then upgrades that database as `manage.py migrate` would.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from accounts.models import User
from actionplan import services as actionplan
from actionplan.models import ActionPlan, CommitmentSource, Milestone
from deliberation.models import Body, Process
from live.models import Attendance, Session
from live.services import ballots, questions, sessions, speakers
from live.services import minutes as record
from live.services.guard import Participant
from tests.factories import (
    attend,
    guest_of,
    make_ballot,
    make_session,
    make_session_ballot,
    vote_in_session,
)
from voting import services as voting
from voting.models import Ballot
from voting.stream import TALLIES

# The newest migration of each of Spolu's apps before the move; the live app did not exist.
BEFORE_THE_MOVE = [
    ("accounts", "0004_user_is_guest_stand_in"),
    ("deliberation", "0004_question_answer"),
    ("proposals", "0004_list_indexes_per_order"),
    ("voting", "0001_initial"),
    ("actionplan", "0004_cocreation"),
    ("realtime", "0001_initial"),
    ("live", None),
]

MOVED_MODELS = [
    "session",
    "agendaitem",
    "attendance",
    "question",
    "questionupvote",
    "hand",
    "actionitem",
    "minutesamendment",
]
# Old table → new table: the eight models' tables and the agenda's link table to proposals.
RENAMED = {f"deliberation_{name}": f"live_{name}" for name in MOVED_MODELS}
RENAMED["deliberation_agendaitem_proposals"] = "live_agendaitem_proposals"

NAMED_RULES = {
    rule.name for name in MOVED_MODELS for rule in apps.get_model("live", name)._meta.constraints
}

# Read on their own below: migrations are recorded there, and content types change app.
# Secret ballots' papers are rewritten by voting 0002 (sealed, or shuffled with new ids, so no
# row keeps the order of voting); that they still count is what the recount below checks.
# Tables later migrations create (follows, endorsements, the monitor's reports, the roll call's
# presences) did not exist before the move: they are no part of it.
NOT_COMPARED_AS_IS = {
    "django_migrations",
    "django_content_type",
    "voting_ballotpaper",
    "voting_sealedpaper",
    "proposals_follow",
    "actionplan_commitmentfollow",
    "actionplan_endorsement",
    "actionplan_monitorreport",
    "live_presence",
    "opinions_conversation",
    "opinions_statement",
    "opinions_opinionvote",
    "deliberation_invitation",
}
# Models of live that later migrations made: their content types appear with the app's.
LATER_LIVE_MODELS = {"presence"}


# --- Migrating ---------------------------------------------------------------------------------
def migrate(targets) -> None:
    """Migrate the test database as `manage.py migrate` does. Never inside transaction.atomic:
    SQLite's schema editor must turn foreign key checks off, which it cannot in a transaction.
    A new executor each time, so it reads which migrations are applied now."""
    MigrationExecutor(connection).migrate(targets)
    # Content types are cached by model; the migration just moved them to another app.
    ContentType.objects.clear_cache()


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# --- Reading the database with SQL (the models describe the new tables only) ---------------------
def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def rows_of(table: str) -> tuple[list[str], list[tuple]]:
    """A table's column names and every row, in primary key order."""
    with connection.cursor() as cursor:
        key = connection.introspection.get_primary_key_column(cursor, table)
        cursor.execute(f"SELECT * FROM {quoted(table)} ORDER BY {quoted(key)}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return columns, [tuple(row) for row in cursor.fetchall()]


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def everything() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of every table."""
    return {table: rows_of(table) for table in sorted(tables())}


def foreign_keys() -> dict[str, dict[str, tuple[str, str]]]:
    """The foreign key constraints the database holds (pg_constraint on PostgreSQL, PRAGMA
    foreign_key_list on SQLite): table → column → (column, table) it references."""
    with connection.cursor() as cursor:
        return {
            table: connection.introspection.get_relations(cursor, table)
            for table in sorted(tables())
        }


def named_rules(table: str) -> dict[str, dict]:
    """The constraints the moved models name (one upvote each, one raised hand each, a session
    belongs to a body or a process…) found on a table: what each covers, and its kind."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: {key: spec[key] for key in ("columns", "unique", "check")}
        for name, spec in found.items()
        if name in NAMED_RULES
    }


def renamed(table: str) -> str:
    return RENAMED.get(table, table)


def ids(table: tuple[list[str], list[tuple]]) -> list[int]:
    """The ids of a table's rows as rows_of read them."""
    columns, rows = table
    return [row[columns.index("id")] for row in rows]


# --- What the old installation holds -----------------------------------------------------------
def fill_the_database() -> None:
    """The demo city, plus what a season of meetings adds: votes on secret ballots (one of them
    in a meeting, by guests too), a changed and a withdrawn vote, answered and hidden questions,
    hands called, a closed meeting whose minutes were corrected, and an action item that
    became a milestone."""
    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.get(email="staff@spolu.example")
    facilitator = User.objects.get(email="facilitator@spolu.example")
    park = Process.objects.get(slug="mestsky-park")
    board = Body.objects.get(slug="colaboratory-board")
    voters = list(User.objects.filter(email__startswith="voter").order_by("email")[:10])

    # A secret ballot online, each vote through voting.services as the ballot page casts it.
    secret = make_ballot(staff, park, secrecy=Ballot.Secrecy.SECRET, question="Which first?")
    options = list(secret.options.order_by("pk").values_list("pk", flat=True))
    for n, voter in enumerate(voters):
        voting.cast_vote(secret, voter, {"option": options[n % 3]}, f"secret-{n}")
    voting.cast_vote(secret, voters[0], {"option": options[2]}, "secret-changed")
    voting.withdraw_vote(secret, voters[1], "secret-withdrawn")

    # The board meeting that is live in the demo (DEMO24): more people, votes, questions, hands.
    meeting = Session.objects.get(join_code="DEMO24")
    members = [
        Participant(attendance.user, attendance)
        for attendance in meeting.attendances.filter(user__isnull=False).order_by("pk")
    ]
    katka = Participant(None, meeting.attendances.get(nickname="Katka"))
    guests = [
        attend(meeting, guest=guest_of(meeting, f"Guest {n}", f"{n:032x}"), mode="online")
        for n in range(3)
    ]
    shade = meeting.items.get(ballot__eligibility=Ballot.Eligibility.SESSION_GUESTS).ballot
    vote_in_session(katka, meeting, shade.pk, ["no"], "katka-shade")
    in_secret = make_session_ballot(
        meeting,
        facilitator,
        Process.objects.get(slug="zelene-sidliska"),
        secrecy=Ballot.Secrecy.SECRET,
        eligibility=Ballot.Eligibility.SESSION_GUESTS,
    )
    ballots.open_session_ballot(facilitator, meeting, in_secret.pk)
    for n, voter in enumerate([*members, katka, *guests]):
        vote_in_session(voter, meeting, in_secret.pk, ["yes" if n % 3 else "no"], f"s-{n}")
    vote_in_session(guests[0], meeting, in_secret.pk, ["abstain"], "changed-mind")
    asked = list(meeting.questions.order_by("pk"))
    questions.answer_question(facilitator, asked[0], "Osem zastávok. / Eight stops.")
    questions.answer_question(facilitator, asked[1])
    off_topic = questions.ask_question(guests[1], meeting, "Kedy bude obed? / When is lunch?")
    questions.upvote_question(guests[2], off_topic)
    questions.hide_question(facilitator, off_topic)
    speakers.raise_hand(guests[2], meeting)
    speakers.call_next_speaker(facilitator, meeting)

    # A meeting that closed: its minutes were corrected, its action item became a milestone.
    closed = make_session(
        facilitator,
        board,
        join_code="MVP567",
        title="Mimoriadne zasadnutie / Extra meeting",
        starts_at=timezone.now() - timedelta(hours=1),
    )
    sessions.start_session(facilitator, closed)
    present = [attend(closed, user=member.user) for member in members[:3]]
    item = closed.items.order_by("position").last()
    record.write_notes(facilitator, item, "Lavičky áno. / Benches: yes.")
    action = record.add_action_item(
        facilitator,
        item,
        text="Objednať lavičky / Order the benches",
        owner="Úrad / Office",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    record.record_outcome(facilitator, item, outcome="Lavičky budú.", decision="adopted")
    closed = sessions.close_session(facilitator, closed)
    accepted = record.propose_amendment(present[0].user, closed, "Doplniť meno. / Add a name.")
    record.decide_amendment(facilitator, accepted, accept=True)
    record.propose_amendment(present[1].user, closed, "Opraviť čas. / Fix the time.")
    plan = ActionPlan.objects.get()
    actionplan.promote_action_item(staff, action, plan.commitments.order_by("pk").first())

    # Tallies go out on the debouncer's own thread and connection: let it finish before the
    # tables are renamed under it.
    assert TALLIES.wait_idle(), "the tally debouncer did not finish"


# --- The test ----------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_moving_live_sessions_to_their_app_keeps_every_row_and_every_count():
    fill_the_database()
    try:
        migrate(BEFORE_THE_MOVE)
        old = the_old_installation()
        migrate(latest())

        every_row_is_where_it_was(old)
        every_foreign_key_follows_the_tables(old)
        the_content_types_moved_with_the_models(old)
        every_ballot_recounts_to_its_tallies()
        the_live_meeting_goes_on(old)
    finally:
        # The next tests expect today's schema, whatever failed above; tallies still being
        # sent (on their own connection) must not meet a table being renamed.
        TALLIES.wait_idle()
        migrate(latest())


@dataclass
class Before:
    """The database as the old code left it, read with SQL."""

    rows: dict[str, tuple[list[str], list[tuple]]]  # every table's columns and rows
    keys: dict[str, dict[str, tuple[str, str]]]  # every foreign key constraint
    rules: dict[str, dict[str, dict]]  # the named constraints of the moved tables
    moved_types: set[int]  # the ids of the moved models' content types


def the_old_installation() -> Before:
    """Check the database is as the old code left it, and read all of it."""
    applied = MigrationRecorder(connection).applied_migrations()
    assert not [key for key in applied if key[0] == "live"]
    assert ("deliberation", "0005_live_sessions_moved_to_live") not in applied
    assert set(RENAMED) <= tables()
    assert not set(RENAMED.values()) & tables()

    rows = everything()
    # Nothing below would be checked in a table the data left empty.
    for table in RENAMED:
        assert rows[table][1], f"{table} is empty: the test would check nothing there"
    for table, column in [
        ("actionplan_commitmentsource", "agenda_item_id"),
        ("actionplan_milestone", "action_item_id"),
    ]:
        columns, values = rows[table]
        assert any(row[columns.index(column)] for row in values), f"no {table}.{column}"

    keys = foreign_keys()
    assert keys["actionplan_commitmentsource"]["agenda_item_id"] == (
        "id",
        "deliberation_agendaitem",
    )
    assert keys["actionplan_milestone"]["action_item_id"] == ("id", "deliberation_actionitem")

    rules = {table: named_rules(table) for table in RENAMED}
    assert {name for found in rules.values() for name in found} == NAMED_RULES

    content_types = rows["django_content_type"][1]
    moved_types = {
        pk
        for pk, app_label, model in content_types
        if app_label == "deliberation" and model in MOVED_MODELS
    }
    assert len(moved_types) == len(MOVED_MODELS)
    assert not [
        row for row in content_types if row[1] == "live" and row[2] not in LATER_LIVE_MODELS
    ]
    return Before(rows, keys, rules, moved_types)


def every_row_is_where_it_was(old: Before) -> None:
    # Every table is still there, under its new name when it moved, and no other appeared.
    assert tables() - NOT_COMPARED_AS_IS == {
        renamed(table) for table in old.rows if table not in NOT_COMPARED_AS_IS
    }
    # Every row, with its id and every value, in every table: the moved ones, their link
    # table, the provenance columns of commitments and milestones, votes and vote logs.
    # Columns later migrations added (voting 0002: a secret ballot's last step) are no part
    # of the move: the columns there before keep every value.
    for table, (columns, rows) in old.rows.items():
        if table not in NOT_COMPARED_AS_IS:
            now_columns, now_rows = rows_of(renamed(table))
            kept = [now_columns.index(column) for column in columns]
            now = [tuple(row[i] for i in kept) for row in now_rows]
            assert now == [tuple(row) for row in rows], f"{table} changed"
    # Today's models read them.
    for name in MOVED_MODELS:
        model = apps.get_model("live", name)
        found = list(model.objects.order_by("pk").values_list("pk", flat=True))
        assert found == ids(old.rows[f"deliberation_{name}"]), name
    assert CommitmentSource.objects.filter(agenda_item__isnull=False).exists()
    assert Milestone.objects.filter(action_item__text__startswith="Objednať").exists()


def every_foreign_key_follows_the_tables(old: Before) -> None:
    # Every foreign key constraint is the one it was, aimed at the renamed tables: from
    # actionplan (agenda_item_id, action_item_id), between the moved tables, from the link
    # table, and to the tables that stayed (and tables later migrations made).
    keys = foreign_keys()
    assert keys.pop("voting_sealedpaper") == {"ballot_id": ("id", "voting_ballot")}
    user = ("id", "accounts_user")
    assert keys.pop("proposals_follow") == {
        "proposal_id": ("id", "proposals_proposal"),
        "user_id": user,
    }
    assert keys.pop("actionplan_commitmentfollow") == {
        "commitment_id": ("id", "actionplan_commitment"),
        "user_id": user,
    }
    assert keys.pop("actionplan_endorsement") == {
        "plan_id": ("id", "actionplan_actionplan"),
        "user_id": user,
        "added_by_id": user,
    }
    assert keys.pop("actionplan_monitorreport") == {
        "plan_id": ("id", "actionplan_actionplan"),
        "author_id": user,
    }
    assert keys.pop("live_presence") == {
        "session_id": ("id", "live_session"),
        "member_id": user,
        "recorded_by_id": user,
    }
    assert keys.pop("opinions_conversation") == {
        "process_id": ("id", "deliberation_process"),
        "agenda_item_id": ("id", "live_agendaitem"),
        "opened_by_id": user,
    }
    assert keys.pop("opinions_statement") == {
        "conversation_id": ("id", "opinions_conversation"),
        "author_id": user,
    }
    assert keys.pop("opinions_opinionvote") == {
        "statement_id": ("id", "opinions_statement"),
        "conversation_id": ("id", "opinions_conversation"),
        "voter_id": user,
    }
    # Columns later migrations added to a moved table: who edited and who published minutes.
    for column in ("minutes_edited_by_id", "minutes_published_early_by_id"):
        assert keys["live_session"].pop(column) == user
    assert keys.pop("deliberation_invitation") == {
        "body_id": ("id", "deliberation_body"),
        "invited_by_id": user,
        "accepted_by_id": user,
    }
    assert keys == {
        renamed(table): {
            column: (target_column, renamed(target_table))
            for column, (target_column, target_table) in references.items()
        }
        for table, references in old.keys.items()
    }
    assert keys["actionplan_commitmentsource"]["agenda_item_id"] == ("id", "live_agendaitem")
    assert keys["actionplan_milestone"]["action_item_id"] == ("id", "live_actionitem")
    # SQLite checked no foreign key while the tables were renamed: every row must still find
    # the row it points at.
    with transaction.atomic():
        connection.check_constraints()
    # The rules the models name still hold on the renamed tables.
    assert {table: named_rules(table) for table in RENAMED.values()} == {
        renamed(table): rules for table, rules in old.rules.items()
    }


def the_content_types_moved_with_the_models(old: Before) -> None:
    # Same ids, app "live": permissions and admin history still apply to the same things, and
    # no content type is left behind under deliberation (nor made anew for live).
    columns, content_types = old.rows["django_content_type"]
    moved = old.moved_types
    now = rows_of("django_content_type")
    assert [row[:2] for row in now[1] if row[0] in moved] == [(pk, "live") for pk in sorted(moved)]
    assert now == (
        columns,
        [
            (pk, "live", model) if pk in moved else (pk, app_label, model)
            for pk, app_label, model in content_types
        ],
    )
    for name in MOVED_MODELS:
        assert ContentType.objects.get_for_model(apps.get_model("live", name)).pk in moved


def every_ballot_recounts_to_its_tallies() -> None:
    out = io.StringIO()
    call_command("recount", stdout=out)  # a difference or a broken chain raises CommandError
    report = out.getvalue()
    ballot_ids = list(Ballot.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ballot_ids:
        assert f"Ballot {pk}: tallies match, chain intact." in report
    assert f"{len(ballot_ids)} ballot(s) checked: no difference." in report


def the_live_meeting_goes_on(old: Before) -> None:
    # New rows get new ids (each table's id sequence moved with it), and a guest who comes
    # late votes in the meeting's secret ballot.
    meeting = Session.objects.get(join_code="DEMO24")
    latecomer = attend(meeting, guest=guest_of(meeting, "Late", "e" * 32))
    question = questions.ask_question(latecomer, meeting, "Ešte niečo? / One more thing?")
    assert latecomer.attendance.pk > max(ids(old.rows["deliberation_attendance"]))
    assert question.pk > max(ids(old.rows["deliberation_question"]))
    in_secret = meeting.items.get(ballot__secrecy=Ballot.Secrecy.SECRET).ballot
    vote_in_session(latecomer, meeting, in_secret.pk, ["yes"], "late")
    assert Attendance.objects.get(pk=latecomer.attendance.pk).voter is not None
    every_ballot_recounts_to_its_tallies()
