"""Hostile and broken files are refused with a clear message, and nothing is kept."""

import pytest

from masthead.portability.wxr.importer import import_wxr
from masthead.portability.wxr.parse import WxrError, read
from masthead.publishing.models import Post
from tests.portability.conftest import HEAD, comment, item

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss><channel><title>&d;</title></channel></rss>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>"""


def _write(tmp_path, data: bytes):
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "external"])
def test_it_refuses_entities(tmp_path, text):
    with pytest.raises(WxrError, match="entity"):
        import_wxr(_write(tmp_path, text.encode()))


def test_a_truncated_file_is_reported_with_its_place_and_keeps_nothing(tmp_path):
    whole = HEAD + "".join(item(n, title=f"Post {n}") for n in range(1, 400))
    whole = whole.replace("SITE", "https://old.example").encode()
    # Well past the first batch of posts, so a partial write would show.
    with pytest.raises(WxrError, match=r"line \d+, column \d+"):
        import_wxr(_write(tmp_path, whole[: len(whole) * 9 // 10]))
    assert Post.objects.count() == 0


def test_bytes_that_are_not_the_declared_encoding_are_refused(tmp_path):
    text = HEAD + item(1, title="Café") + "</channel></rss>"
    data = text.replace("SITE", "https://old.example").encode("latin-1")
    with pytest.raises(WxrError, match=r"line \d+, column \d+"):
        import_wxr(_write(tmp_path, data))
    assert Post.objects.count() == 0


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    with pytest.raises(WxrError, match="not a WordPress export"):
        import_wxr(_write(tmp_path, b"<html><body>hello</body></html>"))


def test_both_export_namespaces_are_read(make_wxr):
    http = make_wxr(item(1, title="Over http"), name="http.xml")
    https_head = HEAD.replace("http://wordpress.org/export", "https://wordpress.org/export")
    https = make_wxr(item(2, title="Over https"), name="https.xml", head=https_head)
    import_wxr(http)
    import_wxr(https)
    assert sorted(Post.objects.values_list("title", flat=True)) == ["Over http", "Over https"]


def _records(path):
    with open(path, "rb") as handle:
        return [vars(record) for record in read(handle)]


@pytest.mark.parametrize(
    "prolog",
    ["<!DOCTYPE rss>\n", f"<!-- {'long note ' * 200_000} -->\n"],
    ids=["doctype", "prolog-over-a-megabyte"],
)
def test_a_doctype_or_a_long_prolog_reads_the_same_as_a_plain_file(make_wxr, prolog):
    """Such files take the careful reader; what they hold comes out the same."""
    items = (item(1, title="First", extra=comment(5)), item(2, title="Second"))
    plain = make_wxr(*items, name="plain.xml")
    head = HEAD.replace("<rss", prolog + "<rss", 1)
    marked = make_wxr(*items, name="marked.xml", head=head)
    assert _records(marked) == _records(plain)
    import_wxr(marked)
    assert sorted(Post.objects.values_list("title", flat=True)) == ["First", "Second"]
