import datetime as dt

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

# Held comments older than this had their notice under the one-email-per-comment
# scheme; newer ones may still wait for it, and ride in the next notice instead.
ANNOUNCED_BEFORE = dt.timedelta(minutes=10)


def mark_announced(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    announced = Comment.objects.filter(
        status="pending", created_at__lt=timezone.now() - ANNOUNCED_BEFORE
    )
    announced.update(moderators_notified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0005_comment_body_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="moderators_notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_announced, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("moderators_notified_at__isnull", True), ("status", "pending")),
                fields=["created_at"],
                name="awaiting_moderators",
            ),
        ),
    ]
