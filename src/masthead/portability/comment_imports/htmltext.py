"""HTML comments (Disqus, Remark42) as the Markdown a reader would have typed.

Masthead stores a comment's Markdown source and renders it through the one
comment pipeline, so an imported HTML comment is turned back into that
source: the formatting the comment allow-list keeps (paragraphs, line
breaks, emphasis, code, quotes, lists, links) survives, every other tag
leaves only its text, and text that Markdown would read as markup is
escaped so it shows as written.
"""

import re
from html.parser import HTMLParser

# Characters Markdown could take for markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>&])")
# Line starts that would open a list, a quote or a heading.
_MARKER = re.compile(r"^(\s*)([-+#>=]|\d+(?=[.)]))", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")
_QUOTE_END = re.compile(r"(?:\n>)+\n\n")
_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "table", "tr", "h1", "h2"})
_HEADINGS = frozenset({"h3", "h4", "h5", "h6"})
_SKIPPED = frozenset({"script", "style", "template", "head", "title"})
_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**"}


def _escape_marker(match: re.Match) -> str:
    indent, marker = match.groups()
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def escape_text(text: str) -> str:
    return _MARKER.sub(_escape_marker, _INLINE.sub(r"\\\1", text))


def _is_web_link(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "mailto:"))


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.lists: list[list] = []  # [tag, next number]
        self.quote = 0
        self.pre = 0
        self.skip = 0

    def _ends(self, suffix: str) -> bool:
        return "".join(self.out[-3:]).endswith(suffix)

    def _prefix(self) -> str:
        """What starts a line here: the quote marks, then the list indent."""
        return "> " * self.quote + "   " * max(len(self.lists) - 1, 0)

    def _write(self, text: str) -> None:
        if not self.out or self._ends("\n"):
            self.out.append(self._prefix())
        self.out.append(text)

    def _newline(self) -> None:
        self.out.append("\n")

    def _blank_line(self) -> None:
        """End a block; inside a quote the blank line keeps its mark, so the quote goes on."""
        if not self.out or self._ends("\n\n") or self._ends(">\n"):
            return
        if not self._ends("\n"):
            self._newline()
        self.out.append(("> " * self.quote).rstrip() + "\n")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIPPED:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self._newline()
        elif tag in _BLOCKS or tag in _HEADINGS:
            self._open_block(tag, attrs)
        elif tag == "li":
            self._open_item()
        elif tag == "code" and not self.pre:
            self._write("`")
        elif tag in _MARKS:
            self._write(_MARKS[tag])
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            href = href if _is_web_link(href) else ""
            self.links.append(href or None)
            if href:
                self._write("[")

    def _open_block(self, tag, attrs):
        if not self.lists:
            self._blank_line()
        elif not self._ends("\n") and self.out:
            self._newline()
        if tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
            self._write("```\n")
        elif tag in ("ul", "ol"):
            start = attrs.get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])

    def _open_item(self):
        if self.out and not self._ends("\n"):
            self._newline()
        if not self.lists:
            self.lists.append(["ul", 1])
        kind = self.lists[-1]
        marker = f"{kind[1]}. " if kind[0] == "ol" else "- "
        kind[1] += 1
        self._write(marker)

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skip = max(self.skip - 1, 0)
        elif self.skip:
            return
        elif tag in _MARKS:
            self._write(_MARKS[tag])
        elif tag == "code" and not self.pre:
            self._write("`")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self._write(f"]({href.replace(')', '%29').replace(' ', '%20')})")
        elif tag in _BLOCKS or tag in _HEADINGS:
            self._close_block(tag)

    def _close_block(self, tag):
        if tag == "pre" and self.pre:
            self._newline()
            self._write("```")
            self.pre -= 1
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "blockquote" and self.quote:
            self._newline()
            self.quote -= 1
        if not self.lists:
            self._blank_line()

    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            for i, line in enumerate(data.split("\n")):
                if i:
                    self._newline()
                if line:
                    self._write(line)
            return
        if self.lists or self.quote or not data.strip():
            data = " ".join(data.split("\n"))
        if data.strip() or (self.out and not self._ends("\n")):
            for i, line in enumerate(data.split("\n")):
                if i:
                    self._newline()
                if line:
                    self._write(escape_text(line))


def html_to_markdown(html: str) -> str:
    """The comment's Markdown source, ready for ``markup.render_comment``."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    lines = [line.rstrip() for line in "".join(converter.out).split("\n")]
    text = _QUOTE_END.sub("\n\n", "\n".join(lines))
    return _BLANKS.sub("\n\n", text).strip()
