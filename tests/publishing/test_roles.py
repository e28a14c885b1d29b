"""Every role against every back-office action: what it may do, and that nothing else happens.

Each row is an action; each column what a persona gets. ``LOGIN`` is the redirect
to the admin's login (which hands over to allauth's); 302 elsewhere is a save
that went through, and only then may the action have changed anything.
"""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.models import CommentStatus as Moderation
from masthead.publishing import services
from masthead.publishing.models import Author, Category, Figure, Page, Post, Tag

LOGIN = "login"
PERSONAS = ["anonymous", "reader", "author", "moderator", "editor", "superuser"]

# fmt: off
MATRIX = {
    #                          anonymous reader author moderator editor superuser
    "post: changelist":         (LOGIN, LOGIN, 200, 403, 200, 200),
    "post: add":                (LOGIN, LOGIN, 302, 403, 302, 302),
    "post: change own":         (LOGIN, LOGIN, 302, 403, 302, 302),
    "post: change other's":     (LOGIN, LOGIN, 404, 404, 302, 302),
    "post: delete other's":     (LOGIN, LOGIN, 404, 404, 302, 302),
    "figure: changelist":       (LOGIN, LOGIN, 200, 403, 200, 200),
    "figure: view other's":     (LOGIN, LOGIN, 200, 403, 200, 200),
    "figure: change own":       (LOGIN, LOGIN, 302, 403, 302, 302),
    "figure: change other's":   (LOGIN, LOGIN, 403, 403, 302, 302),
    "figure: delete own":       (LOGIN, LOGIN, 302, 403, 302, 302),
    "figure: delete other's":   (LOGIN, LOGIN, 403, 403, 302, 302),
    "page: change":             (LOGIN, LOGIN, 403, 403, 302, 302),
    "category: add":            (LOGIN, LOGIN, 403, 403, 302, 302),
    "tag: add":                 (LOGIN, LOGIN, 302, 403, 302, 302),
    "byline: change other's":   (LOGIN, LOGIN, 403, 403, 302, 302),
    "comment: changelist":      (LOGIN, LOGIN, 403, 200, 200, 200),
    "comment: moderate":        (LOGIN, LOGIN, 403, 302, 302, 302),
    "discussion settings: change": (LOGIN, LOGIN, 403, 403, 302, 302),
}
# fmt: on
CELLS = [
    pytest.param(persona, action, expected, id=f"{persona}-{action}")
    for action, row in MATRIX.items()
    for persona, expected in zip(PERSONAS, row, strict=True)
]


