"""Process templates: the shipped library loaded into the database, read back, and copied onto new jobs.

A template version never changes once written: changed data becomes version+1 and new jobs get it,
while running jobs keep the nodes (and template id) they were created with.
"""

import logging
import uuid
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Uuid, and_, bindparam, func, insert, literal, literal_column, select
from sqlalchemy.orm import Session

from app.checklists.library import load_library as read_library
from app.checklists.models import ClientNode, JobNode, NodeStatus, ProcessTemplate, TemplateNode
from app.errors import not_found

log = logging.getLogger("shifu.checklists")

NODE_FIELDS = (
    "code", "position", "stage", "title_zh", "title_en", "completed_by", "mandatory", "depends_on", "evidence",
    "sla_anchor", "sla_minutes",
)


# --- loading --------------------------------------------------------------------------------------------


def load_library(session: Session, specs: Iterable | None = None) -> dict:
    """Load the shipped template library (or `specs`, TemplateSpec-shaped). Safe to repeat. A template the
    library no longer ships stops being current: new jobs of that kind get no checklist from it."""
    if specs is None:

        specs = read_library()
    return load_templates(session, specs, retire_missing=True)


def load_templates(session: Session, specs: Iterable, retire_missing: bool = False) -> dict:
    specs = list(specs)
    current = {t.code: t for t in session.scalars(select(ProcessTemplate).where(ProcessTemplate.current))}
    latest = {
        code: version for code, version in
        session.execute(select(ProcessTemplate.code, func.max(ProcessTemplate.version)).group_by(ProcessTemplate.code))
    }
    added = versioned = 0
    node_rows: list[dict] = []
    for spec in specs:
        old = current.get(spec.code)
        if old is not None and old.content_hash == spec.content_hash:
            continue
        if old is not None:
            old.current = False
            versioned += 1
        else:
            added += 1
        template = ProcessTemplate(
            id=uuid.uuid4(), code=spec.code, service_type=spec.service_type, category=spec.category,
            version=latest.get(spec.code, 0) + 1, title_zh=spec.title_zh, title_en=spec.title_en,
            content_hash=spec.content_hash, current=True,
        )
        session.add(template)
        node_rows += [
            {"template_id": template.id, **{f: _plain(getattr(n, f)) for f in NODE_FIELDS}} for n in spec.nodes
        ]
    retired = 0
    if retire_missing:
        shipped = {s.code for s in specs}
        for code, template in current.items():
            if code not in shipped:
                template.current = False
                retired += 1
    session.flush()
    if node_rows:
        session.execute(insert(TemplateNode.__table__), node_rows)
    if added or versioned or retired:
        log.info("checklist templates: %d new, %d new versions, %d retired", added, versioned, retired)
    return {
        "templates": len(specs), "nodes": sum(len(s.nodes) for s in specs),
        "added": added, "new_versions": versioned, "retired": retired,
        "unchanged": len(specs) - added - versioned,
    }


def _plain(value):
    # Specs carry tuples (hashable, frozen); JSON columns want lists.
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# --- reading -------------------------------------------------------------------------------------------


def list_templates(session: Session, service_type: str | None = None, category: str | None = None) -> list:
    node_count = (
        select(func.count()).where(TemplateNode.template_id == ProcessTemplate.id).correlate(ProcessTemplate)
        .scalar_subquery()
    )
    stmt = select(ProcessTemplate, node_count).where(ProcessTemplate.current).order_by(ProcessTemplate.code)
    if service_type:
        stmt = stmt.where(ProcessTemplate.service_type == service_type)
    if category:
        stmt = stmt.where(ProcessTemplate.category == category)
    return [(t, n) for t, n in session.execute(stmt)]


def get_template(session: Session, code: str, version: int | None = None) -> ProcessTemplate:
    stmt = select(ProcessTemplate).where(ProcessTemplate.code == code)
    if version is None:
        stmt = stmt.where(ProcessTemplate.current)
    else:
        stmt = stmt.where(ProcessTemplate.version == version)
    template = session.scalar(stmt)
    if template is None:
        raise not_found("template", code if version is None else f"{code} version {version}")
    return template


# --- instantiation -----------------------------------------------------------------------------------------

# Node codes of a template version, remembered by template id: a version never changes (a new version
# has a new id), so nothing can go stale.
_template_codes: dict[uuid.UUID, frozenset[str]] = {}

