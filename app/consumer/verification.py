"""Phone verification before a consumer booking: a six-digit code is sent to the number, the consumer
types it back, and gets a one-time proof that the booking presents. Codes expire, allow a few tries,
and a number cannot be sent codes faster than the resend interval."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.consumer.models import PhoneVerification
from app.consumer.sms import sender_for
from app.errors import ProblemError, invalid
from app.models_base import utcnow
from app.security import new_secret, sha256

RESEND_AFTER = timedelta(seconds=60)
PER_PHONE_PER_HOUR = 5


@dataclass
class Sent:
    verification: PhoneVerification
    resend_after_seconds: int


def _normalise(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def _code_hash(verification_id, code: str) -> str:
    return sha256(f"{verification_id}:{code}")


def send_code(session: Session, phone: str, settings: Settings) -> Sent:
    phone = _normalise(phone)
    now = utcnow()
    recent = session.execute(
        select(func.count(), func.max(PhoneVerification.created_at))
        .where(PhoneVerification.phone == phone, PhoneVerification.created_at > now - timedelta(hours=1))
    ).one()
    count, last = recent
    if last is not None and now - last < RESEND_AFTER:
        wait = int((RESEND_AFTER - (now - last)).total_seconds()) + 1
        raise ProblemError(429, "code-sent-recently", f"phone: a code was sent less than {RESEND_AFTER.seconds} s "
                           f"ago; wait {wait} s", field="phone", retry_after_seconds=wait,
                           headers={"Retry-After": str(wait)})
    if count >= PER_PHONE_PER_HOUR:
        raise ProblemError(429, "too-many-codes", f"phone: more than {PER_PHONE_PER_HOUR} codes in an hour",
                           field="phone", headers={"Retry-After": "3600"})
    code = f"{secrets.randbelow(10**6):06d}"
    v = PhoneVerification(phone=phone, code_hash="", created_at=now,
                          expires_at=now + timedelta(minutes=settings.phone_code_ttl_minutes))
    session.add(v)
    session.flush()
    v.code_hash = _code_hash(v.id, code)
    session.flush()
    sender_for(settings).send(phone, f"【师傅 Shifu】验证码 {code}，{settings.phone_code_ttl_minutes} 分钟内有效。"
                                     f" Your Shifu code is {code}.")
    return Sent(v, int(RESEND_AFTER.total_seconds()))


def check_code(session: Session, verification_id, code: str, settings: Settings) -> str | ProblemError:
    """The proof (shown once) for a right code. A wrong code is returned, not raised: the try it used
    up must be committed with the answer (a raised error rolls the request back)."""
    v = session.get(PhoneVerification, verification_id)
    now = utcnow()
    if v is None:
        raise invalid("verification_id", "no such verification; ask for a new code", code="verification-unknown")
    if v.verified_at is not None:
        raise invalid("code", "this code was already used; ask for a new one", code="code-used")
    if v.expires_at < now:
        raise invalid("code", "the code has expired; ask for a new one", code="code-expired")
    if v.attempts >= settings.phone_code_max_attempts:
        raise invalid("code", "too many wrong tries; ask for a new code", code="code-attempts-exceeded")
    if not secrets.compare_digest(v.code_hash, _code_hash(v.id, code.strip())):
        v.attempts += 1
        session.flush()
        left = settings.phone_code_max_attempts - v.attempts
        err = invalid("code", f"wrong code ({left} tries left)", code="code-wrong")
        err.extra["tries_left"] = left
        return err
    proof = new_secret("pv", 24)
    v.verified_at = now
    v.proof_hash = sha256(proof)
    session.flush()
    return proof


def use_proof(session: Session, proof: str | None, phone: str, settings: Settings) -> None:
    """Spend a proof on one booking for the number it was earned for (when verification is required)."""
    if not settings.consumer_phone_verification:
        return
    if not proof:
        raise invalid("phone_proof", "verify the phone number first (POST /v1/consumer/phone-verifications)",
                      code="phone-not-verified")
    v = session.scalar(select(PhoneVerification).where(PhoneVerification.proof_hash == sha256(proof)))
    now = utcnow()
    if v is None or v.used_at is not None or v.verified_at < now - timedelta(minutes=settings.phone_proof_ttl_minutes):
        raise invalid("phone_proof", "the phone verification is unknown, used or too old; verify again",
                      code="phone-not-verified")
    if v.phone != _normalise(phone):
        raise invalid("phone", "is not the number that was verified", code="phone-mismatch")
    v.used_at = now
    session.flush()
