"""What other parts listen for: notifications, caches, the classifier."""

from django.dispatch import Signal

# comment: a new comment, whatever its status; sent inside the transaction storing it.
comment_submitted = Signal()
# comment, previous (status), by (user or None).
comment_status_changed = Signal()
# key: something readers see under that post or page changed ("post:<id>", "page:<id>",
# as Comment.target_key gives it).
discussion_changed = Signal()