# A random (version 4) UUID in SQL, in the 32 hex digits SQLAlchemy stores a Uuid as on SQLite.
_SQLITE_UUID4 = (
    "lower(hex(randomblob(4)) || hex(randomblob(2)) || '4' || substr(hex(randomblob(2)), 2) || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || hex(randomblob(6)))"
)


@lru_cache
def _copy_statement(dialect: str):
    """INSERT INTO job_nodes ... SELECT ... FROM template_nodes: the database copies a template's nodes
    onto a job in one statement, with no per-node work in Python (intake speed: a job is ~20-35 nodes)."""
    t, j = TemplateNode.__table__, JobNode.__table__
    new_id = func.gen_random_uuid() if dialect == "postgresql" else literal_column(_SQLITE_UUID4)
    rows = select(
        new_id, bindparam("job_id", type_=Uuid()), t.c.template_id, literal("standard"), literal(NodeStatus.open.value),
        *(t.c[f] for f in NODE_FIELDS),
    ).where(t.c.template_id == bindparam("template_id", type_=Uuid()))
    return insert(j).from_select(["id", "job_id", "template_id", "source", "status", *NODE_FIELDS], rows)


def instantiate(session: Session, order, jobs: list) -> None:
    """Give each new job its checklist: the current template's nodes for its service type and category,
    plus the order's client's own active nodes on that template. Two round trips for the whole order."""
    pairs = {(j.service_type, j.category) for j in jobs}
    if not pairs:
        return
    templates: dict[tuple[str, str], tuple[uuid.UUID, str]] = {}
    brand: dict[str, list[dict]] = {}
    # The templates and the brand's own nodes on them in one query (most orders' brands have none).
    for tid, code, stype, cat, extra in session.execute(
        select(
            ProcessTemplate.id, ProcessTemplate.code, ProcessTemplate.service_type, ProcessTemplate.category,
            ClientNode,
        )
        .outerjoin(ClientNode, and_(
            ClientNode.template_code == ProcessTemplate.code, ClientNode.client_id == order.client_id,
            ClientNode.active,
        ))
        .where(
            ProcessTemplate.current,
            ProcessTemplate.service_type.in_({p[0] for p in pairs}),
            ProcessTemplate.category.in_({p[1] for p in pairs}),
        )
        .order_by(ProcessTemplate.created_at, ClientNode.position, ClientNode.created_at)
    ):
        if (stype, cat) not in pairs:
            continue
        templates[(stype, cat)] = (tid, code)  # should two be current for one pair, the newest wins
        if extra is not None:
            brand.setdefault(code, []).append({f: getattr(extra, f) for f in NODE_FIELDS})
    if not templates:
        return  # no template for this kind of work: an empty checklist, nothing holds completion

    copies: list[dict] = []
    brand_rows: list[dict] = []
    for job in jobs:
        found = templates.get((job.service_type, job.category))
        if found is None:
            continue
        tid, code = found
        copies.append({"job_id": job.id, "template_id": tid})
        if code in brand:
            brand_rows += _brand_rows(job.id, tid, _codes_of(session, tid), brand[code])
    session.execute(_copy_statement(session.get_bind().dialect.name), copies)
    if brand_rows:
        session.execute(insert(JobNode.__table__), brand_rows)


def _codes_of(session: Session, template_id: uuid.UUID) -> frozenset[str]:
    codes = _template_codes.get(template_id)
    if codes is None:
        codes = _template_codes[template_id] = frozenset(
            session.scalars(select(TemplateNode.code).where(TemplateNode.template_id == template_id))
        )
    return codes


def _brand_rows(job_id: uuid.UUID, template_id: uuid.UUID, standard: frozenset[str], brand: list[dict]) -> list:
    # A brand node whose code a later template version took over gives way to the standard one.
    brand = [n for n in brand if n["code"] not in standard]
    codes = standard | {n["code"] for n in brand}
    return [
        {
            **node, "id": uuid.uuid4(), "job_id": job_id, "template_id": template_id, "source": "client",
            "status": NodeStatus.open,
            # A dependency on a node this job does not have would hold the node forever.
            "depends_on": [d for d in node["depends_on"] or [] if d in codes],
        }
        for node in brand
    ]
