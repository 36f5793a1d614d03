"""Builders for the people and things a test story needs, created through the services."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.clients import service as clients
from app.clients.schemas import ClientCreate
from app.users import service as users
from app.users.schemas import UserCreate


@dataclass
class ClientCreds:
    id: uuid.UUID
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


def make_client(session: Session, name: str | None = None, dispatch_mode: str = "assign") -> ClientCreds:
    client = clients.create_client(
        session, ClientCreate(name=name or f"brand-{uuid.uuid4().hex[:6]}", dispatch_mode=dispatch_mode)
    )
    _, secret = clients.issue_api_key(session, client.id)
    session.commit()
    return ClientCreds(client.id, secret)


def make_ops_user(session: Session, role: str = "dispatcher", username: str | None = None) -> tuple[str, str]:
    username = username or f"{role}-{uuid.uuid4().hex[:6]}"
    users.create_user(session, UserCreate(username=username, password="correct-horse-9", role=role))
    session.commit()
    return username, "correct-horse-9"


def bearer(api, username: str, password: str) -> dict[str, str]:
    r = api.post("/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def ops_headers(api, session: Session, role: str = "dispatcher") -> dict[str, str]:
    return bearer(api, *make_ops_user(session, role))
