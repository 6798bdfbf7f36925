"""Account numbers as responses and logs show them: ********1234."""

from __future__ import annotations

import re

ACCOUNT_DIGITS = 12
_ACCOUNT_LIKE = re.compile(r"(?<![0-9])[0-9]{%d}(?![0-9])" % ACCOUNT_DIGITS)


def mask_accounts(text: str) -> str:
    """Every run of exactly 12 digits in text (an account number, alone or in a traceback) as ********1234."""
    return _ACCOUNT_LIKE.sub(lambda match: "*" * (ACCOUNT_DIGITS - 4) + match.group()[-4:], text)
