"""Keeps SQLite's full-text index whole across migrations.

Django rebuilds a SQLite table for most schema changes, and a rebuilt
publishing_post has lost the triggers that feed the FTS5 table (created in
migration 0002_search). After every migrate this puts back any that are
missing and re-reads all posts, so a later migration cannot quietly stop search
seeing new posts. PostgreSQL's trigger lives on through such changes.
"""

from django.db import connections

from masthead.publishing.search import FTS_TABLE

COLUMNS = "title, excerpt, body"
TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""AFTER INSERT ON publishing_post BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
    f"{FTS_TABLE}_delete": f"""AFTER DELETE ON publishing_post BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
    END""",
    f"{FTS_TABLE}_update": f"""AFTER UPDATE OF {COLUMNS} ON publishing_post BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
        INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.title, new.excerpt, new.body);
    END""",
}


def restore_triggers(using: str = "default", **kwargs) -> list[str]:
    """Recreate missing triggers and rebuild the index; returns the names restored."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        present = {name for kind, name in cursor.fetchall()}
        if FTS_TABLE not in present:
            return []  # search's migration has not run yet
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {TRIGGERS[name]}")
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return missing
