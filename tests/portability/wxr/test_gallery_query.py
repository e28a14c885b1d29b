"""A [gallery] shortcode picks and orders its images as WordPress documents it."""

import datetime as dt

import pytest

from masthead.portability.models import ImportedMedia
from masthead.portability.wxr.convert import shortcode_attrs
from masthead.portability.wxr.gallery_query import from_shortcode

# In the order of the file: id, menu order, title, day of May 2020.
FILE = [("30", 2, "Harbour", 9), ("12", 1, "quay", 1), ("21", 1, "Boats", 5), ("40", 0, "Ferry", 3)]
MEDIA = {
    wp_id: ImportedMedia(
        menu_order=order, title=title, posted_at=dt.datetime(2020, 5, day, tzinfo=dt.UTC)
    )
    for wp_id, order, title, day in FILE
}
ATTACHED = [wp_id for wp_id, *_ in FILE]


def shown(shortcode: str, wp_ids=None) -> list[str]:
    query = from_shortcode(shortcode_attrs(shortcode))
    if query.ids is not None:
        wp_ids = list(query.ids)
    return query.arrange(wp_ids if wp_ids is not None else ATTACHED, MEDIA)


@pytest.mark.parametrize(
    ("shortcode", "expected"),
    [
        ("", ["40", "12", "21", "30"]),  # menu order, then id
        ('order="DESC"', ["30", "21", "12", "40"]),
        ("orderby=ID", ["12", "21", "30", "40"]),
        ('orderby="ID" order="desc"', ["40", "30", "21", "12"]),
        ("orderby=title", ["21", "40", "30", "12"]),  # as MySQL compares: case aside
        ("orderby=post_date order=DESC", ["30", "21", "40", "12"]),
        ("orderby=date", ["12", "40", "21", "30"]),
        ('orderby="menu_order title"', ["40", "21", "12", "30"]),
        ("orderby=rand", ["30", "12", "21", "40"]),  # random: the file's order kept
        ("order=RAND", ["30", "12", "21", "40"]),
        ("orderby=nonsense", ["40", "12", "21", "30"]),
        ('exclude="12, 40"', ["21", "30"]),
    ],
)
def test_a_gallery_of_attached_images_is_sorted_as_asked(shortcode, expected):
    assert shown(shortcode) == expected


@pytest.mark.parametrize(
    ("shortcode", "expected"),
    [
        ('ids="30,12,40"', ["30", "12", "40"]),  # named: in the order given
        ('ids="30,12,40" orderby="ID"', ["12", "30", "40"]),
        ('ids="30,12,40" orderby=title order=DESC', ["12", "30", "40"]),
        ('ids="30,12,40" exclude="12"', ["30", "12", "40"]),  # exclude is for attached ones
        ('include="30,12,40"', ["40", "12", "30"]),  # included: sorted as by default
        ('include="30,99,12" orderby=ID', ["12", "30", "99"]),  # one not in the file: last
    ],
)
def test_a_gallery_of_named_images_keeps_their_order_unless_told(shortcode, expected):
    assert shown(shortcode) == expected


def test_a_gallery_can_show_another_posts_images():
    assert from_shortcode(shortcode_attrs('id="77"')).post == "77"
    assert from_shortcode(shortcode_attrs('id="x"')).post == ""
