import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from masthead.discussion import services, subscriptions, tokens
from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.discussion.spam_models import SpamLesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(make_post):
    return subscriptions.request_subscription("reader@example.org", post=make_post("Tide tables"))


@pytest.fixture
def strict_client():
    """A client that, like a mail provider's server, has no cookies and no CSRF token."""
    return Client(enforce_csrf_checks=True)


def confirm_url(subscription):
    return reverse("discussion:confirm-subscription", args=[subscription.token])


def unsubscribe_url(subscription):
    return reverse("discussion:unsubscribe", args=[subscription.token])


def moderate_url(comment):
    return reverse("discussion:moderate-comment", args=[tokens.moderation_token(comment)])


def assert_private(response):
    assert "no-cache" in response["Cache-Control"]
    # The secret address goes to no other site, while this site's own forms still
    # post with a real Origin (under "no-referrer" browsers send "null": a 403).
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"


# Confirming


def test_opening_the_confirmation_link_changes_nothing(client, subscription):
    for response in (client.get(confirm_url(subscription)), client.head(confirm_url(subscription))):
        assert response.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.confirmed
    assert_private(client.get(confirm_url(subscription)))


def test_pressing_the_button_confirms(client, subscription):
    response = client.post(confirm_url(subscription))

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed
    assert b"You\xe2\x80\x99re subscribed" in client.get(confirm_url(subscription)).content


def test_confirming_is_protected_like_every_other_form(strict_client, subscription):
    assert strict_client.post(confirm_url(subscription)).status_code == 403


def test_an_unknown_confirmation_link_is_not_found(client):
    response = client.get(reverse("discussion:confirm-subscription", args=["nonsense"]))

    assert response.status_code == 404


# Unsubscribing


def test_opening_the_unsubscribe_link_asks_first(client, subscription):
    response = client.get(unsubscribe_url(subscription))

    assert b"Unsubscribe?" in response.content
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert_private(response)


def test_one_click_unsubscribe_needs_no_cookie_or_csrf_token(strict_client, subscription):
    response = strict_client.post(
        unsubscribe_url(subscription),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert b"unsubscribed" in response.content
    assert not Subscription.objects.exists()


def test_one_click_unsubscribe_accepts_multipart_bodies(strict_client, subscription):
    strict_client.post(unsubscribe_url(subscription), {"List-Unsubscribe": "One-Click"})

    assert not Subscription.objects.exists()


def test_unsubscribing_twice_is_fine(strict_client, subscription):
    strict_client.post(unsubscribe_url(subscription))
    again = strict_client.post(unsubscribe_url(subscription))

    assert again.status_code == 200
    assert b"isn\xe2\x80\x99t subscribed" in again.content


def test_unsubscribe_takes_no_other_method(client, subscription):
    assert client.put(unsubscribe_url(subscription)).status_code == 405


# Moderating


@pytest.fixture
def held(make_comment):
    return make_comment(approve=False)


def test_the_moderation_page_shows_the_comment_and_changes_nothing(client, held):
    response = client.get(moderate_url(held) + "?action=approve")

    assert response.status_code == 200
    assert held.body.encode() in response.content
    assert b"every comment is held" in response.content
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING
    assert_private(response)


def test_approving_from_the_page(client, held):
    response = client.post(moderate_url(held), {"action": "approve"})

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED
    assert b"is <strong>approved</strong>" in client.get(moderate_url(held)).content


def test_marking_spam_from_the_page(client, held):
    client.post(moderate_url(held), {"action": "spam"})

    held.refresh_from_db()
    assert held.status == CommentStatus.SPAM


def test_an_unknown_action_is_refused(client, held):
    assert client.post(moderate_url(held), {"action": "delete"}).status_code == 400
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_moderating_is_protected_against_forged_posts(strict_client, held):
    assert strict_client.post(moderate_url(held), {"action": "approve"}).status_code == 403


def test_a_forged_moderation_link_does_nothing(client, held):
    url = reverse("discussion:moderate-comment", args=[f"{held.pk}:forged:signature"])

    assert client.post(url, {"action": "approve"}).status_code == 404
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_a_moderation_link_expires_after_a_week(client, held):
    url = moderate_url(held)

    with time_machine.travel(dt.timedelta(days=7, minutes=1)):
        response = client.post(url, {"action": "approve"})

    assert response.status_code == 404
    assert b"no longer works" in response.content


def test_a_moderation_link_acts_once(client, held):
    url = moderate_url(held)
    client.post(url, {"action": "approve"})

    response = client.post(url, {"action": "spam"})

    assert response.status_code == 409
    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED
    page = client.get(url).content.decode()
    assert "already been used" in page and 'value="spam"' not in page


def test_a_used_moderation_link_stays_used_when_the_comment_is_held_again(client, held):
    url = moderate_url(held)
    client.post(url, {"action": "approve"})
    services.hold_comment(held, by=None)  # a moderator puts it back in the queue

    response = client.post(url, {"action": "spam"})

    assert response.status_code == 409
    assert "already been used" in response.content.decode()
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING
    assert not SpamLesson.objects.filter(is_spam=True).exists()


def test_a_moderation_link_says_when_the_comment_changed_since_the_email(client, held):
    url = moderate_url(held)
    services.edit_comment(held, "Rewritten after the email went out.")

    page = client.get(url).content.decode()
    assert "changed since this email was sent" in page
    assert "Rewritten after the email went out." in page and 'value="approve"' not in page
    assert client.post(url, {"action": "approve"}).status_code == 409
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_a_link_to_a_deleted_comment_is_not_found(client, held):
    url = moderate_url(held)
    services.delete_comment(held)

    assert client.get(url).status_code == 404


# Asking for one's comments


def test_the_privacy_form_checks_the_address(client):
    response = client.post(reverse("discussion:request-privacy"), {"email": "not an address"})

    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert b'value="not an address"' in response.content


# Every page behind an emailed link


def privacy_url(comment, name="privacy"):
    return reverse(f"discussion:{name}", args=[tokens.privacy_token(comment.author_email)])


def test_the_privacy_pages_keep_their_address_from_other_sites(client, held):
    assert_private(client.get(privacy_url(held)))
    assert_private(client.get(privacy_url(held, "export-comments")))


@pytest.fixture
def emailed_forms(subscription, held):
    """Each emailed page with a button: the page, where its form posts, what, and if it acted."""

    def confirmed():
        subscription.refresh_from_db()
        return subscription.confirmed

    def approved():
        return Comment.objects.get(pk=held.pk).status == CommentStatus.APPROVED

    def erased():
        return not Comment.objects.filter(author_email=held.author_email).exists()

    return {
        "confirm": (confirm_url(subscription), confirm_url(subscription), {}, confirmed),
        "moderate": (moderate_url(held), moderate_url(held), {"action": "approve"}, approved),
        "erase": (privacy_url(held), privacy_url(held, "erase-comments"), {}, erased),
    }


@pytest.mark.parametrize("form", ["confirm", "moderate", "erase"])
def test_an_emailed_form_is_refused_from_another_site_and_taken_from_this_one(
    strict_client, emailed_forms, form
):
    page, action, data, acted = emailed_forms[form]
    assert_private(strict_client.get(page))
    data = {**data, "csrfmiddlewaretoken": strict_client.cookies["csrftoken"].value}

    for elsewhere in ("https://evil.example", "null"):
        refused = strict_client.post(action, data, HTTP_ORIGIN=elsewhere)
        assert refused.status_code == 403
        assert not acted()

    taken = strict_client.post(action, data, HTTP_ORIGIN="http://testserver")
    assert taken.status_code == 302
    assert acted()
