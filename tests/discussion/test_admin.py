import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from masthead.discussion import services, signals
from masthead.discussion.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    DiscussionSettings,
    Subscription,
)

QUEUE = "/admin/discussion/comment/"
SETTINGS = "/admin/discussion/discussionsettings/"
SUBSCRIPTIONS = "/admin/discussion/subscription/"


def change_url(comment):
    return reverse("admin:discussion_comment_change", args=[comment.pk])


@pytest.fixture
def post(make_post):
    return make_post()


@pytest.fixture
def queue(client, moderator):
    client.force_login(moderator)
    return client


def act(client, action, *comments):
    data = {"action": action, "_selected_action": [c.pk for c in comments]}
    return client.post(f"{QUEUE}?status=all", data, follow=True)


def messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_queue_opens_on_pending_comments_with_counts_per_status(queue, say):
    for _ in range(3):
        say("Held back.")
    for status in (CommentStatus.APPROVED, CommentStatus.APPROVED, CommentStatus.SPAM):
        say("Moderated.", status=status)
    say("Binned.", status=CommentStatus.TRASH)
    response = queue.get(QUEUE)
    html = response.content.decode()
    assert response.context["cl"].result_count == 3
    for label in ("Pending (3)", "Approved (2)", "Spam (1)", "Trash (1)", "All (7)"):
        assert label in html
    assert queue.get(QUEUE, {"status": "spam"}).context["cl"].result_count == 1
    assert queue.get(QUEUE, {"status": "all"}).context["cl"].result_count == 7


def test_the_queue_shows_who_said_what_where_and_why_it_was_held(queue, say, reader):
    comment = say(
        "Use `<script>alert(1)</script>` & *see*.",
        name="Nils <b>Berg</b>",
        moderation_note="held for moderation",
        spam_score=0.4567,
    )
    say("A member's view.", user=reader, provider="wordpress", name="Rita")
    html = queue.get(QUEUE).content.decode()
    assert "Nils &lt;b&gt;Berg&lt;/b&gt;" in html and "nils@example.org" in html
    assert "Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; see." in html
    assert "<script>alert" not in html
    assert f'href="{comment.post.get_absolute_url()}#comment-{comment.pk}"' in html
    assert "held for moderation" in html and ">0.46</td>" in html
    assert 'class="provider-badge" title="rita">wordpress</span>' in html


def test_the_queue_names_the_page_a_comment_is_under(queue, say, make_page):
    contact = make_page(title="Contact the newsroom", slug="contact")
    comment = say("Open on Sundays?", post=None, page=contact)
    html = queue.get(QUEUE).content.decode()
    assert f'href="/contact/#comment-{comment.pk}">Contact the newsroom</a>' in html
    assert "Contact the newsroom" in queue.get(change_url(comment)).content.decode()


def test_search_finds_comments_by_name_email_body_and_address(queue, say):
    say("Ferries are late again.", name="Ola Dahl", email="ola@example.net")
    say("Buses are fine.")
    for term in ("Dahl", "ola@example", "ferries", "203.0.113"):
        found = queue.get(QUEUE, {"q": term, "status": "all"}).context["cl"].result_count
        assert found == (2 if term == "203.0.113" else 1), term


def test_the_queue_costs_the_same_queries_for_3_or_15_comments(
    queue, say, make_post, reader, django_assert_max_num_queries
):
    posts = [make_post(title="Tram strike"), make_post(title="Night buses")]

    def add(n):
        for i in range(n):
            say(f"Comment {i}", post=posts[i % 2], user=reader if i % 3 else None)

    # Session, user, two for permissions, status counts, result count, the page.
    for count in (3, 15):
        add(count - Comment.objects.count())
        with django_assert_max_num_queries(7):
            response = queue.get(QUEUE)
        assert response.context["cl"].result_count == count


def test_bulk_approve_makes_comments_visible(queue, say):
    held = [say("First."), say("Second.")]
    untouched = say("Third.")
    response = act(queue, "approve_selected", *held)
    assert "2 comments approved." in messages(response)
    assert set(Comment.objects.visible()) == set(held)
    untouched.refresh_from_db()
    assert untouched.status == CommentStatus.PENDING


def test_bulk_decisions_are_announced_once_per_comment(
    queue, say, moderator, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, comment, previous, by, **kwargs):
        heard.append((comment.pk, previous, by))

    signals.comment_status_changed.connect(listener)
    try:
        held = [say("Buy pills."), say("Cheap pills.")]
        with django_capture_on_commit_callbacks(execute=True):
            response = act(queue, "spam_selected", *held)
    finally:
        signals.comment_status_changed.disconnect(listener)
    assert "2 comments marked as spam." in messages(response)
    assert sorted(heard) == sorted((c.pk, "pending", moderator) for c in held)
    assert Comment.objects.filter(status=CommentStatus.SPAM).count() == 2


def test_trash_moves_comments_out_of_the_queue(queue, say):
    comment = say("Off topic.")
    assert "1 comment moved to the trash." in messages(act(queue, "trash_selected", comment))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.TRASH


def test_deleting_a_comment_with_replies_withdraws_it_and_the_thread_stays(queue, say):
    parent = say("Opening remark.", status=CommentStatus.APPROVED)
    reply = say("A reply.", parent=parent, status=CommentStatus.APPROVED)
    loner = say("Nobody answered.")
    response = act(queue, "delete_selected_for_good", parent, loner)
    assert "2 comments deleted (1 with replies kept in place as “deleted”)." in messages(response)
    parent.refresh_from_db()
    assert parent.is_deleted and parent.body == ""
    assert list(parent.replies.all()) == [reply]
    assert not Comment.objects.filter(pk=loner.pk).exists()


