"""Build the assistant's index from knowledge/: `spravka build-index` writes spravka/data/index.json."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from spravka.ask.index import exact_key
from spravka.ask.model import features
from spravka.ask.normalise import WORD, Analysis, Lexicon, analyse, fold, stem
from spravka.ask.stopwords import STOPWORDS
from spravka_tools.knowledge.articles import Article, load_articles, load_yaml
from spravka_tools.knowledge.augment import wrapped
from spravka_tools.knowledge.facts import load_facts, render_facts
from spravka_tools.knowledge.similarity import PhraseIndex, phrase_index
from spravka_tools.knowledge.train import train_model

INDEX_VERSION = 1
ACTIONS = ("submit-readings", "operator", "personal")
OUT_OF_SCOPE_FILE = "out-of-scope.yml"
SMALLTALK = "@smalltalk:"
WRAPPED_COPIES = 1  # per phrasing, a copy inside a customer's longer message (knowledge/augment.py)


def collect_phrases(articles: list[Article], intents: dict[str, Any]) -> list[tuple[str, str]]:
    """(target, phrase) for every way of asking: article titles and questions, intent examples."""
    phrases: list[tuple[str, str]] = []
    for article in articles:
        phrases.append((article.id, article.title))
        phrases.extend((article.id, q) for q in article.questions)
    for name in (*ACTIONS, "out-of-scope"):
        phrases.extend((f"@{name}", str(q)) for q in intents.get(name, {}).get("examples", []))
    for kind, examples in sorted(intents.get("smalltalk", {}).get("examples", {}).items()):
        phrases.extend((f"{SMALLTALK}{kind}", str(q)) for q in examples)
    return phrases


def out_of_scope_phrases(knowledge_dir: Path) -> list[tuple[str, str]]:
    """The questions of out-of-scope.yml (other institutions' business), as phrasings of "@out-of-scope"."""
    groups = load_yaml(knowledge_dir, OUT_OF_SCOPE_FILE) if (knowledge_dir / OUT_OF_SCOPE_FILE).is_file() else {}
    return [("@out-of-scope", str(q)) for _, questions in sorted((groups or {}).items()) for q in questions or []]


def smalltalk_words(phrases: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Per kind of small talk (greeting, thanks, ...), the words its examples use."""
    words: dict[str, set[str]] = {}
    for target, phrase in phrases:
        if target.startswith(SMALLTALK):
            words.setdefault(target[len(SMALLTALK) :], set()).update(WORD.findall(fold(phrase)))
    return {kind: sorted(kind_words) for kind, kind_words in sorted(words.items())}


def build_lexicon(
    synonym_table: dict[str, Any], phrases: list[tuple[str, str]], texts: list[str], smalltalk: dict[str, list[str]]
) -> tuple[Lexicon, dict[str, Any]]:
    """The lexicon every phrase and question is read with, and its JSON form."""
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    words: Counter[str] = Counter()
    for canonical, variants in synonym_table.items():
        target = tuple(stem(w) for w in WORD.findall(fold(str(canonical))))
        words.update(WORD.findall(fold(str(canonical))))
        for variant in variants or []:
            variant_words = WORD.findall(fold(str(variant)))
            words.update(variant_words)
            key = tuple(stem(w) for w in variant_words)
            if key and key != target:
                synonyms[key] = target
    for _, phrase in phrases:
        words.update(WORD.findall(fold(phrase)))
    for text in texts:
        words.update(WORD.findall(fold(text)))
    for kind_words in smalltalk.values():
        words.update(kind_words)
    words.update(STOPWORDS)
    vocabulary = sorted(w for w in words if not w.isdigit())
    stems = sorted({stem(w) for w in vocabulary} | {s for t in synonyms.values() for s in t})
    lexicon = Lexicon.create(vocabulary, stems, synonyms, STOPWORDS)
    as_json = {
        "words": vocabulary,
        "stems": stems,
        "synonyms": sorted([list(k), list(v)] for k, v in synonyms.items()),
    }
    return lexicon, as_json


@dataclasses.dataclass(frozen=True)
class Knowledge:
    """What the index is built from, read once: cross-validation builds many indexes from parts of it."""

    facts: dict[str, Any]
    articles: list[Article]
    intents: dict[str, Any]
    phrases: list[tuple[str, str]]  # (target, phrase): every way of asking the model learns from
    texts: dict[str, str]  # article id -> its page, facts filled in
    synonyms: dict[str, Any]


def read_knowledge(knowledge_dir: Path) -> Knowledge:
    facts = load_facts(knowledge_dir)
    articles = load_articles(knowledge_dir)
    intents = load_yaml(knowledge_dir, "intents.yml")
    phrases = collect_phrases(articles, intents) + out_of_scope_phrases(knowledge_dir)
    return Knowledge(
        facts,
        articles,
        intents,
        phrases,
        {a.id: render_facts(a.body, facts) for a in articles},
        load_yaml(knowledge_dir, "synonyms.yml") or {},
    )


def build_index(knowledge_dir: Path) -> dict[str, Any]:
    """The whole index as plain data (deterministic: same knowledge, same bytes)."""
    return index_data(read_knowledge(knowledge_dir))


def read_phrasings(knowledge: Knowledge) -> tuple[Lexicon, dict[str, Any], list[tuple[str, Analysis]]]:
    """The lexicon of this knowledge (and its JSON form), and every phrasing read with it."""
    smalltalk = smalltalk_words(knowledge.phrases)
    lexicon, lexicon_json = build_lexicon(
        knowledge.synonyms, knowledge.phrases, list(knowledge.texts.values()), smalltalk
    )
    return lexicon, lexicon_json, [(target, analyse(phrase, lexicon)) for target, phrase in knowledge.phrases]


Trainer = Callable[[Iterable[tuple[str, Mapping[str, float]]]], dict[str, Any]]


def training_samples(
    phrases: Sequence[tuple[str, str]], analysed: Sequence[tuple[str, Analysis]], lexicon: Lexicon
) -> Iterator[tuple[str, dict[str, float]]]:
    """The model's (target, features) samples: each phrasing, then its copies wrapped in a customer's letter.
    A generator: at a hundred times the knowledge (`spravka bench`) the list of them took ~30 GB."""
    for (target, phrase), (_, analysis) in zip(phrases, analysed):
        phrase_features = features(analysis.stems, analysis.words, lexicon.stopwords)
        if not phrase_features:
            continue
        yield target, phrase_features
        if WRAPPED_COPIES and not target.startswith(SMALLTALK):
            rng = random.Random(f"{target}:{phrase}")
            for _ in range(WRAPPED_COPIES):
                copy = analyse(wrapped(phrase, rng), lexicon)
                yield target, features(copy.stems, copy.words, lexicon.stopwords)


def index_data(knowledge: Knowledge, *, trainer: Trainer = train_model) -> dict[str, Any]:
    """The index of this knowledge (cross-validation passes parts of it); `spravka bench` passes a cheaper trainer."""
    facts, articles, intents = knowledge.facts, knowledge.articles, knowledge.intents
    lexicon, lexicon_json, analysed = read_phrasings(knowledge)
    owners: dict[str, set[str]] = {}
    for target, analysis in analysed:
        if analysis.stems and not target.startswith(SMALLTALK):
            owners.setdefault(exact_key(analysis.stems), set()).add(target)
    replies = {
        name: render_facts(str(intents.get(name, {}).get("reply", "")), facts) for name in (*ACTIONS, "fallback")
    }
    replies.update(
        {
            f"smalltalk:{kind}": render_facts(str(text), facts)
            for kind, text in intents.get("smalltalk", {}).get("replies", {}).items()
        }
    )
    return {
        "version": INDEX_VERSION,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "section": a.section,
                "url": a.url_path,
                "text": render_facts(a.short_answer, facts),
                "links": [{"title": render_facts(l.title, facts), "url": render_facts(l.url, facts)} for l in a.links],
            }
            for a in articles
        ],
        "replies": replies,
        "smalltalk": smalltalk_words(knowledge.phrases),
        "lexicon": lexicon_json,
        "exact": {stems: next(iter(ts)) for stems, ts in sorted(owners.items()) if len(ts) == 1},
        "model": trainer(training_samples(knowledge.phrases, analysed, lexicon)),
        "nearest": nearest_data(similarity_index(knowledge, (lexicon, analysed))),
    }


def nearest_data(index: PhraseIndex) -> dict[str, Any]:
    """index.json's `nearest` (ask/nearest.py): the similarity's stem weights, its common stems, and per
    target its phrasings' norms and postings, numbered within the target."""
    targets: dict[str, dict[str, Any]] = {}
    for entry, target in enumerate(index.targets):
        data = targets.setdefault(target, {"norm": [], "postings": {}})
        number = len(data["norm"])
        data["norm"].append(round(index.entry_norm[entry], 6))
        for s in sorted(index.entry_stems[entry]):
            data["postings"].setdefault(s, []).append(number)
    return {
        "weights": {s: round(f.weight, 4) for s, f in sorted(index.stems.items()) if f.entries or f.weight != 1.0},
        "common": sorted(s for s, f in index.stems.items() if f.common is not None),
        "targets": {t: targets[t] for t in sorted(targets)},
    }


def similarity_index(
    knowledge: Knowledge, read: tuple[Lexicon, list[tuple[str, Analysis]]] | None = None
) -> PhraseIndex:
    """The phrasings' similarity (check-knowledge's ambiguity check, and the nearest phrasing's second
    opinion of ask/nearest.py): each phrasing's stems and each target's strong (its questions') and weak
    (only its page's) stems. `read`: the lexicon and phrasings already read, when the caller has them."""
    if read is None:
        lexicon, _, analysed = read_phrasings(knowledge)
    else:
        lexicon, analysed = read
    entries: list[tuple[str, list[str]]] = []
    strong: dict[str, set[str]] = {}
    for target, analysis in analysed:
        phrase_stems = sorted(set(analysis.stems))
        if phrase_stems and not target.startswith(SMALLTALK):
            entries.append((target, phrase_stems))
            strong.setdefault(target, set()).update(phrase_stems)
    bags = {}
    for target, strong_stems in sorted(strong.items()):
        page = knowledge.texts.get(target)
        weak = set(analyse(page, lexicon).stems) - strong_stems if page else set()
        bags[target] = {"strong": sorted(strong_stems), "weak": sorted(weak)}
    return phrase_index(entries, bags, lexicon)


def write_index(index: dict[str, Any], path: Path) -> None:
    """index.json, and its binary copy beside it for a faster cold start (ask/index.py `BINARY_SUFFIX`)."""
    from spravka.ask.index import write_index_binary

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_index(index), encoding="utf-8")
    write_index_binary(path)


def dump_index(index: dict[str, Any]) -> str:
    return json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
