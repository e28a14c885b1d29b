import io

import pytest
from defusedxml import ElementTree
from django.core.management import call_command

from masthead.portability.export_wxr import write_wxr
from masthead.publishing import services
from masthead.publishing.models import Category, Page, Post, Tag

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture
def wxr(site, tmp_path):
    call_command("export_wxr", str(tmp_path / "site.xml"))
    return ElementTree.parse(tmp_path / "site.xml").getroot()


def items(root, post_type):
    return [i for i in root.iter("item") if i.findtext(f"{WP}post_type") == post_type]


def by_name(root, post_type):
    return {i.findtext(f"{WP}post_name"): i for i in items(root, post_type)}


def test_the_file_is_wxr_1_2_with_every_post_page_and_figure(wxr):
    assert wxr.tag == "rss" and wxr.get("version") == "2.0"
    channel = wxr.find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.findtext(f"{WP}base_site_url") == "http://testserver"
    assert set(by_name(wxr, "post")) == set(Post.objects.values_list("slug", flat=True))
    assert set(by_name(wxr, "page")) == set(Page.objects.values_list("slug", flat=True))
    assert len(items(wxr, "attachment")) == 1
    ids = [i.findtext(f"{WP}post_id") for i in wxr.iter("item")]
    assert len(ids) == len(set(ids)) == 7


def test_statuses_are_wordpress_statuses(wxr):
    status = {name: i.findtext(f"{WP}status") for name, i in by_name(wxr, "post").items()}
    assert status == {
        "harbour-ferry-returns": "publish",
        "budget-draft": "draft",
        "closed-thread": "publish",
        "tomorrows-piece": "future",
    }
    draft = by_name(wxr, "post")["budget-draft"]
    assert draft.findtext(f"{WP}post_date_gmt") == "0000-00-00 00:00:00"
    closed = by_name(wxr, "post")["closed-thread"]
    assert closed.findtext(f"{WP}comment_status") == "closed"


def test_a_post_carries_its_html_terms_author_and_lead_figure(wxr):
    lead = by_name(wxr, "post")["harbour-ferry-returns"]
    html = lead.findtext(CONTENT)
    assert "<blockquote>" in html and '<figure class="figure">' in html
    assert 'src="http://testserver/media/figures/' in html
    assert lead.findtext(EXCERPT) == "The ferry is back."
    assert lead.findtext(f"{WP}is_sticky") == "1"
    terms = {(c.get("domain"), c.get("nicename"), c.text) for c in lead.findall("category")}
    assert terms == {
        ("category", "europe", "Europe"),
        ("category", "city", "City"),
        ("post_tag", "ferry", "Ferry"),
    }
    logins = {a.findtext(f"{WP}author_login") for a in wxr.iter(f"{WP}author")}
    assert lead.findtext(DC_CREATOR) == "joe" and logins == {"joe", "mara"}
    meta = {
        m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
        for m in lead.iter(f"{WP}postmeta")
    }
    attachment = items(wxr, "attachment")[0]
    assert meta["_thumbnail_id"] == attachment.findtext(f"{WP}post_id")
    assert meta["_masthead_bylines"] == "joe,mara"
    assert attachment.findtext(f"{WP}attachment_url").startswith("http://testserver/media/")
    assert attachment.findtext(EXCERPT) == "Back in service"


def test_every_comment_keeps_its_thread_and_status(wxr):
    lead = by_name(wxr, "post")["harbour-ferry-returns"]
    comments = {c.findtext(f"{WP}comment_id"): c for c in lead.iter(f"{WP}comment")}
    assert len(comments) == 6
    for c in comments.values():
        parent = c.findtext(f"{WP}comment_parent")
        assert parent == "0" or parent in comments
    approved = sorted(c.findtext(f"{WP}comment_approved") for c in comments.values())
    assert approved == ["0", "1", "1", "1", "spam", "trash"]
    depth = {}
    for cid, c in comments.items():
        parent = c.findtext(f"{WP}comment_parent")
        depth[cid] = 0 if parent == "0" else depth[parent] + 1
    assert max(depth.values()) == 2
    ola = next(c for c in comments.values() if c.findtext(f"{WP}comment_author") == "Ola")
    assert ola.findtext(f"{WP}comment_author_url") == "https://ola.example"
    author_ids = {a.findtext(f"{WP}author_id") for a in wxr.iter(f"{WP}author")}
    users = {c.findtext(f"{WP}comment_user_id") for c in comments.values()}
    assert users <= {"0"} | author_ids
    pingback = next(by_name(wxr, "post")["budget-draft"].iter(f"{WP}comment"))
    assert pingback.findtext(f"{WP}comment_type") == "pingback"


def test_every_term_is_listed_with_its_parent(wxr):
    channel = wxr.find("channel")
    categories = {
        c.findtext(f"{WP}category_nicename"): c.findtext(f"{WP}category_parent")
        for c in channel.iter(f"{WP}category")
    }
    assert categories == {"world": "", "europe": "world", "nordics": "europe", "city": ""}
    assert len(categories) == Category.objects.count()
    tags = {t.findtext(f"{WP}tag_slug") for t in channel.iter(f"{WP}tag")}
    assert tags == set(Tag.objects.values_list("slug", flat=True))
    terms = [t for t in channel if t.tag in (f"{WP}category", f"{WP}tag")]
    term_ids = [t.findtext(f"{WP}term_id") for t in terms]
    assert len(term_ids) == len(set(term_ids)) == 6


def test_a_page_points_at_its_parent(wxr):
    pages = by_name(wxr, "page")
    assert pages["staff"].findtext(f"{WP}post_parent") == pages["about"].findtext(f"{WP}post_id")


def test_text_that_would_break_xml_comes_through(db, byline):
    services.save_post(
        title="Less <than> & more",
        excerpt="Ends a section ]]> early\x01 or not",
        body="Use `]]>` and <script>x</script>.",
        status="published",
        authors=[byline],
    )
    out = io.BytesIO()
    write_wxr(out)
    item = ElementTree.fromstring(out.getvalue()).find("channel/item")
    assert item.findtext("title") == "Less <than> & more"
    assert item.findtext(EXCERPT) == "Ends a section ]]> early or not"
    assert "<code>]]&gt;</code>" in item.findtext(CONTENT)
    assert "<script>" not in item.findtext(CONTENT)


def test_categories_sharing_a_slug_get_distinct_nicenames(db):
    Category.objects.create(name="News", slug="news")
    city = Category.objects.create(name="City", slug="city")
    Category.objects.create(name="Local news", slug="news", parent=city)
    out = io.BytesIO()
    write_wxr(out)
    channel = ElementTree.fromstring(out.getvalue()).find("channel")
    nicenames = [c.findtext(f"{WP}category_nicename") for c in channel.iter(f"{WP}category")]
    assert sorted(nicenames) == ["city", "city-news", "news"]
