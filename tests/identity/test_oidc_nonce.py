"""The OpenID Connect nonce, against the real provider process (django-oauth-toolkit).

The provider copies the nonce of the authorization request into the ID token;
Masthead must send a fresh one and accept only an ID token that carries it back.
"""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.socialaccount.internal.statekit import STATES_SESSION_KEY
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from masthead.discussion.models import DiscussionSettings, Policy
from masthead.identity.oidc.nonce import STATE_KEY
from tests.identity.test_reply_form import _callback_path, _consent, _oidc, _start_login


@pytest.fixture
def article(make_post):
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    return make_post(title="Ferry timetable", body="Evening sailings double.")


@pytest.fixture
def live_oidc(settings, oidc_provider):
    _oidc(settings, issuer=oidc_provider.issuer)
    return oidc_provider


def _stashed(client, state_id) -> dict:
    return client.session[STATES_SESSION_KEY][state_id][0]


def _set_stashed_nonce(client, state_id, nonce) -> None:
    """Change (or with None, drop) the nonce Masthead remembered for this login."""
    session = client.session
    states = session[STATES_SESSION_KEY]
    state = states[state_id][0]
    if nonce is None:
        del state[STATE_KEY]
    else:
        state[STATE_KEY] = nonce
    session[STATES_SESSION_KEY] = states
    session.save()


def assert_refused_and_nothing_created(client, response, caplog, why):
    assert response.status_code == 401
    assert f"nonce {why}" in caplog.text
    page = response.content.decode()
    assert "did not finish" in page and "was not started from this browser" in page
    assert "Try Keyhole ID again" in page
    assert not SocialAccount.objects.exists()
    assert not get_user_model().objects.filter(email="wren@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_each_authorization_request_carries_a_fresh_nonce_kept_with_its_state(
    client, article, live_oidc
):
    first = parse_qs(urlsplit(_start_login(client, article)).query)
    second = parse_qs(urlsplit(_start_login(client, article)).query)

    for query in (first, second):
        [nonce], [state_id] = query["nonce"], query["state"]
        assert len(nonce) >= 32
        assert _stashed(client, state_id)[STATE_KEY] == nonce
    assert first["nonce"] != second["nonce"]


def test_a_caller_cannot_choose_the_nonce(client, article, live_oidc):
    response = client.post(
        "/accounts/oidc/oidc/login/?" + urlencode({"auth_params": "nonce=chosen"}),
        {"process": "login"},
    )
    assert parse_qs(urlsplit(response["Location"]).query)["nonce"] != ["chosen"]


def test_the_id_token_with_the_sent_nonce_logs_in(client, article, live_oidc):
    authorize = _start_login(client, article)
    sent = parse_qs(urlsplit(authorize).query)["nonce"][0]

    response = client.get(_callback_path(_consent(authorize, live_oidc)))

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#respond"
    account = SocialAccount.objects.get(provider="oidc")
    assert account.extra_data["id_token"]["nonce"] == sent
    assert client.session["_auth_user_id"] == str(account.user_id)


def test_an_id_token_minted_for_another_nonce_is_refused(client, article, live_oidc, caplog):
    authorize = _start_login(client, article)
    state_id = parse_qs(urlsplit(authorize).query)["state"][0]
    callback = _callback_path(_consent(authorize, live_oidc))
    # As if the code (with its verifier) belonged to a login this browser did not start.
    _set_stashed_nonce(client, state_id, "a-nonce-from-some-other-login")

    assert_refused_and_nothing_created(client, client.get(callback), caplog, "not the one sent")


def test_an_id_token_without_a_nonce_is_refused(client, article, live_oidc, caplog):
    """The request reaches the provider stripped of its nonce, so the ID token has none."""
    stripped = re.sub(r"&nonce=[^&]+|nonce=[^&]+&", "", _start_login(client, article))
    assert "nonce=" not in stripped

    assert_refused_and_nothing_created(
        client, client.get(_callback_path(_consent(stripped, live_oidc))), caplog, "missing"
    )


def test_a_login_that_stashed_no_nonce_is_refused(client, article, live_oidc, caplog):
    authorize = _start_login(client, article)
    state_id = parse_qs(urlsplit(authorize).query)["state"][0]
    callback = _callback_path(_consent(authorize, live_oidc))
    _set_stashed_nonce(client, state_id, None)

    assert_refused_and_nothing_created(client, client.get(callback), caplog, "not remembered")
