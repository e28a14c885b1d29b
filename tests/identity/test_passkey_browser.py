"""Passkeys in a real Chromium: added from the account's security page, then used to sign in.

Chromium's virtual authenticator (over the DevTools protocol) stands in for a phone
or a security key, so the whole WebAuthn ceremony runs: the page's script, the
browser, allauth's checks of the signed answer.
"""

import pytest
from allauth.mfa.models import Authenticator

from tests.identity import PASSWORD, verify, with_staff_2fa

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def site(live_server, settings):
    """The live server, at http://localhost: a secure context for Chromium and for fido2
    alike, so the origin is checked as on a real site rather than waved through."""
    assert live_server.url.startswith("http://localhost:")
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def browser_page(chromium):
    """A page whose browser holds one virtual authenticator; script errors are kept."""
    context = chromium.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    page.authenticator = (cdp, found["authenticatorId"])
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


def _credentials(page) -> list:
    cdp, authenticator_id = page.authenticator
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def _log_in_with_password(page, site, email, next_path=""):
    page.goto(f"{site}/accounts/login/{next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/accounts/login/'] button[type=submit]")


def _add_passkey(page, site, name, shots, passwordless=True):
    page.goto(f"{site}/accounts/profile/")
    with page.expect_navigation():
        page.get_by_role("link", name="Two-factor authentication").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Add").click()
    # Adding a key asks for the password again, however recent the sign-in.
    assert page.url.startswith(f"{site}/accounts/reauthenticate/")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert page.url == f"{site}/accounts/2fa/webauthn/add/", page.content()
    page.fill("input[name=name]", name)
    page.set_checked("input[name=passwordless]", passwordless)
    page.screenshot(path=shots / "add-passkey.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()


def _log_out(page, site):
    page.goto(f"{site}/accounts/logout/")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Out").click()


def _sign_in_with_passkey(page, site, shots):
    page.goto(f"{site}/accounts/login/")
    page.screenshot(path=shots / "login.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with a passkey").click()


def _profile_heading(page, site) -> str:
    """What "Your account" opens: the profile for a signed-in reader, else the sign-in form."""
    page.goto(f"{site}/accounts/profile/")
    return page.locator("main h1").first.inner_text()


def test_a_reader_adds_a_passkey_and_signs_in_with_it_alone(browser_page, site, reader, tmp_path):
    page = browser_page
    verify(reader)
    _log_in_with_password(page, site, reader.email)

    _add_passkey(page, site, "Rita's phone", tmp_path)

    page.screenshot(path=tmp_path / "added.png", full_page=True)
    assert "Security key added." in page.inner_text("main")
    key = Authenticator.objects.get(user=reader, type=Authenticator.Type.WEBAUTHN)
    assert (key.wrap().name, key.wrap().is_passwordless) == ("Rita's phone", True)
    (credential,) = _credentials(page)
    assert credential["isResidentCredential"]

    _log_out(page, site)
    assert _profile_heading(page, site) == "Sign In"

    _sign_in_with_passkey(page, site, tmp_path)

    page.screenshot(path=tmp_path / "signed-in.png", full_page=True)
    assert page.url == f"{site}/"
    assert _profile_heading(page, site) == "Your profile"
    assert "Successfully signed in as rita." in page.inner_text("main")
    assert page.errors == []
    print(f"\nscreenshots in {tmp_path}")


def test_staff_required_to_use_2fa_enrol_a_passkey_and_sign_in_to_the_admin_with_it(
    browser_page, site, editor, settings, tmp_path
):
    page = browser_page
    with_staff_2fa(settings)
    verify(editor)
    _log_in_with_password(page, site, editor.email)
    page.goto(f"{site}/admin/")
    assert page.url == f"{site}/accounts/2fa/"
    assert "requires two-factor authentication for staff" in page.inner_text("main")

    _add_passkey(page, site, "Desk key", tmp_path)

    page.goto(f"{site}/admin/")
    assert page.url == f"{site}/admin/"
    _log_out(page, site)
    page.goto(f"{site}/admin/")
    assert page.url.startswith(f"{site}/accounts/login/")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with a passkey").click()

    page.screenshot(path=tmp_path / "admin.png", full_page=True)
    assert page.url == f"{site}/admin/"
    assert "Site administration" in page.inner_text("#content")
    assert page.errors == []


def test_staff_sign_in_with_their_password_then_touch_their_security_key(
    browser_page, site, editor, settings, tmp_path
):
    page = browser_page
    with_staff_2fa(settings)
    verify(editor)
    _log_in_with_password(page, site, editor.email)
    _add_passkey(page, site, "Desk key", tmp_path, passwordless=False)
    _log_out(page, site)

    page.goto(f"{site}/admin/")
    _log_in_with_password(page, site, editor.email, next_path="?next=/admin/")
    assert page.url == f"{site}/accounts/2fa/authenticate/"
    page.screenshot(path=tmp_path / "second-factor.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Use a security key").click()

    assert page.url == f"{site}/admin/"
    assert "Site administration" in page.inner_text("#content")
    assert page.errors == []
