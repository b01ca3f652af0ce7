import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url

logger = logging.getLogger(__name__)


# where the reverse proxies this site runs behind reach gunicorn from: the same machine or the
# private network (docs/operations.md, "Reverse proxy"); any other peer is a client
PROXY_NETWORKS = [
    ipaddress.ip_network(n)
    for n in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
]


def _is_proxy_peer(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in PROXY_NETWORKS)


def client_ip(request) -> str:
    """The client's address for rate limits: REMOTE_ADDR, or, when the request came through
    the ALLAUTH_TRUSTED_PROXY_COUNT proxies, the entry the outermost of them appended to
    X-Forwarded-For (counted from the right: whatever a client writes stays on the left).
    A client talking to gunicorn directly never chooses its own address with the header."""
    peer = request.META.get("REMOTE_ADDR") or ""
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if count <= 0 or not forwarded or not _is_proxy_peer(peer):
        return peer
    chain = [entry.strip() for entry in forwarded.split(",")]
    if len(chain) < count:
        # fewer proxies on this path than configured: one shared budget, never an error page
        logger.warning("X-Forwarded-For has fewer entries than ALLAUTH_TRUSTED_PROXY_COUNT")
        return peer
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by HR from staff records, never by self sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request) -> str:
        # allauth's login, reauthentication and password-reset limits and the certificate
        # verification limit (certificates/verification.py) all count per this address
        return client_ip(request) or "unknown"

    def get_login_redirect_url(self, request) -> str:
        """Staff who work in the admin (HR, trainers, administrators) land on its dashboard;
        officers on their own page. An explicit ?next= still wins (allauth)."""
        if request.user.has_perm("wagtailadmin.access_admin"):
            return resolve_url("wagtailadmin_home")
        return super().get_login_redirect_url(request)
