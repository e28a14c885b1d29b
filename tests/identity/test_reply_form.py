"""The reply form and who a comment says wrote it, at the test-client level."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from masthead.discussion.models import Comment, DiscussionSettings, Policy
from masthead.identity.commenter import SESSION_KEY, commenter_for, configured_providers
from masthead.publishing.models import Author
from tests.discussion.views.test_post_comment import ORIGIN, form_data

NAME = "Keyhole ID"
LOGIN = "/accounts/oidc/oidc/login/"


def _oidc(settings, issuer="http://127.0.0.1:9/o"):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": NAME,
                    "client_id": "masthead-test-client",
                    "secret": "masthead-test-secret-3f9c1e",
                    "settings": {"server_url": issuer, "oauth_pkce_enabled": True},
                }
            ],
        }
    }
    cache.clear()


@pytest.fixture
def article(make_post):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    return make_post(title="Ferry timetable", body="Evening sailings double.")


@pytest.fixture
def wren(django_user_model):
    return django_user_model.objects.create_user(
        "wren", "wren@example.org", "lantern-harbour-77", first_name="Wren", last_name="Okafor"
    )


@pytest.fixture
def via_oidc(client, settings, wren):
    """Wren, logged in through the OpenID Connect provider."""
    _oidc(settings)
    SocialAccount.objects.create(user=wren, provider="oidc", uid="wren-sub")
    client.force_login(wren)
    session = client.session
    session[SESSION_KEY] = "oidc"
    session.save()
    return wren


def _respond(client, post) -> str:
    html = client.get(post.get_absolute_url()).content.decode()
    return html[html.index('id="respond"') :]


def test_a_guest_sees_no_provider_when_none_is_configured(client, article, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    cache.clear()
    form = _respond(client, article)
    assert "Log in with" not in form
    assert 'name="author"' in form and 'name="email"' in form


def test_a_configured_provider_is_offered_as_a_plain_link_with_next(client, article, settings):
    _oidc(settings)
    form = _respond(client, article)
    links = re.findall(
        r'<a class="provider-login" href="([^"]+)"[^>]*>Log in with ([^<]+)</a>', form
    )
    assert len(links) == 1
    href, name = unescape(links[0][0]), links[0][1]
    assert name == NAME
    url = urlsplit(href)
    assert url.path == LOGIN
    assert parse_qs(url.query) == {
        "process": ["login"],
        "next": [f"{article.get_absolute_url()}#respond"],
    }
    assert "csrfmiddlewaretoken" not in form  # the guest page stays non-personal


def test_without_js_the_link_leads_to_allauths_own_csrf_protected_form(client, article, settings):
    _oidc(settings)
    query = urlencode({"process": "login", "next": f"{article.get_absolute_url()}#respond"})
    page = client.get(f"{LOGIN}?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<form[^>]*method="post"', html)
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_logged_in_reader_sees_the_panel_and_no_name_or_email(client, article, via_oidc):
    form = _respond(client, article)
    text = re.sub(r"<[^>]+>", "", form)
    assert f"You are commenting using your {NAME} account. (Log Out / Change)" in " ".join(
        text.split()
    )
    assert "Wren Okafor" in form
    assert 'name="author"' not in form and 'name="email"' not in form
    assert 'action="/accounts/logout/"' in form
    assert f'name="next" value="{article.get_absolute_url()}#respond"' in form
    assert f'name="next" value="{article.get_absolute_url()}#identity-choice"' in form
    assert "Log in with" not in form


def test_a_password_login_comments_with_the_sites_account(client, article, wren, settings):
    settings.SITE_NAME = "The Marrowick Ledger"
    client.force_login(wren)
    text = _text(_respond(client, article))
    assert "You are commenting using your account on The Marrowick Ledger. (Log Out / Change)" in (
        text
    )
    assert "your The Marrowick Ledger account" not in text


def test_the_panel_filled_in_by_the_script_reads_the_same(client, article, wren, settings):
    settings.SITE_NAME = "The Marrowick Ledger"
    client.force_login(wren)
    me = client.get(reverse("discussion:me"), {"post": article.pk}).json()
    text = _text(me["identity_html"])
    assert "You are commenting using your account on The Marrowick Ledger." in text
    assert 'data-identity="logout"' in me["identity_html"]
    assert 'data-identity="change"' in me["identity_html"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_logged_in_comment_needs_no_name_and_carries_the_provider(client, article, via_oidc):
    data = form_data(article, author="", email="")
    response = client.post("/comments/post/", data, **ORIGIN)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.provider, comment.author_name) == (
        via_oidc,
        "oidc",
        "Wren Okafor",
    )
    assert comment.author_email == "wren@example.org"
    badge = re.search(
        r'<span class="badge badge--provider"[^>]*>([^<]+)</span>', _respond_all(client, article)
    )
    assert badge.group(1) == NAME


def _respond_all(client, post) -> str:
    return client.get(post.get_absolute_url()).content.decode()


def test_a_guest_comment_is_badged_guest(client, article):
    client.post("/comments/post/", form_data(article), **ORIGIN)
    html = _respond_all(client, article)
    assert '<span class="badge badge--guest"' in html
    assert "badge--provider" not in html


@pytest.mark.parametrize(
    "name", ["wren", "WREN", "Wren Okafor", "  wren   okafor ", "Wren\tOkafor"]
)
def test_a_guest_cannot_take_a_registered_readers_name(client, article, wren, name):
    response = client.post("/comments/post/", form_data(article, author=name), **ORIGIN)
    assert response.status_code == 400
    assert "belongs to a registered reader" in response.content.decode()
    assert "please log in" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_guest_may_use_a_name_no_one_registered(client, article, wren):
    response = client.post("/comments/post/", form_data(article, author="Wren O."), **ORIGIN)
    assert response.status_code == 302


def test_the_login_signal_records_the_provider_of_this_login(rf, wren, settings):
    _oidc(settings)
    request = rf.get("/")
    request.session = {}
    request.user = wren
    account = SocialAccount(user=wren, provider="oidc", uid="wren-sub")
    user_logged_in.send(
        sender=get_user_model(), request=request, user=wren, sociallogin=_Login(account)
    )
    assert request.session[SESSION_KEY] == "oidc"
    user_logged_in.send(sender=get_user_model(), request=request, user=wren)
    assert request.session[SESSION_KEY] == "local"


class _Login:
    def __init__(self, account):
        self.account = account


def test_a_disconnected_account_no_longer_names_the_provider(rf, via_oidc, client, db):
    SocialAccount.objects.all().delete()
    request = rf.get("/")
    request.user = via_oidc
    request.session = {SESSION_KEY: "oidc"}
    commenter = commenter_for(request)
    assert (commenter.provider_id, commenter.provider_name) == ("local", "")


def test_only_providers_with_an_app_are_listed(rf, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {"facebook": {}}
    cache.clear()
    assert configured_providers(rf.get("/")) == []


# Against the real provider process: a login that is tampered with ends in an
# error page and creates no account.


def _start_login(client, article):
    next_url = f"{article.get_absolute_url()}#respond"
    client.get(f"{LOGIN}?process=login")
    response = client.post(LOGIN, {"process": "login", "next": next_url})
    assert response.status_code == 302
    return response["Location"]


def _consent(authorize_url, provider) -> str:
    """Log in at the provider and allow, as a person would; the callback URL it sends back."""
    browser = requests.Session()
    browser.trust_env = False
    login = f"{provider.origin}/login/"
    page = browser.get(login, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    nxt = authorize_url.removeprefix(provider.origin)
    page = browser.post(
        login,
        {
            "csrfmiddlewaretoken": token,
            "username": provider.username,
            "password": provider.password,
            "next": nxt,
        },
        timeout=10,
    )
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields = {k: unescape(v) for k, v in fields.items()}
    fields["allow"] = "Authorize"
    done = browser.post(page.url, fields, allow_redirects=False, timeout=10)
    assert done.status_code == 302, done.text[:500]
    return done.headers["Location"]


def _callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def live_oidc(settings, oidc_provider):
    _oidc(settings, issuer=oidc_provider.issuer)
    return oidc_provider


def test_the_authorization_request_uses_pkce_and_state(client, article, live_oidc):
    authorize = urlsplit(_start_login(client, article))
    query = parse_qs(authorize.query)
    assert authorize.netloc == urlsplit(live_oidc.issuer).netloc
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["state"] and "openid" in query["scope"][0]


def test_the_full_flow_logs_in_and_returns_to_the_article(client, article, live_oidc):
    callback = _consent(_start_login(client, article), live_oidc)
    response = client.get(_callback_path(callback))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#respond"
    assert client.session[SESSION_KEY] == "oidc"
    assert SocialAccount.objects.get(provider="oidc").user.email == "wren@example.org"


def test_a_tampered_state_ends_on_an_error_page_with_no_account(client, article, live_oidc):
    callback = _consent(_start_login(client, article), live_oidc)
    tampered = re.sub(r"state=[^&]+", "state=forged-state", _callback_path(callback))
    response = client.get(tampered)
    assert response.status_code == 401
    assert "did not finish" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert not get_user_model().objects.filter(email="wren@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_callback_is_refused(client, article, live_oidc):
    callback = _callback_path(_consent(_start_login(client, article), live_oidc))
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 401
    assert "_auth_user_id" not in client.session


def test_a_code_from_another_login_is_refused_by_pkce(client, article, live_oidc):
    """An attacker's code injected into this browser's login fails: its verifier does not match."""
    other = type(client)()
    stolen = parse_qs(urlsplit(_consent(_start_login(other, article), live_oidc)).query)["code"][0]
    mine = parse_qs(urlsplit(_start_login(client, article)).query)["state"][0]
    query = urlencode({"code": stolen, "state": mine})
    assert client.get(f"/accounts/oidc/oidc/login/callback/?{query}").status_code == 401
    assert not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session


def _profile_model():
    from django.apps import apps

    try:
        return apps.get_model("identity", "Profile")
    except LookupError:
        pytest.skip("identity.Profile is not there yet")


def test_a_guest_cannot_take_a_profiles_display_name(client, article, wren):
    _profile_model().objects.update_or_create(user=wren, defaults={"display_name": "Harbour Owl"})
    response = client.post("/comments/post/", form_data(article, author="harbour  owl"), **ORIGIN)
    assert response.status_code == 400
    assert "belongs to a registered reader" in response.content.decode()


def test_a_logged_in_comment_goes_by_the_profiles_display_name(client, article, via_oidc):
    _profile_model().objects.update_or_create(
        user=via_oidc, defaults={"display_name": "Harbour Owl"}
    )
    client.post("/comments/post/", form_data(article, author="", email=""), **ORIGIN)
    assert Comment.objects.get().author_name == "Harbour Owl"


@pytest.mark.parametrize("name", ["Mara Lindqvist", "mara  LINDQVIST"])
def test_a_guest_cannot_take_a_byline_authors_name(client, article, name):
    response = client.post("/comments/post/", form_data(article, author=name), **ORIGIN)
    assert response.status_code == 400
    assert "belongs to a registered reader" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_guest_cannot_take_the_name_staff_comment_under(client, article, editor):
    editor.author_profile = Author.objects.create(
        display_name="Edda Holm", slug="edda-holm", user=editor
    )
    response = client.post("/comments/post/", form_data(article, author="Edda Holm"), **ORIGIN)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_guest_cannot_pass_for_an_account_without_a_name(client, article):
    response = client.post("/comments/post/", form_data(article, author="Reader 12"), **ORIGIN)
    assert response.status_code == 400
    assert "belongs to a registered reader" in response.content.decode()
