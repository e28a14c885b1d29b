"""Backups of a running site (database and media) that say what they hold and prove it.

SQLite is copied through its online backup API, which reads one consistent snapshot
while the site keeps writing (WAL lets readers and the writer pass each other);
PostgreSQL through ``pg_dump -Fc``, which reads inside one snapshot too. Media is
copied from the site's storage, hashed as it is read. The manifest, written last,
lists every file with its SHA-256; a backup without one is incomplete.
"""

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from masthead.portability import pgtools

FORMAT = "masthead-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
SECRET_KEY = "secret_key"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what was left."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _raw_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _storage_files(folder: str = ""):
    """Every file name in media storage, walking down from ``folder``."""
    if not folder and not default_storage.exists(""):
        return
    dirs, files = default_storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from _storage_files(f"{folder}/{name}" if folder else name)


def _copy_media(target: Path) -> list[dict]:
    copied = []
    for name in _storage_files():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, path.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        copied.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    return copied


def _file_entry(path: Path) -> dict:
    return {"file": path.name, "size": path.stat().st_size, "sha256": _sha256(path)}


def _copy_secret_key(target: Path) -> dict | None:
    """The key generated into the data directory signs sessions and emailed links;
    without it a restored site logs everyone out and breaks every unsubscribe link."""
    source = Path(settings.DATA_DIR) / SECRET_KEY
    if not source.is_file() or source.read_text().strip() != settings.SECRET_KEY:
        return None  # set by MASTHEAD_SECRET_KEY, which the operator keeps elsewhere
    copy = target / SECRET_KEY
    copy.touch(mode=0o600)
    copy.write_bytes(source.read_bytes())
    return _file_entry(copy)


def _restore_secret_key(source: Path) -> None:
    target = Path(settings.DATA_DIR) / SECRET_KEY
    partial = target.with_name(SECRET_KEY + ".part")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    partial.write_bytes((source / SECRET_KEY).read_bytes())
    partial.replace(target)


def _backup_sqlite(path: Path) -> None:
    copy = sqlite3.connect(path)
    try:
        # All pages in one step: one read snapshot, so a write meanwhile cannot tear it.
        _raw_sqlite().backup(copy)
        # One self-contained file, with no -wal beside it to forget.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _check_sqlite(path: Path) -> None:
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = copy.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    finally:
        copy.close()
    if result != [("ok",)]:
        raise BackupError(f"{path} fails SQLite's integrity check: {result[:5]}")


def _migrations() -> dict[str, str]:
    """The last migration applied per app, so a restore can tell what schema it brings."""
    from django.db.migrations.recorder import MigrationRecorder

    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        last[app] = max(last.get(app, ""), name)
    return dict(sorted(last.items()))


def site_counts() -> dict[str, int]:
    """How much the site holds, by kind; a database without tables holds nothing."""
    from django.contrib.auth import get_user_model

    from masthead.discussion.models import Comment
    from masthead.publishing.models import Figure, Page, Post

    tables = set(connection.introspection.table_names())
    models = {
        "users": get_user_model(),
        "posts": Post,
        "pages": Page,
        "figures": Figure,
        "comments": Comment,
    }
    return {
        name: model.objects.count() if model._meta.db_table in tables else 0
        for name, model in models.items()
    }


def create_backup(target: Path) -> dict:
    """Back the site up into ``target`` (new or empty), verify it, and return its manifest."""
    engine = _engine()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} exists and is not an empty directory; choose a new one.")
    made = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        database = target / DATABASE_FILES[engine]
        if engine == "sqlite":
            _backup_sqlite(database)
        else:
            pgtools.dump(connection.settings_dict, database)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": engine,
            "database": _file_entry(database),
            "secret_key": _copy_secret_key(target),
            "migrations": _migrations(),
            "counts": site_counts(),
            "media": _copy_media(target / MEDIA),
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        verify_backup(target)
    except BaseException:
        # Half a backup must not pass for a whole one.
        if made:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return manifest


def _check_file(path: Path, size: int, sha256: str) -> None:
    if not path.is_file():
        raise BackupError(f"{path} is missing from the backup.")
    if path.stat().st_size != size or _sha256(path) != sha256:
        raise BackupError(f"{path} does not match its checksum in the manifest.")


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{source} holds no {MANIFEST}: not a backup, or an unfinished one."
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{source / MANIFEST} is not readable JSON: {exc}") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{source} is not a version {VERSION} Masthead backup.")
    return manifest


def verify_backup(source: Path) -> dict:
    """Check every file against the manifest and the database with its engine's own tool."""
    manifest = read_manifest(source)
    db = manifest["database"]
    database = source / db["file"]
    _check_file(database, db["size"], db["sha256"])
    if manifest["engine"] == "sqlite":
        _check_sqlite(database)
    else:
        pgtools.check_dump(database)
    if manifest.get("secret_key"):
        key = manifest["secret_key"]
        _check_file(source / SECRET_KEY, key["size"], key["sha256"])
    media = (source / MEDIA).resolve()
    for entry in manifest["media"]:
        path = (media / entry["name"]).resolve()
        if not path.is_relative_to(media):
            raise BackupError(f"The manifest names a file outside the backup: {entry['name']}")
        _check_file(path, entry["size"], entry["sha256"])
    return manifest


def _restore_media(source: Path, entries: list[dict]) -> None:
    # What the site held beyond the backup goes too: the restored site is the one backed up.
    kept = {entry["name"] for entry in entries}
    for name in list(_storage_files()):
        if name not in kept:
            default_storage.delete(name)
    for entry in entries:
        name = entry["name"]
        if default_storage.exists(name):
            default_storage.delete(name)
        with (source / name).open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
        if stored != name:
            raise BackupError(f"Media storage kept {name} as {stored}; the restore is incomplete.")


def _clear_caches() -> None:
    """Pages and settings cached from the site as it was must not outlive it."""
    from django.core.cache import cache

    from masthead.lib import pagecache
    from masthead.publishing.caching import SITE

    pagecache.invalidate(SITE)
    cache.clear()


def restore_backup(source: Path, *, force: bool = False) -> dict:
    """Put a verified backup in place of this site, which must be empty unless ``force``."""
    engine, held_engine = _engine(), read_manifest(source)["engine"]
    if held_engine != engine:
        raise BackupError(
            f"This backup holds a {held_engine} database and this site runs on {engine}. "
            "Move between engines with export_json and import_json."
        )
    manifest = verify_backup(source)
    held = {k: n for k, n in site_counts().items() if n}
    media_held = next(_storage_files(), None)
    if (held or media_held) and not force:
        what = ", ".join(f"{n} {k}" for k, n in held.items()) or f"media such as {media_held}"
        raise BackupError(
            f"This site is not empty ({what}). Restoring replaces all of it; pass --force to do so."
        )
    database = source / manifest["database"]["file"]
    if engine == "sqlite":
        backup = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            backup.backup(_raw_sqlite())
        finally:
            backup.close()
    else:
        connection.close()
        pgtools.restore(connection.settings_dict, database)
    _restore_media(source / MEDIA, manifest["media"])
    if manifest.get("secret_key"):
        _restore_secret_key(source)
    _clear_caches()
    return manifest
