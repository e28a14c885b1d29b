"""A WordPress 6 export written by hand, for a site in a folder (/news), imported anew.

files/harbourlight.xml holds what the shared exports do not: a site below the
domain's root, term names as WordPress escapes them, a caption around a
resized image with a srcset, a gallery naming an id the file lacks, threaded,
held and spam comments, a draft with no GMT date, a password-protected post,
nested pages and a menu item.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from masthead.discussion.models import Comment
from masthead.portability.models import ImportedMedia
from masthead.publishing.models import Category, Page, Post, Status, Tag

pytestmark = pytest.mark.django_db
EXPORT = Path(__file__).parent / "files" / "harbourlight.xml"


@pytest.fixture
def imported(tmp_path, uploads, capsys):
    media = uploads("unused.jpg")
    folder = media / "2021" / "04"
    folder.mkdir(parents=True)
    (media / "2020" / "05" / "unused.jpg").rename(folder / "lighthouse.jpg")
    call_command("import_wxr", str(EXPORT), "--media-dir", str(media))
    return capsys.readouterr().out


def _post(wp_id):
    return Post.objects.get(legacy_id__endswith=f":post:{wp_id}")


def test_the_report_counts_what_the_file_holds_and_lists_what_was_not_kept(imported):
    for line in [
        "posts: 3 new",
        "pages: 2 new",
        "comments: 4 new",
        "categories: 4 new",
        "attachments: 2 new",
        "1 × nav_menu_item",
        "post 40 “Harbour board minutes (draft)”: a draft in WordPress",
        "post 41 “Members: mooring fees 2022”: password-protected in WordPress",
        "gallery images 33 are not in the file",
        "wp-content/uploads/2021/04/ramp.jpg left at its old address",
    ]:
        assert line in imported


def test_terms_and_pages_keep_their_names_and_places(imported):
    assert sorted(Category.objects.values_list("path", "name")) == [
        ("town", "Town"),
        ("town/harbour", "Harbour & Quays"),
        ("town/harbour/ferries", "Ferries"),
        ("uncategorized", "Uncategorized"),
    ]
    assert list(Tag.objects.values_list("name", flat=True)) == ["timetable"]
    assert sorted(Page.objects.values_list("path", "status")) == [
        ("about", Status.PUBLISHED),
        ("about/contact", Status.PUBLISHED),
    ]
    assert [c.path for c in _post(12).categories.all()] == ["town/harbour/ferries"]


def test_the_post_shows_its_caption_quote_and_gallery_from_the_copied_file(imported):
    post = _post(12)
    figure = ImportedMedia.objects.get(legacy_id__endswith=":attachment:31").figure
    assert post.sticky and post.lead_figure == figure
    assert "harbourlight.example.net/news/wp-content/uploads/2021/04/lighthouse" not in post.body
    assert "<figcaption>The lighthouse from the ferry ramp</figcaption>" in post.body_html
    assert "<figcaption>— Harbour master</figcaption>" in post.body_html
    assert f'<figure class="figure"><img src="{figure.image.url}"' in post.body_html  # gallery
    assert "<figcaption>Cars boarding at the ramp</figcaption>" in post.body_html
    assert "[gallery" not in post.body_html and "<!--" not in post.body_html


def test_threads_and_statuses_come_over_and_nothing_held_is_public(imported):
    comments = {c.legacy_id.rsplit(":", 1)[1]: c for c in Comment.objects.all()}
    assert {k: (c.status, c.depth) for k, c in comments.items()} == {
        "101": ("approved", 0),
        "102": ("approved", 1),
        "103": ("pending", 2),
        "104": ("spam", 0),
    }
    assert comments["103"].parent == comments["102"]
    assert _post(12).comment_count == 2
    assert not _post(40).is_public and not _post(41).is_public


def test_old_addresses_under_the_folder_redirect(imported, client):
    post, contact = _post(12), Page.objects.get(path="about/contact")
    for old, new in [
        ("/news/2021/04/ferry-timetable-changes-for-winter/", post.get_absolute_url()),
        ("/news/?p=12", post.get_absolute_url()),
        ("/?p=12", post.get_absolute_url()),
        ("/news/?page_id=3", contact.get_absolute_url()),
        ("/news/about/contact/", contact.get_absolute_url()),
        ("/news/?p=31", post.get_absolute_url()),
        ("/news/2021/04/ferry-timetable-changes-for-winter/lighthouse/", post.get_absolute_url()),
    ]:
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
    assert client.get("/news/?p=40").status_code == 404
