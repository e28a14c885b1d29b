"""A short discussion under the demo's main article, so the thread has something to show."""

import datetime as dt
from functools import partial

from django.dispatch import receiver

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import markup
from masthead.publishing.models import Post
from masthead.publishing.signals import demo_loaded

ARTICLE = "demo:post:harbour-ferry-record-year"

# key, parent key, name, hours after publication, text
THREAD = [
    (
        "late-shift", None, "Rosa Pennick", 3,
        "Finally. I work nights at the hospital and the last boat at 20:40 has meant "
        "a taxi round the estuary twice a week. A boat every twenty minutes until nine "
        "is more than I hoped for.",
    ),
    (
        "late-shift-reply", "late-shift", "Tamsin Rowe", 5,
        "Thanks, Rosa. The authority says the later sailings start on the first Monday "
        "of next month; we will publish the full timetable as soon as it is out.",
    ),
    (
        "late-shift-thanks", "late-shift-reply", "Rosa Pennick", 6,
        "That's good to hear, *thank you*.",
    ),
    (
        "fares", None, "Jem Okonjo", 8,
        "Ten pence on a single seems fair if it pays for the second crew. What I would "
        "like to know is whether season tickets go up **after** the spring.\n\n"
        "> Season tickets stay at their current price until the spring\n\n"
        "So, from when?",
    ),
]  # fmt: skip


@receiver(demo_loaded)
def add_demo_thread(sender, tally, now, **kwargs):
    post = Post.objects.filter(legacy_id=ARTICLE).first()
    if post is None or post.published_at is None:
        return
    made: dict[str, Comment] = {}
    for key, parent_key, name, hours, text in THREAD:
        parent = made.get(parent_key)
        fields = {
            "post": post,
            "parent": parent,
            "depth": parent.depth + 1 if parent else 0,
            "author_name": name,
            "body": text,
            "body_html": markup.render_comment(text),
            "status": CommentStatus.APPROVED,
            "created_at": min(post.published_at + dt.timedelta(hours=hours), now),
            "legacy_id": f"demo:comment:{key}",
        }
        existing = Comment.objects.filter(legacy_id=fields["legacy_id"]).first()
        made[key] = tally.ensure(Comment, existing, partial(Comment.objects.create, **fields))
    services.recount_comments(post)
