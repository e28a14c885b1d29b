"""Names that read the same: one key for "Eddie Marsh", "EDDIE  MARSH" and its Cyrillic twin.

The key folds what a reader cannot see on the page: compatibility forms
(fullwidth, mathematical letters), invisible format characters, case,
runs of spaces, and letters of other scripts drawn like Latin ones (Unicode's
confusables list, as confusable-homoglyphs ships it).
"""

import functools
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

# Within ASCII, what most type faces draw alike.
ASCII_ALIKE = str.maketrans({"0": "o", "1": "l", "|": "l"})
SEQUENCES = (("rn", "m"), ("vv", "w"))


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    # Capitals first (capital Cyrillic EN is drawn as H, its small form is not h), then small.
    text = "".join(_latin(ch) for ch in text).casefold()
    text = "".join(_latin(ch) for ch in text).translate(ASCII_ALIKE)
    for drawn, read in SEQUENCES:
        text = text.replace(drawn, read)
    return " ".join(text.split())


@functools.cache
def _latin(ch: str) -> str:
    """The ASCII letter or digit ``ch`` is drawn like, or ``ch`` itself."""
    if ch.isascii():
        return ch
    for glyph in confusables_data.get(ch, ()):
        alike = glyph["c"]
        if len(alike) == 1 and alike.isascii() and alike.isalnum():
            # A capital drawn like l (Cyrillic I, the Roman numeral one) is a capital I.
            return "I" if alike == "l" and ch.isupper() else alike
    return ch
