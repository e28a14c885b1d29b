"""The discussion under an article, rendered afresh: long threads, deep threads."""

import datetime as dt
import itertools
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings
from masthead.publishing import markup

# Elements that never have an end tag, so never hold anything.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# How logged-in commenters came in; "" is a guest.
PROVIDERS = ["", "local", "", "wordpress", "twitter", "", "facebook", "openid_connect"]
LEVELS = 5  # the default max_depth


@dataclass
class Rendered:
    pk: int
    depth: int
    member: bool
    list_class: str | None  # the class of the <ol> the comment sits in
    holder: int | None  # the comment whose <li> holds that <ol>


class _Thread(HTMLParser):
    """Each comment's <li> in page order, with the list it sits in and who holds the list."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []
        self.comments: list[Rendered] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and (attrs.get("id") or "").startswith("comment-"):
            self.comments.append(self._comment(attrs))
        if tag not in VOID:
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        # Close the innermost element of this name and whatever was left open in it.
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def _comment(self, attrs) -> Rendered:
        (list_tag, list_attrs), (holder_tag, holder_attrs) = self.open[-1], self.open[-2]
        holder_id = holder_attrs.get("id") or ""
        return Rendered(
            pk=int(attrs["id"].removeprefix("comment-")),
            depth=int(attrs["data-depth"]),
            member="comment--member" in attrs["class"].split(),
            list_class=list_attrs.get("class") if list_tag == "ol" else None,
            holder=(
                int(holder_id.removeprefix("comment-"))
                if holder_tag == "li" and holder_id.startswith("comment-")
                else None
            ),
        )


def rendered_thread(html: str) -> list[Rendered]:
    parser = _Thread()
    parser.feed(html)
    parser.close()
    return parser.comments


def article_page(client, post) -> str:
    """The article as an anonymous reader gets it when nothing of it is cached."""
    cache.clear()
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def article(make_post):
    DiscussionSettings.current()  # the settings row exists before anything is counted
    return make_post("Night ferry timetable, annotated")


@pytest.fixture
def members(django_user_model):
    return [
        django_user_model.objects.create_user(f"member{i}", f"member{i}@example.org")
        for i in range(4)
    ]


@pytest.fixture
def grow(article, members):
    """Add ``count`` approved comments to the article (a multiple of LEVELS): threads
    LEVELS deep, guests and members of every provider, with held and spam comments
    among them. Returns what readers may see and what they may not."""
    seq = itertools.count()
    start = timezone.now() - dt.timedelta(hours=12)
    made = {"visible": [], "hidden": []}

    def comment(body, *, parent=None, status=CommentStatus.APPROVED):
        n = next(seq)
        provider = PROVIDERS[n % len(PROVIDERS)]
        user = members[n % len(members)] if provider else None
        return Comment(
            post=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            user=user,
            provider=provider,
            author_name=f"{'Member' if user else 'Guest'} {n}",
            author_email=f"reader{n}@example.org",
            author_url="https://example.org/" if n % 3 == 0 else "",
            body=f"{body} {n}",
            body_html=markup.render_comment(f"{body} {n}"),
            status=status,
            created_at=start + dt.timedelta(seconds=n),
        )

    def grow(count):
        parents = [None]
        for _ in range(LEVELS):
            wave = [
                comment("Reply" if parent else "Comment", parent=parent)
                for parent in itertools.islice(itertools.cycle(parents), count // LEVELS)
            ]
            parents = Comment.objects.bulk_create(wave)
            made["visible"] += parents
        hidden = [
            comment(
                "Held back" if i % 2 else "Spam offer",
                parent=None if i % 3 else made["visible"][i],
                status=CommentStatus.PENDING if i % 2 else CommentStatus.SPAM,
            )
            for i in range(max(2, count // 10))
        ]
        made["hidden"] += Comment.objects.bulk_create(hidden)
        services.recount_comments(article)
        return made

    return grow


def test_an_article_costs_the_same_queries_with_5_or_500_comments(
    client, article, grow, django_assert_max_num_queries, django_assert_num_queries
):
    grow(5)
    article_page(client, article)  # what a process keeps in memory (content types) is read
    with django_assert_max_num_queries(14) as few:
        html = article_page(client, article)
    assert "5 Replies to" in html

    grow(495)
    with django_assert_num_queries(len(few.captured_queries)):
        html = article_page(client, article)
    assert "500 Replies to" in html


def test_held_and_spam_comments_never_show_among_500(client, article, grow):
    made = grow(500)

    html = article_page(client, article)
    thread = rendered_thread(html)

    visible = {c.pk: c for c in made["visible"]}
    assert sorted(r.pk for r in thread) == sorted(visible)
    assert len(made["hidden"]) == 50
    for c in made["hidden"]:
        assert f'id="comment-{c.pk}"' not in html
    assert "Held back" not in html
    assert "Spam offer" not in html
    for r in thread:
        c = visible[r.pk]
        assert (r.holder, r.depth, r.member) == (c.parent_id, c.depth, c.user_id is not None)
        assert r.list_class == ("children" if c.parent_id else "comment-list")
    assert html.count("badge--guest") == sum(c.user_id is None for c in made["visible"])


@pytest.fixture
def ten_levels(hold_all):
    hold_all.max_depth = 10
    hold_all.save()
    # save() may clear the cached copy only once the transaction commits.
    cache.delete(DiscussionSettings.CACHE_KEY)
    assert DiscussionSettings.current().max_depth == 10
    return hold_all


@pytest.fixture
def chain(article, make_comment, ten_levels):
    """Ten comments, each replying to the one before, through the services."""
    made = []
    for level in range(10):
        made.append(
            make_comment(
                article,
                name=f"Level {level}",
                email=f"level{level}@example.org",
                parent=made[-1] if made else None,
            )
        )
    return made


def test_a_ten_level_thread_nests_each_reply_in_its_parents_list(client, article, chain):
    assert [c.depth for c in chain] == list(range(10))

    html = article_page(client, article)
    thread = rendered_thread(html)

    assert [r.pk for r in thread] == [c.pk for c in chain]
    assert (thread[0].list_class, thread[0].holder) == ("comment-list", None)
    for parent, reply in itertools.pairwise(thread):
        assert (reply.list_class, reply.holder) == ("children", parent.pk)
    assert [r.depth for r in thread] == list(range(10))
    for c in chain:
        assert html.count(f'id="comment-{c.pk}"') == 1
    assert "10 Replies to" in html


def test_a_reply_past_the_deepest_level_joins_it(client, article, chain, make_comment):
    deepest, above = chain[-1], chain[-2]
    assert services.attach_point(deepest, 10) == above
    assert services.attach_point(above, 10) == above

    late = make_comment(article, name="Late", email="late@example.org", parent=deepest)

    assert (late.parent_id, late.depth) == (above.pk, 9)
    thread = rendered_thread(article_page(client, article))
    assert [r.pk for r in thread] == [*(c.pk for c in chain), late.pk]
    by_pk = {r.pk: r for r in thread}
    for c in (deepest, late):
        assert (by_pk[c.pk].list_class, by_pk[c.pk].holder, by_pk[c.pk].depth) == (
            "children",
            above.pk,
            9,
        )


def test_replies_keep_their_thread_when_the_comment_above_is_held_or_marked_spam(client, article):
    first = Comment.objects.create(
        post=article,
        author_name="Ann",
        body="Buy cheap boats",
        body_html="<p>Buy cheap boats</p>",
        status=CommentStatus.APPROVED,
    )
    reply = Comment.objects.create(
        post=article,
        parent=first,
        depth=1,
        author_name="Ole",
        body="Thanks, I think",
        body_html="<p>Thanks, I think</p>",
        status=CommentStatus.APPROVED,
    )
    services.mark_spam(first)
    html = article_page(client, article)
    assert "Buy cheap boats" not in html
    assert "This comment is not shown." in html
    (placeholder, shown) = rendered_thread(html)
    assert (placeholder.pk, shown.pk) == (first.pk, reply.pk)
    assert shown.holder == first.pk and shown.list_class == "children"
    # Once nothing visible hangs from it, the placeholder goes too.
    services.trash_comment(reply)
    html = article_page(client, article)
    assert "This comment is not shown." not in html
    assert rendered_thread(html) == []


def test_a_card_kept_from_an_earlier_render_never_shows_stale_text_or_likes(client, article, grow):
    made = grow(5)
    target = made["visible"][0]
    assert "Comment 0</p>" in article_page(client, article)  # rendered once, now kept

    target.body_html = markup.render_comment("Corrected: the ferry leaves at nine")
    target.like_count = 7
    target.save(update_fields=["body_html", "like_count"])
    cache.clear()  # the page itself is renewed; only the worker's cards remain
    html = article_page(client, article)

    assert "Corrected: the ferry leaves at nine" in html
    assert "Comment 0</p>" not in html
    card = html[html.index(f'id="comment-{target.pk}"') :]
    assert '<span class="like-count">7</span>' in card[: card.index("</article>")]
