"""Reading real typing: case, ё, layout, translit, typos, synonyms, word forms."""

from __future__ import annotations

import pytest

from spravka.ask.index import get_index
from spravka.ask.normalise import analyse, fold, stem, translit_variants


@pytest.fixture(scope="module")
def lexicon():
    return get_index().lexicon


def stems_of(text: str, lexicon) -> set[str]:
    return set(analyse(text, lexicon).stems)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ЗАБЫЛ Пароль", "забыл пароль"),
        ("счётчик", "счетчик"),
        ("pf,sk gfhjkm", "забыл пароль"),  # ЙЦУКЕН typed on QWERTY
        ("rdbnfywbz", "квитанция"),
        ("kvitanciya", "квитанция"),  # translit
        ("gde nomer litsevogo scheta", "где номер лицевого счета"),
        ("квитнция", "квитанция"),  # a letter missing
        ("кватанцию", "квитанцию"),  # a wrong letter
        ("пакозания", "показания"),  # two swapped vowels
        ("квитанцию", "квитанции"),  # word forms meet in one stem
    ],
)
def test_same_stems(typed: str, meant: str, lexicon) -> None:
    assert stems_of(typed, lexicon) == stems_of(meant, lexicon)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("лк", "личный кабинет"),
        ("лс", "лицевой счет"),
        ("квиток", "квитанция"),
        ("платежка", "квитанция"),
        ("жировка", "квитанция"),
        ("свет", "электроэнергия"),
        ("ипу", "прибор учета"),
        ("одн", "общедомовые нужды"),
    ],
)
def test_synonyms_and_abbreviations(variant: str, canonical: str, lexicon) -> None:
    assert stems_of(variant, lexicon) == stems_of(canonical, lexicon)


def test_politeness_is_dropped(lexicon) -> None:
    plain = stems_of("как оплатить квитанцию", lexicon)
    assert stems_of("Здравствуйте! Подскажите, пожалуйста, как оплатить квитанцию?", lexicon) == plain


def test_numbers_are_kept_apart(lexicon) -> None:
    analysis = analyse("показания день 04521 ночь 01877", lexicon)
    assert analysis.numbers == ("04521", "01877")
    assert "04521" not in analysis.stems


@pytest.mark.parametrize(
    ("text", "sums"),
    [
        ("начисляют около 300 рублей", ("300",)),
        ("заплатил 300р.", ("300",)),
        ("долг 1250 ₽", ("1250",)),
        ("долг 1250₽", ("1250",)),
        ("15 000 руб", ("000",)),  # «15» is too short to be a reading anyway
        ("показания 12345, начислили 3000 рублей", ("3000",)),
        ("показания 12345 квт", ()),
        ("т1 12345 т2 678", ()),
    ],
)
def test_a_number_written_as_money_is_a_sum(lexicon, text, sums) -> None:
    analysis = analyse(text, lexicon)
    assert analysis.sums == sums
    assert set(sums) <= set(analysis.numbers)  # still a number: «мне начислили 5600 рублей» is one's own sum


def test_unknown_words_are_not_forced_into_the_vocabulary(lexicon) -> None:
    analysis = analyse("фывапролджэ", lexicon)
    assert analysis.unknown == ("фывапролджэ",)


def test_short_words_are_not_corrected(lexicon) -> None:
    assert analyse("кот", lexicon).corrected == 0


def test_fold_and_stem() -> None:
    assert fold("Ёлка\u00a0ЁЖ") == "елка еж"
    assert stem("счетчика") == stem("счетчики") == "счетчик"


def test_translit_offers_both_readings_of_sch() -> None:
    assert {"счета", "щета"} <= set(translit_variants("scheta"))


def test_a_typo_keeps_its_first_letter_on_a_tie(lexicon) -> None:
    # "пверки" is one edit from both "поверки" and "сверки"; people rarely miss the first key.
    assert stems_of("срок пверки", lexicon) == stems_of("срок поверки", lexicon)


def test_tariff_zones_stay_whole(lexicon) -> None:
    analysis = analyse("т1 12345 т2 678", lexicon)
    assert {"т1", "т2"} <= set(analysis.stems)
    assert analysis.numbers == ("12345", "678")


def test_a_light_going_out_is_not_paying(lexicon) -> None:
    # "погас экран" (went dark) must not read as "погасить долг" (pay off).
    assert "оплат" not in stems_of("у счётчика погас экран", lexicon)


def test_why_is_not_what_price(lexicon) -> None:
    # Snowball stems both "почему" and "почём" to "поч".
    assert stems_of("почему", lexicon) != stems_of("почём", lexicon)


def test_chunks_read_once_are_kept_within_a_bound_and_numbers_never(monkeypatch: pytest.MonkeyPatch) -> None:
    from spravka.ask import normalise
    from spravka.ask.index import index_from_data
    from spravka.paths import KNOWLEDGE_DIR
    from spravka_tools.knowledge.build_index import build_index

    lexicon = index_from_data(build_index(KNOWLEDGE_DIR)).lexicon  # its own lexicon: nothing shared with others
    normalise.clear_caches(lexicon)
    monkeypatch.setattr(normalise, "READINGS_KEPT", 4)
    first = analyse("как передать показания счетчика", lexicon)
    assert set(lexicon._readings) == {"как", "передать", "показания", "счетчика"}
    assert analyse("как передать показания счетчика", lexicon) == first  # read from what was kept
    analyse("лицевой счет 123456789012 т1 4521", lexicon)
    assert len(lexicon._readings) <= 4
    assert not any(ch.isdigit() for chunk in lexicon._readings for ch in chunk)
    assert analyse("как передать показания счетчика", lexicon) == first  # read afresh after the bound emptied it
