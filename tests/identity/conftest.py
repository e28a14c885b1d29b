"""A real OpenID Connect provider and a real Masthead, each in its own process.

The provider is django-oauth-toolkit (tests/identity/oidc_provider); Masthead is
started as operators start it, `masthead serve`, and learns about the provider
from environment variables only.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.identity.providers import FakeWordPressCom, app_settings, loopback_only
from tests.ports import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROVIDER_NAME = "Keyhole ID"
CLIENT_ID = "masthead-test-client"
CLIENT_SECRET = "masthead-test-secret-3f9c1e"
USERNAME, PASSWORD = "wren", "lantern-harbour-77"
CALLBACK = "/accounts/oidc/oidc/login/callback/"
# The in-process test client calls itself http://testserver.
TESTSERVER_CALLBACK = f"http://testserver{CALLBACK}"


@dataclass
class Provider:
    issuer: str
    masthead_port: int
    client_id: str = CLIENT_ID
    secret: str = CLIENT_SECRET
    name: str = PROVIDER_NAME
    username: str = USERNAME
    password: str = PASSWORD

    @property
    def origin(self) -> str:
        return self.issuer.removesuffix("/o")


@dataclass
class Masthead:
    url: str
    article_url: str
    data_dir: Path


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urlopen(url, timeout=2):
                return
        except URLError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def _run(args, env) -> None:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _clean_env(*paths) -> dict:
    """This environment without Masthead's knobs, so each process gets only its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [*map(str, paths), env.get("PYTHONPATH")]))
    # Nothing these processes do may leave the machine.
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


PROVIDER_SETUP = """
from django.contrib.auth.models import User
from oauth2_provider.models import Application
user = User.objects.create_user({username!r}, "wren@example.org", {password!r},
                                first_name="Wren", last_name="Okafor")
Application.objects.create(
    name="Masthead", user=user, client_id={client_id!r}, client_secret={secret!r},
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris={redirect_uris!r}, algorithm=Application.RS256_ALGORITHM,
    skip_authorization=False,
)
"""


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """django-oauth-toolkit's OIDC provider on 127.0.0.1, with PKCE required."""
    home = tmp_path_factory.mktemp("oidc-provider")
    port, masthead_port = free_port(), free_port()
    # A project of its own: imported as `oidc_provider`, not as part of the test suite.
    env = _clean_env(HERE) | {
        "DJANGO_SETTINGS_MODULE": "oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(home / "provider.sqlite3"),
        "OIDC_PROVIDER_SECRET_KEY": os.urandom(32).hex(),
        "OIDC_PROVIDER_RSA_KEY": _rsa_key(),
    }
    django = [sys.executable, "-m", "django"]
    _run([*django, "migrate", "--noinput", "-v0"], env)
    redirect_uris = f"http://127.0.0.1:{masthead_port}{CALLBACK} {TESTSERVER_CALLBACK}"
    setup = PROVIDER_SETUP.format(
        username=USERNAME,
        password=PASSWORD,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        redirect_uris=redirect_uris,
    )
    _run([*django, "shell", "-c", setup], env)
    log = home / "provider.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*django, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", proc, log)
        yield Provider(issuer=issuer, masthead_port=masthead_port)
    finally:
        _stop(proc)


MASTHEAD_SETUP = """
import datetime as dt
from django.utils import timezone
from masthead.discussion.models import DiscussionSettings, Policy
from masthead.publishing import services
from masthead.publishing.models import Author, Status
DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
byline = Author.objects.create(display_name="Mara Lindqvist", slug="mara-lindqvist")
post = services.save_post(
    title="Night ferry timetable", body="The night ferry runs again from Monday.",
    authors=[byline], status=Status.PUBLISHED,
    published_at=timezone.now() - dt.timedelta(days=1),
)
print(post.get_absolute_url())
"""


@pytest.fixture(scope="session")
def masthead_server(oidc_provider, tmp_path_factory):
    """Masthead under `masthead serve`, told about the provider by its environment alone."""
    data_dir = tmp_path_factory.mktemp("masthead")
    port = oidc_provider.masthead_port
    url = f"http://127.0.0.1:{port}"
    env = _clean_env() | {
        "MASTHEAD_DATA_DIR": str(data_dir),
        "MASTHEAD_SITE_URL": url,
        "MASTHEAD_OIDC_ISSUER": oidc_provider.issuer,
        "MASTHEAD_OIDC_CLIENT_ID": oidc_provider.client_id,
        "MASTHEAD_OIDC_SECRET": oidc_provider.secret,
        "MASTHEAD_OIDC_NAME": oidc_provider.name,
    }
    cli = [sys.executable, "-m", "masthead.cli"]
    _run([*cli, "migrate", "--noinput", "-v0"], env)
    done = subprocess.run(
        [*cli, "shell", "-c", MASTHEAD_SETUP], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        pytest.fail(done.stderr[-3000:])
    path = done.stdout.strip().splitlines()[-1]
    log = data_dir / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", "1", "--no-task-worker"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(f"{url}{path}", proc, log)
        yield Masthead(url=url, article_url=f"{url}{path}", data_dir=data_dir)
    finally:
        _stop(proc)


@pytest.fixture
def wordpress(settings, monkeypatch, db):
    loopback_only(monkeypatch)
    with FakeWordPressCom() as fake:
        settings.SOCIALACCOUNT_PROVIDERS = app_settings("wordpress_com", api_url=fake.url)
        yield fake
