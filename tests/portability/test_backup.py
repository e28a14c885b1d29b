import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from masthead.publishing import services
from masthead.publishing.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'")
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def fresh_data_dir(settings, tmp_path, empty_site):
    """What a new install on another machine starts with: no rows, no media."""

    def make():
        empty_site()
        settings.MEDIA_ROOT = tmp_path / "new-media"

    return make


def test_a_restored_backup_gives_the_same_site(
    site, snapshot, media_files, fresh_data_dir, tmp_path
):
    before, files = snapshot(), media_files()
    call_command("backup", str(tmp_path / "b"))
    fresh_data_dir()
    assert Post.objects.count() == 0 and media_files() == {}

    call_command("restore", str(tmp_path / "b"))

    assert snapshot() == before
    assert media_files() == files
    lead = Post.objects.get(slug="harbour-ferry-returns")
    assert lead.pk == site["lead"].pk and lead.lead_figure_id == site["figure"].pk


def test_the_generated_secret_key_comes_back_so_emailed_links_still_work(
    site, fresh_data_dir, data_dir, settings, tmp_path
):
    call_command("backup", str(tmp_path / "b"))
    assert (tmp_path / "b" / "secret_key").stat().st_mode & 0o077 == 0
    fresh_data_dir()
    (data_dir / "secret_key").write_text("a key the new install made")
    call_command("restore", str(tmp_path / "b"))
    assert (data_dir / "secret_key").read_text() == settings.SECRET_KEY
    assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0


def test_a_key_set_in_the_environment_stays_out_of_the_backup(site, data_dir, settings, tmp_path):
    settings.SECRET_KEY = "kept by the operator"
    call_command("backup", str(tmp_path / "b"))
    assert not (tmp_path / "b" / "secret_key").exists()
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["secret_key"] is None


def test_the_manifest_lists_every_file_with_its_checksum(site, media_files, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["posts"] == 4 and manifest["counts"]["comments"] == 9
    assert {e["name"] for e in manifest["media"]} == set(media_files())
    assert all(len(e["sha256"]) == 64 for e in manifest["media"])


def test_a_site_with_content_is_not_overwritten_without_force(site, make_post, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    make_post(title="Written after the backup")
    with pytest.raises(CommandError, match=r"not empty.*--force"):
        call_command("restore", str(tmp_path / "b"))
    assert Post.objects.filter(title="Written after the backup").exists()

    call_command("restore", str(tmp_path / "b"), "--force")
    assert not Post.objects.filter(title="Written after the backup").exists()
    assert Post.objects.count() == 4


def test_a_tampered_file_is_refused_before_anything_changes(
    site, fresh_data_dir, media_files, tmp_path
):
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    (tmp_path / "b" / "media" / manifest["media"][0]["name"]).write_bytes(b"not the image")
    fresh_data_dir()
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path / "b"))
    assert Post.objects.count() == 0 and media_files() == {}


def test_a_backup_goes_only_into_a_new_or_empty_directory(site, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("backup", str(tmp_path / "b"))
    assert (tmp_path / "b" / "notes.txt").read_text() == "keep me"


def test_a_directory_without_a_manifest_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match=r"holds no manifest\.json"):
        call_command("restore", str(tmp_path))


@on_sqlite
def test_the_sqlite_copy_is_one_sound_file(site, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    copy = sqlite3.connect(tmp_path / "b" / "database.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert copy.execute("SELECT count(*) FROM publishing_post").fetchone() == (4,)
    copy.close()
    assert not (tmp_path / "b" / "database.sqlite3-wal").exists()


@on_sqlite
def test_a_damaged_sqlite_copy_fails_the_check(site, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    database = tmp_path / "b" / "database.sqlite3"
    data = bytearray(database.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    database.write_bytes(bytes(data))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    import hashlib

    manifest["database"]["sha256"] = hashlib.sha256(data).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"integrity check|not a readable"):
        call_command("restore", "--check", str(tmp_path / "b"))


@on_postgresql
def test_the_postgresql_dump_is_in_custom_format_and_listable(site, tmp_path):
    import subprocess

    call_command("backup", str(tmp_path / "b"))
    dump = tmp_path / "b" / "database.dump"
    assert dump.read_bytes()[:5] == b"PGDMP"
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    assert "TABLE DATA public publishing_post" in listing.stdout


@on_postgresql
def test_without_pg_dump_the_backup_says_what_to_install(site, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(CommandError, match=r"pg_dump is not installed.*postgresql-client"):
        call_command("backup", str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()


def test_a_backup_is_not_restored_into_another_engine(site, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["engine"] = other
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="between engines with export_json"):
        call_command("restore", str(tmp_path / "b"))
    assert Post.objects.count() == 4


def test_restored_posts_keep_working_through_the_services(site, fresh_data_dir, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    fresh_data_dir()
    call_command("restore", str(tmp_path / "b"))
    post = services.save_post(title="First after the restore", body="Hello.", status="published")
    assert post.pk > site["lead"].pk


@on_sqlite
def test_a_running_site_is_backed_up_and_restored_whole_from_the_command_line(tmp_path):
    """While the site serves and a writer holds SQLite's lock mid-transaction, the
    backup takes what was committed; restored into a new data directory, it serves."""
    from tests.servers import Node

    old = Node(tmp_path / "old")
    old.manage("migrate", "-v0")
    old.manage("demo")
    old.start()
    writer = sqlite3.connect(old.data / "masthead.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO publishing_tag (name, slug, legacy_id) VALUES ('Unsaved', 'unsaved', '')"
        )
        old.manage("backup", str(tmp_path / "b"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        old.stop()
    new = Node(tmp_path / "new")
    new.manage("restore", str(tmp_path / "b"))
    new.start()
    try:
        assert new.request("GET", "/")[0] == 200
    finally:
        new.stop()

    def content(node):
        data = json.loads(node.manage("export_json", "-"))
        data.pop("exported_at"), data.pop("site")
        return data

    restored = content(new)
    assert restored == content(old) and restored["posts"]
    assert "unsaved" not in {tag["slug"] for tag in restored["tags"]}
    for entry in json.loads((tmp_path / "b" / "manifest.json").read_text())["media"]:
        name = entry["name"]
        assert (new.data / "media" / name).read_bytes() == (old.data / "media" / name).read_bytes()
