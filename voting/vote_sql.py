"""A vote's reads and writes as plain SQL, sent in two round trips.

Through the ORM a cast took ten queries, and bench/votes.py showed most of its time was
spent building queries in Python and waiting on PostgreSQL once per statement. A cast needs
little: lock the ballot's tally row, read what the vote changes, write. So `voting.services`
takes the lock and makes its reads in one batch, and makes all its writes in another. On
PostgreSQL a batch is one multi-statement query (psycopg's client-side binding, Django's
default, allows it) and each statement still sees what committed before it began, so the
reads after the lock see every earlier vote. SQLite runs in-process and takes the statements
one by one. Every statement here is SQL that both accept; values are always parameters.
"""

import uuid
from collections import Counter
from functools import cache

from django.db import connection

from voting.models import (
    Ballot,
    IdempotencyRecord,
    Option,
    OptionTally,
    PaperCount,
    SealedPaper,
    Tally,
    Vote,
    VoteLogEntry,
)

Statement = tuple[str, list]


def run(statements: list[Statement]) -> list[list[tuple] | None]:
    """Run the statements in order, in one round trip where the database allows it; returns
    each statement's rows (None for one that returns none)."""
    results: list[list[tuple] | None] = []
    with connection.cursor() as cursor:
        if _batches(cursor):
            sql = ";\n".join(sql for sql, _params in statements)
            cursor.execute(sql, [p for _sql, params in statements for p in params])
            while True:
                results.append(cursor.fetchall() if cursor.description else None)
                if not cursor.nextset():
                    break
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else None)
    return results


def _batches(cursor) -> bool:
    """psycopg takes several statements in one query with client-side binding only (Django's
    default; a deployment may have set server_side_binding)."""
    if connection.vendor != "postgresql":
        return False
    import psycopg

    return isinstance(cursor.cursor, psycopg.ClientCursor)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


@cache
def _loader(model, vendor: str):
    """The model's concrete fields and, per field, the converters the ORM would apply to a
    value read from this database (SQLite returns datetimes as text, JSON as text…)."""
    del vendor  # part of the cache key: converters differ per database
    fields = model._meta.concrete_fields
    converters = []
    for f in fields:
        col = f.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        converters.append((col, functions))
    return [f.attname for f in fields], [f.column for f in fields], converters


def columns(model, alias: str) -> str:
    _names, cols, _conv = _loader(model, connection.vendor)
    return ", ".join(f"{alias}.{_q(c)}" for c in cols)


def load(model, row) -> object:
    """A model instance from the row `columns(model, …)` selected."""
    names, _cols, converters = _loader(model, connection.vendor)
    values = []
    for (col, functions), value in zip(converters, row, strict=True):
        for convert in functions:
            value = convert(value, col, connection)
        values.append(value)
    return model.from_db(connection.alias, names, values)


def width(model) -> int:
    return len(model._meta.concrete_fields)


def _json(model, value):
    return model._meta.get_field("choice").get_db_prep_save(value, connection)


def _uuid(model, value: uuid.UUID):
    return model._meta.pk.get_db_prep_save(value, connection)


# --- Reads: the lock, then what a vote changes ------------------------------------------------
# The SQL texts depend only on the database (and a statement's shape), so each is built once.


@cache
def _read_sql(vendor: str) -> tuple[str, ...]:
    del vendor  # part of the cache key
    lock = "FOR UPDATE OF t" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {columns(Tally, 't')}, {columns(Ballot, 'b')} "  # noqa: S608 — names quoted
        f"FROM {_table(Tally)} t JOIN {_table(Ballot)} b ON b.{_q('id')} = t.{_q('ballot_id')} "
        f"WHERE t.{_q('ballot_id')} = %s {lock}",
        f"SELECT {columns(Vote, 'v')} FROM {_table(Vote)} v "  # noqa: S608
        f"WHERE v.{_q('ballot_id')} = %s AND v.{_q('voter_id')} = %s",
        f"SELECT {columns(SealedPaper, 'p')} FROM {_table(SealedPaper)} p "  # noqa: S608
        f"WHERE p.{_q('ballot_id')} = %s AND p.{_q('lookup')} = %s",
        f"SELECT {columns(Option, 'o')} FROM {_table(Option)} o "  # noqa: S608
        f"WHERE o.{_q('ballot_id')} = %s ORDER BY o.{_q('position')}, o.{_q('id')}",
        f"SELECT {_q('receipt')}, {_q('kind')} FROM {_table(IdempotencyRecord)} "  # noqa: S608
        f"WHERE {_q('ballot_id')} = %s AND {_q('voter_id')} = %s AND {_q('key')} = %s",
    )


