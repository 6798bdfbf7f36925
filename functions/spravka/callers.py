"""Who is calling: the client address that per-client rate limits count against.

On Cloud Functions (gen 2, i.e. Cloud Run) Google's front end puts the address it accepted the
connection from at the right end of X-Forwarded-For; whatever the client wrote itself stays to the
left of it and can be anything. So the client is the entry TRUSTED_PROXY_HOPS places from the
right: 1 behind Cloud Functions/Cloud Run alone, 2 with a Google external load balancer in front
(it appends its own address after the client's; the deploy sets 2 behind Firebase Hosting), 0 when
nothing trustworthy sets the header (a server reached directly, e.g. `spravka serve`): then the
socket's peer address is used. 0 is the default, so a server that nobody configured cannot be
fooled by a header the client wrote itself.
"""

from __future__ import annotations

import ipaddress

import flask

UNKNOWN = "unknown"
IPV6_PREFIX = 64  # one subscriber gets a whole /64: limits count the prefix, not the address


def client_address(request: flask.Request, *, trusted_hops: int) -> str:
    """The caller's address as rate limits key it (an IPv6 address reduced to its /64)."""
    if trusted_hops > 0:
        entries = [entry.strip() for entry in request.headers.get("X-Forwarded-For", "").split(",")]
        entries = [entry for entry in entries if entry]
        raw = entries[-trusted_hops] if len(entries) >= trusted_hops else (entries[0] if entries else "")
    else:
        raw = ""
    return normalise_address(raw or request.remote_addr or "")


def normalise_address(raw: str) -> str:
    """A canonical address text; IPv6 as its /64 network; anything unparsable as `unknown`."""
    raw = raw.strip()
    if raw.startswith("[") and "]" in raw:  # "[2001:db8::1]:443"
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # "203.0.113.7:443"
        raw = raw.split(":")[0]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)
