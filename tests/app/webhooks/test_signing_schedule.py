"""Signatures checked by the independent `standardwebhooks` package, the retry schedule as data, and
sealed secrets."""

import base64
import time
from datetime import timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from app.webhooks import sealing, signing
from app.webhooks.delivery import RETRY_SCHEDULE, next_delay


def test_secret_is_whsec_and_at_least_24_random_bytes():
    a, b = signing.new_secret(), signing.new_secret()
    assert a.startswith("whsec_") and a != b
    assert len(base64.b64decode(a.removeprefix("whsec_"))) >= 24


def test_signature_verifies_with_standardwebhooks_and_fails_on_tampering():
    secret = signing.new_secret()
    body = '{"id":"e1","data":{"msg":"你好"}}'.encode()
    ts = int(time.time())
    headers = signing.headers([secret], "msg_1", ts, body)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"id": "e1", "data": {"msg": "你好"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"e1", b"e2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, {**headers, "webhook-id": "msg_2"})


def test_two_secrets_give_two_signatures_each_verifying():
    old, new = signing.new_secret(), signing.new_secret()
    body, ts = b'{"a":1}', int(time.time())
    headers = signing.headers([new, old], "msg_1", ts, body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for s in (old, new):
        Webhook(s).verify(body, headers)


def test_retry_schedule_is_the_standard_webhooks_one():
    assert RETRY_SCHEDULE == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    # After attempt n (1-based) the next comes RETRY_SCHEDULE[n] later; after the 8th, none.
    assert [next_delay(n) for n in range(1, 8)] == [timedelta(seconds=s) for s in RETRY_SCHEDULE[1:]]
    assert next_delay(8) is None and next_delay(9) is None
    assert next_delay(1, scale=0.01) == timedelta(seconds=0.05)
    assert sum(RETRY_SCHEDULE) == 27 * 3600 + 35 * 60 + 5


def test_sealed_secret_opens_only_with_its_key_and_untampered():
    secret = signing.new_secret()
    sealed = sealing.seal(secret, "server-key")
    assert secret not in sealed and secret.removeprefix("whsec_") not in sealed
    assert sealing.unseal(sealed, "server-key") == secret
    assert sealing.seal(secret, "server-key") != sealed  # fresh nonce each time
    with pytest.raises(sealing.SealError):
        sealing.unseal(sealed, "another-key")
    version, _, blob = sealed.partition(".")
    raw = bytearray(base64.urlsafe_b64decode(blob))
    raw[20] ^= 1
    with pytest.raises(sealing.SealError):
        sealing.unseal(version + "." + base64.urlsafe_b64encode(bytes(raw)).decode(), "server-key")
