from django.db import migrations, models
from django.db.models import Count


def keep_one_per_legacy_id(apps, schema_editor):
    """Before the constraint: where two comments claim one legacy id, the first keeps it.

    No comment is deleted (replies, likes and moderation hang from them); the later
    copies lose only their claim to be that imported comment, so a re-import updates
    the first one and leaves them as comments written here.
    """
    Comment = apps.get_model("discussion", "Comment")
    shared = (
        Comment.objects.exclude(legacy_id="")
        .values("legacy_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("legacy_id", flat=True)
    )
    for legacy_id in list(shared):
        first = Comment.objects.filter(legacy_id=legacy_id).order_by("id").first()
        Comment.objects.filter(legacy_id=legacy_id).exclude(pk=first.pk).update(legacy_id="")


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0006_comment_moderators_notified_at"),
    ]

    operations = [
        migrations.RunPython(keep_one_per_legacy_id, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("legacy_id", ""), _negated=True),
                fields=("legacy_id",),
                name="one_comment_per_legacy_id",
            ),
        ),
    ]
