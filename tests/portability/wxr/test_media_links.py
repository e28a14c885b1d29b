"""Images in imported bodies point at the copied files; galleries become figures."""

import pytest
from django.core.files.storage import default_storage

from masthead.portability.models import ImportedMedia
from masthead.portability.wxr.importer import import_wxr
from masthead.publishing.models import Page, Post
from tests.portability.conftest import attachment, item

pytestmark = pytest.mark.django_db
OLD = "https://old.example/wp-content/uploads/2020/05"


def _figure(wp_id):
    return ImportedMedia.objects.get(legacy_id__endswith=f":attachment:{wp_id}").figure


def test_images_in_a_body_point_at_the_copied_files_even_when_the_file_comes_later(
    make_wxr, uploads
):
    body = (
        f'<p><a href="{OLD}/quay.jpg"><img src="{OLD}/quay-300x200.jpg" alt="Quay" '
        f'srcset="{OLD}/quay-300x200.jpg 300w, {OLD}/quay.jpg 1200w"></a></p>\n\n'
        f'<p><img src="http://old.example/wp-content/uploads/2020/05/quay.jpg?w=604" alt="Again">'
        f'<img src="{OLD}/missing.jpg" alt="Gone"></p>\n\n'
        '<p><img src="/wp-content/uploads/2020/05/quay.jpg" alt="Relative"></p>'
    )
    path = make_wxr(
        item(10, title="Harbour news", body=body),
        attachment(20, 10, "quay.jpg"),
        attachment(21, 10, "missing.jpg"),
    )
    report = import_wxr(path, media_dir=uploads("quay.jpg", size=(1200, 800)))
    post, figure = Post.objects.get(), _figure(20)
    smallest = default_storage.url(figure.renditions[0]["name"])
    assert "old.example/wp-content/uploads/2020/05/quay" not in post.body
    assert f'href="{figure.image.url}"' in post.body_html
    assert f'src="{smallest}"' in post.body_html
    assert f'srcset="{smallest} 300w, {figure.image.url} 1200w"' in post.body_html
    assert f'src="{figure.image.url}" alt="Again"' in post.body_html
    assert f'src="{OLD}/missing.jpg"' in post.body_html
    assert f'src="{figure.image.url}" alt="Relative"' in post.body_html
    assert (
        "post 10 “Harbour news”",
        f"{OLD}/missing.jpg left at its old address: its file was not copied",
    ) in report.notes
    assert post.revisions.get().body == post.body


def test_a_gallery_shortcode_becomes_its_figures_in_order_with_captions(make_wxr, uploads):
    path = make_wxr(
        item(10, title="Harbour news", body='<p>Before.</p>\n\n[gallery ids="21,20,99"]'),
        attachment(20, 10, "quay.jpg", caption="The quay at dusk"),
        attachment(21, 0, "boats.jpg", caption="Boats in the harbour"),
    )
    report = import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg"))
    html = Post.objects.get().body_html
    first, second = _figure(21), _figure(20)
    assert "[gallery" not in html and "masthead-gallery" not in html
    assert html.index(first.image.url) < html.index(second.image.url)
    assert "<figcaption>Boats in the harbour</figcaption>" in html
    assert "<figcaption>The quay at dusk</figcaption>" in html
    assert html.count('<figure class="figure">') == 2
    assert ("post 10 “Harbour news”", "gallery images 99 are not in the file") in report.notes


