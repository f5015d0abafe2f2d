"""The visitor's address, the same for consent records and every rate limit."""

import ipaddress

from django.conf import settings


def _clean(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry that the last trusted proxy added to X-Forwarded-For.

    With TRUSTED_PROXY_COUNT = 0 the header is ignored, so a forged one changes nothing. Behind N proxies
    of the shop's own, the N-th address from the right end of the header is the one the outermost trusted
    proxy saw; anything left of it was written by the client and is not believed.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count and (address := _clean(hops[-count])):
            return address
    return _clean(request.META.get("REMOTE_ADDR"))
