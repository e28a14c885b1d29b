"""import_json reads the export as a stream: memory follows a record, not the file."""

import json
import tracemalloc

import pytest

from masthead.discussion.models import Comment
from masthead.portability.export_json import FORMAT, VERSION
from masthead.portability.import_json import ImportRefused, import_site
from masthead.publishing.models import Post

pytestmark = pytest.mark.django_db


def _export(path, comments: int) -> None:
    """An export of one post under many long comments, written as export_json lays it out."""
    words = "The ferry timetable changed again on Monday, and nobody was told. " * 60
    with path.open("w") as out:
        out.write(json.dumps({"format": FORMAT, "version": VERSION})[:-1])
        when = "2025-03-14T09:30:00+00:00"
        post = {"id": 1, "title": "Ferry", "slug": "ferry", "status": "published"}
        post.update(published_at=when, created_at=when, updated_at=when)
        out.write(f', "posts": [{json.dumps(post)}], "comments": [')
        for n in range(comments):
            comment = {
                "id": n + 1,
                "post": 1,
                "status": "approved",
                "author_name": f"Reader {n}",
                "body": f"{n}: {words}",
                "created_at": when,
            }
            out.write(("," if n else "") + json.dumps(comment))
        out.write("]}")


def _peak(path) -> int:
    Comment.objects.all().delete()
    Post.objects.all().delete()
    tracemalloc.start()
    try:
        with path.open("rb") as source:
            import_site(source)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_four_times_larger_loads_in_about_the_same_memory(tmp_path, monkeypatch):
    # Rows are written a batch at a time: small batches, so both files take several.
    monkeypatch.setattr("masthead.portability.import_json.BATCH", 50)
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _export(small, 250)
    _export(large, 1000)
    assert large.stat().st_size > 3.9 * small.stat().st_size
    small_peak, large_peak = _peak(small), _peak(large)
    assert Comment.objects.count() == 1000
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)


def test_a_file_cut_short_is_refused_and_leaves_nothing(tmp_path):
    path = tmp_path / "cut.json"
    _export(path, 20)
    path.write_bytes(path.read_bytes()[:-2000])
    with pytest.raises(ImportRefused, match="not valid JSON"), path.open("rb") as source:
        import_site(source)
    assert not Post.objects.exists() and not Comment.objects.exists()


def test_an_older_export_repeating_a_comments_identity_still_loads(tmp_path):
    path = tmp_path / "old.json"
    _export(path, 3)
    data = json.loads(path.read_text())
    for record in data["comments"]:
        record["legacy_id"] = "disqus:9"
    path.write_text(json.dumps(data))
    with path.open("rb") as source:
        import_site(source)
    assert sorted(Comment.objects.values_list("legacy_id", flat=True)) == ["", "", "disqus:9"]
    assert Comment.objects.get(legacy_id="disqus:9").author_name == "Reader 0"
