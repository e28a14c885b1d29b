"""The post or standing page a new comment goes under, looked up in SQL.

Every comment POST starts here; the rule is ``published()``'s, written once as
plain SQL (see ``lib.rows``). The text stays in the database: a comment needs
the piece's address, dates and comment settings, not its body.
"""

from django.db import connection
from django.utils import timezone

from masthead.lib.rows import Rows
from masthead.publishing.models import Page, Post
from masthead.publishing.querysets import PUBLIC_STATUSES

_ROWS = {model: Rows(model, defer=("body", "body_html")) for model in (Post, Page)}


def published(model: type[Post] | type[Page], pk: int) -> Post | Page | None:
    rows = _ROWS[model]
    marks = ", ".join(["%s"] * len(PUBLIC_STATUSES))
    sql = (
        f"SELECT {rows.columns} FROM {rows.table}"
        f" WHERE id = %s AND status IN ({marks}) AND published_at <= %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return rows.first(sql, [pk, *PUBLIC_STATUSES, now])
