"""Cached pages on disk for nginx: written when stored, gone exactly when stale."""

import gzip
import json
import os
import subprocess
import sys
import time

import pytest

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.lib import pagecache, pagefiles
from masthead.publishing import services as publishing

HTML = [("Content-Type", "text/html; charset=utf-8")]


@pytest.fixture
def pages(settings):
    return settings.MASTHEAD_PAGES_DIR


def on_disk(pages, url: str):
    page = pages / url.lstrip("/") / "index.html"
    return page.read_bytes() if page.exists() else None


def environ(path="/2026/11/28/ferry/", query="", host="testserver", method="GET"):
    return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": host}


def test_a_stored_page_is_written_with_its_compressed_copy(wsgi, article, pages):
    url = article.get_absolute_url()
    served = wsgi(url)
    written = on_disk(pages, url)
    assert b"Ferry timetable" in written
    assert gzip.decompress((pages / url.lstrip("/") / "index.html.gz").read_bytes()) == written
    # The same page, but for the form token every reader of the app gets anew.
    assert len(written) == pytest.approx(len(served.body), abs=4)
    assert on_disk(pages, "/") is None
    wsgi("/")
    assert b"Ferry timetable" in on_disk(pages, "/")


def test_invalidating_a_tag_deletes_the_files_drawn_from_it(
    wsgi, article, make_post, pages, commit
):
    other = make_post(title="Bookshop changes hands")
    for url in (article.get_absolute_url(), other.get_absolute_url(), "/"):
        wsgi(url)
    with commit():
        Comment.objects.create(
            post=article, author_name="Nadia", author_email="nadia@example.org",
            body="Keep the late boat.", body_html="<p>Keep the late boat.</p>",
            status=CommentStatus.APPROVED,
        )  # fmt: skip
    # Its article and the lists that count comments go; the other article stays.
    assert on_disk(pages, article.get_absolute_url()) is None
    assert on_disk(pages, "/") is None
    assert on_disk(pages, other.get_absolute_url()) is not None
    assert "Keep the late boat." in wsgi(article.get_absolute_url()).text
    assert b"Keep the late boat." in on_disk(pages, article.get_absolute_url())
    with commit():
        publishing.save_post(other, title="Bookshop changes hands again")
    assert on_disk(pages, other.get_absolute_url()) is None
    assert on_disk(pages, article.get_absolute_url()) is None


def test_a_held_comment_keeps_the_files(wsgi, article, pages, commit):
    wsgi(article.get_absolute_url())
    with commit():
        Comment.objects.create(
            post=article, author_name="Spammer", author_email="s@example.org",
            body="Buy now", body_html="<p>Buy now</p>", status=CommentStatus.PENDING,
        )  # fmt: skip
    assert on_disk(pages, article.get_absolute_url()) is not None


def test_a_page_rendered_before_a_change_is_deleted_by_its_writer(pages, db, commit):
    tags = ["site", "post:7"]
    rendered_with = pagecache.versions(tags)
    # The change commits while the page renders, before its file is listed anywhere:
    # the purge finds nothing to delete.
    with commit():
        pagecache.invalidate("post:7")
    kept = pagefiles.write(
        "/2026/11/28/ferry/", b"<p>old</p>", rendered_with, time.time() + 600, pagecache.versions
    )
    assert kept is False
    assert on_disk(pages, "/2026/11/28/ferry/") is None


def test_a_file_listed_before_a_change_is_deleted_by_the_purge(pages, db, commit):
    tags = pagecache.versions(["site", "post:7"])
    assert pagefiles.write(
        "/2026/11/28/ferry/", b"<p>x</p>", tags, time.time() + 600, pagecache.versions
    )
    assert on_disk(pages, "/2026/11/28/ferry/") == b"<p>x</p>"
    with commit():
        pagecache.invalidate("post:7")
    assert on_disk(pages, "/2026/11/28/ferry/") is None
    assert not (pages / "2026/11/28/ferry/index.html.gz").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/2026/../secret/",
        "/2026/11/../../",
        "/./",
        "/.due/",
        "/2026/11/28/ferry",
        "/with space/",
        "/nul\x00/",
        "/caf\xc3\xa9/",
        "/a/%2e%2e/",
        "//double/",
        "",
    ],
)
def test_a_path_that_may_not_round_trip_is_never_written(path, settings):
    assert pagefiles.target(environ(path=path), HTML) is None


