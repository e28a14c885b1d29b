"""The Markdown pipelines, whatever a person types: for articles (raw HTML, figures,
footnotes, quotes) and for comments (HTML shown as text), nothing active comes out
and the HTML reads back as written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings

from masthead.publishing import services
from masthead.publishing.markup import render_article, render_comment
from masthead.publishing.sanitize import clean_article, clean_comment
from tests.conftest import image_bytes
from tests.html_audit import problems_in
from tests.publishing.html_checks import ARTICLE, COMMENT, outside_allow_list, structure_problems
from tests.publishing.strategies import anything

# The figure is only read, so one per test serves every example.
reads_a_figure = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def hostile_figure(db):
    """A figure whose own words try to break out of the markup it is shown in."""
    return services.create_figure(
        image=SimpleUploadedFile("quay.jpg", image_bytes(size=(600, 400))),
        alt_text='" onerror="alert(1)',
        caption="<script>alert(1)</script> & <b>bold</b>",
        credit="</small><img src=x onerror=alert(1)>",
    )


def _with_figure(source: str, figure) -> str:
    # The strategies write figure:1; point it at the figure that exists.
    return source.replace("figure:1", f"figure:{figure.pk}")


@reads_a_figure
@given(source=anything())
def test_an_article_body_renders_inert_and_well_formed(hostile_figure, source):
    html = render_article(_with_figure(source, hostile_figure))

    assert problems_in(html) == []
    assert outside_allow_list(html, ARTICLE) == []
    assert structure_problems(html) == []
    assert clean_article(html) == html


@given(source=anything())
def test_a_comment_renders_inert_and_well_formed(source):
    html = render_comment(source)

    assert problems_in(html) == []
    assert outside_allow_list(html, COMMENT) == []
    assert structure_problems(html) == []
    assert clean_comment(html) == html
