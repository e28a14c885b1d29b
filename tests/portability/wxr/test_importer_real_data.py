"""The real WordPress test exports import whole: counts and items checked against the XML."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.utils.text import slugify
from PIL import Image

from masthead.discussion.models import Comment
from masthead.portability.models import ImportedMedia
from masthead.portability.wxr.importer import import_wxr
from masthead.publishing.models import Category, Page, Post, Status, Tag
from tests.portability.conftest import real_export

pytestmark = pytest.mark.django_db

FILES = ["themeunittestdata.wordpress.xml", "64-block-test-data.xml"]
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)


def _text(markup):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _legacy(model, kind, wp_id):
    return model.objects.get(legacy_id__endswith=f":{kind}:{wp_id}")


@pytest.fixture(params=FILES)
def imported(request, expected):
    path = real_export(request.param)
    xml = expected(path)
    xml.path = path
    return xml, import_wxr(path)


def test_it_imports_as_many_posts_pages_comments_and_attachments_as_the_file_holds(imported):
    xml, _ = imported
    assert Post.objects.count() == len(xml.of_type("post"))
    assert Page.objects.count() == len(xml.of_type("page"))
    assert Comment.objects.count() == len(xml.comments("post")) + len(xml.comments("page"))
    assert ImportedMedia.objects.count() == len(xml.items) - len(
        [i for i in xml.items if xml.field(i, "wp:post_type") != "attachment"]
    )


def test_it_keeps_every_category_with_its_parent_and_every_tag(imported):
    xml, _ = imported
    used = {
        c.get("nicename")
        for i in xml.of_type("post")
        for c in i.findall("category")
        if c.get("domain") == "category"
    }
    declared = {xml.field(c, "wp:category_nicename"): c for c in xml.categories}
    assert Category.objects.count() == len(set(declared) | used)
    for nicename, element in declared.items():
        parent = xml.field(element, "wp:category_parent")
        category = Category.objects.get(legacy_id__endswith=f":{xml.field(element, 'wp:term_id')}")
        assert category.slug == slugify(nicename)
        assert (category.parent.slug if category.parent else "") == slugify(parent)
    tags = {xml.field(t, "wp:tag_slug") for t in xml.tags} | {
        c.get("nicename")
        for i in xml.of_type("post")
        for c in i.findall("category")
        if c.get("domain") == "post_tag"
    }
    assert Tag.objects.count() == len({slugify(t) for t in tags})


def test_each_post_and_page_has_the_comments_the_file_gives_it(imported):
    xml, _ = imported
    for kind, model in (("post", Post), ("page", Page)):
        for element in xml.of_type(kind):
            target = _legacy(model, kind, xml.field(element, "wp:post_id"))
            in_file = len(element.findall("wp:comment", xml.ns))
            assert target.comments.count() == in_file, (kind, target.title)
            approved = [
                c
                for c in element.findall("wp:comment", xml.ns)
                if xml.field(c, "wp:comment_approved") == "1"
            ]
            assert target.comment_count == len(approved), (kind, target.title)


def test_pages_keep_their_comment_status(imported):
    xml, _ = imported
    for element in xml.of_type("page"):
        page = _legacy(Page, "page", xml.field(element, "wp:post_id"))
        assert page.comment_status == (xml.field(element, "wp:comment_status") or "closed")


@pytest.mark.parametrize("kind", ["post", "page"])
def test_it_keeps_each_reply_under_its_parent_with_status_and_kind(imported, kind):
    xml, _ = imported
    for item, element in xml.comments(kind):
        comment = _legacy(Comment, "comment", xml.field(element, "wp:comment_id"))
        assert comment.target.legacy_id.endswith(f":{kind}:{xml.field(item, 'wp:post_id')}")
        parent = xml.field(element, "wp:comment_parent")
        if parent not in ("", "0"):
            assert comment.parent.legacy_id.endswith(f":comment:{parent}")
            assert comment.depth == comment.parent.depth + 1
        else:
            assert comment.parent is None
        approved = xml.field(element, "wp:comment_approved")
        assert comment.status == {"1": "approved", "0": "pending"}.get(approved, approved)
        assert comment.kind == (xml.field(element, "wp:comment_type") or "comment")
        name = " ".join(html.unescape(xml.field(element, "wp:comment_author")).split())
        assert comment.author_name == (name[:100] or "Anonymous")


def test_every_caption_in_the_content_is_in_the_article(imported):
    xml, _ = imported
    checked = 0
    for element in xml.of_type("post"):
        content = xml.field(element, "content:encoded")
        captions = [_text(m.group(1)) for m in _FIGCAPTION.finditer(content)]
        for attrs, inner in _CAPTION.findall(content):
            named = re.search(r'caption="([^"]*)"', attrs)
            captions.append(
                _text(
                    named.group(1)
                    if named
                    else re.sub(r"^.*<img[^>]*>(</a>)?", "", inner, flags=re.S)
                )
            )
        post = _legacy(Post, "post", xml.field(element, "wp:post_id"))
        shown = _text(post.body_html)
        for caption in filter(None, captions):
            assert caption in shown, (post.title, caption)
            checked += 1
    assert checked > 0


def test_attachments_keep_title_caption_and_alt_text(imported):
    xml, _ = imported
    for element in [i for i in xml.items if xml.field(i, "wp:post_type") == "attachment"]:
        media = _legacy(ImportedMedia, "attachment", xml.field(element, "wp:post_id"))
        assert media.original_url == xml.field(element, "wp:attachment_url")
        excerpt_ns = xml.ns["wp"].replace("export/1.2/", "export/1.2/excerpt/")
        excerpt = element.findtext(f"{{{excerpt_ns}}}encoded")
        assert media.caption == _text(excerpt or "")
        alts = [
            m.findtext("wp:meta_value", namespaces=xml.ns)
            for m in element.findall("wp:postmeta", xml.ns)
            if m.findtext("wp:meta_key", namespaces=xml.ns) == "_wp_attachment_image_alt"
        ]
        assert media.alt_text == (_text(alts[0]) if alts else "")


def test_nothing_held_back_in_wordpress_becomes_public(imported):
    xml, report = imported
    for element in xml.of_type("post") + xml.of_type("page"):
        status = xml.field(element, "wp:status")
        password = xml.field(element, "wp:post_password")
        model, kind = (
            (Post, "post") if xml.field(element, "wp:post_type") == "post" else (Page, "page")
        )
        obj = _legacy(model, kind, xml.field(element, "wp:post_id"))
        if status != "publish" or password:
            assert obj.status == Status.DRAFT
            assert not obj.is_public
            assert any(
                what.startswith(f"{kind} {xml.field(element, 'wp:post_id')} ")
                for what, _ in report.held_back
            )


def test_pages_keep_their_hierarchy(imported):
    xml, _ = imported
    for element in xml.of_type("page"):
        parent = xml.field(element, "wp:post_parent")
        page = _legacy(Page, "page", xml.field(element, "wp:post_id"))
        if parent not in ("", "0") and any(
            xml.field(p, "wp:post_id") == parent for p in xml.of_type("page")
        ):
            assert page.parent.legacy_id.endswith(f":page:{parent}")
            assert page.path == f"{page.parent.path}/{page.slug}"


def test_old_links_redirect_permanently_to_the_new_addresses(imported, client):
    xml, _ = imported
    checked = 0
    for element in xml.of_type("post"):
        post = _legacy(Post, "post", xml.field(element, "wp:post_id"))
        response = client.get("/", {"p": xml.field(element, "wp:post_id")})
        if post.is_public:
            assert response.status_code == 301
            assert response["Location"] == post.get_absolute_url()
            assert client.get(response["Location"]).status_code == 200
            old = re.sub(r"^https?://[^/]+", "", xml.field(element, "link"))
            moved = client.get(old)
            assert moved.status_code in (200, 301)
            if moved.status_code == 301:
                assert moved["Location"] == post.get_absolute_url()
            checked += 1
        else:
            assert response.status_code != 301
    assert checked > 0
    for element in xml.of_type("page"):
        page = _legacy(Page, "page", xml.field(element, "wp:post_id"))
        response = client.get("/", {"page_id": xml.field(element, "wp:post_id")})
        if page.is_public:
            assert (response.status_code, response["Location"]) == (301, page.get_absolute_url())


def test_importing_the_same_file_again_updates_and_adds_nothing(imported):
    xml, _ = imported
    path = xml.path
    counts = (
        Post.objects.count(),
        Comment.objects.count(),
        Category.objects.count(),
        Tag.objects.count(),
    )
    report = import_wxr(path)
    assert (
        Post.objects.count(),
        Comment.objects.count(),
        Category.objects.count(),
        Tag.objects.count(),
    ) == counts
    assert report.created["posts"] == 0
    assert report.updated["posts"] == counts[0]
    assert report.created["comments"] == 0


_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF"}
_LINKED = re.compile(r'(?:src|href)="([^"]+)"|srcset="([^"]+)"')


def _uploads_of(xml, root):
    """A --media-dir holding a small made file for each attachment of the export."""
    paths = []
    for element in [i for i in xml.items if xml.field(i, "wp:post_type") == "attachment"]:
        url = xml.field(element, "wp:attachment_url")
        target = root / urlsplit(url).path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        fmt = _FORMATS.get(target.suffix.lower().lstrip("."))
        if fmt:
            Image.new("RGB", (40, 30), "teal").save(target, fmt)
        else:
            target.write_bytes(b"not an image")
        paths.append(urlsplit(url).path.rsplit(".", 1)[0])
    return paths


@pytest.mark.parametrize("name", FILES)
def test_with_the_files_no_body_shows_the_old_sites_uploads(name, tmp_path, expected):
    path = real_export(name)
    xml = expected(path)
    stems = _uploads_of(xml, tmp_path / "uploads")
    import_wxr(path, media_dir=tmp_path / "uploads")
    host = urlsplit(xml.field(xml.items[0], "guid")).netloc
    for model in (Post, Page):
        for item in model.objects.all():
            assert "[gallery" not in item.body_html, item.title
            for src, srcset in _LINKED.findall(item.body_html):
                for url in [src] if src else [c.split()[0] for c in srcset.split(",")]:
                    old = urlsplit(html.unescape(url))
                    shown = re.sub(r"-\d+x\d+$", "", old.path.rsplit(".", 1)[0])
                    assert not (old.netloc.endswith(host.split(".", 1)[-1]) and shown in stems), (
                        item.title,
                        url,
                    )


def test_a_gallery_with_ids_shows_those_images_in_order(tmp_path, expected):
    path = real_export(FILES[0])
    xml = expected(path)
    _uploads_of(xml, tmp_path / "uploads")
    import_wxr(path, media_dir=tmp_path / "uploads")
    checked = 0
    for element in xml.of_type("post"):
        content = xml.field(element, "content:encoded")
        for ids in re.findall(r'\[gallery[^\]]*ids="([\d,]+)"', content):
            post = _legacy(Post, "post", xml.field(element, "wp:post_id"))
            known = [
                ImportedMedia.objects.filter(legacy_id__endswith=f":attachment:{i}").first()
                for i in ids.split(",")
            ]
            urls = [m.url for m in known if m is not None]
            positions = [post.body_html.index(f'src="{url}"') for url in urls]
            assert positions == sorted(positions) and urls, post.title
            checked += 1
    assert checked > 0
