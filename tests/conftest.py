"""Personas and factories shared by the whole suite."""

import datetime as dt
import io
import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import settings as hypothesis_settings
from PIL import Image

from masthead.publishing import services
from masthead.publishing.models import Author, Category, Status, Tag
from tests.mail import Inbox

# Property tests: a few hundred examples each, with no per-example time limit (the
# machine is shared). CI draws the same examples every run, so a red build is a
# real finding anyone can reproduce, and keeps no example database.
# MASTHEAD_HYPOTHESIS=thorough searches far longer, for a change to the sanitizer.
hypothesis_settings.register_profile("masthead", max_examples=300, deadline=None)
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("masthead"), derandomize=True, database=None
)
hypothesis_settings.register_profile("thorough", max_examples=5_000, deadline=None)
_profile = "ci" if os.environ.get("CI") == "true" else "masthead"
hypothesis_settings.load_profile(os.environ.get("MASTHEAD_HYPOTHESIS") or _profile)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MASTHEAD_PAGES_DIR = tmp_path / "pages"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


def _user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "correct horse battery", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def admin_user(django_user_model):
    return _user(
        django_user_model,
        "ada",
        is_staff=True,
        is_superuser=True,
        first_name="Ada",
        last_name="Lindqvist",
    )


@pytest.fixture
def editor(django_user_model):
    return _user(
        django_user_model, "eddie", "Editor", is_staff=True, first_name="Eddie", last_name="Marsh"
    )


@pytest.fixture
def author_user(django_user_model):
    return _user(
        django_user_model, "aurora", "Author", is_staff=True, first_name="Aurora", last_name="Diaz"
    )


@pytest.fixture
def moderator(django_user_model):
    return _user(django_user_model, "molly", "Moderator", is_staff=True)


@pytest.fixture
def reader(django_user_model):
    return _user(django_user_model, "rita")


@pytest.fixture
def hold_all(db):
    """Every comment waits for a moderator."""
    from masthead.discussion.models import DiscussionSettings, Policy

    config = DiscussionSettings.current()
    config.policy = Policy.HOLD_ALL
    config.save()
    return config


@pytest.fixture
def byline(db):
    return Author.objects.create(display_name="Mara Lindqvist", slug="mara-lindqvist")


@pytest.fixture
def make_page(db):
    """A published standing page through the service; its comments open unless told."""

    def make(title="About the paper", body="Who we are.", **fields):
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - dt.timedelta(days=1))
        fields.setdefault("comment_status", "open")
        return services.save_page(title=title, body=body, **fields)

    return make


@pytest.fixture
def make_post(db, byline):
    """Build a post through the service, published a day ago unless told otherwise."""

    def make(title="Harbour ferry returns", body="The ferry is back.", **fields):
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - dt.timedelta(days=1))
        categories = fields.pop("categories", [])
        tags = fields.pop("tags", [])
        authors = fields.pop("authors", [byline])
        post = services.save_post(
            title=title, body=body, authors=authors, categories=categories, tags=tags, **fields
        )
        return post

    return make


@pytest.fixture
def category(db):
    return Category.objects.create(name="City", slug="city")


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="Transport", slug="transport")


def image_bytes(fmt="JPEG", size=(1200, 800), color=(30, 90, 160), exif=None):
    buf = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buf, fmt, **kwargs)
    return buf.getvalue()


@pytest.fixture
def jpeg_upload():
    return SimpleUploadedFile("harbour.jpg", image_bytes(), content_type="image/jpeg")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs it")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # database work stays synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def nginx() -> str:
    """Debian's nginx (nginx-light), which `make test` installs as root."""
    import os
    import shutil

    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing; `make test` installs nginx-light")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return found


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()


class WsgiReply:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode()


@pytest.fixture
def wsgi(db):
    """GET through the whole WSGI application, page cache included, as a server would."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    import masthead.wsgi

    def get(path, *, cookies="", method="GET", scheme="http", **headers):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443" if scheme == "https" else "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            **({"HTTP_COOKIE": cookies} if cookies else {}),
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }
        started = []
        # As Django's test client does: the test's transaction must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = masthead.wsgi.application(
                environ, lambda status, hdrs, exc=None: started.append((status, hdrs))
            )
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return WsgiReply(*started[0], body)

    return get


@pytest.fixture
def run_worker(monkeypatch):
    """Run the database worker until nothing is ready, as ``masthead serve`` would.

    The worker closes any connection it finds outside autocommit, and a test's own
    transaction is one: on PostgreSQL the test would lose its connection."""
    import signal

    from django.core.management import call_command

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

    return run


@pytest.fixture
def smtp(settings):
    """Django sends through a real SMTP server on 127.0.0.1; ``smtp.stop()`` takes it down."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    inbox.start(settings)
    yield inbox
    inbox.stop()


@pytest.fixture
def first_editor(monkeypatch):
    """The first editor, made as the README says (``createsuperuser``); returns how they
    log in at /admin/ in a browser page."""
    from django.core.management import call_command

    from tests.identity import PASSWORD

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        username="ada",
        email="ada@example.org",
        stdout=io.StringIO(),
    )

    def log_in(page, site: str) -> None:
        page.goto(f"{site}/admin/")
        page.fill("input[name=login]", "ada@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("form[action*='/accounts/login/'] button[type=submit]")

    return log_in


@pytest.fixture
def inbox_receiver(settings):
    """A Fediverse server on 127.0.0.1 the site may deliver to."""
    from tests.receivers import InboxReceiver

    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True
    receiver = InboxReceiver().start()
    yield receiver
    receiver.stop()
