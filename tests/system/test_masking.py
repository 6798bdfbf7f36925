"""mask_accounts: the one masking of account numbers, for responses and logs alike."""

from __future__ import annotations

import pytest

from spravka.masking import mask_accounts


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("000012341234", "********1234"),  # an account, as responses show it
        ("account 000000000006 not found", "account ********0006 not found"),  # inside a log line
        ("a=000000000001, b=000000000002", "a=********0001, b=********0002"),
        ("1234567890123", "1234567890123"),  # 13 digits: not an account
        ("12345678901", "12345678901"),  # 11 digits
        ("no digits", "no digits"),
    ],
)
def test_masks_every_account_number(text: str, masked: str) -> None:
    assert mask_accounts(text) == masked
