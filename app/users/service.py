from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.errors import conflict, unauthorized
from app.models_base import utcnow
from app.security import hash_password, new_secret, sha256, verify_password
from app.users.models import AuthToken, User
from app.users.schemas import UserCreate


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


def login(session: Session, username: str, password: str) -> tuple[AuthToken, str, User]:
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(password, user.password_hash):
        raise unauthorized("wrong username or password")
    secret = new_secret("tk")
    token = AuthToken(
        user_id=user.id,
        token_hash=sha256(secret),
        expires_at=utcnow() + timedelta(hours=get_settings().token_ttl_hours),
    )
    session.add(token)
    session.flush()
    return token, secret, user


def logout(session: Session, secret: str) -> None:
    token = session.scalar(select(AuthToken).where(AuthToken.token_hash == sha256(secret)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
