"""Back up and restore Spolu: one archive with the database, the uploaded media and a manifest.

The archive is a gzip'd tar file:

- `manifest.json`: the format, when and by which Spolu version it was made, the database
  vendor, the migrations applied, the database file's SHA-256, and a fingerprint of the
  `SECRET_KEY` (an HMAC of a constant keyed with it, never the key itself);
- `database.sqlite3` (SQLite's online backup API: consistent while the server runs) or
  `database.pgdump` (`pg_dump --format=custom`);
- `media/…`: the files under `MEDIA_ROOT`, if any.

Restoring under another `SECRET_KEY` would cut every voter off from their secret ballot paper
(`voting.choices.paper_lookup` is keyed with it), so restore refuses a fingerprint that differs
unless told otherwise. The management commands `backup` and `restore` are thin wrappers around
this module; docs/backup.md is the guide.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT = "spolu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# libpq reads these from the environment; DATABASE_URL's query string may set them.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


class SecretKeyMismatch(BackupError):
    """The archive was made under another SECRET_KEY than the one configured now."""


def secret_key_fingerprint() -> str:
    """Identifies the configured SECRET_KEY without revealing it: an HMAC of a constant."""
    return salted_hmac("spolu.backup", "secret-key-fingerprint", algorithm="sha256").hexdigest()


def spolu_version() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


@dataclass
class Report:
    """What `check_archive` and `restore` found, in sentences for the operator."""

    manifest: dict
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Back up --------------------------------------------------------------------------------


def backup(destination: Path, using: str = "default") -> dict:
    """Write an archive of the database and media to `destination`; return its manifest.

    The archive is written beside the destination and renamed into place at the end, so a
    failed backup never leaves a truncated file under the name asked for."""
    connection = connections[using]
    vendor = _vendor(connection)
    destination = Path(destination)
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder; name the archive file to write.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="spolu-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        if vendor == "sqlite":
            _sqlite_copy(connection.settings_dict["NAME"], dump)
        else:
            _pg_dump(connection.settings_dict, dump)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "spolu_version": spolu_version(),
            "database": vendor,
            "database_sha256": _sha256(dump),
            "migrations": _applied_migrations(connection),
            "secret_key_fingerprint": secret_key_fingerprint(),
            "media_files": len(media),
        }
        partial = destination.with_name(destination.name + ".partial")
        try:
            # Readable by its owner only: the database holds password hashes and e-mails.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                for path in media:
                    relative = path.relative_to(settings.MEDIA_ROOT).as_posix()
                    archive.add(path, arcname=f"{MEDIA}/{relative}", recursive=False)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _sqlite_copy(source: str, target: Path) -> None:
    """Copy a live SQLite database with its online backup API: a consistent snapshot even
    while other connections write (WAL mode), unlike copying the file."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source}: {exc}") from None
    finally:
        dst.close()
        src.close()