class FormReader(HTMLParser):
    """The fields a browser would send back from the admin's change form, as rendered."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.data: dict[str, list[str]] = {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        sent = self.inside and "disabled" not in attrs and "__prefix__" not in name
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif not (sent and name):
            return
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            self.add(name, "")
        elif tag == "input" and self.sends(attrs):
            self.add(name, attrs.get("value") or ("on" if "checked" in attrs else ""))

    @staticmethod
    def sends(attrs):
        kind = attrs.get("type", "text")
        if kind in {"submit", "button", "file"}:
            return False
        return kind not in {"checkbox", "radio"} or "checked" in attrs

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def rendered_form(client, url, model_name, **changes):
    """Read the form back as the superuser sees it, so the personas post what it sends."""
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader(f"{model_name}_form")
    reader.feed(response.content.decode())
    return {**reader.data, **changes}


@pytest.fixture
def people(admin_user, editor, author_user, moderator, reader):
    return {
        "anonymous": AnonymousUser(),
        "reader": reader,
        "author": author_user,
        "moderator": moderator,
        "editor": editor,
        "superuser": admin_user,
    }


@pytest.fixture
def superuser_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def a_figure(jpeg_upload):
    def make(uploaded_by):
        jpeg_upload.seek(0)
        return services.create_figure(
            image=jpeg_upload, alt_text="The pier", caption="At dawn", uploaded_by=uploaded_by
        )

    return make


def byline_of(user):
    return Author.objects.create(user=user, display_name=f"{user} writes", slug=f"by-{user.pk}")


class Actions:
    """One method per matrix row: ``(method, url, data)`` and how to tell it happened."""

    def __init__(self, user, superuser, make_post, a_figure, byline):
        self.user, self.superuser = user, superuser
        self.make_post, self.a_figure, self.byline = make_post, a_figure, byline
        self.own = user if user.is_authenticated else None

    def _own_post(self):
        return self.make_post(title="Own column", authors=[byline_of(self.own)])

    def _change_post(self, post):
        url = reverse("admin:publishing_post_change", args=[post.pk])
        data = rendered_form(self.superuser, url, "post", title=["Rewritten"])
        return "post", url, data, lambda: Post.objects.get(pk=post.pk).title == "Rewritten"

    def _delete(self, obj):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        gone = type(obj).objects.filter(pk=obj.pk).exists
        return "post", url, {"post": "yes"}, lambda: not gone()

    def _change_figure(self, figure):
        url = reverse("admin:publishing_figure_change", args=[figure.pk])
        data = rendered_form(self.superuser, url, "figure", caption=["Not what it shows"])
        changed = Figure.objects.filter(pk=figure.pk, caption="Not what it shows").exists
        return "post", url, data, changed

    def post_changelist(self):
        return "get", reverse("admin:publishing_post_changelist"), {}, None

    def post_add(self):
        url = reverse("admin:publishing_post_add")
        data = rendered_form(self.superuser, url, "post", title=["Fresh"], body=["New."])
        return "post", url, data, Post.objects.filter(title="Fresh").exists

    def post_change_own(self):
        return self._change_post(self._own_post() if self.own else self.make_post())

    def post_change_others(self):
        return self._change_post(self.make_post(title="Someone else's report"))

    def post_delete_others(self):
        return self._delete(self.make_post(title="Someone else's report"))

    def figure_changelist(self):
        self.a_figure(uploaded_by=None)
        return "get", reverse("admin:publishing_figure_changelist"), {}, None

    def figure_view_others(self):
        figure = self.a_figure(uploaded_by=None)
        return "get", reverse("admin:publishing_figure_change", args=[figure.pk]), {}, None

    def figure_change_own(self):
        return self._change_figure(self.a_figure(uploaded_by=self.own))

    def figure_change_others(self):
        return self._change_figure(self.a_figure(uploaded_by=None))

    def figure_delete_own(self):
        return self._delete(self.a_figure(uploaded_by=self.own))

    def figure_delete_others(self):
        return self._delete(self.a_figure(uploaded_by=None))

    def page_change(self):
        page = services.save_page(title="About us", body="Who we are.")
        url = reverse("admin:publishing_page_change", args=[page.pk])
        data = rendered_form(self.superuser, url, "page", title=["Taken over"])
        return "post", url, data, lambda: Page.objects.get(pk=page.pk).title == "Taken over"

    def category_add(self):
        url = reverse("admin:publishing_category_add")
        data = {"name": "Harbour", "slug": "harbour", "description": ""}
        return "post", url, data, Category.objects.filter(slug="harbour").exists

    def tag_add(self):
        url, data = reverse("admin:publishing_tag_add"), {"name": "Ferries", "slug": "ferries"}
        return "post", url, data, Tag.objects.filter(slug="ferries").exists

    def byline_change_others(self):
        url = reverse("admin:publishing_author_change", args=[self.byline.pk])
        data = rendered_form(self.superuser, url, "author", display_name=["Someone new"])
        renamed = Author.objects.filter(pk=self.byline.pk, display_name="Someone new").exists
        return "post", url, data, renamed

    def _comment(self):
        return Comment.objects.create(
            post=self.make_post(), body="Good piece.", author_name="Nils", author_email="n@e.org"
        )

    def comment_changelist(self):
        self._comment()
        return "get", reverse("admin:discussion_comment_changelist"), {}, None

    def comment_moderate(self):
        comment = self._comment()
        url = reverse("admin:discussion_comment_change", args=[comment.pk])
        data = rendered_form(self.superuser, url, "comment", status=[Moderation.APPROVED])
        approved = Comment.objects.filter(pk=comment.pk, status=Moderation.APPROVED).exists
        return "post", url, data, approved

    def discussion_settings_change(self):
        config = DiscussionSettings.current()
        url = reverse("admin:discussion_discussionsettings_change", args=[config.pk])
        data = rendered_form(self.superuser, url, "discussionsettings", edit_minutes=["99"])
        return "post", url, data, DiscussionSettings.objects.filter(edit_minutes=99).exists


def method_for(action: str) -> str:
    return action.replace(": ", "_").replace(" ", "_").replace("'s", "s")


@pytest.mark.parametrize(("persona", "action", "expected"), CELLS)
def test_the_role_matrix(
    client, superuser_client, people, make_post, a_figure, byline, persona, action, expected
):
    user = people[persona]
    actions = Actions(user, superuser_client, make_post, a_figure, byline)
    method, url, data, happened = getattr(actions, method_for(action))()
    if user.is_authenticated:
        client.force_login(user)

    response = getattr(client, method)(url, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, getattr(response, "context_data", None)
    if happened is not None:
        assert happened() == (expected == 302)


def test_the_admin_login_hands_anonymous_visitors_to_allauth(client, db):
    response = client.get(reverse("admin:publishing_post_changelist"), follow=True)
    first, *_ = response.redirect_chain
    assert first[0].startswith(reverse("admin:login"))
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_a_reader_who_reaches_the_admin_login_is_turned_away(client, reader):
    client.force_login(reader)
    assert client.get(reverse("admin:login")).status_code == 403


def test_an_author_may_view_but_not_edit_another_authors_figure(client, author_user, a_figure):
    figure = a_figure(uploaded_by=None)
    client.force_login(author_user)
    response = client.get(reverse("admin:publishing_figure_change", args=[figure.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    assert 'name="caption"' not in response.content.decode()


def test_an_author_may_pick_any_figure_for_their_lead(client, author_user, editor, a_figure):
    theirs = a_figure(uploaded_by=editor)
    client.force_login(author_user)
    url = reverse("admin:autocomplete")
    params = {"app_label": "publishing", "model_name": "post", "field_name": "lead_figure"}
    found = client.get(url, {**params, "term": "pier"}).json()["results"]
    assert [row["id"] for row in found] == [str(theirs.pk)]


def test_the_bulk_delete_action_spares_other_peoples_figures(client, editor, author_user, a_figure):
    mine, theirs = a_figure(uploaded_by=author_user), a_figure(uploaded_by=editor)
    client.force_login(author_user)
    data = {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"}
    changelist = reverse("admin:publishing_figure_changelist")
    assert client.post(changelist, data).status_code == 403
    assert Figure.objects.count() == 2
    data["_selected_action"] = [mine.pk]
    assert client.post(changelist, data).status_code == 302
    assert list(Figure.objects.all()) == [theirs]


def test_a_figure_uploaded_in_the_admin_belongs_to_its_uploader(client, author_user, jpeg_upload):
    client.force_login(author_user)
    data = {"image": jpeg_upload, "alt_text": "The harbour at dusk"}
    assert client.post(reverse("admin:publishing_figure_add"), data).status_code == 302
    assert Figure.objects.get().uploaded_by == author_user


def granted(role: str) -> set[str]:
    perms = Group.objects.get(name=role).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in perms}


def test_a_moderator_holds_the_moderation_rights_and_nothing_else(db):
    assert granted("Moderator") == {
        "discussion.view_comment",
        "discussion.change_comment",
        "discussion.delete_comment",
        "discussion.view_commentrevision",
    }


def test_the_next_migrate_takes_back_what_a_role_should_not_hold(db):
    moderators = Group.objects.get(name="Moderator")
    moderators.permissions.add(Permission.objects.get(codename="change_post"))
    call_command("migrate", verbosity=0)
    assert "publishing.change_post" not in granted("Moderator")
