"""PostgreSQL: search vectors stored in publishing_post instead of recomputed.

With 0002_search's expression index, ordering matches by where their words are
parsed each matching title and excerpt again, and a plan that scanned the table
parsed every body: seconds per results page for a word most posts hold. A
trigger now writes two columns whenever title, excerpt or body is written:
search_vector (A title, B excerpt, C body), which the GIN index covers, and
search_head (A title, B excerpt), small enough to stay in the row so ordering
reads nothing out of line. search_vector is kept uncompressed: when a plan does
read it, decompressing would cost more than the bytes saved.

Neither column is on the model, so Django never names them in an INSERT or an
UPDATE and the trigger always has the last word. A later migration that renames
or drops title, excerpt or body must replace the trigger function. SQLite keeps
its FTS5 table.
"""

from django.db import migrations

TABLE = "publishing_post"
TRIGGER = "publishing_post_search_vector"
OLD_INDEX = "publishing_post_search_idx"
INDEX = "publishing_post_search_vector_idx"


def _weighted(column: str, weight: str) -> str:
    return (
        "setweight(to_tsvector('english'::regconfig,"
        f" COALESCE(publishing_search_fold({column}), '')), '{weight}')"
    )


def _head(row: str = "") -> str:
    return f"{_weighted(f'{row}title', 'A')} || {_weighted(f'{row}excerpt', 'B')}"


FORWARD = [
    f"DROP INDEX {OLD_INDEX}",
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector, ADD COLUMN search_head tsvector",
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTERNAL",
    f"""CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        new.search_head := {_head("new.")};
        new.search_vector := new.search_head || {_weighted("new.body", "C")};
        RETURN new;
    END $$""",
    f"""CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF title, excerpt, body ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()""",
    # Naming title in the SET list fires the trigger: the vectors have one definition.
    f"UPDATE {TABLE} SET title = title",
    f"""ALTER TABLE {TABLE} ALTER COLUMN search_vector SET NOT NULL,
        ALTER COLUMN search_head SET NOT NULL""",
    f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_vector)",
]
REVERSE = [
    f"DROP TRIGGER {TRIGGER} ON {TABLE}",
    f"DROP FUNCTION {TRIGGER}()",
    f"DROP INDEX {INDEX}",
    f"ALTER TABLE {TABLE} DROP COLUMN search_vector, DROP COLUMN search_head",
    f"CREATE INDEX {OLD_INDEX} ON {TABLE} USING gin (({_head()} || {_weighted('body', 'C')}))",
]


def _execute(schema_editor, statements: list[str]) -> None:
    # No params: the SQL is complete, so nothing in it may read as a placeholder.
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, None)


def store_search_vectors(apps, schema_editor):
    _execute(schema_editor, FORWARD)


def index_search_expression(apps, schema_editor):
    _execute(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_search")]

    operations = [migrations.RunPython(store_search_vectors, index_search_expression)]