def test_a_gallery_without_ids_shows_the_images_attached_to_its_page(make_wxr, uploads):
    path = make_wxr(
        item(5, title="About us", kind="page", body="[gallery columns=2]"),
        attachment(21, 5, "boats.jpg"),
        attachment(20, 5, "quay.jpg"),
        attachment(22, 0, "elsewhere.jpg"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg", "elsewhere.jpg"))
    html = Page.objects.get().body_html
    assert html.index(_figure(20).image.url) < html.index(_figure(21).image.url)
    assert _figure(22).image.url not in html


def test_a_gallery_block_becomes_figures_with_each_images_caption(make_wxr, uploads):
    block = (
        '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images">'
        '<!-- wp:image {"id":20} -->\n<figure class="wp-block-image">'
        f'<img src="{OLD}/quay.jpg" alt="" class="wp-image-20"/>'
        "<figcaption>Quay, evening</figcaption></figure>\n<!-- /wp:image -->\n\n"
        '<!-- wp:image {"id":21} -->\n<figure class="wp-block-image">'
        f'<img src="{OLD}/boats.jpg" alt="Boats" class="wp-image-21"/></figure>\n'
        '<!-- /wp:image --><figcaption class="blocks-gallery-caption">Our harbour</figcaption>'
        "</figure>\n<!-- /wp:gallery -->"
    )
    path = make_wxr(
        item(10, title="Harbour news", body=block),
        attachment(20, 10, "quay.jpg"),
        attachment(21, 10, "boats.jpg", caption="Boats in the harbour"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg"))
    html = Post.objects.get().body_html
    assert f'src="{_figure(20).image.url}"' in html
    assert "<figcaption>Quay, evening</figcaption>" in html
    assert f'src="{OLD}/boats.jpg" alt="Boats"><figcaption>Boats in the harbour' in html
    assert "<p>Our harbour</p>" in html
    assert html.count("<figure") == 2


def test_a_dry_run_reports_the_files_it_would_copy_as_copied(make_wxr, uploads):
    body = f'<p><img src="{OLD}/quay.jpg" alt="Quay"><img src="{OLD}/missing.jpg" alt="Gone"></p>'
    path = make_wxr(
        item(10, title="Harbour news", body=body),
        attachment(20, 10, "quay.jpg"),
        attachment(21, 10, "missing.jpg"),
    )
    report = import_wxr(path, media_dir=uploads("quay.jpg"), dry_run=True)
    assert report.created["attachments without their file (original address kept)"] == 1
    left = [note for _, note in report.notes if "left at its old address" in note]
    assert left == [f"{OLD}/missing.jpg left at its old address: its file was not copied"]
    assert not Post.objects.exists()


def _order(html, *wp_ids):
    """The given attachments in the order the body shows them (those shown only)."""
    at = {wp_id: html.find(_figure(wp_id).image.url) for wp_id in wp_ids}
    return [wp_id for wp_id in sorted(at, key=at.get) if at[wp_id] >= 0]


def test_a_gallery_without_ids_follows_the_menu_order_set_in_wordpress(make_wxr, uploads):
    path = make_wxr(
        item(10, title="Harbour news", body="[gallery]"),
        attachment(20, 10, "quay.jpg", menu_order=3),
        attachment(21, 10, "boats.jpg", menu_order=1),
        attachment(22, 10, "ferry.jpg", menu_order=3),
    )
    import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg", "ferry.jpg"))
    assert _order(Post.objects.get().body_html, "20", "21", "22") == ["21", "20", "22"]


def test_a_gallery_sorted_by_title_or_date_shows_its_images_in_that_order(make_wxr, uploads):
    body = (
        '<p>By name:</p>\n\n[gallery orderby="title" order="DESC" exclude="23"]\n\n'
        "<p>By date:</p>\n\n[gallery orderby=post_date]"
    )
    path = make_wxr(
        item(10, title="Harbour news", body=body),
        attachment(20, 10, "quay.jpg", title="Quay", date="2020-05-03 10:00:00"),
        attachment(21, 10, "boats.jpg", title="boats", date="2020-05-01 10:00:00"),
        attachment(22, 10, "ferry.jpg", title="Ferry", date="2020-05-02 10:00:00"),
        attachment(23, 10, "crane.jpg", title="Crane", date="2020-04-01 10:00:00"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg", "ferry.jpg", "crane.jpg"))
    by_name, by_date = Post.objects.get().body_html.split("By date:")
    assert _order(by_name, "20", "21", "22", "23") == ["20", "22", "21"]
    assert _order(by_date, "20", "21", "22", "23") == ["23", "21", "22", "20"]


def test_a_random_gallery_keeps_the_order_of_the_file_and_id_shows_another_post(make_wxr, uploads):
    path = make_wxr(
        item(10, title="Harbour news", body='[gallery id="11" orderby="rand"]'),
        item(11, title="Ferry day", body="<p>Ferry.</p>"),
        attachment(22, 11, "ferry.jpg", menu_order=1),
        attachment(20, 11, "quay.jpg", menu_order=2),
        attachment(21, 10, "boats.jpg"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg", "ferry.jpg"))
    html = Post.objects.get(legacy_id__endswith=":post:10").body_html
    assert _order(html, "20", "21", "22") == ["22", "20"]


def test_a_second_import_sorts_a_gallery_by_the_menu_order_changed_since(make_wxr, uploads):
    media = uploads("quay.jpg", "boats.jpg")
    first = [attachment(20, 10, "quay.jpg"), attachment(21, 10, "boats.jpg")]
    import_wxr(make_wxr(item(10, title="Harbour news", body="[gallery]"), *first), media_dir=media)
    assert _order(Post.objects.get().body_html, "20", "21") == ["20", "21"]
    again = [attachment(20, 10, "quay.jpg", menu_order=2), attachment(21, 10, "boats.jpg")]
    import_wxr(make_wxr(item(10, title="Harbour news", body="[gallery]"), *again), media_dir=media)
    assert _order(Post.objects.get().body_html, "20", "21") == ["21", "20"]
    assert ImportedMedia.objects.count() == 2


def test_gallery_images_imported_as_figures_are_placed_as_figures_an_editor_can_move(
    make_wxr, uploads
):
    block = (
        '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery">'
        '<!-- wp:image {"id":20} -->\n<figure class="wp-block-image">'
        f'<img src="{OLD}/quay.jpg" alt="The [old] quay" class="wp-image-20"/></figure>\n'
        '<!-- /wp:image -->\n<!-- wp:image {"id":22} -->\n<figure class="wp-block-image">'
        f'<img src="{OLD}/ferry.jpg" alt="" class="wp-image-22"/>'
        "<figcaption>A caption of its own</figcaption></figure>\n<!-- /wp:image -->"
        "</figure>\n<!-- /wp:gallery -->"
    )
    body = f'<p>Before.</p>\n\n[gallery ids="21,23,20"]\n\n<p>After.</p>\n\n{block}'
    path = make_wxr(
        item(10, title="Harbour news", body=body),
        attachment(20, 10, "quay.jpg", caption="The quay at dusk"),
        attachment(21, 10, "boats.jpg"),
        attachment(22, 10, "ferry.jpg"),
        attachment(23, 10, "missing.jpg"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg", "boats.jpg", "ferry.jpg"))
    post = Post.objects.get()
    quay, boats, ferry = _figure(20), _figure(21), _figure(22)
    assert f"\n\n![](figure:{boats.pk})\n\n" in post.body
    assert f"\n\n![](figure:{quay.pk})\n\n" in post.body
    assert f"![The \\[old\\] quay](figure:{quay.pk})" in post.body
    assert f'<img src="{OLD}/missing.jpg"' in post.body  # its file was not copied
    assert f"figure:{ferry.pk}" not in post.body  # a caption the figure does not have
    html = post.body_html
    assert html.index("Before.") < html.index(boats.image.url) < html.index("After.")
    assert html.index(boats.image.url) < html.index(f"{OLD}/missing.jpg")
    assert 'alt="The [old] quay"' in html and "<figcaption>The quay at dusk</figcaption>" in html
    assert "<figcaption>A caption of its own</figcaption>" in html
    assert html.count('<figure class="figure">') == 5
    assert "figure:" not in html and "<p>![" not in html


def test_a_caption_written_with_wordpress_markup_reads_as_plain_words(make_wxr, uploads):
    path = make_wxr(
        item(10, title="Harbour news", body="<p>Before.</p>"),
        attachment(20, 10, "quay.jpg", caption="The <em>quay</em> at <strong>dusk</strong>"),
    )
    import_wxr(path, media_dir=uploads("quay.jpg"))
    assert _figure(20).caption == "The quay at dusk"