def reads(ballot_id: int, voter_id: int, paper_lookup: str, key: str | None) -> list[Statement]:
    """The tally row locked with the ballot read fresh beside it; the voter's vote, their
    sealed paper (secret ballots), the options and an earlier submit's result under `key`."""
    lock, vote, paper, options, kept = _read_sql(connection.vendor)
    statements = [
        (lock, [ballot_id]),
        (vote, [ballot_id, voter_id]),
        (paper, [ballot_id, paper_lookup]),
        (options, [ballot_id]),
    ]
    if key:
        statements.append((kept, [ballot_id, voter_id, key]))
    return statements


# --- The live tallies' read: many ballots, one round trip -----------------------------------


@cache
def _tallies_sql(vendor: str, count: int) -> tuple[str, ...]:
    del vendor  # part of the cache key
    ids = ", ".join(["%s"] * count)
    b, t, o, c, p = (_table(m) for m in (Ballot, Tally, Option, OptionTally, PaperCount))
    ballot_id, option_id = _q("ballot_id"), _q("option_id")
    return (
        f"SELECT {columns(Ballot, 'b')}, t.{_q('voters')}, t.{_q('chain_length')}, "  # noqa: S608
        f"t.{_q('step_voters')}, t.{_q('step_chain_length')}, t.{_q('step_counters')} "
        f"FROM {b} b JOIN {t} t ON t.{ballot_id} = b.{_q('id')} WHERE b.{_q('id')} IN ({ids})",
        f"SELECT {columns(Option, 'o')} FROM {o} o WHERE o.{ballot_id} IN ({ids}) "  # noqa: S608
        f"ORDER BY o.{ballot_id}, o.{_q('position')}, o.{_q('id')}",
        f"SELECT c.{option_id}, c.{_q('bucket')}, c.{_q('count')} FROM {c} c "  # noqa: S608
        f"JOIN {o} o ON o.{_q('id')} = c.{option_id} WHERE o.{ballot_id} IN ({ids})",
        f"SELECT r.{ballot_id}, r.{_q('counts')}, r.{_q('ballots_cast')} FROM {p} r "  # noqa: S608
        f"WHERE r.{ballot_id} IN ({ids}) AND NOT EXISTS "
        f"(SELECT 1 FROM {p} n WHERE n.{_q('replaces_id')} = r.{_q('id')})",
    )


def tallies(ballot_ids: list[int]) -> list[Statement]:
    """For the live tally frames: the ballots with their tally row's voters, chain length and
    last step (secret ballots), their options, their counters and their current paper rounds."""
    ids = list(ballot_ids)
    return [(sql, ids) for sql in _tallies_sql(connection.vendor, len(ids))]


# --- Writes -----------------------------------------------------------------------------------


@cache
def _counters_sql(vendor: str, changes: int, touched: int = 0) -> str:
    del vendor  # part of the cache key
    option, bucket, count = _q("option_id"), _q("bucket"), _q("count")
    if changes == 1:
        increment = "%s"
    else:
        whens = " ".join([f"WHEN {option} = %s AND {bucket} = %s THEN %s"] * changes)
        increment = f"CASE {whens} ELSE 0 END"
    if touched:
        if changes == 1:
            increment = f"CASE WHEN {option} = %s AND {bucket} = %s THEN %s ELSE 0 END"
        rows = f"{option} IN ({', '.join(['%s'] * touched)})"
    else:
        rows = " OR ".join([f"({option} = %s AND {bucket} = %s)"] * changes)
    return f"UPDATE {_table(OptionTally)} SET {count} = {count} + {increment} WHERE {rows}"  # noqa: S608


