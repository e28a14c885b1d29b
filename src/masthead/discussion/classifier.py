"""A small naive Bayes spam classifier that keeps learning from moderators.

Each comment becomes a set of features: words, word pairs and a few shape hints
(a link, a phone number or messenger handle, shouting, length). Counting each
feature once per comment (binarised multinomial naive Bayes) suits short texts,
and lets one UPDATE add a whole comment to the counts. The counts are the
shipped starter model plus what this site taught it (its moderators' decisions
and its published comments), kept in the database so every node shares them.
"""

import csv
import hashlib
import html
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

STARTER = Path(__file__).with_name("starter_model.json")
# Replies of the kind a news site gets, beside the YouTube data: there "thank you"
# and "great" are a spammer's words, under an article a reader's.
SEED = Path(__file__).with_name("seed_comments.json")

# Keys that hold totals beside the features; the tokenizer cannot produce them.
DOCS, TOKENS, VOCABULARY = "#docs", "#tokens", "#vocabulary"

# Scores at which a comment is marked spam, or held; bench/spam.py shows the trade.
SPAM_AT = 0.99
HOLD_AT = 0.7
# A score alone only holds: a reader's comment can read like spam to a model.
# Spam also needs what blog spam exists for, several links in the text.
SEVERAL_LINKS = 2
# A moderator's decision on this site says more than a YouTube comment did.
LESSON_WEIGHT = 5
MAX_TEXT = 5000
MAX_WORD = 30
MAX_HOST = 58

_WORD = re.compile(r"[^\W_]+")
_TLD = r"(?:com|net|org|info|biz|ru|ly|io|co|me|tk)"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TLD}\b(?:/[^\s<>\"'()\[\]]*)?",
    re.I,
)
_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.I)
_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?", re.I)
_LETTER = re.compile(r"[^\W\d_]")
# Nine digits or more, maybe grouped: a phone number, not a year or a sum of money.
_PHONE = re.compile(r"(?<![\w£$€.,])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w%])")
_HANDLE = re.compile(r"(?<![\w.])@[a-z][\w.]{2,}|\bt\.me/", re.I)


def words(text: str) -> list[str]:
    text = text.lower().replace("'", "").replace("’", "")
    return [w[:MAX_WORD] for w in _WORD.findall(text)]


def features(text: str, *, website: str = "") -> set[str]:
    """What the classifier looks at in one comment: each feature counts once.

    An address counts as one link and its site, not as words: "https", "www"
    and "com" would otherwise weigh a single link three or four times. A phone
    number likewise counts once, not as its groups of digits.
    """
    text = html.unescape(text[:MAX_TEXT])
    links = _URL.findall(text)
    rest = _URL.sub(" ", text)
    phone = _PHONE.search(rest)
    found = words(_PHONE.sub(" ", rest))
    feats = set(found)
    feats.update(f"{a} {b}" for a, b in itertools.pairwise(found))
    feats.update(_shape(text, len(found)))
    if phone:
        feats.add("__phone__")
    if _HANDLE.search(text):
        feats.add("__handle__")
    feats.update(f"site:{site(url)}" for url in [*links, website] if url)
    if links:
        feats.add("__link__")
    if website:
        feats.add("__website__")
    return feats


def without_links(text: str) -> str:
    return _URL.sub(" ", _MARKDOWN_LINK.sub(lambda m: m.group(0).split("](")[0], text))


def count_links(body: str) -> int:
    """Markdown links, plus bare http(s):// and www. addresses outside them."""
    markdown = len(_MARKDOWN_LINK.findall(body))
    return markdown + len(_ADDRESS.findall(_MARKDOWN_LINK.sub(" ", body)))


def site(url: str) -> str:
    """The host of a web address, without scheme or www."""
    rest = _SCHEME.sub("", url.strip()).lower()
    return re.split(r"[/?#:]", rest, maxsplit=1)[0][:MAX_HOST]


def _shape(text: str, length: int) -> Iterable[str]:
    letters = _LETTER.findall(text)
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.5:
        yield "__shouting__"
    if "!!" in text:
        yield "__exclaims__"
    yield "__short__" if length < 5 else "__long__" if length > 30 else "__medium__"


@dataclass
class Counts:
    """Per class (spam, ham): comments seen, features counted, and each feature's count."""

    docs: tuple[float, float] = (0, 0)
    tokens: tuple[float, float] = (0, 0)
    vocabulary: int = 0
    table: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def get(self, feature: str) -> tuple[float, float]:
        return self.table.get(feature, (0, 0))

    def scaled(self, weight: float) -> "Counts":
        """The same counts, each standing for ``weight`` comments."""
        table = {k: (s * weight, h * weight) for k, (s, h) in self.table.items()}
        docs, tokens = self.docs, self.tokens
        return Counts(
            (docs[0] * weight, docs[1] * weight),
            (tokens[0] * weight, tokens[1] * weight),
            self.vocabulary,
            table,
        )


