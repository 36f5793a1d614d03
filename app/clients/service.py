import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clients.keys import forget_client
from app.clients.models import ApiKey, Client
from app.clients.schemas import ClientCreate, ClientUpdate
from app.errors import conflict, not_found
from app.models_base import utcnow
from app.security import new_secret, sha256


def create_client(session: Session, data: ClientCreate) -> Client:
    if session.scalar(select(Client.id).where(Client.name == data.name)):
        raise conflict("duplicate-client", f"a client named {data.name!r} already exists", field="name")
    client = Client(name=data.name, kind=data.kind, dispatch_mode=data.dispatch_mode)
    session.add(client)
    session.flush()
    return client


def get_client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise not_found("client", client_id)
    return client


def list_clients(session: Session) -> list[Client]:
    return list(session.scalars(select(Client).order_by(Client.name)))


def update_client(session: Session, client_id: uuid.UUID, data: ClientUpdate) -> Client:
    client = get_client(session, client_id)
    for k, v in data.model_dump(exclude_unset=True).items():
        setattr(client, k, v)
    session.flush()
    forget_client(session, client.id)  # requests carry what they know of the client: name, kind, active
    return client


def issue_api_key(session: Session, client_id: uuid.UUID, name: str = "default") -> tuple[ApiKey, str]:
    get_client(session, client_id)
    secret = new_secret("sk")
    key = ApiKey(client_id=client_id, name=name, key_hash=sha256(secret), prefix=secret[:10])
    session.add(key)
    session.flush()
    return key, secret


def list_api_keys(session: Session, client_id: uuid.UUID) -> list[ApiKey]:
    get_client(session, client_id)
    return list(session.scalars(select(ApiKey).where(ApiKey.client_id == client_id).order_by(ApiKey.created_at)))


def revoke_api_key(session: Session, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.client_id != client_id:
        raise not_found("API key", key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    session.flush()
    forget_client(session, client_id)
    return key
