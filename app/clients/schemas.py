import uuid
from datetime import datetime

from pydantic import Field

from app.clients.models import ClientKind, DispatchMode
from app.schemas_base import Body, Out


class ClientCreate(Body):
    name: str = Field(min_length=1, max_length=200)
    kind: ClientKind = ClientKind.brand
    dispatch_mode: DispatchMode = DispatchMode.assign


class ClientUpdate(Body):
    dispatch_mode: DispatchMode | None = None
    active: bool | None = None


class ClientOut(Out):
    id: uuid.UUID
    name: str
    kind: str
    dispatch_mode: str
    active: bool
    created_at: datetime


class ApiKeyCreate(Body):
    name: str = Field(default="default", min_length=1, max_length=100)


class ApiKeyOut(Out):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="the secret key; shown only in this response")
