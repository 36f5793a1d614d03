"""Logging in and out, the caller's own identity, and ops user accounts."""

from fastapi import APIRouter, Request

from app.auth import AdminDep, PrincipalDep, SessionDep
from app.errors import forbidden, problem_for
from app.users import service
from app.users.schemas import LoginIn, TokenOut, UserCreate, UserOut

router = APIRouter(prefix="/v1", tags=["auth"])


@router.post("/auth/login", response_model=TokenOut)
def login(body: LoginIn, session: SessionDep, request: Request):
    address = request.client.host if request.client else "unknown"
    try:
        token, secret, user = service.login(session, body.username, body.password, address)
    except service.LoginRefused as refused:
        return problem_for(request, refused)  # returned, not raised: the failure must be committed
    return TokenOut(
        access_token=secret, expires_at=token.expires_at, role=user.role, technician_id=user.technician_id
    )


@router.post("/auth/logout", status_code=204)
def logout(p: PrincipalDep, session: SessionDep, request: Request):
    if p.kind != "user":
        raise forbidden("clients revoke API keys through ops, not by logging out")
    service.logout(session, request.headers["authorization"].partition(" ")[2])


@router.post("/auth/logout-everywhere", status_code=204)
def logout_everywhere(p: PrincipalDep, session: SessionDep):
    """Revoke every bearer token of the calling user, on every device (this one included)."""
    if p.kind != "user":
        raise forbidden("clients revoke API keys through ops, not by logging out")
    service.logout_everywhere(session, p.id)


@router.get("/me", response_model=UserOut | dict)
def me(p: PrincipalDep):
    if p.kind == "client":
        return {"kind": "client", "client_id": str(p.id), "name": p.client.name}
    return p.user


@router.post("/users", status_code=201, response_model=UserOut)
def create_user(body: UserCreate, session: SessionDep, _: AdminDep):
    return service.create_user(session, body)