def probability(feats: Iterable[str], *layers: Counts) -> float:
    """P(spam | features) from the sum of the given count layers, with add-one smoothing."""
    docs = _sum(layer.docs for layer in layers)
    totals = _sum(layer.tokens for layer in layers)
    vocabulary = max(1, sum(layer.vocabulary for layer in layers))
    logit = math.log((docs[0] + 1) / (docs[1] + 1))
    spam_base = math.log(totals[0] + vocabulary)
    ham_base = math.log(totals[1] + vocabulary)
    for feat in feats:
        spam, ham = _sum(layer.get(feat) for layer in layers)
        if not spam + ham:
            continue
        logit += math.log(spam + 1) - spam_base - math.log(ham + 1) + ham_base
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, logit))))


def judge(probability: float, links: int) -> str | None:
    """What a score means, given the links in the text: "spam", "hold", or None."""
    if probability >= SPAM_AT and links >= SEVERAL_LINKS:
        return "spam"
    return "hold" if probability >= HOLD_AT else None


def _sum(pairs: Iterable[tuple[float, float]]) -> tuple[float, float]:
    spam = ham = 0
    for s, h in pairs:
        spam, ham = spam + s, ham + h
    return spam, ham


def train(examples: Iterable[tuple[set[str], bool]]) -> Counts:
    """Counts from (features, is_spam) pairs."""
    table: dict[str, list[int]] = {}
    docs, tokens = [0, 0], [0, 0]
    for feats, is_spam in examples:
        side = 0 if is_spam else 1
        docs[side] += 1
        tokens[side] += len(feats)
        for feat in feats:
            table.setdefault(feat, [0, 0])[side] += 1
    pairs = {k: (v[0], v[1]) for k, v in table.items()}
    return Counts((docs[0], docs[1]), (tokens[0], tokens[1]), len(table), pairs)


def dump(counts: Counts, path: Path, *, min_count: int = 2, **meta) -> None:
    """Write counts as JSON, keeping features seen at least ``min_count`` times."""
    head = {
        **meta,
        "docs": list(counts.docs),
        "tokens": list(counts.tokens),
        "vocabulary": counts.vocabulary,
    }
    # One feature a line, so that a retrained model reads as a diff.
    lines = [f"{_json(k)}: {_json(v)}" for k, v in head.items()]
    kept = [(k, v) for k, v in sorted(counts.table.items()) if sum(v) >= min_count]
    table = ",\n".join(f"  {_json(k)}: [{v[0]}, {v[1]}]" for k, v in kept)
    path.write_text(
        "{\n" + "".join(f"{line},\n" for line in lines) + '"counts": {\n' + table + "\n}}\n"
    )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def load(path: Path) -> Counts:
    data = json.loads(path.read_text())
    table = {k: (v[0], v[1]) for k, v in data["counts"].items()}
    return Counts(tuple(data["docs"]), tuple(data["tokens"]), data["vocabulary"], table)


@cache
def starter() -> Counts:
    """The shipped model, read once per process."""
    if not STARTER.exists():
        return Counts()
    return load(STARTER)


# The starter model's data: the YouTube Spam Collection, split by a hash of the
# normalised text so that copies of one message never straddle the split.

SOURCE = (
    "YouTube Spam Collection (UCI ML Repository, dataset 380), CC BY 4.0: "
    "T. C. Alberto, J. V. Lochter, T. A. Almeida, 'TubeSpam: Comment Spam Filtering "
    "on YouTube', IEEE ICMLA 2015. Also the two spam comments of the Isso test file "
    "generic.json (MIT), and Masthead's own seed_comments.json."
)
HELD_OUT_PERCENT = 25


@dataclass(frozen=True)
class Example:
    text: str
    is_spam: bool
    origin: str

    @property
    def held_out(self) -> bool:
        if self.origin == SEED.stem:
            return False  # measured apart, by the news sets in bench/data/news
        normal = " ".join(self.text.split()).casefold()
        digest = hashlib.sha256(normal.encode()).digest()
        return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def youtube(path: Path) -> list[Example]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            Example(row["CONTENT"].replace("\ufeff", ""), row["CLASS"] == "1", path.stem)
            for row in csv.DictReader(fh)
        ]


def isso(path: Path) -> list[Example]:
    threads = json.loads(path.read_text())
    return [Example(c["text"], True, path.stem) for t in threads for c in t["comments"]]


def seed(path: Path = SEED) -> list[Example]:
    data = json.loads(path.read_text())
    labelled = [(t, label == "spam") for label in ("ham", "spam") for t in data[label]]
    return [Example(text, is_spam, path.stem) for text, is_spam in labelled]


def corpus(data_dir: Path) -> list[Example]:
    """Every labelled comment found under the shared data directory, and the seed."""
    examples = seed()
    for path in sorted((data_dir / "spam" / "youtube").glob("*.csv")):
        examples += youtube(path)
    generic = data_dir / "comments" / "isso" / "isso-generic.json"
    if generic.exists():
        examples += isso(generic)
    return examples
