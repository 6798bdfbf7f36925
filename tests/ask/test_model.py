"""The learned scorer: request-time probabilities are scikit-learn's, its weights survive rounding."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction import DictVectorizer

from spravka.ask.model import NGRAM_PREFIX, features, model_from_data, probabilities, ranked
from spravka_tools.knowledge.train import export, fit

NO_STOPWORDS: frozenset[str] = frozenset()
PHRASINGS = [
    ("pay", "оплатить картой"),
    ("pay", "оплата онлайн"),
    ("pay", "заплатить за свет"),
    ("meter", "замена счетчика"),
    ("meter", "счетчик сломался"),
    ("meter", "поверка счетчика"),
    ("@out-of-scope", "газовая плита"),
    ("@out-of-scope", "налог на квартиру"),
    ("@out-of-scope", "вызвать такси"),
]
ASKED = [
    "оплатить",
    "счетчик газа",
    "газовый счетчик",
    "поверка замена свет",
    "никогда невиданное",
    "картой налог",
    "электросчетчик",
]


def feats(text: str) -> dict[str, float]:
    words = text.split()
    return features([w[:5] for w in words], words, NO_STOPWORDS)  # a crude stem: the test needs features, not Russian


SAMPLES = [(target, feats(text)) for target, text in PHRASINGS]


def test_features_are_stems_and_letter_ngrams_of_longer_words() -> None:
    f = features(["счетчик"], ["счетчик", "и", "газ"], frozenset({"и"}))
    assert f["счетчик"] == 1.0
    assert {k for k in f if k.startswith(NGRAM_PREFIX)} == {
        NGRAM_PREFIX + g for g in ("<сч", "сче", "чет", "етч", "тчи", "чик", "ик>")
    }
    assert not any("газ" in k for k in f if k.startswith(NGRAM_PREFIX))  # three letters: the stem says it all


def test_request_time_scorer_equals_sklearn() -> None:
    estimator, names = fit(SAMPLES)
    model = model_from_data(export(estimator, names, decimals=None, min_weight=0, max_fanout=None))
    vectorizer = DictVectorizer().fit([dict.fromkeys(names, 1.0)])
    assert list(model.classes) == list(estimator.classes_)
    for text in ASKED:
        expected = estimator.predict_proba(vectorizer.transform([feats(text)]))[0]
        assert probabilities(model, feats(text)) == pytest.approx(list(expected), abs=1e-6)


def test_rounded_weights_keep_the_ranking() -> None:
    estimator, names = fit(SAMPLES)
    exact = model_from_data(export(estimator, names, decimals=None, min_weight=0, max_fanout=None))
    shipped = model_from_data(export(estimator, names, min_weight=0, max_fanout=None))
    for text in ASKED:
        assert ranked(shipped, feats(text))[0][0] == ranked(exact, feats(text))[0][0]
        assert probabilities(shipped, feats(text)) == pytest.approx(probabilities(exact, feats(text)), abs=0.05)


def test_a_compound_the_phrasings_never_used_reaches_its_article_through_ngrams() -> None:
    estimator, names = fit(SAMPLES)
    model = model_from_data(export(estimator, names, decimals=None, min_weight=0, max_fanout=None))
    assert ranked(model, feats("электросчетчик"))[0][0] == "meter"


def test_the_request_path_with_its_word_cache_equals_the_plain_sum() -> None:
    from spravka.ask.model import question_probabilities

    estimator, names = fit(SAMPLES)
    model = model_from_data(export(estimator, names, decimals=None, min_weight=0, max_fanout=None))
    for text in [*ASKED, "счетчик счетчик поверка"]:  # a repeated word counts twice, as in features()
        words = text.split()
        stems = [w[:5] for w in words]
        expected = probabilities(model, features(stems, words, NO_STOPWORDS))
        assert question_probabilities(model, stems, words, NO_STOPWORDS) == pytest.approx(expected, abs=1e-12)
        assert question_probabilities(model, stems, words, NO_STOPWORDS) == pytest.approx(expected, abs=1e-12)  # cached
    assert "электросчетчик" in model.word_cache


def test_parts_of_weight_one_read_as_the_whole() -> None:
    from spravka.ask.model import question_probabilities, weighted_probabilities

    estimator, names = fit(SAMPLES)
    model = model_from_data(export(estimator, names, decimals=None, min_weight=0, max_fanout=None))
    first, second = "оплатить картой".split(), "счетчик сломался".split()
    whole = question_probabilities(model, [w[:5] for w in first + second], first + second, NO_STOPWORDS)
    parts = [([w[:5] for w in first], first, 1.0), ([w[:5] for w in second], second, 1.0)]
    assert weighted_probabilities(model, parts, NO_STOPWORDS) == pytest.approx(whole, abs=1e-12)
    lighter = [parts[0], (parts[1][0], parts[1][1], 0.3)]
    p = dict(zip(model.classes, weighted_probabilities(model, lighter, NO_STOPWORDS)))
    assert p["pay"] > dict(zip(model.classes, whole))["pay"]  # the lighter part pulls less


def test_a_feature_weighs_in_at_most_max_fanout_classes_the_largest_kept() -> None:
    from spravka_tools.knowledge.train import MAX_FANOUT, counting_model

    estimator, names = fit(SAMPLES)
    whole = export(estimator, names, decimals=None, min_weight=0, max_fanout=None)
    capped = export(estimator, names, decimals=None, min_weight=0, max_fanout=1)
    assert any(len(flat) > 2 for flat in whole["weights"].values())  # three classes, one of them the median
    for feature, flat in capped["weights"].items():
        pairs = list(zip(flat[::2], flat[1::2]))
        assert len(pairs) == 1
        sizes = [abs(w) for w in whole["weights"][feature][1::2]]
        assert sorted((abs(w) for _, w in pairs), reverse=True) == sorted(sizes, reverse=True)[: len(pairs)]
    # The scale benchmark's counting model has the same bound.
    many = [(f"c{n:03}", {"общий": 1.0, f"свой{n}": 1.0}) for n in range(100)]
    assert len(counting_model(many)["weights"]["общий"]) == 2 * MAX_FANOUT


def test_top_of_is_best_first_with_ties_by_target_id() -> None:
    from spravka.ask.model import Model, top_of

    model = Model(("a", "b", "c", "d"), (0.0,) * 4, {}, {}, {})
    assert top_of(model, [0.1, 0.4, 0.1, 0.4], limit=3) == [("b", 0.4), ("d", 0.4), ("a", 0.1)]


def test_the_shipped_model_s_classes_are_sorted_and_its_features_bounded() -> None:
    from spravka.ask.index import load_index
    from spravka.paths import INDEX_PATH
    from spravka_tools.knowledge.train import MAX_FANOUT

    model = load_index(INDEX_PATH).model
    assert list(model.classes) == sorted(model.classes)  # top_of's tie rule rests on it
    assert max(len(flat) for flat in model.weights.values()) <= 2 * MAX_FANOUT


def test_the_binary_copy_of_the_index_holds_the_same_data_and_is_used_only_for_its_own_json(tmp_path) -> None:
    import json
    import shutil

    from spravka.ask.index import BINARY_SUFFIX, load_index, read_index_data, write_index_binary
    from spravka.paths import INDEX_PATH

    path = tmp_path / "index.json"
    shutil.copy(INDEX_PATH, path)
    parsed = json.loads(path.read_bytes())
    assert read_index_data(path) == parsed  # no copy yet: the JSON
    write_index_binary(path)
    copy = path.with_suffix(BINARY_SUFFIX)
    assert copy.is_file() and not copy.with_name(copy.name + ".partial").exists()
    assert read_index_data(path) == parsed  # the copy: the same data
    assert load_index(path).model.classes == load_index(INDEX_PATH).model.classes

    # index.json changed after the copy was made (an editor's rebuild, a pull): the copy is stale, not read.
    changed = dict(parsed, replies={**parsed["replies"], "operator": "Новый ответ оператора."})
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert read_index_data(path)["replies"]["operator"] == "Новый ответ оператора."

    # A damaged copy is ignored too.
    write_index_binary(path)
    copy.write_bytes(copy.read_bytes()[:1000])
    assert read_index_data(path)["replies"]["operator"] == "Новый ответ оператора."
