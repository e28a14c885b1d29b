import feedparser

from masthead.discussion.models import Comment


def _comment(post, body, status="approved", **extra):
    return Comment.objects.create(
        post=post, author_name="Lea", body=body, body_html=f"<p>{body}</p>", status=status, **extra
    )


def test_an_article_has_a_comments_feed_at_its_permalink(client, make_post):
    post = make_post(title="Quay works")
    _comment(post, "Approved words")
    _comment(post, "Held words", status="pending")
    feed = feedparser.parse(client.get(f"{post.get_absolute_url()}feed/").content)
    assert feed.bozo == 0
    assert feed.feed.title == "Comments on Quay works"
    assert [e.title for e in feed.entries] == ["Lea on Quay works"]
    assert "Approved words" in feed.entries[0].summary
    assert feed.entries[0].link.startswith(f"http://testserver{post.get_absolute_url()}#comment-")


def test_the_site_comments_feed_skips_drafts_and_held_comments(client, make_post):
    public = make_post(title="Public")
    draft = make_post(title="Draft", status="draft", published_at=None)
    _comment(public, "Visible")
    _comment(draft, "On a draft")
    _comment(public, "Spam words", status="spam")
    feed = feedparser.parse(client.get("/comments/feed/").content)
    bodies = " ".join(e.summary for e in feed.entries)
    assert "Visible" in bodies and "On a draft" not in bodies and "Spam" not in bodies


def test_an_unknown_article_feed_is_not_found(client, db):
    assert client.get("/2020/01/01/nothing/feed/").status_code == 404


def test_a_page_s_comments_have_a_feed_linked_from_the_page_and_join_the_site_s(client, make_page):
    contact = make_page(title="Contact")
    Comment.objects.create(
        page=contact, author_name="Lea", body="Sundays?", body_html="<p>Sundays?</p>",
        status="approved",
    )  # fmt: skip
    html = client.get(contact.get_absolute_url()).content.decode()
    assert f'href="/comments/feed/page/{contact.pk}/">Comments feed for this page' in html
    feed = feedparser.parse(client.get(f"/comments/feed/page/{contact.pk}/").content)
    assert [e.title for e in feed.entries] == ["Lea on Contact"]
    site = feedparser.parse(client.get("/comments/feed/").content)
    assert [e.title for e in site.entries] == ["Lea on Contact"]
