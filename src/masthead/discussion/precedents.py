"""What the stored comments say about a new one, asked in SQL.

Every new comment asks these questions before it is stored: has this text come
before, has this person been approved before, is a moderators' notice already on
its way. Building each as a queryset cost more CPU than the database spent
answering it (about 0.3 ms against 0.05 ms, several times per POST), so they are
written once here as plain SQL that SQLite and PostgreSQL both run. Values go in
through the backend's own adapters, as the ORM would pass them.
"""

import datetime as dt

from django.db import connection

from masthead.discussion.models import Comment, CommentStatus

COMMENTS = Comment._meta.db_table


def _when(value: dt.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _address(value: str):
    return connection.ops.adapt_ipaddressfield_value(value)


def _exists(sql: str, params: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT 1", params)
        return cursor.fetchone() is not None


def _person(email: str, ip: str | None) -> tuple[list[str], list]:
    terms, params = [], []
    if email:
        terms.append("author_email = %s")
        params.append(email)
    if ip:
        terms.append("ip_address = %s")
        params.append(_address(ip))
    return terms, params


def same_text(
    digest: str,
    *,
    post_id: int,
    email: str,
    ip: str | None,
    since: dt.datetime,
    anyone_on_post: bool,
    exclude_pk: int | None = None,
) -> bool:
    """This text before: on the post by anyone (when ``anyone_on_post``), or by this
    person (email or address) on the post, or anywhere since ``since``."""
    person, person_params = _person(email, ip)
    scopes, params = [], [digest]
    who = f"({' OR '.join(person)})" if person else None
    if anyone_on_post:
        scopes.append("post_id = %s")
        params.append(post_id)
        if who:
            scopes.append(f"({who} AND created_at >= %s)")
            params.extend([*person_params, _when(since)])
    elif who:
        scopes.append(f"({who} AND post_id = %s)")
        params.extend([*person_params, post_id])
    if not scopes:
        return False
    sql = f"SELECT 1 FROM {COMMENTS} WHERE body_digest = %s AND ({' OR '.join(scopes)})"
    if exclude_pk is not None:
        sql += " AND id <> %s"
        params.append(exclude_pk)
    return _exists(sql, params)


def approved_before(*, email: str, name: str, user_id: int | None) -> bool:
    """An approved comment by this account, or by this name (any case) and email."""
    terms, params = [], []
    if email:
        terms.append("(author_email = %s AND UPPER(author_name) = UPPER(%s))")
        params.extend([email, name])
    if user_id:
        terms.append("user_id = %s")
        params.append(user_id)
    if not terms:
        return False
    sql = f"SELECT 1 FROM {COMMENTS} WHERE status = %s AND ({' OR '.join(terms)})"
    return _exists(sql, [CommentStatus.APPROVED.value, *params])


def notice_on_its_way(*, since: dt.datetime, other_than: int) -> bool:
    """A held comment since ``since``, other than this one, that no notice has carried
    yet: the notice queued for it will carry this one too. Newest first, so in a
    burst the partial index is read from its recent end and the search stops at once."""
    sql = (
        f"SELECT id FROM {COMMENTS} WHERE status = %s AND moderators_notified_at IS NULL"
        " AND created_at >= %s AND id <> %s ORDER BY created_at DESC"
    )
    return _exists(sql, [CommentStatus.PENDING.value, _when(since), other_than])
