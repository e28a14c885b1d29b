"""When a delivery to another server is tried again: webhooks and Fediverse inboxes
wait the same way, quickly at first, then once a day until the receiver counts as gone."""

import datetime as dt

# The wait after attempts 1 to 6; after that, a day between attempts.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
)
LATER_DELAY = dt.timedelta(hours=24)


def retry_delay(attempt: int) -> dt.timedelta:
    """The wait after attempt number ``attempt`` failed."""
    return RETRY_DELAYS[attempt - 1] if attempt <= len(RETRY_DELAYS) else LATER_DELAY
