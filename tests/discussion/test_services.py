import datetime as dt

import pytest
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, DiscussionSettings, Subscription


@pytest.fixture
def config(db):
    return DiscussionSettings.current()


def test_comments_close_the_configured_number_of_days_after_publication(make_post, config):
    config.close_after_days = 14
    config.save()
    fresh = make_post(title="Fresh", published_at=timezone.now() - dt.timedelta(days=13))
    old = make_post(title="Old", published_at=timezone.now() - dt.timedelta(days=15))
    assert services.comments_open(fresh) and not services.comments_open(old)
    with pytest.raises(services.DiscussionClosed):
        services.submit_comment(services.Submission(target=old, body="Late", author_name="L"))
    assert not Comment.objects.exists()


def test_comments_never_close_by_age_unless_asked(make_post, config):
    ancient = make_post(title="Ancient", published_at=timezone.now() - dt.timedelta(days=4000))
    assert services.comments_open(ancient)


def test_drafts_and_scheduled_posts_take_no_comments(make_post, config):
    draft = make_post(title="Draft", status="draft", published_at=None)
    later = make_post(title="Later", published_at=timezone.now() + dt.timedelta(days=1))
    assert not services.comments_open(draft) and not services.comments_open(later)


def _reader_comment(post, n, **fields):
    return services.Submission(
        target=post,
        body=f"Reader note number {n} on the ferry timetable.",
        author_name="Nadia",
        author_email="Nadia@Example.org ",
        ip_address="198.51.100.20",
        form_age=30,
        **fields,
    )


def test_posting_holds_every_rule_whatever_calls_it(make_post, config):
    """The form, its script and later the API all come through post_comment."""
    post = make_post()
    for n in range(5):
        services.post_comment(_reader_comment(post, n))
    with pytest.raises(services.TooManyComments, match="too fast"):
        services.post_comment(_reader_comment(post, 5))
    assert Comment.objects.count() == 5
    closed = make_post(title="Closed", comment_status="closed")
    with pytest.raises(services.DiscussionClosed):
        services.post_comment(_reader_comment(closed, 6))


def test_posting_asks_for_the_follow_ups_the_reader_ticked(make_post, config):
    post = make_post()
    services.post_comment(_reader_comment(post, 1, follow_post=True, follow_site=True))
    followed = Subscription.objects.order_by("post_id").values_list("email", "post_id")
    assert sorted(followed, key=str) == sorted(
        [("nadia@example.org", None), ("nadia@example.org", post.pk)], key=str
    )
