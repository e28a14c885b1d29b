import datetime as dt
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from masthead.discussion import privacy, services, subscriptions, tokens
from masthead.discussion.models import Comment, CommentRevision, Subscription

pytestmark = pytest.mark.django_db

ADDRESS = "ines@example.org"


@pytest.fixture
def thread(make_post, make_comment):
    """Ines comments, Tomas answers, Ines answers back; plus one of hers elsewhere."""
    post = make_post("Harbour ferry returns")
    first = make_comment(post, email=ADDRESS)
    answer = make_comment(post, name="Tomas", email="tomas@example.org", parent=first)
    own_reply = make_comment(post, email=ADDRESS, parent=answer)
    services.edit_comment(own_reply, "An edited reply that names her street.")
    lone = make_comment(make_post("Another story"), email=ADDRESS)
    return {"first": first, "answer": answer, "own_reply": own_reply, "lone": lone}


def privacy_url(email=ADDRESS):
    return reverse("discussion:privacy", args=[tokens.privacy_token(email)])


def request_link(client, on_commit, email=ADDRESS):
    with on_commit():
        return client.post(reverse("discussion:request-privacy"), {"email": email})


def test_a_commenter_is_emailed_a_link_to_their_comments(
    client, smtp, immediate_tasks, on_commit, thread
):
    response = request_link(client, on_commit, " Ines@Example.org")

    assert b"Check your inbox" in response.content
    [message] = smtp.messages
    assert message["To"] == ADDRESS
    assert message["Subject"].strip() == "Your comments on Masthead"
    [link] = [u for u in smtp.links(message) if "/privacy/" in u]
    page = client.get(smtp.path(link))
    assert b"has 3 comments" in page.content
    assert b"Download my comments (JSON)" in page.content


def test_nothing_is_sent_to_an_address_without_comments(
    client, smtp, immediate_tasks, on_commit, thread
):
    response = request_link(client, on_commit, "stranger@example.org")

    assert b"Check your inbox" in response.content
    assert smtp.messages == []


def test_the_link_is_sent_once_in_a_while_however_often_asked(
    client, smtp, immediate_tasks, on_commit, thread
):
    request_link(client, on_commit)
    request_link(client, on_commit)

    assert len(smtp.messages) == 1


def test_the_export_holds_everything_stored_about_the_comments(client, thread):
    subscriptions.request_subscription(ADDRESS, post=thread["first"].post)

    response = client.get(
        reverse("discussion:export-comments", args=[tokens.privacy_token(ADDRESS)])
    )

    assert response["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    data = json.loads(response.content)
    assert data["email"] == ADDRESS
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {thread["first"].pk, thread["own_reply"].pk, thread["lone"].pk}
    reply = by_id[thread["own_reply"].pk]
    assert reply["body"] == "An edited reply that names her street."
    assert len(reply["earlier_versions"]) == 1
    assert reply["url"].startswith("http://testserver/")
    assert data["subscriptions"][0]["post"] == "Harbour ferry returns"


def test_deleting_removes_the_comments_and_strips_what_must_stay(client, thread):
    subscriptions.request_subscription(ADDRESS)
    url = reverse("discussion:erase-comments", args=[tokens.privacy_token(ADDRESS)])

    response = client.post(url, follow=True)

    assert b"3 comments deleted" in response.content
    assert not Comment.objects.filter(author_email=ADDRESS).exists()
    assert not Comment.objects.filter(pk__in=[thread["own_reply"].pk, thread["lone"].pk]).exists()
    placeholder = Comment.objects.get(pk=thread["first"].pk)
    assert placeholder.is_deleted
    assert (placeholder.body, placeholder.author_name, placeholder.ip_address) == ("", "", None)
    assert not CommentRevision.objects.filter(comment=placeholder).exists()
    assert Comment.objects.get(pk=thread["answer"].pk).parent_id == placeholder.pk
    assert not Subscription.objects.exists()


def test_a_thread_of_ones_own_disappears_whole(make_post, make_comment):
    post = make_post()
    first = make_comment(post, email=ADDRESS)
    make_comment(post, email=ADDRESS, parent=first)

    assert privacy.erase_comments(ADDRESS) == 2

    assert not Comment.objects.exists()


def test_deleting_takes_a_post_not_a_link_being_opened(client, thread):
    url = reverse("discussion:erase-comments", args=[tokens.privacy_token(ADDRESS)])

    assert client.get(url).status_code == 405
    assert Comment.objects.filter(author_email=ADDRESS).count() == 3


def test_the_link_expires_after_a_day(client, thread):
    url = privacy_url()

    with time_machine.travel(dt.timedelta(days=1, minutes=1)):
        response = client.get(url)

    assert response.status_code == 404


def test_a_link_for_one_address_cannot_be_turned_to_another(client, thread):
    payload = tokens.privacy_token("tomas@example.org").split(":")[0]
    signed = tokens.privacy_token(ADDRESS).split(":", 1)[1]
    token = f"{payload}:{signed}"

    assert client.get(reverse("discussion:privacy", args=[token])).status_code == 404


# Keeping addresses a limited time


@pytest.fixture
def aged(make_post):
    """Comments 40 and 10 days old, both stored with an address and a browser."""
    post = make_post()

    def comment(days):
        comment = services.submit_comment(
            services.Submission(
                target=post,
                body=f"Remembered for {days} days, or so the rules say.",
                author_name="Ines",
                author_email=ADDRESS,
                ip_address="203.0.113.9",
                user_agent="Firefox/140",
                form_age=10,
            )
        )
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days)
        )
        return comment

    return comment(40), comment(10)


def identified(comment):
    comment.refresh_from_db()
    return (comment.ip_address, comment.user_agent) != (None, "")


def test_the_command_blanks_addresses_after_30_days(aged, capsys):
    old, recent = aged

    call_command("purge_commenter_data")

    assert not identified(old)
    assert identified(recent)
    assert "1 comment(s)" in capsys.readouterr().out


def test_the_retention_period_is_a_setting(settings, aged):
    settings.MASTHEAD_COMMENT_IP_DAYS = 7

    call_command("purge_commenter_data")

    assert not any(identified(c) for c in aged)


def test_the_command_takes_a_period(aged):
    call_command("purge_commenter_data", days=60)

    assert all(identified(c) for c in aged)


def test_the_task_purges_too(immediate_tasks, aged):
    result = privacy.purge_commenter_data_task.enqueue()

    assert result.return_value == 1


def test_unconfirmed_subscriptions_are_forgotten_after_a_week(make_post):
    unconfirmed = subscriptions.request_subscription("late@example.org")
    confirmed = subscriptions.request_subscription("kept@example.org")
    subscriptions.confirm_subscription(confirmed.token)
    Subscription.objects.update(created_at=timezone.now() - dt.timedelta(days=8))

    privacy.purge_commenter_data()

    assert list(Subscription.objects.values_list("email", flat=True)) == [confirmed.email]
    assert not Subscription.objects.filter(pk=unconfirmed.pk).exists()
