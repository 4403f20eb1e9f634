"""`manage.py backup` and `restore` (config/backup.py): a round trip gives everything back and a
clean `recount`; an archive made under another SECRET_KEY is refused before anything changes.

Transactional tests: the backup reads the database through its own connection (SQLite's
backup API, pg_dump), which sees only committed data, and the restore replaces the tables."""

import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from config import backup
from proposals.models import Proposal
from tests.factories import make_user, option_ids
from tests.requirements import require_postgresql
from voting import services as voting
from voting.choices import current_choice
from voting.errors import VotingError
from voting.models import Ballot, BallotPaper, Tally, Vote, VoteLogEntry

COUNTED = [User, Proposal, Ballot, Vote, BallotPaper, VoteLogEntry, Tally]
OTHER_KEY = "another-secret-key-for-the-backup-tests-0123456789-0123456789"  # noqa: S105

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "uploads").mkdir()
    (settings.MEDIA_ROOT / "uploads" / "plan.txt").write_text("the plan")
    return settings.MEDIA_ROOT


@pytest.fixture
def city_park(staff, proposal, make_ballot):
    """A proposal and a secret ballot with three votes, one of them changed."""
    ballot = make_ballot(secrecy="secret")
    pond, playground, _benches = option_ids(ballot)
    people = [make_user(f"voter{n}@example.org", password=None) for n in range(3)]
    for person in people:
        voting.cast_vote(ballot, person, {"option": pond})
    voting.cast_vote(ballot, people[0], {"option": playground})
    return ballot, people


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def change_everything(ballot: Ballot, people: list[User], media_root) -> None:
    """What happens after the backup and must be undone by the restore."""
    pond = option_ids(ballot)[0]
    voting.cast_vote(ballot, make_user("late@example.org", password=None), {"option": pond})
    voting.withdraw_vote(ballot, people[1])
    Proposal.objects.all().delete()
    (media_root / "uploads" / "plan.txt").write_text("overwritten")
    (media_root / "stray.txt").write_text("added later")


def assert_everything_back(before: dict, ballot: Ballot, people: list[User], media_root, capsys):
    assert counts() == before
    ballot = Ballot.objects.get(pk=ballot.pk)
    pond, playground, _benches = option_ids(ballot)
    # Each voter reaches their own paper again: the one who changed sees the change.
    assert current_choice(ballot, people[0]) == {"option": playground}
    assert current_choice(ballot, people[1]) == {"option": pond}
    assert (media_root / "uploads" / "plan.txt").read_text() == "the plan"
    assert not (media_root / "stray.txt").exists()
    capsys.readouterr()
    call_command("recount")
    assert "no difference" in capsys.readouterr().out
    # And voting goes on: a secret vote can still be changed after the restore.
    voting.cast_vote(ballot, people[1], {"option": playground})
    assert current_choice(ballot, people[1]) == {"option": playground}


def test_it_gives_everything_back_and_recount_is_clean(tmp_path, city_park, media_root, capsys):
    """On the configured database: SQLite in CI's embedded pass, PostgreSQL (pg_dump and
    pg_restore) in its services pass."""
    ballot, people = city_park
    before = counts()
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    change_everything(ballot, people, media_root)
    assert counts() != before

    call_command("restore", str(archive), "--yes")

    out = capsys.readouterr().out
    assert "Restored the database" in out
    assert "manage.py recount" in out
    assert_everything_back(before, ballot, people, media_root, capsys)


def test_it_uses_pg_dump_on_postgresql(tmp_path, city_park):
    require_postgresql()
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    with tarfile.open(archive) as opened:
        assert "database.pgdump" in opened.getnames()


def test_it_refuses_an_archive_made_under_another_secret_key(
    tmp_path, city_park, media_root, settings
):
    ballot, people = city_park
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    change_everything(ballot, people, media_root)
    after = counts()

    settings.SECRET_KEY = OTHER_KEY
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--yes")

    message = str(refused.value)
    assert "different SECRET_KEY" in message
    assert "a secret vote without its paper" in message
    assert "Set SECRET_KEY to the key that was in use when the backup was made" in message
    assert counts() == after
    assert (media_root / "stray.txt").exists()


def test_it_refuses_another_key_before_asking_to_confirm(
    tmp_path, city_park, settings, monkeypatch
):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    settings.SECRET_KEY = OTHER_KEY
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked to confirm"))

    with pytest.raises(CommandError, match="different SECRET_KEY"):
        call_command("restore", str(archive))


def test_it_restores_under_another_key_only_when_told(tmp_path, city_park, settings, capsys):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    before = counts()
    Proposal.objects.all().delete()

    settings.SECRET_KEY = OTHER_KEY
    call_command("restore", str(archive), "--yes", "--accept-different-secret-key")

    assert counts() == before
    assert "different SECRET_KEY" in capsys.readouterr().out
    # What the refusal protects: under the other key nobody reaches their paper any more.
    ballot, people = city_park
    assert current_choice(ballot, people[0]) is None
    # Changing a vote is refused with words (papers sealed under the other key), not a crash.
    with pytest.raises(VotingError, match="SECRET_KEY"):
        voting.cast_vote(ballot, people[0], {"option": option_ids(ballot)[0]})
    assert counts() == before
    # Recount needs the key to open the open ballot's sealed papers, and says so.
    capsys.readouterr()
    with pytest.raises(CommandError, match="differ"):
        call_command("recount")
    assert "SECRET_KEY" in capsys.readouterr().out


def test_it_asks_before_replacing_the_database(tmp_path, city_park, monkeypatch):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    Proposal.objects.all().delete()
    after = counts()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed"):
        call_command("restore", str(archive))

    assert counts() == after


def test_it_checks_an_archive(tmp_path, city_park, capsys):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    capsys.readouterr()

    call_command("backup", "--check", str(archive))

    out = capsys.readouterr().out
    assert "the database is intact" in out
    assert "made under the SECRET_KEY configured now" in out


def test_the_archive_keeps_a_fingerprint_of_the_key_and_never_the_key(tmp_path, settings):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    with tarfile.open(archive) as opened:
        raw = b"".join(opened.extractfile(m).read() for m in opened.getmembers() if m.isfile())
    assert settings.SECRET_KEY.encode() not in raw
    # The database inside holds password hashes and e-mail addresses: owner only.
    assert archive.stat().st_mode & 0o777 == 0o600


def test_it_refuses_a_damaged_archive(tmp_path):
    archive = tmp_path / "spolu.backup"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(archive.read_bytes()[:-200])

    with pytest.raises(CommandError, match="not a Spolu backup archive|cannot be read|damaged"):
        call_command("restore", str(damaged), "--yes")


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not an archive")

    with pytest.raises(CommandError, match="is not a Spolu backup archive"):
        call_command("restore", str(stray), "--yes")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")


def test_it_refuses_a_backup_of_the_other_database_kind(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    with pytest.raises(backup.BackupError, match=f"This backup is of a {other} database"):
        backup.refuse_unfit({"database": other}, "default", accept_different_secret_key=False)
