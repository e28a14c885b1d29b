"""Samples, posts to import into, and the import commands as a site owner runs them."""

import io

import pytest
from django.core.management import call_command

from masthead.discussion import notifications  # noqa: F401  (its receivers must be connected)
from masthead.discussion.models import Comment
from tests.shared_data import shared_data


@pytest.fixture
def sample():
    """A file under ../shared/data/comments; the test is skipped where the data is absent."""

    def find(*parts: str):
        path = shared_data("comments", *parts)
        if path is None:
            pytest.skip("the shared comment samples are not here")
        return path

    return find


@pytest.fixture
def post_at(make_post):
    """A published post whose old address was ``url``, as the old comment system saw it."""

    def make(url: str, title: str = "Imported piece", **fields):
        return make_post(title=title, legacy_url=url, **fields)

    return make


@pytest.fixture
def run_import():
    """``masthead import_disqus FILE`` or ``import_comments --format F FILE --site S``
    (``site=None`` leaves --site out, for a file that names its site); its output."""

    def run(format_name: str, path, *options: str, site: str | None = "old.example") -> str:
        out = io.StringIO()
        if format_name == "disqus":
            args = ["import_disqus", str(path)]
        else:
            args = ["import_comments", "--format", format_name, str(path)]
            args += ["--site", site] if site else []
        call_command(*args, *options, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are enqueued, so any email an import queued would be sent."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def imported():
    """The comments one format stored for one site, by their id in the file."""

    def by_key(format_name: str, site: str = "old.example") -> dict[str, Comment]:
        prefix = f"{format_name}:" if format_name == "disqus" else f"{format_name}:{site}:"
        comments = Comment.objects.filter(legacy_id__startswith=prefix).select_related("parent")
        return {c.legacy_id.removeprefix(prefix): c for c in comments}

    return by_key
