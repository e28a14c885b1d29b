"""WordPress dates: "2011-07-06 04:30:12" in UTC (the _gmt twin) or in the site's zone."""

import datetime as dt

from django.utils import timezone


def _parse(value: str | None) -> dt.datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def wp_datetime(gmt: str | None, local: str | None = None) -> dt.datetime | None:
    """The moment, from the UTC field when it is filled in (drafts leave it zero)."""
    moment = _parse(gmt)
    if moment is not None:
        return moment.replace(tzinfo=dt.UTC)
    moment = _parse(local)
    if moment is not None:
        try:
            return timezone.make_aware(moment, timezone.get_default_timezone())
        except ValueError:  # a local time the clocks skipped
            return moment.replace(tzinfo=dt.UTC)
    return None