def _pg_dump(db: dict, target: Path) -> None:
    _run_pg(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        db,
        "pg_dump",
    )


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- Check ----------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    """The archive's manifest, or a BackupError saying why the file is not a Spolu backup."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"There is no file {archive_path}.")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{archive_path} is not a Spolu backup archive ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is not a Spolu backup archive (no Spolu manifest).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive_path} is in backup format {manifest.get('format_version')!r}; "
            f"this Spolu reads format {FORMAT_VERSION}."
        )
    if manifest.get("database") not in DATABASE_MEMBERS:
        raise BackupError(f"{archive_path} names an unknown database {manifest.get('database')!r}.")
    return manifest


def check_archive(archive_path: Path, using: str = "default") -> Report:
    """Verify an archive without changing anything: readable, database intact, and whether
    it fits this server (database vendor, SECRET_KEY, migrations)."""
    manifest = read_manifest(archive_path)
    report = Report(manifest)
    with tempfile.TemporaryDirectory(prefix="spolu-restore-") as work:
        dump = _extract_database(archive_path, manifest, Path(work))
        if manifest["database"] == "sqlite":
            _sqlite_integrity(dump)
        else:
            _run_pg(["pg_restore", "--list", str(dump)], None, "pg_restore --list")
    report.notes.append(
        f"Archive of {manifest['created']} (Spolu {manifest['spolu_version']}, "
        f"{manifest['database']}, {manifest['media_files']} media file(s)): the database is intact."
    )
    vendor = _vendor(connections[using])
    if vendor != manifest["database"]:
        report.warnings.append(_vendor_mismatch(manifest["database"], vendor))
    if not _same_key(manifest):
        report.warnings.append(OTHER_KEY_REFUSAL)
    else:
        report.notes.append("It was made under the SECRET_KEY configured now.")
    report.warnings.extend(_migration_differences(manifest["migrations"]))
    return report


def _sqlite_integrity(path: Path) -> None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The database in the archive is damaged: {exc}") from None
    finally:
        db.close()
    if result != "ok":
        raise BackupError(f"The database in the archive is damaged: {result}")


# --- Restore --------------------------------------------------------------------------------

OTHER_KEY_REFUSAL = (
    "This backup was made under a different SECRET_KEY than the one configured now. "
    "Secret ballots would break: a voter's ballot paper is found through an HMAC keyed with "
    "SECRET_KEY, so under another key nobody could see, change or withdraw their secret vote "
    '(the server fails with "a secret vote without its paper"); public ballots\' vote-log '
    "digests could no longer be checked against the votes, and every login session and guest "
    "cookie would end. Set SECRET_KEY to the key that was in use when the backup was made "
    "(kept apart from the archives: docs/backup.md) and run restore again. Only if that key "
    "is lost for good, pass --accept-different-secret-key."
)


def restore(
    archive_path: Path, using: str = "default", accept_different_secret_key: bool = False
) -> Report:
    """Replace the database (and media, when the archive has any) with the archive's.

    Refuses, changing nothing, an archive that is not a Spolu backup, is damaged, is of the
    other database vendor, or (unless accepted) was made under another SECRET_KEY."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    report = Report(manifest)
    connection = connections[using]
    vendor = _vendor(connection)
    refuse_unfit(manifest, using, accept_different_secret_key)
    if not _same_key(manifest):
        report.warnings.append(
            "Restored under a different SECRET_KEY, as asked: voters cannot reach their "
            "secret ballot papers from earlier votes."
        )
    with tempfile.TemporaryDirectory(prefix="spolu-restore-") as work:
        work = Path(work)
        dump = _extract_database(archive_path, manifest, work)
        media = _extract_media(archive_path, work) if manifest["media_files"] else None
        if vendor == "sqlite":
            _sqlite_integrity(dump)
        # Drop this process's connections: the restore below must not wait on our own locks.
        connections.close_all()
        if vendor == "sqlite":
            _sqlite_restore(dump, connection.settings_dict["NAME"])
        else:
            _pg_restore(connection.settings_dict, dump)
        if media is not None:
            _replace_media(media)
    report.notes.append(
        f"Restored the database from {manifest['created']} (Spolu {manifest['spolu_version']})"
        + (f" and {manifest['media_files']} media file(s)." if manifest["media_files"] else ".")
    )
    report.warnings.extend(_migration_differences(_applied_migrations(connections[using])))
    return report


def refuse_unfit(manifest: dict, using: str, accept_different_secret_key: bool) -> None:
    """Refuse an archive of the other database vendor, or (unless accepted) made under
    another SECRET_KEY: checked before anything changes, and before asking to confirm."""
    vendor = _vendor(connections[using])
    if vendor != manifest["database"]:
        raise BackupError(_vendor_mismatch(manifest["database"], vendor))
    if not accept_different_secret_key and not _same_key(manifest):
        raise SecretKeyMismatch(OTHER_KEY_REFUSAL)


