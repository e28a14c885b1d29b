"""Line-by-line differences between two revisions of a post, for the editors' history.

The result is plain data (kind and text per line); the template escapes the text,
so whatever a body holds, markup included, shows as the characters typed.
"""

import difflib
from dataclasses import dataclass

from masthead.publishing.models import Post, PostRevision

CONTEXT_LINES = 3
LABELS = {"title": "Title", "excerpt": "Excerpt", "body": "Body"}


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "removed", "added", or "gap" for unchanged lines left out
    text: str = ""


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[Line]

    @property
    def changed(self) -> bool:
        return any(line.kind in ("removed", "added") for line in self.lines)


def diff_lines(old: str, new: str, context: int = CONTEXT_LINES) -> list[Line]:
    """Changed lines with ``context`` unchanged lines around each change."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() == 1.0:
        return []
    lines: list[Line] = []
    groups = list(matcher.get_grouped_opcodes(context))
    for group in groups:
        _, i1, _, j1, _ = group[0]
        if i1 > 0 or j1 > 0 or lines:
            lines.append(Line("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", text) for text in a[i1:i2]]
            else:
                lines += [Line("removed", text) for text in a[i1:i2]]
                lines += [Line("added", text) for text in b[j1:j2]]
    _, _, i2, _, j2 = groups[-1][-1]
    if i2 < len(a) or j2 < len(b):
        lines.append(Line("gap"))
    return lines


def compare(older: PostRevision | Post, newer: PostRevision | Post) -> list[FieldDiff]:
    """What changed from ``older`` to ``newer``, field by field (a post's current text too)."""
    return [
        FieldDiff(label, diff_lines(getattr(older, name), getattr(newer, name)))
        for name, label in LABELS.items()
    ]
