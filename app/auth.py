"""Who is calling: a client (API key), an ops user or technician (bearer token), or nobody.

Routes declare the principal they accept; object-level checks live in the services.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clients.keys import KeyClient, client_for_key
from app.db import get_session
from app.errors import forbidden, unauthorized
from app.models_base import utcnow
from app.security import sha256
from app.users.models import AuthToken, Role, User

SessionDep = Annotated[Session, Depends(get_session, scope="function")]

# Declared as security schemes so the OpenAPI document has them (Swagger's Authorize button, tools
# that send credentials instead of fuzzing headers). auto_error=False: the messages below are ours.
api_key_scheme = APIKeyHeader(
    name="X-API-Key", scheme_name="ApiKey", auto_error=False,
    description="A client's API key (brands, shops): `sk_...`, issued by ops.",
)
bearer_scheme = HTTPBearer(
    scheme_name="Bearer", auto_error=False,
    description="An ops user's or technician's token from `POST /v1/auth/login`.",
)


@dataclass(frozen=True)
class Principal:
    kind: str  # "client" | "user"
    id: uuid.UUID
    role: str | None = None  # for users: admin, dispatcher, technician
    client: KeyClient | None = None
    user: User | None = None

    @property
    def technician_id(self) -> uuid.UUID | None:
        return self.user.technician_id if self.user and self.role == Role.technician else None

    @property
    def is_ops(self) -> bool:
        return self.kind == "user" and self.role in (Role.admin, Role.dispatcher)

    @property
    def actor_type(self) -> str:
        if self.kind == "client":
            return "client"
        return "technician" if self.role == Role.technician else "ops"


def _from_api_key(session: Session, key: str) -> Principal:
    client = client_for_key(session, key)  # remembered briefly: this runs on every client request
    if client is None:
        raise unauthorized("API key is invalid or revoked")
    return Principal(kind="client", id=client.id, client=client)


def _from_bearer(session: Session, token: str) -> Principal:
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == sha256(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise unauthorized("bearer token is invalid, expired or revoked")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise unauthorized("user is disabled")
    return Principal(kind="user", id=user.id, role=user.role, user=user)


def current_principal(
    session: SessionDep,
    request: Request,
    x_api_key: Annotated[str | None, Security(api_key_scheme)] = None,
    _bearer: Annotated[object, Security(bearer_scheme)] = None,
) -> Principal:
    # The raw header, not the scheme's parse: a malformed one deserves the precise message below.
    return principal_from(session, x_api_key, request.headers.get("authorization"))


def principal_from(session: Session, x_api_key: str | None, authorization: str | None) -> Principal:
    if x_api_key:
        return _from_api_key(session, x_api_key)
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise unauthorized("Authorization must be 'Bearer <token>'")
        if token.startswith("sk_"):
            return _from_api_key(session, token)
        return _from_bearer(session, token)
    raise unauthorized("send an X-API-Key header (clients) or Authorization: Bearer <token> (users)")


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_client(p: PrincipalDep) -> Principal:
    if p.kind != "client":
        raise forbidden("this endpoint is for clients with an API key")
    return p


def require_ops(p: PrincipalDep) -> Principal:
    if not p.is_ops:
        raise forbidden("this endpoint is for ops staff (admin or dispatcher)")
    return p


def require_admin(p: PrincipalDep) -> Principal:
    if p.kind != "user" or p.role != Role.admin:
        raise forbidden("this endpoint is for admins")
    return p


def require_technician(p: PrincipalDep) -> Principal:
    if p.technician_id is None:
        raise forbidden("this endpoint is for technicians")
    return p


ClientDep = Annotated[Principal, Depends(require_client)]
OpsDep = Annotated[Principal, Depends(require_ops)]
AdminDep = Annotated[Principal, Depends(require_admin)]
TechnicianDep = Annotated[Principal, Depends(require_technician)]
