"""The nearest phrasing's second opinion: the shipped data scores as the similarity it was built from."""

from __future__ import annotations

import math

import pytest

from spravka.ask.index import get_index
from spravka.ask.nearest import CANDIDATES, MIN_STEMS, reweigh, similarities
from spravka.ask.normalise import analyse
from spravka.paths import KNOWLEDGE_DIR
from spravka_tools.knowledge.build_index import read_knowledge, similarity_index
from spravka_tools.knowledge.similarity import entry_scores, query_weights

ASKED = [
    "как оплатить свет",
    "счетчик сломался что делать",
    "не пришла квитанция за отопление в этом месяце",
    "добрый день, переехали в новую квартиру, прежний хозяин не передавал показания. как нам быть с долгом?",
    "горячая вода ржавая уже неделю",
    "забыл пароль от личного кабинета",
    "ипотека",
    "несуществующееслово",
]


@pytest.fixture(scope="module")
def index():
    return get_index()


@pytest.fixture(scope="module")
def phrase_index():
    return similarity_index(read_knowledge(KNOWLEDGE_DIR))


@pytest.mark.parametrize("question", ASKED)
def test_the_shipped_data_gives_the_similarity_of_the_ambiguity_check(index, phrase_index, question) -> None:
    """index.json's `nearest` is check-knowledge's similarity, per target its best phrasing (to rounding)."""
    stems = frozenset(analyse(question, index.lexicon).stems)
    expected: dict[str, float] = {}
    if stems:
        for entry, value in entry_scores(query_weights(stems, phrase_index), phrase_index).items():
            target = phrase_index.targets[entry]
            expected[target] = max(expected.get(target, 0.0), value)
    targets = sorted(index.nearest.targets)
    got = similarities(index.nearest, stems, targets)
    for target in targets:
        assert got[target] == pytest.approx(expected.get(target, 0.0), abs=0.05), target


def test_a_phrasing_asked_word_for_word_is_its_own_nearest(index) -> None:
    stems = analyse("как подключить автоплатёж", index.lexicon).stems
    close = similarities(index.nearest, stems, ["payment-autopay", "payment-methods"])
    assert close["payment-autopay"] > 95.0  # 100 when the phrasing has no word the question lacks
    assert close["payment-methods"] < close["payment-autopay"]


def test_reweighing_keeps_a_distribution_and_touches_only_the_first_candidates(index) -> None:
    stems = analyse("как подключить автоплатёж", index.lexicon).stems
    ranked = [("payment-methods", 0.5), ("payment-autopay", 0.3), ("contacts", 0.1), ("offices", 0.05)]
    out = reweigh(index.nearest, stems, ranked)
    assert [t for t, _ in out][0] == "payment-autopay"  # the phrasing said word for word wins
    assert sum(p for _, p in out) <= 1.0 + 1e-9
    assert all(a[1] >= b[1] for a, b in zip(out, out[1:]))
    rest = dict(out)
    # Below the candidates nothing changes but the common renormalisation.
    ratio = rest["offices"] / 0.05
    assert CANDIDATES == 3 and all(rest[t] / p == pytest.approx(ratio) for t, p in ranked[CANDIDATES:])
    assert not math.isclose(rest["payment-autopay"] / 0.3, ratio)


def test_without_the_data_the_model_alone_decides(index) -> None:
    ranked = [("payment-methods", 0.5), ("payment-autopay", 0.3)]
    assert reweigh(None, ["оплат"], ranked) == ranked
    assert reweigh(index.nearest, ["оплат"], []) == []


@pytest.mark.parametrize("question", ["счётчик", "квитанция", "личный кабинет"])
def test_a_question_of_a_word_or_two_gets_no_second_opinion(index, question) -> None:
    """Every short phrasing holding the word is «nearest» at about 100: the similarity says nothing there."""
    stems = analyse(question, index.lexicon).stems
    assert len(set(stems)) < MIN_STEMS
    ranked = [("meter-broken", 0.4), ("meter-replacement", 0.3), ("bill-not-received", 0.2)]
    assert reweigh(index.nearest, stems, ranked) == ranked
