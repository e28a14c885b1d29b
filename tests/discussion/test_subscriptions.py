import pytest
from django.core.cache import cache
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from masthead.discussion import subscriptions
from masthead.discussion.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(make_post):
    return make_post("Night trains return to the coast")


def test_it_sends_a_confirmation_over_smtp(smtp, immediate_tasks, on_commit, post):
    with on_commit():
        subscriptions.request_subscription(" Reader@Example.org ", post=post)

    [message] = smtp.messages
    assert message["To"] == "reader@example.org"
    assert (
        message["Subject"].strip()
        == "Confirm: follow the discussion on “Night trains return to the coast”"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_body(("html",)) is not None
    assert smtp.envelopes[0].rcpt_tos == ["reader@example.org"]


def test_the_emailed_link_confirms_after_the_button_is_pressed(
    client, smtp, immediate_tasks, on_commit, post
):
    with on_commit():
        subscription = subscriptions.request_subscription("reader@example.org", post=post)
    [confirm_url] = [u for u in smtp.links(smtp.messages[0]) if "/confirm/" in u]

    page = client.get(smtp.path(confirm_url))
    assert page.status_code == 200
    assert b"Yes, subscribe me" in page.content
    subscription.refresh_from_db()
    assert not subscription.confirmed

    response = client.post(smtp.path(confirm_url), follow=True)
    assert b"subscribed" in response.content
    subscription.refresh_from_db()
    assert subscription.confirmed


def test_a_site_wide_subscription_is_confirmed_the_same_way(smtp, immediate_tasks, on_commit):
    with on_commit():
        subscription = subscriptions.request_subscription("reader@example.org")

    [message] = smtp.messages
    assert message["Subject"].strip() == "Confirm your subscription to Masthead"
    assert subscription.post is None
    assert subscriptions.confirm_subscription(subscription.token).confirmed


def test_the_confirmation_can_be_refused_in_one_click(
    client, smtp, immediate_tasks, on_commit, post
):
    with on_commit():
        subscriptions.request_subscription("reader@example.org", post=post)
    [message] = smtp.messages

    client.post(smtp.unsubscribe_path(message), {"List-Unsubscribe": "One-Click"})

    assert not Subscription.objects.exists()


def test_asking_again_reuses_the_subscription_and_does_not_flood_the_inbox(
    smtp, immediate_tasks, on_commit, post
):
    with on_commit():
        first = subscriptions.request_subscription("reader@example.org", post=post)
        again = subscriptions.request_subscription("READER@example.org", post=post)

    assert first.pk == again.pk
    assert len(smtp.messages) == 1


def test_a_confirmed_address_is_not_asked_again(smtp, immediate_tasks, on_commit, post):
    with on_commit():
        subscription = subscriptions.request_subscription("reader@example.org", post=post)
    subscriptions.confirm_subscription(subscription.token)
    smtp.envelopes.clear()

    with on_commit():
        subscriptions.request_subscription("reader@example.org", post=post)

    assert smtp.messages == []


def test_subscriptions_per_post_and_site_wide_are_separate(post):
    on_post = subscriptions.request_subscription("reader@example.org", post=post)
    site_wide = subscriptions.request_subscription("reader@example.org")

    assert on_post.pk != site_wide.pk
    assert Subscription.objects.count() == 2


def test_the_confirmation_is_queued_with_the_subscription_and_rolled_back_with_it(post):
    with pytest.raises(RuntimeError), transaction.atomic():
        subscriptions.request_subscription("gone@example.org", post=post)
        raise RuntimeError("the request failed after asking")
    emails = DBTaskResult.objects.filter(task_path="masthead.discussion.tasks.send_message")
    assert not Subscription.objects.exists()
    assert not emails.exists()

    cache.clear()  # the once-per-window mark outlives a rollback; a new id may reuse the old
    subscriptions.request_subscription("kept@example.org", post=post)

    [queued] = emails
    assert queued.args_kwargs["args"][1]["subscription"] == Subscription.objects.get().pk


def test_confirming_an_unknown_token_finds_nothing():
    assert subscriptions.confirm_subscription("no-such-token") is None


def test_confirming_twice_keeps_the_first_time(post):
    subscription = subscriptions.request_subscription("reader@example.org", post=post)
    first = subscriptions.confirm_subscription(subscription.token).confirmed_at

    assert subscriptions.confirm_subscription(subscription.token).confirmed_at == first


def test_unsubscribing_forgets_the_address(post):
    subscription = subscriptions.request_subscription("reader@example.org", post=post)

    gone = subscriptions.unsubscribe(subscription.token)

    assert gone.email == "reader@example.org"
    assert not Subscription.objects.exists()
    assert subscriptions.unsubscribe(subscription.token) is None
