import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masthead.publishing import services
from masthead.publishing.models import Author, CommentStatus, Figure, Post, Status

CHANGELIST = "/admin/publishing/post/"
ADD_POST = "/admin/publishing/post/add/"
ADD_FIGURE = "/admin/publishing/figure/add/"


def change_url(post):
    return reverse("admin:publishing_post_change", args=[post.pk])


def post_form(**fields):
    """What the add/change form posts, including the bylines inline's management form."""
    authors = fields.pop("authors", [])
    when = fields.pop("published_at", None)
    data = {
        "title": "Night buses return",
        "slug": "",
        "body": "Routes *N1* to N9 run again.",
        "excerpt": "",
        "status": Status.DRAFT,
        "published_at_0": timezone.localtime(when).strftime("%Y-%m-%d") if when else "",
        "published_at_1": timezone.localtime(when).strftime("%H:%M:%S") if when else "",
        "comment_status": CommentStatus.OPEN,
        "lead_figure": "",
        "bylines-TOTAL_FORMS": str(len(authors)),
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, author in enumerate(authors):
        data[f"bylines-{i}-author"] = str(author.pk)
        data[f"bylines-{i}-position"] = str(i)
    return data


@pytest.fixture
def aurora(author_user):
    return Author.objects.create(user=author_user, display_name="Aurora Diaz", slug="aurora-diaz")


def test_the_admin_carries_the_site_name(client, editor):
    client.force_login(editor)
    assert f"{settings.SITE_NAME} admin" in client.get("/admin/").content.decode()


def test_a_reader_is_sent_to_the_login_page(client, reader):
    client.force_login(reader)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_the_changelist_shows_posts_and_filters_to_an_editor(
    client, editor, make_post, category, tag
):
    make_post(title="Tram strike", categories=[category], tags=[tag])
    client.force_login(editor)
    html = client.get(CHANGELIST).content.decode()
    assert "Tram strike" in html and "Mara Lindqvist" in html and ">city</td>" in html
    for heading in ("By status", "By categories", "By tags", "By authors"):
        assert heading in html
    assert client.get(CHANGELIST, {"q": "strike"}).context["cl"].result_count == 1
    filtered = client.get(CHANGELIST, {"categories__id__exact": category.pk})
    assert filtered.context["cl"].result_count == 1


def test_the_changelist_query_count_does_not_grow_with_posts(
    client, editor, make_post, category, tag, django_assert_max_num_queries
):
    def add_posts(n):
        for i in range(n):
            make_post(title=f"Item {i}", categories=[category], tags=[tag])

    add_posts(3)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    add_posts(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 15


def test_an_editor_schedules_a_post_through_the_add_form(client, editor, byline, category):
    client.force_login(editor)
    when = timezone.now() + dt.timedelta(days=2)
    data = post_form(
        status=Status.PUBLISHED, published_at=when, categories=[category.pk], authors=[byline]
    )
    response = client.post(ADD_POST, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert post.status == Status.SCHEDULED
    assert post.slug == "night-buses-return"
    assert "Routes" in post.body_html
    assert post.ordered_authors() == [byline]
    assert list(post.categories.all()) == [category]


def test_publishing_without_a_date_publishes_now(client, editor):
    client.force_login(editor)
    client.post(ADD_POST, post_form(status=Status.PUBLISHED))
    post = Post.objects.get()
    assert post.status == Status.PUBLISHED and post.is_public


def test_a_clashing_slug_is_an_error_on_the_form(client, editor, make_post):
    make_post(title="Night buses return", published_at=timezone.now())
    client.force_login(editor)
    response = client.post(ADD_POST, post_form(status=Status.PUBLISHED, slug="night-buses-return"))
    assert response.status_code == 200
    assert "slug" in str(response.context["adminform"].form.errors)
    assert Post.objects.count() == 1


def test_editing_a_post_renders_its_new_body(client, editor, make_post, byline):
    post = make_post(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    data = post_form(title=post.title, slug=post.slug, body="Now with **news**.")
    assert client.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert "Now with" in post.body_html and post.status == Status.DRAFT


def test_the_change_form_links_to_the_preview(client, editor, make_post):
    draft = make_post(title="Unfinished", status=Status.DRAFT, published_at=None)
    live = make_post(title="Finished")
    client.force_login(editor)
    draft_html = client.get(change_url(draft)).content.decode()
    assert reverse("publishing:preview-post", args=[draft.pk]) in draft_html
    assert "View on site" not in draft_html
    assert "View on site" in client.get(change_url(live)).content.decode()


def test_saving_a_draft_says_where_to_preview_it(client, editor):
    client.force_login(editor)
    response = client.post(ADD_POST, post_form(), follow=True)
    post = Post.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    preview = reverse("publishing:preview-post", args=[post.pk])
    assert f'<a href="{preview}">Preview</a> (not public yet)' in messages


def test_saving_a_published_post_links_to_the_article(client, editor, make_post):
    post = make_post(title="Finished")
    client.force_login(editor)
    data = post_form(
        title=post.title,
        slug=post.slug,
        status=Status.PUBLISHED,
        published_at=post.published_at,
        _continue="1",
    )
    response = client.post(change_url(post), data, follow=True)
    html = response.content.decode()
    assert f'<a href="{post.get_absolute_url()}">View post</a>' in html


def test_an_author_sees_only_their_own_posts(client, author_user, aurora, make_post):
    mine = make_post(title="My column", authors=[aurora])
    make_post(title="Someone else's report")
    client.force_login(author_user)
    html = client.get(CHANGELIST).content.decode()
    assert "My column" in html and "Someone else" not in html
    assert client.get(change_url(mine)).status_code == 200


def test_an_author_cannot_open_another_authors_post(client, author_user, aurora, make_post):
    theirs = make_post(title="Someone else's report")
    client.force_login(author_user)
    assert client.get(change_url(theirs)).status_code == 404
    assert client.post(change_url(theirs), post_form()).status_code == 404
    assert Post.objects.get().title == "Someone else's report"


def test_an_editor_sees_every_post(client, editor, aurora, make_post):
    make_post(title="My column", authors=[aurora])
    make_post(title="Someone else's report")
    client.force_login(editor)
    assert client.get(CHANGELIST).context["cl"].result_count == 2


def test_an_authors_new_post_carries_their_byline(client, author_user):
    author_user.first_name, author_user.last_name = "Aurora", "Diaz"
    author_user.save()
    client.force_login(author_user)
    assert client.post(ADD_POST, post_form()).status_code == 302
    post = Post.objects.get()
    assert [a.display_name for a in post.ordered_authors()] == ["Aurora Diaz"]
    assert post.authors.get().user == author_user


def test_an_author_keeps_their_byline_next_to_co_authors(client, author_user, aurora, byline):
    client.force_login(author_user)
    client.post(ADD_POST, post_form(authors=[byline]))
    assert Post.objects.get().ordered_authors() == [byline, aurora]


def test_an_editors_post_saved_with_no_byline_carries_theirs(client, editor):
    editor.first_name, editor.last_name = "Eddie", "Okafor"
    editor.save()
    client.force_login(editor)
    assert client.post(ADD_POST, post_form(status=Status.PUBLISHED)).status_code == 302
    post = Post.objects.get()
    assert [a.display_name for a in post.ordered_authors()] == ["Eddie Okafor"]
    assert post.authors.get().user == editor


def test_an_editor_without_a_byline_signs_with_their_existing_profile(client, editor, make_post):
    mine = Author.objects.create(user=editor, display_name="E. Okafor", slug="e-okafor")
    post = make_post(title="Unsigned wire copy", authors=[])
    client.force_login(editor)
    data = post_form(title=post.title, slug=post.slug, status=Status.PUBLISHED)
    assert client.post(change_url(post), data).status_code == 302
    assert post.ordered_authors() == [mine]
    assert Author.objects.filter(user=editor).count() == 1


def test_an_author_cannot_touch_pages_or_categories(client, author_user):
    client.force_login(author_user)
    assert client.get("/admin/publishing/page/").status_code == 403
    assert client.get("/admin/publishing/category/add/").status_code == 403


def test_the_publish_action_publishes(client, editor, make_post):
    post = make_post(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.is_public


def test_unpublish_and_comment_actions(client, editor, make_post):
    post = make_post()
    client.force_login(editor)
    for action in ("unpublish_selected", "close_comments"):
        client.post(CHANGELIST, {"action": action, "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert (post.status, post.comment_status) == (Status.DRAFT, CommentStatus.CLOSED)
    client.post(CHANGELIST, {"action": "open_comments", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.comment_status == CommentStatus.OPEN


def test_the_markdown_preview_returns_rendered_html(client, editor):
    client.force_login(editor)
    url = reverse("admin:publishing_post_preview_markdown")
    response = client.post(url, {"source": "Fish & chips\n\n<script>alert(1)</script>"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<p>Fish &amp; chips" in html and "<script>" not in html
    assert client.get(url).status_code == 405


def test_the_markdown_preview_is_for_staff_only(client, reader):
    url = reverse("admin:publishing_post_preview_markdown")
    assert client.post(url, {"source": "x"}).status_code == 302
    client.force_login(reader)
    assert client.post(url, {"source": "x"}).status_code == 302


def test_the_markdown_preview_checks_csrf(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("admin:publishing_post_preview_markdown")
    assert client.post(url, {"source": "x"}).status_code == 403


def test_the_post_form_wires_the_live_preview(client, editor):
    client.force_login(editor)
    html = client.get(ADD_POST).content.decode()
    assert reverse("admin:publishing_post_preview_markdown") in html
    assert "masthead/admin/markdown-preview.js" in html


def test_uploading_a_non_image_is_refused_on_the_form(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(ADD_FIGURE, {"image": upload, "alt_text": "Harbour at dusk"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]
    assert not Figure.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_uploading_an_image_stores_a_figure(client, editor, jpeg_upload):
    client.force_login(editor)
    data = {"image": jpeg_upload, "alt_text": "The harbour at dusk", "credit": "M. Lindqvist"}
    response = client.post(ADD_FIGURE, data)
    assert response.status_code == 302
    figure = Figure.objects.get()
    assert figure.uploaded_by == editor and figure.renditions
    html = client.get("/admin/publishing/figure/").content.decode()
    assert f"![](figure:{figure.pk})" in html and "-480.webp" in html


def test_an_oversized_upload_gets_the_limit_on_the_form(client, editor, jpeg_upload, settings):
    settings.MASTHEAD_MAX_UPLOAD_BYTES = 1024
    client.force_login(editor)
    response = client.post(ADD_FIGURE, {"image": jpeg_upload, "alt_text": "The harbour"})
    assert "the limit is" in str(response.context["adminform"].form.errors["image"])
    assert not Figure.objects.exists()


def test_an_author_cannot_delete_figures(client, author_user, jpeg_upload):
    figure = services.create_figure(image=jpeg_upload, alt_text="A pier")
    client.force_login(author_user)
    delete = reverse("admin:publishing_figure_delete", args=[figure.pk])
    assert client.get(delete).status_code == 403


def test_a_first_editor_with_no_name_is_asked_how_they_sign_not_signed_with_their_login(
    client, django_user_model, change_form_data
):
    from masthead.publishing.models import Post

    ada = django_user_model.objects.create_superuser("ada", "ada@example.org", "pw")
    client.force_login(ada)
    add = "/admin/publishing/post/add/"
    assert "Your name on bylines" in client.get(add).text
    post = Post(title="Ferry back", status="draft", comment_status="open")
    data = change_form_data(post)
    response = client.post(add, data)
    assert response.status_code == 200 and "This field is required" in response.text
    assert not Post.objects.exists()
    response = client.post(add, {**data, "byline_name": "Ada Lindqvist"})
    assert response.status_code == 302
    assert [a.display_name for a in Post.objects.get().ordered_authors()] == ["Ada Lindqvist"]
    # Asked once: the byline is theirs from now on.
    assert "Your name on bylines" not in client.get(add).text


def test_an_editor_with_a_full_name_is_signed_with_it(client, editor, change_form_data):
    from masthead.publishing.models import Post

    client.force_login(editor)
    post = Post(title="Ferry back", status="draft", comment_status="open")
    assert "Your name on bylines" not in client.get("/admin/publishing/post/add/").text
    client.post("/admin/publishing/post/add/", change_form_data(post))
    assert [a.display_name for a in Post.objects.get().ordered_authors()] == ["Eddie Marsh"]
