"""A whole guest conversation without JavaScript: form, moderation, worker, SMTP, inbox."""

import pytest
from django.test import Client

from masthead.discussion.models import Comment, CommentStatus, DiscussionSettings
from tests.discussion.views.test_post_comment import ORIGIN, form_data

pytestmark = pytest.mark.django_db(transaction=True)


def _confirm_from_inbox(smtp, address):
    (message,) = smtp.to(address)
    link = next(url for url in smtp.links(message) if "/email/confirm/" in url)
    path = smtp.path(link)
    assert Client().get(path).status_code == 200  # a scanner's GET changes nothing
    Client().post(path)


def test_post_moderate_reply_notify_unsubscribe(client, smtp, run_worker, make_post, settings):
    config = DiscussionSettings.current()
    config.moderator_emails = "desk@example.org"
    config.save()
    post = make_post(title="Tide tables")

    # A guest comments and asks to hear about follow-ups: held, visible to her alone.
    data = form_data(post, subscribe_comments="1")
    landing = client.post("/comments/post/", data, **ORIGIN)["Location"]
    assert "awaiting moderation" in client.get(landing).content.decode()
    first = Comment.objects.get()
    run_worker()
    _confirm_from_inbox(smtp, "nadia@example.org")

    # The moderator approves from the emailed link.
    (held,) = smtp.to("desk@example.org")
    moderate = next(smtp.path(u) for u in smtp.links(held) if "/email/moderate/" in u)
    Client().post(moderate, {"action": "approve"})
    first.refresh_from_db()
    assert first.status == CommentStatus.APPROVED

    # Another reader replies; once approved, it is threaded and Nadia is told.
    other = Client()
    reply = form_data(post, comment="High water is at 6.", author="Ole", email="ole@example.org")
    reply["comment_parent"] = first.pk
    other.post("/comments/post/", reply, **ORIGIN)
    second = Comment.objects.get(parent=first)
    from masthead.discussion import services

    services.approve_comment(second)
    run_worker()
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'id="comment-{second.pk}"' in page.split(f'id="comment-{first.pk}"', 1)[1]
    told = [m for m in smtp.to("nadia@example.org") if "replied" in m["Subject"]]
    assert len(told) == 1
    assert "High water is at 6." in told[0].get_body(("plain",)).get_content()

    # One click in her mail client, with no cookies, ends the follow-ups.
    assert told[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Client(enforce_csrf_checks=True).post(smtp.unsubscribe_path(told[0]))
    third = form_data(post, comment="Thanks both.", author="Ole", email="ole@example.org")
    other.post("/comments/post/", third, **ORIGIN)
    services.approve_comment(Comment.objects.get(body="Thanks both."))
    run_worker()
    assert len([m for m in smtp.to("nadia@example.org") if "replied" in m["Subject"]]) == 1
    assert not [m for m in smtp.to("nadia@example.org") if "Thanks both." in str(m)]
