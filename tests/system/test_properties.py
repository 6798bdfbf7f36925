"""Property-based tests (hypothesis): text normalisation, the validators and the consumption arithmetic.

Each test tallies the inputs it tried (tests/tally.py), so the totals can be quoted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spravka.ask.index import get_index
from spravka.ask.normalise import _TRANSLIT, LAYOUT, WORD, analyse, fold, translit_variants
from spravka.ask.typos import words_of_length
from spravka.ask.validate import parse_question
from spravka.errors import ApiError, BadRequest, Conflict
from spravka.masking import mask_accounts
from spravka.readings.consumption import Context, compute, zone_consumption
from spravka.readings.validate import ACCOUNT_DIGITS, MAX_DECIMALS, parse_account, parse_submission, parse_value
from spravka.store.model import LastReading, Meter, MeterState
from tests.tally import tally

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LEXICON = get_index().lexicon
CYRILLIC_WORDS = sorted(w for w in LEXICON.words if len(w) >= 4 and all("а" <= c <= "я" for c in w))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def qwerty(word: str) -> str:
    """The keys a word is typed with on a QWERTY layout (the inverse of normalise.LAYOUT)."""
    inverse = {chr(cyrillic): chr(latin) for latin, cyrillic in sorted(LAYOUT.items())}  # type: ignore[arg-type]
    return "".join(inverse.get(c, c) for c in word)


# Text normalisation


@SETTINGS
@given(st.text(max_size=200))
def test_analyse_never_crashes_and_keeps_to_its_alphabet(text: str) -> None:
    tally("hypothesis: normalisation inputs")
    analysis = analyse(text, LEXICON)
    for word in analysis.words:
        assert WORD.fullmatch(word) and not word.isdigit(), word
        assert "ё" not in word and word == word.lower()
    assert all(number.isdigit() for number in analysis.numbers)
    assert set(analysis.unknown) <= set(analysis.words)
    assert 0 <= analysis.corrected <= len(analysis.words)


@SETTINGS
@given(st.text(max_size=200))
def test_fold_is_idempotent_and_analysis_is_stable_under_it(text: str) -> None:
    tally("hypothesis: normalisation inputs")
    assert fold(fold(text)) == fold(text)
    assert analyse(fold(text), LEXICON) == analyse(text, LEXICON)


@SETTINGS
@given(st.lists(st.sampled_from(CYRILLIC_WORDS), min_size=1, max_size=4))
def test_analysed_words_analyse_to_themselves(words: list[str]) -> None:
    """Idempotence: the corrected words, read again, give the same stems."""
    tally("hypothesis: normalisation inputs")
    first = analyse(" ".join(words), LEXICON)
    assert analyse(" ".join(first.words), LEXICON).stems == first.stems


@SETTINGS
@given(st.sampled_from(CYRILLIC_WORDS))
def test_a_word_typed_on_the_wrong_layout_reads_as_the_word(word: str) -> None:
    tally("hypothesis: normalisation inputs")
    typed = qwerty(word)
    assume(not WORD.fullmatch(typed) or not LEXICON.knows(typed))  # a Latin word the knowledge uses itself
    # A chunk is read as the wrong layout when it has Latin letters: «жжжж» typed is «;;;;», punctuation only
    # (out-of-scope.yml's nonsense has such a word).
    assume(any(c.isascii() and c.isalpha() for c in typed))
    assert analyse(typed, LEXICON).stems == analyse(word, LEXICON).stems


def greedy_tokens(latin: str) -> list[str]:
    """How translit_variants cuts a Latin chunk: the longest known sequence first."""
    tokens, i = [], 0
    while i < len(latin):
        token = next((key for key, _ in _TRANSLIT if latin.startswith(key, i)), latin[i])
        tokens.append(token)
        i += len(token)
    return tokens


LATIN_OF = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "j",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ы": "y",
    "ь": "'",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


@SETTINGS
@given(st.sampled_from([w for w in CYRILLIC_WORDS if "ъ" not in w]))  # ъ has no common spelling
def test_translit_round_trip(word: str) -> None:
    """A word written in common translit is among the readings translit_variants offers back."""
    tally("hypothesis: normalisation inputs")
    pieces = [LATIN_OF[c] for c in word]
    latin = "".join(pieces)
    # Known gap (reported, not fixed here: ask/ is the lead's): the longest Latin sequence is read
    # first, so where one letter's spelling and the next one's form a digraph the word is lost
    # ("otzyva" -> "оцыва", "vernye" -> "верне", "vladeniya" -> "владенийа"). Typo correction often
    # recovers it. Such words are counted, and the property is checked on the others.
    if greedy_tokens(latin) != pieces:
        tally("hypothesis: translit words split wrongly by the greedy reading")
        assume(False)
    assume(len(latin) <= 12)  # variants are capped at 32 readings; long words may lose theirs (by design)
    assert word in translit_variants(latin)


# Validators


@SETTINGS
@given(JSON)
def test_parse_question_takes_any_json_and_returns_text_or_a_400(payload: Any) -> None:
    tally("hypothesis: validator inputs")
    for candidate in (
        payload,
        {"q": payload},
        {"q": "вопрос", "session": payload},
        {"q": "вопрос", "visitor": payload},
    ):
        if not isinstance(candidate, dict):
            continue
        try:
            question = parse_question(candidate, max_chars=1000)
        except BadRequest as error:
            assert error.status == 400 and error.code.startswith(("question_", "session_", "visitor_"))
        else:
            assert question == question.strip() and 0 < len(question) <= 1000


@SETTINGS
@given(
    st.dictionaries(st.sampled_from(["account", "meter", "values", "idempotency_key", "source", "x"]), JSON, max_size=6)
)
def test_parse_submission_takes_any_json_and_returns_a_submission_or_a_400(payload: dict[str, Any]) -> None:
    tally("hypothesis: validator inputs")
    try:
        submission = parse_submission(payload)
    except BadRequest as error:
        assert error.status == 400
        assert str(payload.get("account")) not in error.message or len(str(payload.get("account"))) < 4
    else:
        assert len(submission.account) == ACCOUNT_DIGITS and submission.values


@SETTINGS
@given(
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.lists(st.sampled_from([" ", "-", "\u00a0", "\u2013", "\t"]), min_size=12, max_size=12),
)
def test_an_account_with_separators_parses_to_its_digits(digits: str, separators: list[str]) -> None:
    tally("hypothesis: validator inputs")
    typed = "".join(d + s for d, s in zip(digits, separators, strict=True))
    if len(typed) <= 40:
        assert parse_account(typed) == digits
    assert mask_accounts(digits) == "********" + digits[-4:]


@SETTINGS
@given(st.text(max_size=50))
def test_parse_account_accepts_twelve_digits_only(raw: str) -> None:
    tally("hypothesis: validator inputs")
    try:
        account = parse_account(raw)
    except BadRequest as error:
        assert error.code == "account_invalid"
    else:
        assert account.isdigit() and len(account) == 12 and account.isascii()


@SETTINGS
@given(
    st.decimals(min_value=0, max_value=10**9, places=MAX_DECIMALS, allow_nan=False, allow_infinity=False), st.booleans()
)
def test_a_value_parses_back_exactly_in_any_notation(value: Decimal, comma: bool) -> None:
    tally("hypothesis: validator inputs")
    text = format(value, "f")
    assert parse_value("t1", text.replace(".", ",") if comma else text) == value
    assert parse_value("t1", f"  {text} ") == value


@SETTINGS
@given(st.one_of(st.text(max_size=45), st.floats(), st.integers(), JSON))
def test_a_bad_value_is_a_400_never_a_crash(raw: Any) -> None:
    tally("hypothesis: validator inputs")
    try:
        value = parse_value("t1", raw)
    except BadRequest as error:
        assert error.code == "value_invalid"
    else:
        assert value.is_finite() and value >= 0 and -value.normalize().as_tuple().exponent <= MAX_DECIMALS


# Consumption arithmetic

NOW = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
CONTEXT = Context("r", NOW, NOW.date(), "2026-11", None, (15, 25))
amounts = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(st.integers(min_value=1, max_value=9), st.data())
def test_zone_consumption_is_the_difference_modulo_the_display(digits: int, data: st.DataObject) -> None:
    tally("hypothesis: consumption inputs")
    capacity = Decimal(10) ** digits
    previous = data.draw(amounts.filter(lambda v: v < capacity))
    new = data.draw(amounts.filter(lambda v: v < capacity))
    try:
        used, rolled = zone_consumption("t1", new, previous, digits)
    except Conflict:
        assert new < previous  # only a value that went down, and not near a rollover, is refused
        assert not (previous >= capacity * Decimal("0.9") and new < capacity * Decimal("0.1"))
        return
    assert rolled == (new < previous)
    assert 0 <= used < capacity and (used - (new - previous)) % capacity == 0


@SETTINGS
@given(
    st.integers(min_value=4, max_value=8),
    st.lists(st.sampled_from(["t1", "t2", "t3"]), min_size=1, max_size=3, unique=True).map(sorted),
    st.data(),
)
def test_a_chain_of_readings_adds_up_per_zone(digits: int, zones: list[str], data: st.DataObject) -> None:
    """Readings accepted one after another: per zone, the consumptions add up to the distance travelled."""
    tally("hypothesis: consumption inputs")
    capacity = Decimal(10) ** digits
    step = st.decimals(min_value=0, max_value=capacity / 20, places=3, allow_nan=False, allow_infinity=False)
    start = {zone: data.draw(amounts.filter(lambda v: v < capacity)) for zone in zones}
    meter = Meter("000000000009", "m9", "electricity", tuple(zones), digits, "EM-9")
    state = MeterState(meter, LastReading("r0", dict(start), "2026-10-20", "2026-10-19T21:00:00+00:00", 1))
    travelled = {zone: Decimal(0) for zone in zones}
    total = {zone: Decimal(0) for zone in zones}
    for n in range(data.draw(st.integers(min_value=1, max_value=5))):
        steps = {zone: data.draw(step) for zone in zones}
        values = {zone: (state.last.values[zone] + steps[zone]) % capacity for zone in zones}
        from spravka.readings.consumption import AlreadyAccepted
        from spravka.readings.validate import Submission

        # The same values as the latest customer reading of the period are that reading, not a second one.
        repeat = state.last.receipt is not None and all(values[zone] == state.last.values[zone] for zone in zones)
        try:
            outcome = compute(
                state,
                submission=Submission(meter.account, meter.meter, values, None, "widget"),
                context=Context(f"r{n + 1}", NOW, NOW.date(), "2026-11", None, (15, 25)),
            )
        except AlreadyAccepted as already:
            assert repeat and already.receipt == state.last.receipt
            continue
        assert not repeat
        for zone in zones:
            travelled[zone] += steps[zone]
            total[zone] += outcome.reading.consumption[zone]
            assert outcome.receipt["consumption"][zone] == float(outcome.reading.consumption[zone]) or outcome.receipt[
                "consumption"
            ][zone] == int(outcome.reading.consumption[zone])
        assert outcome.state.last.seq == state.last.seq + 1
        state = outcome.state
    assert total == travelled


@SETTINGS
@given(st.dictionaries(st.sampled_from(["t1", "t2", "t3", "t4"]), amounts, min_size=1, max_size=4))
def test_values_that_do_not_fit_the_meter_are_a_400(values: dict[str, Decimal]) -> None:
    tally("hypothesis: consumption inputs")
    meter = Meter("000000000002", "m2", "electricity", ("t1", "t2"), 6, "EM-2")
    state = MeterState(
        meter, LastReading("r0", {"t1": Decimal(0), "t2": Decimal(0)}, "2026-10-20", "2026-10-19T21:00:00+00:00", 1)
    )
    from spravka.readings.validate import Submission

    try:
        outcome = compute(state, submission=Submission(meter.account, "m2", values, None, "widget"), context=CONTEXT)
    except ApiError as error:
        assert error.status == 400 and error.code in ("zone_unknown", "zone_missing", "value_too_large")
        assert set(values) != {"t1", "t2"} or any(v >= 10**6 for v in values.values())
    else:
        assert set(values) == {"t1", "t2"} and outcome.reading.consumption == values


def _searched_correction(word: str) -> str | None:
    """The typo corrector as it was before the one-edit lookup: rapidfuzz over the pools only."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    lexicon = get_index().lexicon
    max_edits = 1 if len(word) < 8 else 2
    shortest, longest = len(word) - max_edits, len(word) + max_edits
    found = process.extract(
        word,
        [w for w in words_of_length(lexicon, shortest, longest) if w[0] == word[0]],
        scorer=OSA.distance,
        score_cutoff=max_edits,
        limit=None,
    )
    if not any(distance == 1 for _, distance, _ in found):
        found = process.extract(
            word, words_of_length(lexicon, shortest, longest), scorer=OSA.distance, score_cutoff=max_edits, limit=None
        )
    if not found:
        return None
    return min(found, key=lambda hit: (hit[1], hit[0][0] != word[0], hit[0]))[0]


