"""Comments from other systems (Disqus, Isso, Remark42, Commento) into Masthead's posts.

Each format has a reader that turns its file into ``parsed.Parsed``; ``store``
applies the rules they share. See docs/importing-comments.md.
"""

from pathlib import Path

from masthead.portability.comment_imports import commento, disqus, isso, remark42
from masthead.portability.comment_imports.parsed import BadFile
from masthead.portability.comment_imports.store import Report, store_comments

READERS = {module.NAME: module for module in (disqus, isso, remark42, commento)}

__all__ = ["READERS", "BadFile", "Report", "import_comments"]


def import_comments(
    format_name: str, path: Path, *, site: str = "", dry_run: bool = False
) -> Report:
    """Read the whole file, then store it in one transaction; BadFile stores nothing.

    ``site`` names the site the comments were on, for a file that does not say.
    """
    parsed = READERS[format_name].parse(Path(path))
    return store_comments(parsed, site=site, dry_run=dry_run)
