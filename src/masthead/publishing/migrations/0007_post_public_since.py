from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def mark_public_posts(apps, schema_editor):
    """Posts already public were announced before events existed: none goes out again."""
    Post = apps.get_model("publishing", "Post")
    Post.objects.filter(
        status__in=("published", "scheduled"), published_at__lte=timezone.now()
    ).update(public_since=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0006_post_autosave"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="public_since",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_public_posts, migrations.RunPython.noop),
    ]