def test_deleting_a_reply_with_its_parent_removes_both(queue, say):
    parent = say("Opening remark.")
    reply = say("A reply.", parent=parent)
    assert "2 comments deleted." in messages(act(queue, "delete_selected_for_good", reply, parent))
    assert not Comment.objects.exists()


def test_the_stock_bulk_delete_is_not_offered(queue, say):
    say()
    actions = queue.get(QUEUE).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)


def change_form(client, comment, **changes):
    """What the change form posts, read back from the form the admin renders."""
    response = client.get(change_url(comment))
    data = {k: v for k, v in response.context["adminform"].form.initial.items() if v is not None}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return {**data, **changes}


def test_an_edit_keeps_the_earlier_text_for_moderators(queue, say):
    comment = say("Teh ferry is late.")
    response = queue.post(
        change_url(comment), change_form(queue, comment, body="The *ferry* is late.")
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_html.strip() == "<p>The <em>ferry</em> is late.</p>"
    assert comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["Teh ferry is late."]
    assert "Teh ferry is late." in queue.get(change_url(comment)).content.decode()


def test_changing_the_status_in_the_form_goes_through_the_service(
    queue, say, moderator, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, comment, previous, by, **kwargs):
        heard.append((previous, comment.status, by))

    comment = say("Fine point.", name="Nils")
    signals.comment_status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            data = change_form(queue, comment, status="approved", author_name="Nils Berg")
            queue.post(change_url(comment), data)
    finally:
        signals.comment_status_changed.disconnect(listener)
    comment.refresh_from_db()
    assert (comment.status, comment.author_name) == ("approved", "Nils Berg")
    assert heard == [("pending", "approved", moderator)]
    assert not CommentRevision.objects.exists()


def test_an_approved_comment_can_be_sent_back_to_the_queue(queue, say):
    comment = say(status=CommentStatus.APPROVED)
    queue.post(change_url(comment), change_form(queue, comment, status="pending"))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert not Comment.objects.visible().exists()


def test_the_context_of_a_comment_is_read_only(queue, say):
    comment = say()
    form = queue.get(change_url(comment)).context["adminform"].form
    assert set(form.fields) == {"body", "status", "author_name", "author_email", "author_url"}


def test_a_withdrawn_comment_cannot_be_rewritten(queue, say):
    comment = say()
    say("Reply.", parent=comment)
    services.delete_comment(comment)
    assert "body" not in queue.get(change_url(comment)).context["adminform"].form.fields


def test_a_moderator_deletes_an_edited_comment_from_its_page(queue, say):
    comment = say("Frist.")
    services.edit_comment(comment, "First.")
    delete_url = reverse("admin:discussion_comment_delete", args=[comment.pk])
    assert queue.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Comment.objects.exists()


def test_comments_are_not_added_in_the_back_office(queue):
    assert queue.get(f"{QUEUE}add/").status_code == 403


def test_a_reader_is_sent_to_the_login_page(client, reader):
    client.force_login(reader)
    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_without_moderation_rights_are_refused(client, author_user, say):
    comment = say()
    client.force_login(author_user)
    assert client.get(QUEUE).status_code == 403
    assert client.get(change_url(comment)).status_code == 403
    assert act(client, "approve_selected", comment).status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_a_moderator_who_may_not_delete_is_not_offered_deletion(client, moderator, say):
    moderators = Group.objects.get(name="Moderator")
    moderators.permissions.remove(Permission.objects.get(codename="delete_comment"))
    say()
    client.force_login(moderator)
    actions = dict(client.get(QUEUE).context["action_form"].fields["action"].choices)
    assert "approve_selected" in actions and "delete_selected_for_good" not in actions


def test_the_settings_list_opens_the_one_row(admin_client):
    response = admin_client.get(SETTINGS)
    config = DiscussionSettings.objects.get()
    assert response.url == reverse("admin:discussion_discussionsettings_change", args=[config.pk])
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert not page.context["has_delete_permission"]
    assert admin_client.get(f"{SETTINGS}add/").status_code == 403


def test_the_settings_stay_closed_to_moderators_without_the_right(queue):
    assert queue.get(SETTINGS).status_code == 403
    assert not DiscussionSettings.objects.exists()


def test_subscriptions_are_listed_searched_and_filtered(admin_client, post):
    Subscription.objects.create(email="ann@example.org", post=post, confirmed_at=post.published_at)
    Subscription.objects.create(email="bo@example.org")
    html = admin_client.get(SUBSCRIPTIONS).content.decode()
    assert "ann@example.org" in html and post.title in html and "New posts (whole site)" in html
    assert admin_client.get(SUBSCRIPTIONS, {"q": "bo@"}).context["cl"].result_count == 1
    confirmed = admin_client.get(SUBSCRIPTIONS, {"confirmed": "yes"}).context["cl"]
    assert [s.email for s in confirmed.result_list] == ["ann@example.org"]
    unconfirmed = admin_client.get(SUBSCRIPTIONS, {"confirmed": "no"}).context["cl"]
    assert [s.email for s in unconfirmed.result_list] == ["bo@example.org"]
    assert admin_client.get(f"{SUBSCRIPTIONS}add/").status_code == 403
