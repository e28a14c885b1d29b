"""Logging in with WordPress.com, end to end against a local WordPress.com."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from tests.identity.providers import (
    CLIENT_ID,
    app_settings,
    consent,
    query_of,
    start_login,
)

CALLBACK = "http://testserver/accounts/wordpress_com/login/callback/"


def test_it_sends_the_reader_to_wordpress_com_to_consent(client, wordpress):
    url = start_login(client, "wordpress_com")

    assert url.startswith(f"{wordpress.url}/oauth2/authorize?")
    query = query_of(url)
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == CALLBACK
    assert query["response_type"] == "code"
    assert query["scope"] == "auth"
    assert len(query["state"]) >= 12


def test_it_logs_the_reader_in_with_their_wordpress_com_account(client, wordpress):
    response = client.get(consent(start_login(client, "wordpress_com")))

    assert response.status_code == 302
    assert response["Location"] == "/"
    account = SocialAccount.objects.get(provider="wordpress_com")
    assert account.uid == "81723064"
    assert client.session["_auth_user_id"] == str(account.user_id)
    assert account.user.email == "noor@example.net"
    assert account.user.get_full_name() == "Noor Haddad"
    assert EmailAddress.objects.get(user=account.user).verified
    assert wordpress.calls[-2:] == [("POST", "/oauth2/token"), ("GET", "/rest/v1/me")]


def test_it_shows_the_wordpress_com_avatar_and_profile(client, wordpress):
    client.get(consent(start_login(client, "wordpress_com")))

    account = SocialAccount.objects.get(provider="wordpress_com")
    assert account.get_avatar_url() == "http://127.0.0.1/avatar/noor.png"
    assert account.get_profile_url() == "http://127.0.0.1/profile/noorhaddad"
    assert account.get_provider_account().to_str() == "Noor Haddad"


def test_it_returns_to_the_article_the_reader_came_from(client, wordpress):
    url = start_login(client, "wordpress_com", next="/2026/05/ferry/#respond")

    response = client.get(consent(url))

    assert response["Location"] == "/2026/05/ferry/#respond"


def test_a_returning_reader_gets_the_same_account(client, wordpress, django_user_model):
    client.get(consent(start_login(client, "wordpress_com")))
    client.post("/accounts/logout/")
    wordpress.profile["display_name"] = "Noor H."

    client.get(consent(start_login(client, "wordpress_com")))

    assert django_user_model.objects.count() == 1
    account = SocialAccount.objects.get()
    assert client.session["_auth_user_id"] == str(account.user_id)
    assert account.extra_data["display_name"] == "Noor H."


def test_an_unverified_email_is_confirmed_after_the_first_login(client, wordpress):
    wordpress.profile["email_verified"] = False

    client.get(consent(start_login(client, "wordpress_com")))

    assert "_auth_user_id" in client.session
    assert not EmailAddress.objects.get(email="noor@example.net").verified
    assert mail.outbox[-1].to == ["noor@example.net"]


def test_an_app_without_api_url_talks_to_wordpress_com(rf, settings, db):
    from allauth.socialaccount.adapter import get_adapter

    settings.SOCIALACCOUNT_PROVIDERS = app_settings("wordpress_com")
    provider = get_adapter().get_provider(rf.get("/"), "wordpress_com")

    assert provider.get_api_url() == "https://public-api.wordpress.com"
    assert provider.name == "WordPress.com"


def test_a_reader_wordpress_com_gives_no_name_is_not_named_after_their_email(
    client, wordpress, make_post
):
    from masthead.discussion.models import Comment, DiscussionSettings, Policy
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    article = make_post()
    wordpress.profile.update(display_name="", username="", email="noor.haddad@example.net")
    client.get(consent(start_login(client, "wordpress_com")))
    user = SocialAccount.objects.get(provider="wordpress_com").user

    client.post("/comments/post/", form_data(article, author="", email=""), **ORIGIN)

    assert Comment.objects.get().author_name == f"Reader {user.pk}"
    assert not user.username.startswith("noor")
    for page in (article.get_absolute_url(), "/accounts/profile/"):
        html = client.get(page).content.decode()
        assert f"Reader {user.pk}" in html
        assert "noor" not in html.lower()


def test_the_name_wordpress_com_gives_signs_the_comments(client, wordpress, make_post):
    from masthead.discussion.models import Comment
    from tests.discussion.views.test_post_comment import ORIGIN, form_data

    article = make_post()
    client.get(consent(start_login(client, "wordpress_com")))

    client.post("/comments/post/", form_data(article, author="", email=""), **ORIGIN)

    assert Comment.objects.get().author_name == "Noor Haddad"


def test_a_provider_cannot_hand_a_reader_a_staff_members_name(client, wordpress, editor):
    from masthead.identity import services

    services.update_profile(editor, display_name="Eddie Marsh", website="")
    wordpress.profile["display_name"] = "Eddie Marsh"

    client.get(consent(start_login(client, "wordpress_com")))

    account = SocialAccount.objects.get(provider="wordpress_com")
    assert services.display_name_for(account.user).casefold() != "eddie marsh"
