"""A site exported as WordPress eXtended RSS and imported into an empty site comes back."""

from django.core.management import call_command

from masthead.discussion.models import Comment
from masthead.publishing.models import Category, Figure, Page, Post, Tag


def _content():
    """What readers and editors can tell apart, keyed by what survives a move."""
    return {
        "posts": {
            p.title: (
                p.slug,
                p.status,
                p.published_at.replace(microsecond=0) if p.status == "published" else None,
                p.excerpt,
                p.comment_status,
                p.sticky,
                # WXR names one author per post (dc:creator): the first byline.
                [b.author.display_name for b in p.bylines.order_by("position")[:1]],
                sorted(c.name for c in p.categories.all()),
                sorted(t.name for t in p.tags.all()),
            )
            for p in Post.objects.all()
        },
        "pages": {
            p.title: (p.status, p.parent and p.parent.title, p.comment_status, p.comment_count)
            for p in Page.objects.all()
        },
        "categories": {c.name: c.parent and c.parent.name for c in Category.objects.all()},
        "tags": sorted(t.name for t in Tag.objects.filter(posts__isnull=False).distinct()),
        "figures": sorted((f.alt_text, f.caption, f.credit) for f in Figure.objects.all()),
        "comments": {
            (c.target.title, c.author_name, c.body.strip()): (
                c.status,
                c.parent and (c.parent.author_name, c.parent.body.strip()),
                c.created_at.replace(microsecond=0),
            )
            for c in Comment.objects.select_related("post", "page", "parent")
        },
    }


def test_a_site_moved_through_wxr_keeps_posts_threads_terms_and_figures(
    site, empty_site, tmp_path, settings
):
    before = _content()
    # A scheduled post comes in as a draft: nothing becomes public by import alone.
    for title, fields in before["posts"].items():
        if fields[1] == "scheduled":
            before["posts"][title] = (fields[0], "draft", *fields[2:])
    call_command("export_wxr", str(tmp_path / "site.xml"))
    empty_site()
    # The old site's media folder, as a site owner moving house would pass it.
    call_command("import_wxr", str(tmp_path / "site.xml"), "--media-dir", str(settings.MEDIA_ROOT))

    after = _content()
    for part in before:
        for key in before[part] if isinstance(before[part], dict) else [None]:
            got = after[part].get(key) if key is not None else after[part]
            want = before[part][key] if key is not None else before[part]
            assert got == want, (part, key)
        assert after[part] == before[part], part
