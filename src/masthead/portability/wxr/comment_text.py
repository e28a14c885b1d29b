"""A WordPress comment's HTML as the Markdown a reader would have typed here.

New comments are Markdown rendered with raw HTML shown as text, so imported
ones are turned into Markdown first and then go through the very same
renderer and sanitizer: the formatting WordPress allowed in comments
(links, emphasis, quotes, code, lists) survives, and anything else is text.
"""

import re
from html.parser import HTMLParser

_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`", "del": "~~", "s": "~~"}
_BLOCKS = {"p", "div", "blockquote", "ul", "ol", "pre", "li", "br"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~])")
_SPACE = re.compile(r"[ \t\r\f\v]+")


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.quote = 0
        self.lists: list[list] = []
        self.pre = 0

    # Lines are started with the quote and list markers in force.
    def _newline(self, blank: bool = False) -> None:
        prefix = "> " * self.quote
        self.out.append(("\n" + prefix.rstrip()) if blank else "")
        self.out.append("\n" + prefix)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            self.links.append(href or None)
            if href:
                self.out.append("[")
        elif tag == "br":
            self.out.append("  ")
            self._newline()
        elif tag in ("p", "div"):
            self._newline(blank=True)
        elif tag == "blockquote":
            self._newline(blank=True)
            self.quote += 1
            self._newline()
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self._newline(blank=True)
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            self._newline()
            self.out.append("  " * (len(self.lists) - 1))
            self.out.append(f"{kind[1]}. " if kind[0] == "ol" else "- ")
        elif tag == "pre":
            self._newline(blank=True)
            self.out.append("```")
            self._newline()
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")
        elif tag == "blockquote" and self.quote:
            self.quote -= 1
            self._newline(blank=True)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=True)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self._newline()
            self.out.append("```")
            self._newline(blank=True)
        elif tag in ("p", "div"):
            self._newline(blank=True)

    def handle_data(self, data):
        if self.pre:
            self.out.append(data)
            return
        if not data.strip():
            # Whitespace between tags: a space inside text, nothing between blocks.
            if self.out and not self.out[-1].endswith((" ", "\n")):
                self.out.append(" ")
            return
        lines = data.split("\n\n")
        for i, text in enumerate(lines):
            if i:
                self._newline(blank=True)
            text = _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", text))
            self.out.append(text.replace("\n", "  \n" + "> " * self.quote))


def comment_markdown(html: str) -> str:
    """Markdown for a comment's HTML; paragraphs and line breaks as WordPress showed them."""
    if "<" not in html and "&" not in html:
        text = _ESCAPE.sub(r"\\\1", html.strip())
        return re.sub(r"(?<!\n)\n(?!\n)", "  \n", text)
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out)
    text = "\n".join(
        line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()
