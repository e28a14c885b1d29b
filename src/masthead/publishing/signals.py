"""What publishing announces for other apps to react to."""

from django.dispatch import Signal

# The demo publication was loaded: tally (demo.Tally), now. Apps add their part.
demo_loaded = Signal()

# A post's life as readers see it, each sent once per change inside the transaction
# that makes it: post (the instance). Receivers queue their work with
# lib.tasks.run_later, so it commits with the change or not at all.
# A post became public: saved so, or its scheduled time came.
post_published = Signal()
# A public post's title, address, excerpt, text, lead figure or date changed.
post_updated = Signal()
# A public post went back to draft or was deleted.
post_unpublished = Signal()
