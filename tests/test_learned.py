"""The learned scorer and its measuring stick: `spravka eval --cv K`."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
from sklearn.feature_extraction import DictVectorizer

from spravka.ask.model import features, model_from_data, probabilities
from spravka.cli import main as cli
from spravka.knowledge import cv
from spravka.knowledge.build_index import read_knowledge
from spravka.knowledge.train import export, fit
from spravka.paths import KNOWLEDGE_DIR

SAMPLES = [
    ("pay", ("оплат", "карт")), ("pay", ("оплат", "онлайн")), ("pay", ("заплат", "свет")),
    ("meter", ("счетчик", "замен")), ("meter", ("счетчик", "слома")), ("meter", ("поверк", "счетчик")),
    ("@out-of-scope", ("газ", "счетчик")), ("@out-of-scope", ("налог",)), ("@out-of-scope", ("такс", "вызва")),
]
ASKED = [("оплат",), ("счетчик", "газ"), ("поверк", "замен", "свет"), ("никогд", "невиданн"), ("карт", "налог")]


@pytest.mark.parametrize("kind", ["logreg", "cnb"])
def test_request_time_scorer_equals_sklearn(kind) -> None:
    estimator, names = fit(SAMPLES, kind)
    model = model_from_data(export(estimator, names, decimals=None, min_weight=0))
    vectorizer = DictVectorizer().fit([dict.fromkeys(names, 1)])
    for stems in ASKED:
        x = vectorizer.transform([dict.fromkeys(features(stems), 1)])
        expected = estimator.predict_proba(x)[0]
        assert list(model.classes) == list(estimator.classes_)
        assert probabilities(model, features(stems)) == pytest.approx(list(expected), abs=1e-6)


def test_rounded_weights_keep_the_ranking() -> None:
    estimator, names = fit(SAMPLES, "logreg")
    exact = model_from_data(export(estimator, names, decimals=None, min_weight=0))
    rounded = model_from_data(export(estimator, names))
    for stems in ASKED:
        p, q = probabilities(exact, features(stems)), probabilities(rounded, features(stems))
        assert max(range(len(p)), key=p.__getitem__) == max(range(len(q)), key=q.__getitem__)
        assert q == pytest.approx(p, abs=0.05)


def test_folds_are_stratified_and_hold_every_phrasing_out_once() -> None:
    phrases = read_knowledge(KNOWLEDGE_DIR).phrases
    folds = cv.assign_folds(phrases, 5, seed=3)
    assert folds == cv.assign_folds(phrases, 5, seed=3)
    per_target: dict[str, Counter[int]] = {}
    for (target, _), fold in zip(phrases, folds):
        per_target.setdefault(target, Counter())[fold] += 1
    for counts in per_target.values():
        sizes = [counts.get(f, 0) for f in range(5)]
        assert max(sizes) - min(sizes) <= 1


def test_held_out_words_are_not_in_the_folds_index(tmp_path) -> None:
    knowledge = read_knowledge(KNOWLEDGE_DIR)
    kept = [p for p in knowledge.phrases if p[1] != "кто выиграл вчерашний матч"]
    index = cv.fold_index(knowledge, kept)
    assert "вчерашн" not in index.model.weights and "вчерашний" not in index.lexicon.words


@pytest.fixture(scope="module")
def small_knowledge(tmp_path_factory):
    """knowledge/ with four articles and a few out-of-scope questions: a CV run of seconds."""
    root = tmp_path_factory.mktemp("small") / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    keep = {"payment-methods.md", "payment-autopay.md", "readings-how-to-submit.md", "meter-verification.md"}
    for path in root.rglob("*.md"):
        if path.name not in keep and path.name != "index.md":
            path.unlink()
    (root / "out-of-scope.yml").write_text(
        "misc:\n" + "".join(f"  - {q}\n" for q in (
            "оплатить штраф гибдд", "рецепт борща", "налоговый вычет", "пенсия когда придет", "погода завтра",
            "курс доллара", "не работает интернет", "вызвать врача на дом")), encoding="utf-8")
    return root


def test_eval_cv_prints_the_figures(small_knowledge, capsys) -> None:
    assert cli(["eval", "--cv", "2", "--knowledge", str(small_knowledge), "--per-topic", "--tune"]) == 0
    out = capsys.readouterr().out
    for label in ("статья с первого ответа (top-1)", "неверная статья", "честное «не знаю»", "уточняющий вопрос",
                  "уточнения, где среди вариантов есть верная статья", "story", "payment-autopay", "Пороги по правилу"):
        assert label in out


def test_eval_cv_json_counts_every_held_out_question(small_knowledge, capsys) -> None:
    assert cli(["eval", "--cv", "3", "--knowledge", str(small_knowledge), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["metrics"]
    phrasings = len(read_knowledge(small_knowledge).phrases)
    assert phrasings < figures["items"] <= 5 * phrasings
    assert figures["variants"]["plain"]["items"] == phrasings
    assert set(figures["topics"]) == {"payment-methods", "payment-autopay", "readings-how-to-submit",
                                      "meter-verification"}
    assert 0.0 <= figures["in_scope_top1"] <= 1.0
