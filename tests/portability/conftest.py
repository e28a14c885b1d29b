"""WordPress exports for the import tests: the shared real ones and small made ones."""

import xml.etree.ElementTree as ET

import pytest

from tests.shared_data import shared_data

WP = "http://wordpress.org/export/1.2/"
HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{WP}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{WP}">
<channel><title>Made</title><link>SITE</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>SITE</wp:base_blog_url>
<wp:author><wp:author_login>kim</wp:author_login>
<wp:author_display_name>Kim Vale</wp:author_display_name></wp:author>
"""


def item(wp_id, *, title="A post", status="publish", kind="post", body="<p>Words.</p>", extra=""):
    return f"""<item><title>{title}</title><link>SITE/{title.lower().replace(" ", "-")}/</link>
<dc:creator>kim</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{wp_id}</wp:post_id>
<wp:post_date>2020-05-04 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-05-04 08:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>{title.lower().replace(" ", "-")}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type>{kind}</wp:post_type>
<wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>{extra}</item>
"""


def comment(wp_id, *, parent=0, approved="1", body="Nice.", kind="", email="reader@example.org"):
    return f"""<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>
<wp:comment_author>Reader {wp_id}</wp:comment_author>
<wp:comment_author_email>{email}</wp:comment_author_email>
<wp:comment_author_url>https://reader.example</wp:comment_author_url>
<wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>
<wp:comment_date>2020-05-05 10:00:00</wp:comment_date>
<wp:comment_date_gmt>2020-05-05 08:00:00</wp:comment_date_gmt><wp:comment_content>
<![CDATA[{body}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


@pytest.fixture
def make_wxr(tmp_path):
    """Write a small export of the given items, for the site at ``site``."""

    def make(*items, site="https://old.example", name="made.xml", head=HEAD):
        path = tmp_path / name
        path.write_text((head + "".join(items) + "</channel></rss>\n").replace("SITE", site))
        return path

    return make


def real_export(name):
    path = shared_data("wxr", name)
    if path is None:
        pytest.skip(f"shared data wxr/{name} is absent")
    return path


class Expected:
    """What a real export holds, read from the XML itself with the standard library."""

    def __init__(self, path):
        root = ET.parse(path).getroot()
        wp = next(uri for uri in _namespaces(path) if uri.rstrip("/").endswith("export/1.2"))
        self.ns = {"wp": wp, "content": "http://purl.org/rss/1.0/modules/content/"}
        channel = root.find("channel")
        self.items = channel.findall("item")
        self.categories = channel.findall("wp:category", self.ns)
        self.tags = channel.findall("wp:tag", self.ns)

    def field(self, element, name):
        return (element.findtext(name, default="", namespaces=self.ns) or "").strip()

    def of_type(self, post_type):
        return [
            i
            for i in self.items
            if self.field(i, "wp:post_type") == post_type
            and self.field(i, "wp:status") not in ("auto-draft", "inherit")
        ]

    def comments(self, post_type="post"):
        return [(i, c) for i in self.of_type(post_type) for c in i.findall("wp:comment", self.ns)]


def _namespaces(path):
    return [uri for _, (_, uri) in ET.iterparse(path, events=("start-ns",))]


@pytest.fixture
def expected():
    return Expected
