import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from masthead.discussion.models import Comment
from masthead.publishing.models import Post


def test_an_export_loaded_into_an_empty_site_gives_the_same_content(
    site, snapshot, empty_site, tmp_path
):
    before = snapshot()
    call_command("export_json", str(tmp_path / "site.json"))
    empty_site()
    assert Post.objects.count() == 0

    call_command("import_json", str(tmp_path / "site.json"))

    after = snapshot()
    for section, rows in before.items():
        assert after[section].keys() == rows.keys(), section
        for key, fields in rows.items():
            assert after[section][key] == fields, (section, key)


def test_the_file_holds_every_record_under_its_format_and_version(site, tmp_path):
    call_command("export_json", str(tmp_path / "site.json"))
    data = json.loads((tmp_path / "site.json").read_text())
    assert (data["format"], data["version"]) == ("masthead-export", 1)
    assert {k: len(data[k]) for k in ("users", "authors", "posts", "pages", "comments")} == {
        "users": 2,
        "authors": 2,
        "posts": 4,
        "pages": 2,
        "comments": 9,
    }
    lead = next(p for p in data["posts"] if p["slug"] == "harbour-ferry-returns")
    assert lead["bylines"] == [{"author": "joe", "position": 0}, {"author": "mara", "position": 1}]
    assert lead["categories"] == ["city", "world/europe"]
    assert len(lead["revisions"]) == 2


SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "operations" / "export-schema.json"


@pytest.mark.parametrize("embed", [[], ["--embed-media"]])
def test_the_file_follows_the_published_schema(site, tmp_path, embed):
    call_command("export_json", str(tmp_path / "site.json"), *embed)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(json.loads((tmp_path / "site.json").read_text()), schema)


def test_figure_references_in_bodies_follow_the_figure_to_its_new_id(site, empty_site, tmp_path):
    call_command("export_json", str(tmp_path / "site.json"))
    empty_site()
    call_command("import_json", str(tmp_path / "site.json"))
    post = Post.objects.get(slug="harbour-ferry-returns")
    assert f"![](figure:{post.lead_figure_id})" in post.body
    assert 'class="figure"' in post.body_html and "Back in service" in post.body_html


def test_embedded_media_comes_back_as_the_same_bytes(
    site, empty_site, media_files, tmp_path, settings
):
    files = media_files()
    call_command("export_json", str(tmp_path / "site.json"), "--embed-media")
    empty_site()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    call_command("import_json", str(tmp_path / "site.json"))
    assert media_files() == files and files


def test_importing_sends_no_email_for_posts_already_published(
    site, empty_site, tmp_path, mailoutbox, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    call_command("export_json", str(tmp_path / "site.json"))
    empty_site()
    DBTaskResult.objects.all().delete()  # the fixture's own posts queued their announcements
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_json", str(tmp_path / "site.json"))

    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


def test_a_site_with_content_is_refused_and_left_as_it_was(site, tmp_path):
    call_command("export_json", str(tmp_path / "site.json"))
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_json", str(tmp_path / "site.json"))
    assert Post.objects.count() == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "wxr"}', "not a Masthead export"),
        ('{"format": "masthead-export", "version": 99}', "version 99"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(db, tmp_path, text, message):
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_json", str(tmp_path / "bad.json"))


def test_a_dangling_reference_imports_nothing(site, empty_site, tmp_path):
    call_command("export_json", str(tmp_path / "site.json"))
    data = json.loads((tmp_path / "site.json").read_text())
    data["comments"][-1]["post"] = 999_999
    (tmp_path / "site.json").write_text(json.dumps(data))
    empty_site()
    with pytest.raises(CommandError, match="post 999999"):
        call_command("import_json", str(tmp_path / "site.json"))
    assert not Post.objects.exists() and not Comment.objects.exists()
