"""The queue's filters, read from a query string or a form and written back to one."""

from dataclasses import dataclass

from django.utils.http import urlencode

from masthead.discussion.models import CommentStatus

STATUSES = [value for value, _ in CommentStatus.choices]


def _number(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else None


@dataclass(frozen=True)
class QueueFilters:
    status: str = CommentStatus.PENDING
    post: int | None = None
    page: int | None = None

    @classmethod
    def read(cls, data) -> "QueueFilters":
        """From GET, or from the hidden fields every desk form carries; junk is ignored."""
        status = data.get("status")
        return cls(
            status=status if status in STATUSES else CommentStatus.PENDING,
            post=_number(data.get("post")),
            page=_number(data.get("page")),
        )

    def params(self, **changes) -> dict:
        values = {"status": self.status, "post": self.post, "page": self.page, **changes}
        if values["status"] == CommentStatus.PENDING:
            values["status"] = None
        if values["page"] == 1:
            values["page"] = None
        return {name: value for name, value in values.items() if value is not None}

    def query(self, **changes) -> str:
        """``?status=spam&post=3``, or "" for the default view."""
        params = self.params(**changes)
        return f"?{urlencode(params)}" if params else ""
