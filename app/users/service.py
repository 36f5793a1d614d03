"""Ops users and logins: password checks with rate limits, bearer tokens, logging out."""

import math
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import ProblemError, conflict, unauthorized
from app.models_base import utcnow
from app.security import burn_password_check, hash_password, needs_rehash, new_secret, sha256, verify_password
from app.users.models import AuthToken, LoginFailure, User
from app.users.schemas import UserCreate


class LoginRefused(ProblemError):
    """A wrong password or a rate limit. The route answers it without raising, because the failure
    just recorded must be committed to count towards the limits."""


def create_user(session: Session, data: UserCreate, technician_id=None) -> User:
    if session.scalar(select(User.id).where(User.username == data.username)):
        raise conflict("duplicate-username", f"username {data.username!r} is taken", field="username")
    user = User(
        username=data.username,
        password_hash=hash_password(data.password),
        role=data.role,
        display_name=data.display_name,
        technician_id=technician_id,
    )
    session.add(user)
    session.flush()
    return user


def _retry_after(session: Session, column, value: str, limit: int, now: datetime, window: timedelta) -> int | None:
    """Seconds until fewer than `limit` failures for this username or address lie in the window, or None."""
    recent = session.scalars(
        select(LoginFailure.created_at)
        .where(column == value, LoginFailure.created_at > now - window)
        .order_by(LoginFailure.created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    return max(1, math.ceil((recent[-1] + window - now).total_seconds()))


def _refuse_if_limited(session: Session, username: str, address: str, now: datetime) -> None:
    s = get_settings()
    window = timedelta(minutes=s.login_window_minutes)
    for column, value, limit, who in (
        (LoginFailure.username, username, s.login_max_failures_per_username, "this username"),
        (LoginFailure.address, address, s.login_max_failures_per_address, "this address"),
    ):
        wait = _retry_after(session, column, value, limit, now, window)
        if wait is not None:
            raise LoginRefused(
                429, "too-many-login-attempts",
                f"too many failed logins for {who}; try again in {wait} seconds",
                title="Too many login attempts", headers={"Retry-After": str(wait)},
            )


def login(session: Session, username: str, password: str, address: str) -> tuple[AuthToken, str, User]:
    now = utcnow()
    _refuse_if_limited(session, username, address, now)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        burn_password_check(password)
        ok = False
    else:
        ok = verify_password(password, user.password_hash) and user.active
    if not ok:
        window = timedelta(minutes=get_settings().login_window_minutes)
        # Failures older than the window count for nothing; they go as new ones come.
        session.execute(delete(LoginFailure).where(LoginFailure.created_at <= now - window))
        session.add(LoginFailure(username=username, address=address, created_at=now))
        session.flush()
        problem = unauthorized("wrong username or password")
        raise LoginRefused(problem.status, problem.code, problem.detail, title=problem.title, headers=problem.headers)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    secret = new_secret("tk")
    token = AuthToken(
        user_id=user.id,
        token_hash=sha256(secret),
        expires_at=utcnow() + timedelta(hours=get_settings().token_ttl_hours),
    )
    session.add(token)
    session.flush()
    return token, secret, user


def logout_everywhere(session: Session, user_id: uuid.UUID) -> int:
    """Revoke every token the user holds (all devices); returns how many were live."""
    result = session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def logout(session: Session, secret: str) -> None:
    token = session.scalar(select(AuthToken).where(AuthToken.token_hash == sha256(secret)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
