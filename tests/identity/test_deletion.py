"""Deleting an account: proof it is you, then your comments kept anonymously or deleted."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from masthead.discussion.models import Comment, CommentRevision, CommentStatus
from masthead.identity import services
from masthead.identity.signals import account_deleting
from masthead.publishing import markup
from tests.conftest import image_bytes
from tests.identity import PASSWORD, verify

pytestmark = pytest.mark.django_db


def comment(post, *, user=None, parent=None, body="Good to have the ferry back."):
    author = {"author_name": "Rita", "author_email": "rita@example.org"} if user else {}
    return Comment.objects.create(
        post=post,
        user=user,
        provider="email" if user else "",
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=markup.render_comment(body),
        status=CommentStatus.APPROVED,
        author_url="https://rita.example.net/" if user else "",
        ip_address="203.0.113.9",
        user_agent="Firefox",
        **(author or {"author_name": "Guest", "author_email": "guest@example.org"}),
    )


def delete(client, mode, password=PASSWORD):
    return client.post("/accounts/delete/", {"mode": mode, "password": password})


@pytest.fixture
def rita(client, reader):
    client.force_login(reader)
    return reader


@pytest.fixture
def thread(make_post, rita):
    """Rita's comment that a guest answered, and one nobody answered, with her reply to it."""
    post = make_post()
    answered = comment(post, user=rita, body="The timetable is wrong.")
    comment(post, parent=answered, body="It was fixed this morning.")
    alone = comment(post, user=rita, body="Lovely photo.")
    own_reply = comment(post, user=rita, parent=alone, body="Taken from the pier.")
    CommentRevision.objects.create(comment=answered, body="The timetable is wrong!")
    return {"post": post, "answered": answered, "alone": alone, "own_reply": own_reply}


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/accounts/delete/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_asks_for_the_password_and_what_to_do_with_comments(client, rita):
    response = client.get("/accounts/delete/")

    html = response.content.decode()
    assert 'type="password"' in html
    assert 'value="anonymise"' in html and 'value="delete"' in html
    assert 'class="site-header"' in html


def test_a_wrong_password_deletes_nothing(client, rita, thread):
    response = delete(client, "delete", password="wrong horse")

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert get_user_model().objects.filter(pk=rita.pk).exists()
    assert Comment.objects.filter(user=rita).count() == 3


def test_a_choice_is_required(client, rita):
    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert "mode" in response.context["form"].errors
    assert get_user_model().objects.filter(pk=rita.pk).exists()


def test_anonymising_keeps_the_text_and_forgets_the_person(client, rita, thread):
    response = delete(client, "anonymise")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/delete/done/"
    assert not get_user_model().objects.filter(pk=rita.pk).exists()
    assert "_auth_user_id" not in client.session
    kept = Comment.objects.get(pk=thread["answered"].pk)
    assert kept.body == "The timetable is wrong."
    assert kept.author_name == "Former reader"
    assert (kept.user, kept.author_email, kept.author_url, kept.provider) == (None, "", "", "")
    assert (kept.ip_address, kept.user_agent) == (None, "")
    assert Comment.objects.filter(author_name="Former reader").count() == 3
    assert Comment.objects.get(author_name="Guest").author_email == "guest@example.org"


def test_deleting_removes_comments_and_withdraws_the_answered_one(client, rita, thread):
    response = delete(client, "delete")

    assert response.status_code == 302
    assert not Comment.objects.filter(pk__in=[thread["alone"].pk, thread["own_reply"].pk])
    withdrawn = Comment.objects.get(pk=thread["answered"].pk)
    assert withdrawn.is_deleted
    assert (withdrawn.body, withdrawn.author_name, withdrawn.author_email) == ("", "", "")
    assert withdrawn.ip_address is None
    assert not CommentRevision.objects.exists()
    assert Comment.objects.get(author_name="Guest").parent_id == withdrawn.pk
    thread["post"].refresh_from_db()
    assert thread["post"].comment_count == 1


def test_the_done_page_says_so(client, rita):
    response = client.get(delete(client, "anonymise")["Location"])

    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()


def test_profile_and_avatar_go_with_the_account(client, rita, django_capture_on_commit_callbacks):
    avatar = SimpleUploadedFile("me.jpg", image_bytes(size=(64, 64)), "image/jpeg")
    client.post("/accounts/profile/", {"display_name": "R", "website": "", "avatar": avatar})
    stored = rita.profile.avatar.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        delete(client, "delete")

    assert not default_storage.exists(stored)


def test_nothing_is_half_done_when_a_step_fails(rita, thread):
    def fail(**kwargs):
        raise RuntimeError("disk full")

    account_deleting.connect(fail, weak=False)
    try:
        with pytest.raises(RuntimeError):
            services.delete_account(rita, "delete")
    finally:
        account_deleting.disconnect(fail)

    assert get_user_model().objects.filter(pk=rita.pk).exists()
    assert Comment.objects.filter(user=rita).count() == 3
    assert Comment.objects.get(pk=thread["answered"].pk).body == "The timetable is wrong."


def test_an_account_without_password_reauthenticates_first(client, reader, make_post):
    reader.set_unusable_password()
    reader.save()
    verify(reader)
    client.force_login(reader)
    comment(make_post(), user=reader)

    response = client.get("/accounts/delete/")
    assert response.status_code == 302
    reauthenticate = response["Location"]
    assert reauthenticate.startswith("/accounts/reauthenticate/")

    confirm = client.post(reauthenticate, {"recipient": "rita@example.org"})["Location"]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE)
    response = client.post(confirm, {"code": code.group(1)})
    assert response["Location"] == "/accounts/delete/"

    page = client.get("/accounts/delete/")
    assert page.status_code == 200
    assert "password" not in page.context["form"].fields
    response = client.post("/accounts/delete/", {"mode": "anonymise"})
    assert response["Location"] == "/accounts/delete/done/"
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert Comment.objects.get().author_name == "Former reader"


def test_no_more_email_goes_to_a_deleted_account(client, rita, thread):
    from masthead.discussion.models import Subscription

    verify(rita)
    Subscription.objects.create(email=rita.email, post=thread["post"])
    Subscription.objects.create(email=rita.email)
    Subscription.objects.create(email="someone@example.org")
    delete(client, "anonymise")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["someone@example.org"]


def test_an_address_never_verified_keeps_its_owners_subscriptions(client, rita, thread):
    """Anyone can type someone else's address into their account; that proves nothing."""
    from allauth.account.models import EmailAddress

    from masthead.discussion.models import Subscription

    verify(rita)
    EmailAddress.objects.create(user=rita, email="victim@example.org", verified=False)
    Subscription.objects.create(email="victim@example.org", post=thread["post"])
    delete(client, "anonymise")
    assert Subscription.objects.filter(email="victim@example.org").exists()


def test_an_unverified_account_email_keeps_its_owners_subscriptions(client, reader, make_post):
    from masthead.discussion.models import Subscription

    reader.email = "victim@example.org"
    reader.save()
    client.force_login(reader)
    Subscription.objects.create(email="victim@example.org")
    delete(client, "anonymise")
    assert Subscription.objects.filter(email="victim@example.org").exists()
