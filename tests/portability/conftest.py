"""The portability tests' sites and files: a small site with one of everything, keyed by
natural keys, and WordPress exports, the shared real ones and small made ones."""

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from masthead.discussion.models import Comment, CommentRevision
from masthead.identity.models import Profile
from masthead.publishing import services
from masthead.publishing.models import (
    Author,
    Category,
    Figure,
    Page,
    Post,
    PostNote,
    Status,
    Tag,
)
from tests.conftest import image_bytes
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


def attachment(
    wp_id, parent, name, *, caption="", link="", title="Quay at dusk", menu_order=0, date=""
):
    """An image attachment stored at wp-content/uploads/2020/05/<name> on the old site."""
    made = item(
        wp_id,
        title=title,
        kind="attachment",
        status="inherit",
        body="The old quay, long exposure.",
        extra=(
            f"<wp:attachment_url>https://old.example/wp-content/uploads/2020/05/{name}"
            "</wp:attachment_url>"
            f"<wp:menu_order>{menu_order}</wp:menu_order>"
            f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
            f"<wp:meta_value>2020/05/{name}</wp:meta_value></wp:postmeta>"
            "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            "<wp:meta_value>Boats moored at a stone quay</wp:meta_value></wp:postmeta>"
        ),
    ).replace("<wp:post_parent>0</wp:post_parent>", f"<wp:post_parent>{parent}</wp:post_parent>")
    made = made.replace("<excerpt:encoded><![CDATA[]]>", f"<excerpt:encoded><![CDATA[{caption}]]>")
    if date:  # "2020-05-04 10:00:00", the site's time and UTC alike
        made = re.sub(r"(<wp:post_date(?:_gmt)?>)[^<]*", rf"\g<1>{date}", made)
    if link:
        slug = title.lower().replace(" ", "-")
        made = made.replace(f"<link>SITE/{slug}/</link>", f"<link>SITE{link}</link>")
    return made


@pytest.fixture
def uploads(tmp_path):
    """A --media-dir holding the named JPEGs under 2020/05/, as WordPress lays them out."""

    def make(*names, size=(64, 48)):
        folder = tmp_path / "uploads" / "2020" / "05"
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            buffer = io.BytesIO()
            Image.new("RGB", size, "navy").save(buffer, "JPEG")
            (folder / name).write_bytes(buffer.getvalue())
        return tmp_path / "uploads"

    return make


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


