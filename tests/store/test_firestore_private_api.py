"""BoundedTransaction repeats private bodies of google-cloud-firestore: fail loudly when the library moves them.

An upgrade that renames or re-shapes any of these would otherwise be found only in production, as a
transaction that no longer carries our retry and timeout (or an AttributeError under load).
"""

from __future__ import annotations

import hashlib
import inspect

from google.cloud.firestore_v1.base_client import BaseClient
from google.cloud.firestore_v1.base_transaction import BaseTransaction
from google.cloud.firestore_v1.transaction import Transaction

from spravka.store.firestore_calls import BoundedTransaction

# The overridden methods: their parameters as the library declares them (annotations as text).
OVERRIDDEN = {
    "_begin": ["self", "retry_id"],
    "_commit": ["self"],
    "_rollback": ["self"],
}
# What the overrides' bodies use besides the three methods.
USED_METHODS = {"_clean_up": ["self"], "_options_protobuf": ["self", "retry_id"]}


def test_the_overridden_methods_exist_with_the_signatures_the_overrides_repeat() -> None:
    for name, parameters in {**OVERRIDDEN, **USED_METHODS}.items():
        method = getattr(Transaction, name)
        assert list(inspect.signature(method).parameters) == parameters, name
    assert inspect.signature(Transaction._begin).parameters["retry_id"].default is None
    for name in OVERRIDDEN:
        assert getattr(BoundedTransaction, name) is not getattr(Transaction, name), f"{name} is no longer overridden"
        assert list(inspect.signature(getattr(BoundedTransaction, name)).parameters) == OVERRIDDEN[name]


def test_the_state_the_overrides_read_is_still_there() -> None:
    assert isinstance(inspect.getattr_static(BaseTransaction, "in_progress"), property)
    source = inspect.getsource(Transaction) + inspect.getsource(BaseTransaction)
    for attribute in ("self._id", "self._write_pbs", "self.write_results", "self.commit_time"):
        assert attribute in source, attribute
    client_source = inspect.getsource(BaseClient)
    for attribute in ("_database_string", "_rpc_metadata", "_firestore_api"):
        assert attribute in client_source, attribute


def test_the_library_bodies_the_overrides_copy_are_the_pinned_ones() -> None:
    """The overrides repeat the bodies of google-cloud-firestore 2.34.1: a changed body needs a look at ours."""
    digests = {
        name: hashlib.sha256(inspect.getsource(getattr(Transaction, name)).encode()).hexdigest()[:16]
        for name in OVERRIDDEN
    }
    assert digests == PINNED_BODIES


PINNED_BODIES = {"_begin": "111673b2aa9a50f1", "_commit": "3fa97368fe19822f", "_rollback": "0a1d68b72c6e50cd"}