def add_to_counters(delta: Counter, touch: list[int] | None = None) -> list[Statement]:
    """All of a vote's counter changes in one UPDATE (the tally row lock serialises them).

    With `touch` (a secret ballot's option ids) every counter of those options is written,
    most with nothing added, so none tells by the transaction that last wrote it (PostgreSQL's
    `xmin`) which options the latest voter chose."""
    changes = sorted((key, amount) for key, amount in delta.items() if amount)
    if not changes:
        return []
    if touch:
        params = [v for (o, b), amount in changes for v in (o, b, amount)]
        return [(_counters_sql(connection.vendor, len(changes), len(touch)), params + touch)]
    where = [v for (option_id, bucket), _amount in changes for v in (option_id, bucket)]
    if len(changes) == 1:
        params = [changes[0][1]]
    else:
        params = [v for (o, b), amount in changes for v in (o, b, amount)]
    return [(_counters_sql(connection.vendor, len(changes)), params + where)]


@cache
def _insert_sql(vendor: str, model, names: tuple[str, ...]) -> str:
    del vendor  # part of the cache key
    cols = ", ".join(_q(model._meta.get_field(name).column) for name in names)
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {_table(model)} ({cols}) VALUES ({marks})"  # noqa: S608


@cache
def _update_sql(vendor: str, model, names: tuple[str, ...]) -> str:
    del vendor  # part of the cache key
    sets = ", ".join(f"{_q(model._meta.get_field(name).column)} = %s" for name in names)
    return f"UPDATE {_table(model)} SET {sets} WHERE {_q('id')} = %s"  # noqa: S608


def _insert(model, values: dict) -> Statement:
    return (_insert_sql(connection.vendor, model, tuple(values)), list(values.values()))


def _update(model, pk, values: dict) -> Statement:
    return (_update_sql(connection.vendor, model, tuple(values)), [*values.values(), pk])


def _delete(model, pk) -> Statement:
    return (f"DELETE FROM {_table(model)} WHERE {_q('id')} = %s", [pk])  # noqa: S608


def append_log(entry: dict) -> Statement:
    return _insert(VoteLogEntry, entry)


def save_vote(vote: Vote | None, values: dict) -> Statement:
    """Insert the voter's vote, or update the one they had; `values` by field name."""
    if "choice" in values:
        values = {**values, "choice": _json(Vote, values["choice"])}
    if vote is None:
        return _insert(Vote, {"id": _uuid(Vote, uuid.uuid4()), **values})
    return _update(Vote, _uuid(Vote, vote.pk), values)


def save_paper(paper: SealedPaper | None, values: dict) -> Statement:
    """Insert the voter's sealed paper, or update the one they had; `values` by field name."""
    if paper is None:
        return _insert(SealedPaper, {"id": _uuid(SealedPaper, uuid.uuid4()), **values})
    return _update(SealedPaper, _uuid(SealedPaper, paper.pk), values)


def delete_vote(vote: Vote) -> Statement:
    return _delete(Vote, _uuid(Vote, vote.pk))


def delete_paper(paper: SealedPaper) -> Statement:
    return _delete(SealedPaper, _uuid(SealedPaper, paper.pk))


def keep_result(ballot_id: int, voter_id: int, key: str, receipt: str, kind: str) -> Statement:
    return _insert(
        IdempotencyRecord,
        {"ballot": ballot_id, "voter": voter_id, "key": key, "receipt": receipt, "kind": kind},
    )


def save_tally(tally: Tally) -> Statement:
    return _update(
        Tally,
        tally.pk,
        {
            "voters": tally.voters,
            "chain_length": tally.chain_length,
            "head_hash": tally.head_hash,
        },
    )
