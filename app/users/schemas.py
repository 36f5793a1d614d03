"""Request and response shapes for logging in and for ops user accounts."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from app.schemas_base import Body, Out


class LoginIn(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"username": "dispatcher", "password": "shifu-dispatch-demo"}]})

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(Out):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: str
    technician_id: uuid.UUID | None = None


class UserCreate(Body):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@\-]+$")
    password: str = Field(min_length=8, max_length=200)
    role: Literal["admin", "dispatcher"]
    display_name: str = Field(default="", max_length=100)


class UserOut(Out):
    id: uuid.UUID
    username: str
    role: str
    display_name: str
    active: bool
    technician_id: uuid.UUID | None
