"""Safe webhook URLs (no SSRF): https to public addresses only, checked at registration and again at
every delivery after DNS, and the request goes to the very address that was checked.

Pinning the checked address closes DNS rebinding (a name answering a public address to the check and
a private one to the connection). `allow_loopback` (SHIFU_WEBHOOK_ALLOW_LOOPBACK, development and
tests) additionally accepts loopback addresses, over http too; nothing else private ever passes.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata services: credentials live there, so they get their own refusal message.
METADATA = {ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_LENGTH = 2000


class UnsafeUrl(ValueError):
    """The URL may not be called; the message says why, for the client."""


@dataclass(frozen=True)
class Target:
    """Where to connect (a checked address) and what to present there (the original host)."""

    scheme: str
    host: str
    port: int
    address: IP
    path: str  # path and query, at least "/"

    @property
    def request_url(self) -> str:
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return f"{self.scheme}://{literal}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"

    @property
    def sni_hostname(self) -> str | None:
        return None if _literal(self.host) is not None else self.host


def resolve(host: str, port: int) -> list[IP]:
    """Every address the name resolves to (tests replace this to fake DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def _literal(host: str) -> IP | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def refusal(address: IP, allow_loopback: bool) -> str | None:
    """Why this address may not be called, or None."""
    ip = address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    elif ip.version == 6 and ip in _NAT64:
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in METADATA or address in METADATA:
        return "a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else "a loopback address (set SHIFU_WEBHOOK_ALLOW_LOOPBACK=true for development)"
    for name in ("unspecified", "multicast", "link_local", "private", "reserved"):
        if getattr(ip, f"is_{name}"):
            word = name.replace("_", "-")
            return f"{'an' if word[0] in 'aeiou' else 'a'} {word} address"
    if not ip.is_global:
        return "not a public address"
    return None


def parse(url: str, allow_loopback: bool) -> tuple[str, str, int, str]:
    """Syntax only: (scheme, host, port, path-and-query)."""
    if len(url) > MAX_LENGTH:
        raise UnsafeUrl(f"longer than {MAX_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise UnsafeUrl("must start with https://")
    if scheme == "http" and not allow_loopback:
        raise UnsafeUrl("must use https (http is only accepted to loopback with SHIFU_WEBHOOK_ALLOW_LOOPBACK=true)")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("must not carry a user name or password")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrl("has no host")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def check(url: str, allow_loopback: bool) -> Target:
    """The address to connect to, or UnsafeUrl. Every address the host resolves to must pass: a name
    that answers one public and one private address is refused rather than gambled on."""
    scheme, host, port, path = parse(url, allow_loopback)
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnsafeUrl(f"host {host} does not resolve ({exc.__class__.__name__})") from None
        if not addresses:
            raise UnsafeUrl(f"host {host} does not resolve")
    for address in addresses:
        why = refusal(address, allow_loopback)
        if why is not None:
            shown = host if literal is not None else f"{host} ({address})"
            raise UnsafeUrl(f"{shown} is {why}")
    if scheme == "http" and not all(_is_loopback(a) for a in addresses):
        raise UnsafeUrl("must use https (http is only accepted to loopback addresses)")
    return Target(scheme, host, port, addresses[0], path)


def _is_loopback(address: IP) -> bool:
    ip = address.ipv4_mapped if address.version == 6 and address.ipv4_mapped is not None else address
    return ip.is_loopback
