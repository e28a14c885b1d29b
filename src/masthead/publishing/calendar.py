"""The span of time a dated URL names, or a 404 when the calendar has no such span."""

import datetime as dt

from django.http import Http404
from django.utils import timezone


def year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    return _span((year, 1, 1), (year + 1, 1, 1))


def month_span(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    return _span((year, month, 1), (year + month // 12, month % 12 + 1, 1))


def day_span(year: int, month: int, day: int) -> tuple[dt.datetime, dt.datetime]:
    start = _midnight(year, month, day)
    try:
        end = start + dt.timedelta(days=1)
    except OverflowError:  # the calendar's last day has no next one to end at
        raise Http404("No such date.") from None
    return _in_utc(start), _in_utc(end)


def _span(first, after):
    return _in_utc(_midnight(*first)), _in_utc(_midnight(*after))


def _midnight(year, month, day):
    try:
        return timezone.make_aware(dt.datetime(year, month, day))
    except ValueError as exc:  # year 0, month 13, February 30th
        raise Http404("No such date.") from exc


def _in_utc(moment):
    # The database stores UTC: a local midnight near year 1 or 9999 may fall outside it.
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as exc:
        raise Http404("No such date.") from exc
