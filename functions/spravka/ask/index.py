"""The assistant's index in memory: loaded once per instance from spravka/data/index.json."""

from __future__ import annotations

import dataclasses
import functools
import json
import marshal
import sys
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from spravka.ask.model import Model, model_from_data
from spravka.ask.nearest import Nearest, nearest_from_data
from spravka.ask.normalise import Lexicon
from spravka.ask.stopwords import STOPWORDS
from spravka.paths import RELIABILITY_FILE


@dataclasses.dataclass(frozen=True, eq=False)  # one per article per index: hashed by identity (answer._ref_json)
class ArticleRef:
    id: str
    title: str
    section: str
    url: str
    text: str
    links: tuple[Mapping[str, str], ...]


@dataclasses.dataclass(frozen=True, eq=False)
class Index:
    articles: Mapping[str, ArticleRef]
    replies: Mapping[str, str]
    lexicon: Lexicon
    model: Model  # the learned scorer (ask/model.py)
    # A phrasing's distinct stems, sorted and joined by spaces (`exact_key`) -> its target, when only one
    # target has them: index.json's own dict, so loading builds nothing.
    exact: Mapping[str, str]
    smalltalk: Mapping[str, frozenset[str]]  # kind of small talk -> words it is made of
    chatter: frozenset[str]  # every small-talk word and stopword: a message of these only
    # Target -> how often the model's first choice of it was right on the held-out folds, as a logit
    # (RELIABILITY_FILE beside index.json, written by `spravka eval --cv K --tune --save`); "*": any other.
    reliability: Mapping[str, float] = dataclasses.field(default_factory=dict)
    nearest: Nearest | None = None  # the nearest phrasing's second opinion on the first candidates (ask/nearest.py)


def index_from_data(data: Mapping[str, Any]) -> Index:
    lex = data["lexicon"]
    lexicon = Lexicon.create(lex["words"], lex["stems"], {tuple(k): tuple(v) for k, v in lex["synonyms"]}, STOPWORDS)
    smalltalk = {kind: frozenset(words) for kind, words in data.get("smalltalk", {}).items()}
    return Index(
        articles={
            a["id"]: ArticleRef(a["id"], a["title"], a["section"], a["url"], a["text"], tuple(a["links"]))
            for a in data["articles"]
        },
        replies=dict(data["replies"]),
        lexicon=lexicon,
        model=model_from_data(data["model"]),
        exact=data["exact"],
        smalltalk=smalltalk,
        chatter=frozenset().union(*smalltalk.values(), lexicon.stopwords),
        nearest=nearest_from_data(data["nearest"]) if "nearest" in data else None,
    )


def exact_key(stems: Iterable[str]) -> str:
    """The key of `Index.exact` for these stems (build_index writes the same)."""
    return " ".join(sorted(set(stems)))


RELIABILITY_ANY = "*"  # the reliability table's entry for an article it does not list: every article together


# index.json's data in marshal's format, beside it: `spravka build-index` writes it (and so `spravka deploy`,
# which builds the index before it uploads functions/). Parsing the 3.7 MB of JSON is most of what loading
# the index costs a cold start; marshal reads the same data in about a third of the time (docs/ask.md,
# Speed). Not in git: index.json is what editors commit and review. Read only when it was made from these
# very bytes of index.json by this Python (`index_stamp`); otherwise, or when it is missing or damaged,
# index.json is parsed as before. It is our own build's file, never input from outside.
BINARY_SUFFIX = ".marshal"


def load_index(path: Path) -> Index:
    """The index at `path`, with the reliability table beside it when there is one (answer.confidence)."""
    index = index_from_data(read_index_data(path))
    table = path.with_name(RELIABILITY_FILE)
    if table.is_file():
        index = dataclasses.replace(index, reliability=json.loads(table.read_text(encoding="utf-8")))
    return index


def read_index_data(path: Path) -> Any:
    """index.json's data: from its binary copy when that was made from these bytes, else parsed."""
    raw = path.read_bytes()
    try:
        # marshal.loads of the bytes: marshal.load from the file object reads it piecewise, 5× slower
        stamp, data = marshal.loads(path.with_suffix(BINARY_SUFFIX).read_bytes())
        if stamp == index_stamp(raw):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass  # no copy, or one this Python cannot read: the JSON is the index
    return json.loads(raw)


def write_index_binary(path: Path) -> None:
    """The binary copy of the index at `path`, written beside it (`read_index_data`)."""
    raw = path.read_bytes()
    target = path.with_suffix(BINARY_SUFFIX)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(marshal.dumps((index_stamp(raw), json.loads(raw))))
    partial.replace(target)  # a cold start never reads a half-written copy


def index_stamp(raw: bytes) -> tuple[int, int, int, tuple[int, int]]:
    """What a binary copy must have been made from: index.json's bytes (CRC-32 and length) and the
    marshal format and Python that wrote it."""
    return (zlib.crc32(raw), len(raw), marshal.version, (sys.version_info[0], sys.version_info[1]))


@functools.cache
def get_index() -> Index:
    """The index of this instance, loaded on first use."""
    from spravka.config import get_settings

    return load_index(get_settings().index_path)
