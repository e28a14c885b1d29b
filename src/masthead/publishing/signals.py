"""What publishing announces for other apps to react to."""

from django.dispatch import Signal

# The demo publication was loaded: tally (demo.Tally), now. Apps add their part.
demo_loaded = Signal()
