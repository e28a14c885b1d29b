"""Comment identity: one comment per imported legacy id, old data brought in line."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from masthead.discussion.models import Comment

BEFORE = [("discussion", "0006_comment_moderators_notified_at")]
AFTER = [("discussion", "0007_one_comment_per_legacy_id")]


def _comment(post, legacy_id="", **fields):
    fields.setdefault("author_name", "Ines")
    return Comment.objects.create(post=post, body="Hello.", legacy_id=legacy_id, **fields)


@pytest.mark.django_db
def test_two_comments_cannot_claim_one_imported_identity(make_post):
    post = make_post()
    _comment(post, "wp:0a1b2c3d4e:comment:7")
    with pytest.raises(IntegrityError), transaction.atomic():
        _comment(post, "wp:0a1b2c3d4e:comment:7")
    _comment(post, "wp:ffffffffff:comment:7")  # the same id on another site is another comment
    _comment(post)
    _comment(post)  # comments written here carry no legacy id, as many as readers write
    assert Comment.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_comment_and_the_first_its_identity(make_post):
    post = make_post()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE[0]).apps
        OldComment = old.get_model("discussion", "Comment")
        rows = [
            OldComment.objects.create(
                post_id=post.pk, author_name=name, body="Hi.", body_html="<p>Hi.</p>", legacy_id=key
            )
            for name, key in [("a", "disqus:9"), ("b", "disqus:9"), ("c", "disqus:9"), ("d", "")]
        ]
        MigrationExecutor(connection).migrate(AFTER)
        kept = dict(
            old.get_model("discussion", "Comment").objects.values_list("author_name", "legacy_id")
        )
        assert kept == {"a": "disqus:9", "b": "", "c": "", "d": ""}
        assert OldComment.objects.count() == len(rows)
    finally:
        # Every later test in this run expects the latest schema again.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