def test_only_plain_html_pages_of_the_site_host_are_written(settings):
    assert pagefiles.target(environ(), HTML) == "/2026/11/28/ferry/"
    assert pagefiles.target(environ(host="testserver:8000"), HTML) == "/2026/11/28/ferry/"
    assert pagefiles.target(environ(query="page=2"), HTML) is None
    assert pagefiles.target(environ(host="www.example.org"), HTML) is None
    assert pagefiles.target(environ(method="POST"), HTML) is None
    assert pagefiles.target(environ(), [("Content-Type", "application/rss+xml")]) is None
    settings.MASTHEAD_PAGES_DIR = None
    assert pagefiles.target(environ(), HTML) is None


def test_list_pages_feeds_and_other_hosts_stay_off_disk(wsgi, article, pages, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "www.example.org"]
    assert wsgi("/?page=1").status_code == 200
    assert wsgi("/feed/").status_code == 200
    assert wsgi("/", host="www.example.org").status_code == 200
    assert not pages.exists() or not any(p.name == "index.html" for p in pages.rglob("*"))


def test_a_page_missing_from_disk_is_written_again_on_a_hit(wsgi, article, pages):
    url = article.get_absolute_url()
    wsgi(url)
    (pages / url.lstrip("/") / "index.html").unlink()
    wsgi(url)
    assert on_disk(pages, url) is not None


def test_files_go_when_their_entries_expire(pages, db):
    pagefiles.clear()
    tags = pagecache.versions(["site"])
    now = time.time()
    pagefiles.write("/soon/", b"<p>soon</p>", tags, now + 30, pagecache.versions)
    pagefiles.write("/later/", b"<p>later</p>", tags, now + 3600, pagecache.versions)
    assert pagefiles.sweep(now + 29) == 0
    assert pagefiles.sweep(now + 30 + pagefiles.STEP) == 1
    assert on_disk(pages, "/soon/") is None
    assert on_disk(pages, "/later/") == b"<p>later</p>"


def test_a_page_about_to_expire_is_not_written(pages, db):
    tags = pagecache.versions(["site"])
    assert not pagefiles.write("/soon/", b"<p>x</p>", tags, time.time() + 2, pagecache.versions)


def test_files_no_registry_lists_are_cleared(pages, db):
    tags = pagecache.versions(["site"])
    pagefiles.write("/listed/", b"<p>x</p>", tags, time.time() + 600, pagecache.versions)
    from django.core.cache import cache

    cache.clear()  # as a flushed Redis or a deleted cache directory
    pagefiles.sweep()
    assert on_disk(pages, "/listed/") is None


def test_a_written_page_is_readable_by_the_front_servers_user(wsgi, article, pages):
    wsgi(article.get_absolute_url())
    page = pages / article.get_absolute_url().lstrip("/") / "index.html"
    assert page.stat().st_mode & 0o444 == 0o444
    assert not [p for p in page.parent.iterdir() if p.name.startswith(".tmp-")]


def test_the_approval_of_a_comment_reaches_the_disk(wsgi, article, pages, commit):
    held = Comment.objects.create(
        post=article, author_name="Ines", author_email="ines@example.org",
        body="Keep the late boat.", body_html="<p>Keep the late boat.</p>",
        status=CommentStatus.PENDING,
    )  # fmt: skip
    wsgi(article.get_absolute_url())
    with commit():
        services.approve_comment(held)
    assert on_disk(pages, article.get_absolute_url()) is None


def settings_in(tmp_path, **env) -> str | None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    clean.update(DJANGO_SETTINGS_MODULE="masthead.settings", MASTHEAD_DATA_DIR=str(tmp_path))
    script = (
        "import json, django; from django.conf import settings as s; "
        "print(json.dumps(s.MASTHEAD_PAGES_DIR and str(s.MASTHEAD_PAGES_DIR)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env={**clean, **env}, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def test_the_pages_directory_is_set_by_the_environment(tmp_path):
    assert settings_in(tmp_path) == str(tmp_path / "pages")
    assert settings_in(tmp_path, MASTHEAD_PAGES_DIR="off") is None
    assert settings_in(tmp_path, MASTHEAD_PAGES_DIR=str(tmp_path / "www")) == str(tmp_path / "www")
    # Several nodes each with a disk of their own would keep stale pages.
    assert settings_in(tmp_path, MASTHEAD_CACHE_URL="redis://127.0.0.1:6379/0") is None
