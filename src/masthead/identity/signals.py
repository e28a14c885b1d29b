"""What identity tells the other apps, which it must not import."""

from django.dispatch import Signal

# user, mode ("anonymise" or "delete"): sent inside the deletion's transaction,
# before the user row goes, so receivers still see what belonged to them.
account_deleting = Signal()

# user: their avatar was replaced or removed; sent once that is committed, so pages
# showing the old picture (whose file is deleted) are renewed.
avatar_changed = Signal()
