"""Appeal numbers and secrets.

A number is `YYMM-XXXX-XX`: the month of registration and six random characters from an
alphabet without the look-alikes 0/O, 1/I/L and U/V (Crockford's base32 less 0 and 1, and V),
so it reads over the phone. 29**6 ≈ 595 million numbers a month: no global counter, and a
collision (which the store refuses) is retried with a fresh draw.

The secret is derived, not stored: HMAC(key, number, nonce) with a random nonce per appeal and
the key kept outside the store (LIMITS_SECRET, or a key file beside an SQLite store). The store
holds only the nonce and the secret's SHA-256, so a copy of the store cannot open the status
page, while the sender can put the secret into every e-mail's link.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
NUMBER = re.compile(r"[0-9]{4}-[%s]{4}-[%s]{2}" % (ALPHABET, ALPHABET))
_SEPARATORS = re.compile(r"[\s\u00a0\u2010-\u2015-]+")
SECRET = re.compile(r"[A-Za-z0-9_-]{22}")


def new_number(day: datetime.date) -> str:
    """A fresh random number of this month."""
    chunk = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{day:%y%m}-{chunk[:4]}-{chunk[4:]}"


def normalise_number(raw: str) -> str | None:
    """The number as typed ("2612 7kq4 m9", "2612-7KQ4-M9") in its canonical form, None if it is not one."""
    compact = _SEPARATORS.sub("", raw).upper()
    if len(compact) != 10:
        return None
    number = f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return number if NUMBER.fullmatch(number) else None


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def derive_secret(key: bytes, number: str, nonce: str) -> str:
    """The appeal's secret: 22 URL-safe characters (128 bits)."""
    digest = hmac.new(key, f"appeal-secret:{number}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode("ascii").rstrip("=")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(presented: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(presented), stored_hash)
