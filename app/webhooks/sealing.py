"""Sealing endpoint signing secrets at rest: they must be recoverable (to compute HMACs), so they are
encrypted and authenticated with a server key rather than hashed.

The construction uses only the standard library: HMAC-SHA256 as a PRF in counter mode for the key
stream, then HMAC-SHA256 over nonce and ciphertext (encrypt-then-MAC), with separate derived keys.
A database dump without the server key reveals no secret, and a tampered value fails to open.
"""

import base64
import hashlib
import hmac
import os

_VERSION = "s1"
_NONCE = 16
_TAG = 32


def _keys(master: str) -> tuple[bytes, bytes]:
    root = hashlib.sha256(("shifu-webhook-secrets:" + master).encode()).digest()
    return hmac.new(root, b"encrypt", hashlib.sha256).digest(), hmac.new(root, b"authenticate", hashlib.sha256).digest()


def _stream(key: bytes, nonce: bytes, n: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < n:
        out += hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(out[:n])


def seal(plaintext: str, master: str) -> str:
    enc, mac = _keys(master)
    nonce = os.urandom(_NONCE)
    data = plaintext.encode()
    ct = bytes(a ^ b for a, b in zip(data, _stream(enc, nonce, len(data))))
    tag = hmac.new(mac, _VERSION.encode() + nonce + ct, hashlib.sha256).digest()
    return _VERSION + "." + base64.urlsafe_b64encode(nonce + ct + tag).decode()


class SealError(ValueError):
    pass


def unseal(sealed: str, master: str) -> str:
    version, _, blob = sealed.partition(".")
    if version != _VERSION:
        raise SealError("unknown sealing version")
    raw = base64.urlsafe_b64decode(blob)
    nonce, ct, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    enc, mac = _keys(master)
    if not hmac.compare_digest(tag, hmac.new(mac, version.encode() + nonce + ct, hashlib.sha256).digest()):
        raise SealError("sealed secret does not open with this key (wrong SHIFU_WEBHOOK_SEALING_KEY?)")
    return bytes(a ^ b for a, b in zip(ct, _stream(enc, nonce, len(ct)))).decode()


def master_key(settings) -> str:
    return settings.webhook_sealing_key or settings.secret_key
