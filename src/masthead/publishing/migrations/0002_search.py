"""Full-text search indexes for posts, one kind per database vendor.

SQLite: an external-content FTS5 table over publishing_post, kept in step by
triggers. A later migration that rebuilds publishing_post on SQLite (Django
does so for most AlterField operations) drops these triggers and must add
them back.

PostgreSQL: an immutable fold function (accents off Latin letters, ASCII
punctuation to spaces) so its parser splits text as FTS5's unicode61 does,
and a GIN index over the weighted document vector, which 0003_search_vector
replaces with stored vectors. The code here is frozen on purpose, so a change
needs a new migration.
"""

from django.db import migrations

FTS = "publishing_post_search"
COLUMNS = "title, excerpt, body"
OLD = "old.id, old.title, old.excerpt, old.body"
NEW = "new.id, new.title, new.excerpt, new.body"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        {COLUMNS}, content='publishing_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON publishing_post BEGIN
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES ({NEW});
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON publishing_post BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', {OLD});
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF {COLUMNS} ON publishing_post BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', {OLD});
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES ({NEW});
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]


LATIN_MARKS = "([A-Za-z])[\u0300-\u036f]+"
ASCII_PUNCTUATION = "[!-/:-@[-`{-~]+"
# normalize() and regexp_replace() are immutable, so the fold can sit in an index.
# Its SET clause keeps it from being inlined, so the planner weighs its COST and
# prefers the index to folding every body, for all but the commonest words.
FOLD_FUNCTION = f"""CREATE FUNCTION publishing_search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 SET search_path = pg_catalog
    RETURN regexp_replace(
        regexp_replace(normalize($1, NFD), '{LATIN_MARKS}', E'\\\\1', 'g'),
        '{ASCII_PUNCTUATION}', ' ', 'g')"""


def _weighted(column: str, weight: str) -> str:
    return (
        "setweight(to_tsvector('english'::regconfig,"
        f" COALESCE(publishing_search_fold({column}), '')), '{weight}')"
    )


POSTGRES_FORWARD = [
    FOLD_FUNCTION,
    f"CREATE INDEX {FTS}_idx ON publishing_post USING gin (("
    f"{_weighted('title', 'A')} || {_weighted('excerpt', 'B')} || {_weighted('body', 'C')}))",
]
POSTGRES_REVERSE = [
    f"DROP INDEX IF EXISTS {FTS}_idx",
    "DROP FUNCTION IF EXISTS publishing_search_fold(text)",
]

FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
REVERSE = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}


def _execute(schema_editor, statements: dict[str, list[str]]) -> None:
    # No params: the SQL is complete, so nothing in it may read as a placeholder.
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, None)


def create_search_index(apps, schema_editor):
    _execute(schema_editor, FORWARD)


def drop_search_index(apps, schema_editor):
    _execute(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
