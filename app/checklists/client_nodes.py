"""A brand's own nodes on a standard template, for its orders only (e.g. "photo of the brand's warranty
card", "scan the indoor unit's barcode"). Kept by template code, so they carry over to new versions."""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.checklists.library import checklist_problems, node_problems
from app.checklists.models import ClientNode, ProcessTemplate
from app.checklists.service import NODE_FIELDS, get_template
from app.errors import conflict, invalid, not_found

# A brand node that does not say where it goes comes after every standard node, in the order added.
TAIL = 10_000


def _invalid(problem):
    return invalid(problem.field, problem.detail, code="invalid-node")


def add(session: Session, client_id: uuid.UUID, template_code: str, spec: dict) -> ClientNode:
    template = get_template(session, template_code)
    standard = [{f: getattr(n, f) for f in NODE_FIELDS} for n in template.nodes]
    mine = {
        n.code: n for n in session.scalars(
            select(ClientNode).where(ClientNode.client_id == client_id, ClientNode.template_code == template_code)
        )
    }
    active = [{f: getattr(n, f) for f in NODE_FIELDS} for n in mine.values() if n.active]
    known = {n["code"] for n in standard + active}
    problems = node_problems(spec, known_codes=known)
    if problems:
        raise _invalid(problems[0])
    code = spec["code"]
    if code in {n["code"] for n in standard}:
        raise conflict("node-code-taken", f"{code!r} is a standard node of {template_code}; choose another code",
                       field="code")
    existing = mine.get(code)
    if existing is not None and existing.active:
        raise conflict("node-code-taken", f"you already have a node {code!r} on {template_code}", field="code")
    # Rules across the whole checklist (no cycle, a mandatory node never waits on optional or consumer
    # work), checked on the checklist the brand's jobs would get.
    problems = [p for c, p in checklist_problems(standard + active + [spec]) if c == code]
    if problems:
        raise _invalid(problems[0])
    position = spec.get("position")
    if position is None:
        position = TAIL + len(active)
    values = {f: spec[f] for f in NODE_FIELDS if f in spec}
    values["position"] = position
    if existing is not None:  # re-adding a code the brand had removed: the old row comes back
        for k, v in values.items():
            setattr(existing, k, v)
        existing.active = True
        session.flush()
        return existing
    node = ClientNode(client_id=client_id, template_code=template_code, active=True, **values)
    try:
        # Two requests adding the same code at once: the unique constraint decides, the loser gets a 409.
        with session.begin_nested():
            session.add(node)
            session.flush()
    except IntegrityError:
        raise conflict("node-code-taken", f"you already have a node {code!r} on {template_code}",
                       field="code") from None
    return node


def list_for(session: Session, client_id: uuid.UUID, template_code: str, include_inactive: bool = False) -> list:
    _exists(session, template_code)
    stmt = select(ClientNode).where(ClientNode.client_id == client_id, ClientNode.template_code == template_code)
    if not include_inactive:
        stmt = stmt.where(ClientNode.active)
    return list(session.scalars(stmt.order_by(ClientNode.position, ClientNode.created_at)))


def deactivate(session: Session, client_id: uuid.UUID, template_code: str, code: str) -> ClientNode:
    _exists(session, template_code)
    node = session.scalar(
        select(ClientNode).where(
            ClientNode.client_id == client_id, ClientNode.template_code == template_code, ClientNode.code == code,
            ClientNode.active,
        )
    )
    if node is None:
        raise not_found("client node", f"{template_code}/{code}")
    # Jobs already created keep their copy; only new jobs stop getting it.
    node.active = False
    session.flush()
    return node


def _exists(session: Session, template_code: str) -> None:
    if not session.scalar(select(func.count()).where(ProcessTemplate.code == template_code)):
        raise not_found("template", template_code)
