import datetime as dt

import pytest
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, DiscussionSettings


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
        services.submit_comment(services.Submission(post=old, body="Late", author_name="L"))
    assert not Comment.objects.exists()


def test_comments_never_close_by_age_unless_asked(make_post, config):
    ancient = make_post(title="Ancient", published_at=timezone.now() - dt.timedelta(days=4000))
    assert services.comments_open(ancient)


def test_drafts_and_scheduled_posts_take_no_comments(make_post, config):
    draft = make_post(title="Draft", status="draft", published_at=None)
    later = make_post(title="Later", published_at=timezone.now() + dt.timedelta(days=1))
    assert not services.comments_open(draft) and not services.comments_open(later)
