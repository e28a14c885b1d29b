"""What identity tells the other apps, which it must not import."""

from django.dispatch import Signal

# user, mode ("anonymise" or "delete"): sent inside the deletion's transaction,
# before the user row goes, so receivers still see what belonged to them.
account_deleting = Signal()
