import uuid

from fastapi import APIRouter

from app.auth import AdminDep, OpsDep, SessionDep
from app.clients import service
from app.clients.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ClientCreate, ClientOut, ClientUpdate

router = APIRouter(prefix="/v1/clients", tags=["clients"])


@router.post("", status_code=201, response_model=ClientOut)
def create_client(body: ClientCreate, session: SessionDep, _: AdminDep):
    return service.create_client(session, body)


@router.get("", response_model=list[ClientOut])
def list_clients(session: SessionDep, _: OpsDep):
    return service.list_clients(session)


@router.get("/{client_id}", response_model=ClientOut)
def get_client(client_id: uuid.UUID, session: SessionDep, _: OpsDep):
    return service.get_client(session, client_id)


@router.patch("/{client_id}", response_model=ClientOut)
def update_client(client_id: uuid.UUID, body: ClientUpdate, session: SessionDep, _: AdminDep):
    return service.update_client(session, client_id, body)


@router.post("/{client_id}/api-keys", status_code=201, response_model=ApiKeyCreated)
def issue_api_key(client_id: uuid.UUID, body: ApiKeyCreate, session: SessionDep, _: AdminDep):
    key, secret = service.issue_api_key(session, client_id, body.name)
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(key).model_dump(), "key": secret})


@router.get("/{client_id}/api-keys", response_model=list[ApiKeyOut])
def list_api_keys(client_id: uuid.UUID, session: SessionDep, _: AdminDep):
    return service.list_api_keys(session, client_id)


@router.delete("/{client_id}/api-keys/{key_id}", response_model=ApiKeyOut)
def revoke_api_key(client_id: uuid.UUID, key_id: uuid.UUID, session: SessionDep, _: AdminDep):
    return service.revoke_api_key(session, client_id, key_id)