@st.composite
def typed_words(draw: st.DrawFn) -> str:
    """A known word of 5+ letters with one or two random edits (any position, the first letter too)."""
    lexicon = get_index().lexicon
    word = draw(st.sampled_from(sorted(w for w in lexicon.words if len(w) >= 5 and w.isalpha() and not w.isascii())))
    for _ in range(draw(st.integers(1, 2))):
        at = draw(st.integers(0, len(word) - 1))
        letter = draw(st.sampled_from("абвгдежзийклмнопрстуфхцчшщъыьэюя"))
        edit = draw(st.sampled_from(["drop", "swap", "change", "add"]))
        if edit == "drop" and len(word) > 5:
            word = word[:at] + word[at + 1 :]
        elif edit == "swap" and at < len(word) - 1:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif edit == "change":
            word = word[:at] + letter + word[at + 1 :]
        else:
            word = word[:at] + letter + word[at:]
    return word


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_words())
def test_the_one_edit_lookup_corrects_as_the_pool_search_did(word: str) -> None:
    from spravka.ask.typos import _correct_cached

    lexicon = get_index().lexicon
    assume(word not in lexicon.words)
    tally("hypothesis: typo corrections compared with the pool search")
    assert _correct_cached.__wrapped__(word, lexicon) == _searched_correction(word)