WHEN = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """A data directory of the test's own, with a generated secret key in it."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text(settings.SECRET_KEY)
    return settings.DATA_DIR


def _comment(post, parent=None, **fields):
    from masthead.publishing import markup

    fields.setdefault("author_name", "Ines")
    fields.setdefault("body", "The timetable changed on Monday.")
    fields.setdefault("status", "approved")
    comment = Comment(
        post=post,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body_html=markup.render_comment(fields["body"]),
        **fields,
    )
    comment.save()
    return comment


@pytest.fixture
def site(db):
    """Every kind of content a round trip must carry, with its odd corners."""
    users = get_user_model().objects
    editor = users.create_user("eddie", "eddie@example.org", "pw", first_name="Ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    EmailAddress.objects.create(user=editor, email="eddie@example.org", verified=True, primary=True)
    reader = users.create_user("rita", "rita@example.org", "pw")
    Profile.objects.create(user=reader, display_name="Rita R.", website="https://rita.example")

    mara = Author.objects.create(display_name="Mara Lindqvist", slug="mara", user=editor, bio="Hi")
    joe = Author.objects.create(display_name="Joe Imported", slug="joe", legacy_id="7")
    world = Category.objects.create(name="World", slug="world", legacy_id="3")
    europe = Category.objects.create(name="Europe", slug="europe", parent=world)
    Category.objects.create(name="Nordics", slug="nordics", parent=europe, description="North")
    city = Category.objects.create(name="City", slug="city")
    ferry = Tag.objects.create(name="Ferry", slug="ferry")
    Tag.objects.create(name="Unused", slug="unused", legacy_id="12")

    figure = services.create_figure(
        image=SimpleUploadedFile("harbour.jpg", image_bytes(), content_type="image/jpeg"),
        alt_text="The ferry at the quay",
        caption="Back in service",
        credit="Photo: M. L.",
        uploaded_by=editor,
    )
    lead = services.save_post(
        title="Harbour ferry returns",
        body=f"Intro.\n\n{figure.markdown}\n\n> It is back.\n> — The mayor",
        excerpt="The ferry is back.",
        status=Status.PUBLISHED,
        published_at=WHEN,
        authors=[joe, mara],
        categories=[europe, city],
        tags=[ferry],
        lead_figure=figure,
        sticky=True,
        legacy_id="101",
        legacy_url="/2025/03/harbour-ferry/",
        by=editor,
    )
    services.save_post(lead, body=lead.body + "\n\nMore.", by=editor)
    services.save_note(PostNote(post=lead, kind="correction", text="An earlier *date* was wrong."))
    draft = services.save_post(
        title="Budget draft", body="Not yet.", status=Status.DRAFT, authors=[mara]
    )
    services.save_post(
        title="Closed thread",
        body="Old news.",
        status=Status.PUBLISHED,
        published_at=WHEN - dt.timedelta(days=400),
        comment_status="closed",
        authors=[joe],
    )
    services.save_post(
        title="Tomorrow's piece",
        body="Soon.",
        status=Status.PUBLISHED,
        published_at=timezone.now() + dt.timedelta(days=1),
    )

    about = services.save_page(title="About", body="Who we are.", status=Status.PUBLISHED)
    services.save_page(title="Staff", body="The people.", status=Status.PUBLISHED, parent=about)

    top = _comment(lead, author_email="ines@example.org", ip_address="203.0.113.9")
    reply = _comment(lead, top, user=reader, author_name="Rita", body="Thanks, *noted*.")
    _comment(lead, reply, author_name="Ola", author_url="https://ola.example", body="Deep.")
    _comment(lead, status="pending", body="Waiting for a moderator.")
    _comment(lead, status="spam", body="Buy pills", moderation_note="Too many links")
    _comment(lead, status="trash", body="Rude", deleted_at=WHEN)
    _comment(draft, kind="pingback", author_name="Other blog", body="Linked.")
    CommentRevision.objects.create(comment=reply, body="Thanks.", replaced_at=WHEN)
    from masthead.discussion.services import recount_comments

    recount_comments(lead.pk)
    recount_comments(draft.pk)
    return {"lead": lead, "figure": figure}


def _when(value):
    return value.isoformat() if value else None


def _snapshot() -> dict:
    """What a reader, an editor or a moderator can tell apart, with ids left out."""
    users = {
        u.username: (
            u.email,
            u.first_name,
            u.is_staff,
            u.is_superuser,
            sorted(g.name for g in u.groups.all()),
            sorted((e.email, e.verified) for e in u.emailaddress_set.all()),
            getattr(getattr(u, "profile", None), "display_name", None),
        )
        for u in get_user_model().objects.all()
    }
    authors = {
        a.slug: (a.display_name, a.bio, a.legacy_id, a.user and a.user.username)
        for a in Author.objects.all()
    }
    categories = {
        c.path: (c.name, c.description, c.legacy_id, c.parent and c.parent.path)
        for c in Category.objects.all()
    }
    tags = {t.slug: (t.name, t.legacy_id) for t in Tag.objects.all()}
    figures = {
        f.image.name: (
            f.alt_text,
            f.caption,
            f.credit,
            f.width,
            f.height,
            f.renditions,
            f.uploaded_by and f.uploaded_by.username,
            _when(f.created_at),
        )
        for f in Figure.objects.all()
    }
    content = ("title", "status", "excerpt", "body_html", "legacy_id", "legacy_url")
    posts = {
        (p.slug, _when(p.published_at)): (
            *(getattr(p, name) for name in content),
            _when(p.created_at),
            _when(p.updated_at),
            p.comment_status,
            p.sticky,
            p.comment_count,
            p.lead_figure and p.lead_figure.image.name,
            [(b.author.slug, b.position) for b in p.bylines.all()],
            sorted(c.path for c in p.categories.all()),
            sorted(t.slug for t in p.tags.all()),
            [
                (r.title, r.excerpt, r.by and r.by.username, _when(r.created_at))
                for r in p.revisions.all()
            ],
            [(n.kind, n.text, n.text_html, _when(n.created_at)) for n in p.notes.all()],
        )
        for p in Post.objects.all()
    }
    pages = {
        p.path: (
            *(getattr(p, name) for name in content),
            _when(p.published_at),
            _when(p.updated_at),
            p.menu_order,
        )
        for p in Page.objects.all()
    }

    def comment_key(c):
        return (c.post.slug, c.author_name, c.body) if c else None

    comments = {
        comment_key(c): (
            comment_key(c.parent),
            c.depth,
            c.kind,
            c.status,
            c.user and c.user.username,
            c.author_email,
            c.author_url,
            c.body_html,
            c.moderation_note,
            _when(c.created_at),
            _when(c.deleted_at),
            c.ip_address,
            [r.body for r in c.revisions.all()],
        )
        for c in Comment.objects.select_related("post", "parent__post", "user")
    }
    return {
        "users": users,
        "authors": authors,
        "categories": categories,
        "tags": tags,
        "figures": figures,
        "posts": posts,
        "pages": pages,
        "comments": comments,
    }


def _media_files() -> dict[str, bytes]:
    """Every file in media storage with its bytes."""
    found = {}

    def walk(folder):
        dirs, files = default_storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}" if folder else name
            with default_storage.open(path, "rb") as handle:
                found[path] = handle.read()
        for name in dirs:
            walk(f"{folder}/{name}" if folder else name)

    if default_storage.exists(""):
        walk("")
    return found


def _empty_site() -> None:
    """Remove content and accounts, as a fresh install has none."""
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.filter(parent__isnull=False).delete()
    Page.objects.all().delete()
    for model in (Figure, Author, Tag):
        model.objects.all().delete()
    Category.objects.filter(parent__isnull=True).delete()
    get_user_model().objects.all().delete()


@pytest.fixture
def snapshot():
    return _snapshot


@pytest.fixture
def media_files():
    return _media_files


@pytest.fixture
def empty_site():
    return _empty_site
