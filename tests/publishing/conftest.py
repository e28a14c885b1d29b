"""What the publishing tests share."""

import pytest
from django.utils import timezone


@pytest.fixture
def change_form_data():
    """What the admin's post change form sends for ``post``, with new notes and ``fields``."""

    def data(post, *, notes=(), **fields):
        when = timezone.localtime(post.published_at) if post.published_at else None
        form = {
            "title": post.title,
            "slug": post.slug,
            "body": post.body,
            "excerpt": post.excerpt,
            "status": post.status,
            "published_at_0": when.strftime("%Y-%m-%d") if when else "",
            "published_at_1": when.strftime("%H:%M:%S") if when else "",
            "comment_status": post.comment_status,
            "lead_figure": "",
            "notes-TOTAL_FORMS": str(len(notes)),
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            **{f"bylines-{name}_FORMS": "0" for name in ("TOTAL", "INITIAL", "MIN_NUM")},
            "bylines-MAX_NUM_FORMS": "1000",
            **fields,
        }
        for i, (kind, text) in enumerate(notes):
            form[f"notes-{i}-kind"] = kind
            form[f"notes-{i}-text"] = text
        return form

    return data
