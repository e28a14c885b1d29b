"""Which post a thread names: paths, old addresses, ?p= ids, identifiers, slugs."""

import pytest

from masthead.portability.comment_imports.posts import PostIndex


@pytest.fixture
def index():
    return lambda: PostIndex()


def test_the_permalink_under_any_host_or_slash(make_post, index):
    post = make_post()
    path = post.get_absolute_url()

    for locator in (path, path.rstrip("/"), f"https://old.example.com{path}index.html"):
        assert index().find([locator]) == (f"post:{post.pk}", "")


def test_an_old_address_and_a_wordpress_id(make_post, index):
    post = make_post(legacy_url="https://old.example.com/2014/03/ferry/", legacy_id="wp:812")

    assert index().find(["http://old.example.com/2014/03/ferry"])[0] == f"post:{post.pk}"
    assert index().find(["https://old.example.com/?p=812"])[0] == f"post:{post.pk}"
    # WordPress's Disqus plugin names threads "<id> <guid>".
    assert index().find(["", "812 https://old.example.com/?p=812"])[0] == f"post:{post.pk}"


def test_a_bare_identifier_is_a_slug(make_post, index):
    post = make_post(title="Some id", slug="some-id")

    assert index().find(["http://example.org/", "some-id"])[0] == f"post:{post.pk}"


def test_two_posts_at_one_name_are_reported_not_guessed(make_post, index):
    make_post(title="One", legacy_url="/old/")
    make_post(title="Two", legacy_url="/old/")

    assert index().find(["/old/"]) == (None, "/old/ fits 2 posts")


def test_nothing_to_go_by(db, index):
    assert index().find(["", "  "]) == (None, "no link or identifier")
    assert index().find(["/gone/"]) == (None, "no post at /gone/")


def test_a_standing_page_by_its_path_old_address_or_page_id(make_page, index):
    page = make_page(title="Contact", legacy_url="https://old.example.com/contact/")
    page.legacy_id = "wp:1492"
    page.save(update_fields=["legacy_id"])

    assert index().find(["https://new.example.com/contact/"]) == (f"page:{page.pk}", "")
    assert index().find(["http://old.example.com/contact"])[0] == f"page:{page.pk}"
    assert index().find(["https://old.example.com/?page_id=1492"])[0] == f"page:{page.pk}"
