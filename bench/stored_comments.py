"""Print one post's stored comments as JSON [id, body, status] rows.

Runs in the server's environment (same data directory or database URL), so
the comment run can check each acknowledged comment against what was kept.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
django.setup()

from masthead.discussion.models import Comment  # noqa: E402

if __name__ == "__main__":
    rows = Comment.objects.filter(post_id=int(sys.argv[1])).values_list("id", "body", "status")
    json.dump([list(row) for row in rows], sys.stdout)
