"""Rows written with one executemany, ids reserved beforehand.

An import of a hundred thousand comments spends most of its database time in
the ORM building each INSERT, not in the database. Reserving the ids first
(PostgreSQL's sequence; on SQLite, past both the largest id and the
AUTOINCREMENT counter, under the write lock the import's transaction holds)
lets replies name their parents before anything is written, so one
executemany writes a whole batch. Rows nothing refers to (revisions, bylines,
redirects) are numbered by the database as they go in.
"""

import datetime as dt
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def roomy_cache():
    """On SQLite, a 64 MB page cache for the import's connection while it runs.

    The comment table has a dozen indexes, some in no useful order (the text's
    digest); with SQLite's default 2 MB the one long transaction keeps spilling
    and rereading their pages. The setting is the connection's own, is put back
    afterwards, and changes nothing about what is written or when it is durable.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def known_ids(model: type[models.Model], column: str, values: list[str]) -> dict[str, int]:
    """The id of each row whose ``column`` is one of ``values``, by that value.

    Plain SQL, 500 values a statement: the ORM spends several microseconds
    preparing each value of a long ``__in`` list, as long as the lookup itself.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(model._meta.get_field(column).column)
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {name}, id FROM {table} WHERE {name} IN ({marks})", chunk)
            found.update(cursor.fetchall())
    return found


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        largest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table]
            )
            row = cursor.fetchone()
            largest = max(largest, row[0] if row else 0)
    return list(range(largest + 1, largest + 1 + count))


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores: naive UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return str(value.replace(tzinfo=None))


def _remembered(adapt):
    """The adapter, asked once per distinct value: imported addresses repeat a lot."""
    seen: dict = {}

    def remembered(value):
        if value not in seen:
            seen[value] = adapt(value)
        return seen[value]

    return remembered


def _adapter(field: models.Field, db):
    if isinstance(field, models.DateTimeField):
        if db.vendor == "sqlite" and settings.USE_TZ:
            return _sqlite_datetime
        return db.ops.adapt_datetimefield_value
    if isinstance(field, models.GenericIPAddressField):
        return _remembered(lambda value: field.get_db_prep_save(value, db))
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, db)
    return None


def insert_rows(
    model: type[models.Model],
    rows: list[dict],
    *,
    unique: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
) -> None:
    """Insert ``rows`` (attname → value); missing fields take their default.

    Without ``id`` in the rows, the database numbers them. With ``unique`` and
    ``update``, a row whose ``unique`` columns are taken updates ``update`` of
    the one there (PostgreSQL and SQLite spell this alike).
    """
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in rows[0]]
    defaults = [(f.attname, f.get_default() if f.attname not in rows[0] else None) for f in fields]
    # Only the few columns that need it are adapted, in place, after each line is read.
    adapters = [(i, adapt) for i, f in enumerate(fields) if (adapt := _adapter(f, db)) is not None]
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    if unique:
        names = [quote(model._meta.get_field(name).column) for name in (*unique, *update)]
        sets = ", ".join(f"{n} = EXCLUDED.{n}" for n in names[len(unique) :])
        sql += f" ON CONFLICT ({', '.join(names[: len(unique)])}) DO UPDATE SET {sets}"
    values = []
    for row in rows:
        line = [row.get(name, default) for name, default in defaults]
        for i, adapt in adapters:
            if line[i] is not None:
                line[i] = adapt(line[i])
        values.append(line)
    with db.cursor() as cursor:
        cursor.executemany(sql, values)