def _sqlite_restore(source: Path, target: str) -> None:
    """The online backup API in reverse: the live file's pages are replaced in one step under
    SQLite's own lock, so a server still connected sees the old or the new database, never a
    mix (unlike copying a file over a database in WAL mode)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=20)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not restore into {target}: {exc}") from None
    finally:
        dst.close()
        src.close()


def _pg_restore(db: dict, source: Path) -> None:
    # --single-transaction: a failure part-way leaves the database as it was.
    _run_pg(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(source),
        ],
        db,
        "pg_restore",
    )


def _extract_database(archive_path: Path, manifest: dict, work: Path) -> Path:
    name = DATABASE_MEMBERS[manifest["database"]]
    target = work / name
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(name)
            if member is None:
                raise KeyError(name)
            with open(target, "wb") as out:
                shutil.copyfileobj(member, out)
    except (tarfile.TarError, KeyError, OSError, EOFError) as exc:
        raise BackupError(f"The archive's database ({name}) cannot be read: {exc}") from None
    if _sha256(target) != manifest.get("database_sha256"):
        raise BackupError(
            f"The archive's database ({name}) does not match its manifest's checksum: "
            "the archive is damaged."
        )
    return target


def _extract_media(archive_path: Path, work: Path) -> Path:
    folder = work / MEDIA
    folder.mkdir()
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(f"{MEDIA}/")]
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            archive.extractall(work, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"The archive's media files cannot be read: {exc}") from None
    return folder


def _replace_media(extracted: Path) -> None:
    """Put the archive's media in place of MEDIA_ROOT's: moved in beside it, then swapped."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    incoming = root.with_name(root.name + ".restoring")
    outgoing = root.with_name(root.name + ".replaced")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(extracted, incoming)
    if root.exists():
        os.replace(root, outgoing)
    os.replace(incoming, root)
    shutil.rmtree(outgoing, ignore_errors=True)


# --- Shared ---------------------------------------------------------------------------------


def _vendor(connection) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backing up a {connection.vendor} database is not supported.")
    return connection.vendor


def _vendor_mismatch(archived: str, configured: str) -> str:
    return (
        f"This backup is of a {archived} database but the configured database "
        f"(DATABASE_URL) is {configured}. Restore it into a {archived} database; moving "
        "between databases is not supported by backup/restore."
    )


def _same_key(manifest: dict) -> bool:
    return constant_time_compare(
        str(manifest.get("secret_key_fingerprint", "")), secret_key_fingerprint()
    )


def _applied_migrations(connection) -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _migration_differences(applied: list[str]) -> list[str]:
    """What the operator must do about migrations in a database with `applied` migrations."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).graph.nodes}
    unknown = sorted(set(applied) - known)
    missing = known - set(applied)
    warnings = []
    if unknown:
        warnings.append(
            "The backup has migrations this Spolu does not know (a newer version made it): "
            f"{', '.join(unknown)}. Run the Spolu version that made it."
        )
    if missing:
        warnings.append(
            f"{len(missing)} migration(s) of this Spolu are not applied in the backup's "
            "database: run `manage.py migrate` after restoring."
        )
    return warnings


def _run_pg(args: list[str], db: dict | None, what: str) -> None:
    """Run a PostgreSQL client with the connection in its environment: the password goes in
    PGPASSWORD, never on the command line where `ps` would show it."""
    env = dict(os.environ)
    if db is not None:
        args = [*args, f"--dbname={db['NAME']}"]
        env.update(
            {
                "PGHOST": db.get("HOST") or "",
                "PGPORT": str(db.get("PORT") or ""),
                "PGUSER": db.get("USER") or "",
            }
        )
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]
        for option, variable in LIBPQ_OPTIONS.items():
            if option in (db.get("OPTIONS") or {}):
                env[variable] = str(db["OPTIONS"][option])
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed; install PostgreSQL's client tools "
            "(Debian: postgresql-client) of the server's major version or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))
