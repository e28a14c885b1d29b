"""Staff endpoints: a token stands for its person, with that person's role."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from masthead.api import tokens
from masthead.discussion.models import CommentStatus
from masthead.publishing.models import Author, Post, Status


@pytest.fixture
def held(make_comment):
    return make_comment(approve=False)


def test_without_a_token_staff_endpoints_ask_for_one(api):
    reply = api.get("/moderation/comments")
    assert reply.status_code == 401
    assert reply.json()["detail"] == (
        "This needs a staff API token: send `Authorization: Bearer <token>`."
    )
    assert reply["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_or_revoked_token_is_refused(client, moderator):
    from tests.api.conftest import Api

    assert Api(client, "mh_abc_def").get("/moderation/comments").json()["detail"] == (
        "This API token is not valid."
    )
    token, secret = tokens.issue_token(moderator, "laptop")
    assert Api(client, secret).get("/moderation/comments").status_code == 200
    tokens.revoke_token(token)
    reply = Api(client, secret).get("/moderation/comments")
    assert reply.status_code == 401
    assert reply.json()["detail"] == "This API token has been revoked."


def test_a_token_of_someone_no_longer_staff_is_refused(api_as, moderator):
    api = api_as(moderator)
    moderator.is_staff = False
    moderator.save()
    assert api.get("/moderation/comments").status_code == 401


def test_only_a_digest_of_the_secret_is_stored(moderator):
    token, secret = tokens.issue_token(moderator, "laptop")
    token.refresh_from_db()
    assert secret.split("_", 2)[2] not in token.secret_digest
    assert len(secret.split("_", 2)[2]) >= 43  # 32 random bytes


def test_a_moderator_lists_the_queue_by_status_with_the_senders_email(api_as, moderator, held):
    body = api_as(moderator).get("/moderation/comments").json()
    assert [c["id"] for c in body["items"]] == [held.pk]
    assert body["items"][0]["author_email"] == "ines@example.org"
    assert body["items"][0]["status"] == "pending"
    assert api_as(moderator).get("/moderation/comments?status=spam").json()["items"] == []
    assert api_as(moderator).get("/moderation/comments?status=nonsense").status_code == 422


def test_the_queue_pages_by_cursor(api_as, moderator, make_comment):
    made = [make_comment(approve=False, email=f"r{i}@example.org").pk for i in range(3)]
    api = api_as(moderator)
    first = api.get("/moderation/comments?limit=2").json()
    second = api.get(first["next"].removeprefix("http://testserver/api/v1")).json()
    assert [c["id"] for c in first["items"] + second["items"]] == made[::-1]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", CommentStatus.APPROVED), ("spam", CommentStatus.SPAM), ("trash", "trash")],
)
def test_a_moderator_moderates_through_the_services(
    api_as, moderator, held, action, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = api_as(moderator).post(f"/moderation/comments/{held.pk}/{action}")
    assert reply.status_code == 200
    assert reply.json()["status"] == status
    held.refresh_from_db()
    assert held.status == status
    shown = [
        c["id"] for c in api_as(moderator).get(f"/posts/{held.post_id}/comments").json()["items"]
    ]
    assert shown == ([held.pk] if action == "approve" else [])


def test_an_author_may_not_moderate(api_as, author_user, held):
    reply = api_as(author_user).post(f"/moderation/comments/{held.pk}/approve")
    assert reply.status_code == 403
    assert reply.json()["detail"] == "Moderating comments needs a Moderator or Editor role."
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


def test_moderating_a_comment_that_is_not_there_is_a_404(api_as, moderator, db):
    assert api_as(moderator).post("/moderation/comments/999/approve").status_code == 404
    assert api_as(moderator).post("/moderation/comments/1/bless").status_code == 422


def test_an_author_drafts_and_publishes_their_own_post(api_as, author_user, api, tag):
    writer = api_as(author_user)
    reply = writer.post("/drafts", {"title": "Night ferry", "body": "It *runs*.", "tags": [tag.pk]})
    assert reply.status_code == 201
    draft = reply.json()
    assert draft["status"] == "draft"
    assert draft["authors"][0]["name"] == "Aurora Diaz"
    assert "<em>runs</em>" in draft["body_html"]
    assert api.get(f"/posts/{draft['id']}").status_code == 404
    changed = writer.patch(f"/drafts/{draft['id']}", {"excerpt": "Back at night."}).json()
    assert changed["excerpt"] == "Back at night."
    assert changed["title"] == "Night ferry"
    published = writer.post(f"/drafts/{draft['id']}/publish").json()
    assert published["status"] == "published"
    assert api.get(f"/posts/{draft['id']}").json()["title"] == "Night ferry"


def test_publishing_for_later_schedules(api_as, editor, api):
    writer = api_as(editor)
    draft = writer.post("/drafts", {"title": "Tomorrow"}).json()
    at = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert writer.post(f"/drafts/{draft['id']}/publish", {"at": at}).json()["status"] == (
        "scheduled"
    )
    assert api.get(f"/posts/{draft['id']}").status_code == 404


def test_an_author_cannot_touch_someone_elses_post(api_as, author_user, make_post):
    theirs = make_post(title="Someone else's", status=Status.DRAFT, published_at=None)
    writer = api_as(author_user)
    for reply in (
        writer.get(f"/drafts/{theirs.pk}"),
        writer.patch(f"/drafts/{theirs.pk}", {"title": "Mine now"}),
        writer.post(f"/drafts/{theirs.pk}/publish"),
    ):
        assert reply.status_code == 404
        assert reply.json()["detail"] == "You have no post with that id."
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Someone else's", Status.DRAFT)


def test_an_editor_may_publish_anyones_post(api_as, editor, make_post):
    theirs = make_post(title="Filed late", status=Status.DRAFT, published_at=None)
    assert api_as(editor).post(f"/drafts/{theirs.pk}/publish").json()["status"] == "published"


def test_a_moderator_may_not_write(api_as, moderator):
    reply = api_as(moderator).post("/drafts", {"title": "Opinion"})
    assert reply.status_code == 403
    assert not Post.objects.exists()


def test_a_draft_needs_a_title_and_real_filing(api_as, editor):
    writer = api_as(editor)
    reply = writer.post("/drafts", {"body": "No title"})
    assert reply.status_code == 422
    assert "title" in reply.json()["errors"]
    reply = writer.post("/drafts", {"title": "Filed", "tags": [404]})
    assert reply.status_code == 422
    assert reply.json()["detail"] == "No tag with id 404."
    assert not Post.objects.exists()


def test_a_writer_with_no_name_is_asked_for_one(api_as, django_user_model):
    from django.contrib.auth.models import Group

    nameless = django_user_model.objects.create_user("n", "n@example.org", "x", is_staff=True)
    nameless.groups.add(Group.objects.get(name="Author"))
    reply = api_as(nameless).post("/drafts", {"title": "Anonymous"})
    assert reply.status_code == 422
    assert "name" in reply.json()["detail"]
    assert not Author.objects.exists() and not Post.objects.exists()


def test_an_author_without_the_publish_right_may_draft_but_not_publish(api_as, author_user):
    from django.contrib.auth.models import Permission

    author_user.user_permissions.clear()
    group = author_user.groups.get()
    group.permissions.remove(Permission.objects.get(codename="publish_post"))
    writer = api_as(author_user)
    draft = writer.post("/drafts", {"title": "Held back"}).json()
    reply = writer.post(f"/drafts/{draft['id']}/publish")
    assert reply.status_code == 403
    assert Post.objects.get().status == Status.DRAFT


def test_using_a_token_notes_when(api_as, moderator):
    api = api_as(moderator)
    api.get("/moderation/comments")
    assert moderator.api_tokens.get().last_used_at is not None


def test_a_staff_token_waits_for_the_second_factor_the_site_asks_for(api_as, moderator, settings):
    api = api_as(moderator)
    assert api.get("/moderation/comments").status_code == 200
    settings.MASTHEAD_STAFF_REQUIRE_2FA = True
    reply = api.get("/moderation/comments")
    assert reply.status_code == 403
    assert "second factor" in reply.json()["detail"]
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.WEBAUTHN, data={})
    assert api.get("/moderation/comments").status_code == 200
