"""compact_json: the JSON json.dumps(…, ensure_ascii=False, separators=(",", ":")) would write, faster."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from spravka import compact_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


def standard(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(JSON)
def test_any_value_reads_back_as_itself(value: object) -> None:
    """Any ints (past 64 bits too), floats, text (lone surrogates too): valid UTF-8 JSON of the same value."""
    assert json.loads(compact_json.dumps(value).decode("utf-8")) == value


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63 - 1)
        | st.floats(0.0, 100.0).map(lambda x: round(x, 1))
        | st.text(st.characters(exclude_categories=["Cs"])),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
)
def test_answers_are_the_same_bytes_as_the_standard_library(value: object) -> None:
    """Text, scores rounded to a tenth, ids, counts: byte for byte what json.dumps wrote before."""
    assert compact_json.dumps(value) == standard(value)


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    for value in ({"values": {"t1": 10**400}}, {1: "ключ не строка"}, [2**64]):
        assert compact_json.dumps(value) == standard(value)
    assert (
        compact_json.dumps({"q": "\ud800 как оплатить"}) == b'{"q":"\\ud800 \\u043a\\u0430\\u043a '
        b'\\u043e\\u043f\\u043b\\u0430\\u0442\\u0438\\u0442\\u044c"}'
    )
