"""The sanitizer, whatever HTML it is given: nothing active comes out, and the markup
reads back as written, so the tree a browser builds is the tree that was checked."""

import pytest
from hypothesis import given

from masthead.publishing.sanitize import clean_article, clean_comment
from tests.html_audit import problems_in
from tests.publishing.html_checks import (
    ARTICLE,
    COMMENT,
    events,
    outside_allow_list,
    structure_problems,
)
from tests.publishing.strategies import anything

CONTEXTS = {"article": (clean_article, ARTICLE), "comment": (clean_comment, COMMENT)}


@pytest.mark.parametrize("context", CONTEXTS)
@given(html=anything())
def test_whatever_html_goes_in_what_comes_out_is_inert_and_well_formed(context, html):
    clean, allowed = CONTEXTS[context]
    cleaned = clean(html)

    assert problems_in(cleaned) == []
    assert outside_allow_list(cleaned, allowed) == []
    assert structure_problems(cleaned) == []
    assert clean(cleaned) == cleaned


@given(html=anything())
def test_every_comment_link_is_marked_as_user_content(html):
    for kind, tag, attrs in events(clean_comment(html)):
        if kind == "start" and tag == "a":
            assert dict(attrs)["rel"] == "nofollow ugc noopener"
