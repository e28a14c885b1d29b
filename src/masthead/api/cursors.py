"""Cursor pagination: each page ends with an opaque, signed cursor holding the
sort key of its last row, and the next page starts strictly after it.

Unlike page numbers, a cursor never repeats or skips a row when posts are
published between two requests, and a deep page costs what the first does.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Q

SALT = "masthead.api.cursor"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class BadCursor(ValueError):
    """A cursor this API did not give out, or one for another list."""


@dataclass
class Page:
    items: list
    cursor: str | None  # of the next page; None on the last one


def _encode(values: list, ordering: tuple[str, ...]) -> str:
    return signing.dumps({"o": list(ordering), "v": values}, salt=SALT, compress=True)


def _decode(cursor: str, ordering: tuple[str, ...]) -> list:
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        raise BadCursor("That cursor is not one this API gave out.") from None
    if data.get("o") != list(ordering) or len(data.get("v", ())) != len(ordering):
        raise BadCursor("That cursor belongs to another list.")
    return data["v"]


def _after(model, ordering: tuple[str, ...], values: list) -> Q:
    """Rows strictly after ``values`` in ``ordering`` ("-field" descending): a keyset."""
    condition = Q()
    for i, spec in enumerate(ordering):
        name = spec.lstrip("-")
        field = model._meta.get_field(name)
        value = field.to_python(values[i])
        step = Q(**{f"{name}__{'lt' if spec.startswith('-') else 'gt'}": value})
        for earlier, earlier_value in zip(ordering[:i], values[:i], strict=True):
            earlier_name = earlier.lstrip("-")
            step &= Q(
                **{earlier_name: model._meta.get_field(earlier_name).to_python(earlier_value)}
            )
        condition |= step
    return condition


def _key(obj, ordering: tuple[str, ...]) -> list:
    values = []
    for spec in ordering:
        value = getattr(obj, spec.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return values


def paginate(queryset, ordering: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of ``queryset`` in ``ordering`` (unique: end it with the id)."""
    limit = max(1, min(limit, MAX_LIMIT))
    queryset = queryset.order_by(*ordering)
    if cursor:
        queryset = queryset.filter(_after(queryset.model, ordering, _decode(cursor, ordering)))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, cursor=_encode(_key(rows[-1], ordering), ordering) if more else None)
