"""Secrets: API keys, bearer tokens, tracking tokens and password hashes."""

import hashlib
import hmac
import secrets
import threading
from functools import lru_cache

from app.config import get_settings


def new_secret(prefix: str, nbytes: int = 32) -> str:
    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# scrypt at N=2^17 needs 128 MiB per hash: a burst of logins on the thread pool must not take the
# machine's memory, so hashes queue for a few slots.
_HASH_SLOTS = threading.BoundedSemaphore(4)
# Hashes from before the parameters were stored in the string: scrypt$<salt>$<digest>.
_LEGACY_PARAMS = (2**14, 8, 1)


def _current_params() -> tuple[int, int, int]:
    s = get_settings()
    return s.password_scrypt_n, s.password_scrypt_r, s.password_scrypt_p


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _HASH_SLOTS:
        return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 2**20)


def hash_password(password: str) -> str:
    n, r, p = _current_params()
    salt = secrets.token_bytes(16)
    return f"scrypt${n}${r}${p}${salt.hex()}${_scrypt(password, salt, n, r, p).hex()}"


def _parse(stored: str) -> tuple[tuple[int, int, int], bytes, str] | None:
    parts = stored.split("$")
    try:
        if len(parts) == 3 and parts[0] == "scrypt":
            return _LEGACY_PARAMS, bytes.fromhex(parts[1]), parts[2]
        if len(parts) == 6 and parts[0] == "scrypt":
            return (int(parts[1]), int(parts[2]), int(parts[3])), bytes.fromhex(parts[4]), parts[5]
    except ValueError:
        pass
    return None


def verify_password(password: str, stored: str) -> bool:
    parsed = _parse(stored)
    if parsed is None:
        return False
    (n, r, p), salt, digest_hex = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p).hex(), digest_hex)


def needs_rehash(stored: str) -> bool:
    """True if the hash was made with other parameters than today's (it is replaced at the next login)."""
    parsed = _parse(stored)
    return parsed is None or parsed[0] != _current_params()


@lru_cache(maxsize=4)
def _dummy_hash(params: tuple[int, int, int]) -> str:
    return hash_password(secrets.token_urlsafe(16))


def burn_password_check(password: str) -> None:
    """The work of checking a password, for a login name that has none, so that the answer takes as
    long for an unknown user as for a known one and does not tell which usernames exist."""
    verify_password(password, _dummy_hash(_current_params()))
