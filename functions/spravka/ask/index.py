"""The assistant's index in memory: loaded once per instance from spravka/data/index.json."""

from __future__ import annotations

import dataclasses
import functools
import json
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


def load_index(path: Path) -> Index:
    """The index at `path`, with the reliability table beside it when there is one (answer.confidence)."""
    index = index_from_data(json.loads(path.read_text(encoding="utf-8")))
    table = path.with_name(RELIABILITY_FILE)
    if table.is_file():
        index = dataclasses.replace(index, reliability=json.loads(table.read_text(encoding="utf-8")))
    return index


@functools.cache
def get_index() -> Index:
    """The index of this instance, loaded on first use."""
    from spravka.config import get_settings

    return load_index(get_settings().index_path)
