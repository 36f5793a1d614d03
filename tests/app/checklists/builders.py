"""Templates made in the test, fake evidence, and a helper that works a job's whole checklist."""

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.checklists import checklist, photos
from app.checklists.evidence import Given
from app.checklists.models import CompletedBy, NodeStatus, ProcessTemplate
from app.checklists.service import load_templates
from app.checklists.storage import LocalStorage
from app.geo import lonlat


@dataclass(frozen=True)
class Node:
    """Shaped like app.checklists.library.NodeSpec."""

    code: str
    stage: str = "work"
    title_zh: str = "节点"
    title_en: str = "Node"
    completed_by: str = "technician"
    mandatory: bool = True
    depends_on: tuple[str, ...] = ()
    evidence: dict = field(default_factory=lambda: {"checkbox": True})
    sla_anchor: str | None = None
    sla_minutes: int | None = None
    position: int = 0


@dataclass(frozen=True)
class Template:
    """Shaped like app.checklists.library.TemplateSpec."""

    code: str
    service_type: str
    category: str
    title_zh: str
    title_en: str
    nodes: tuple[Node, ...]
    content_hash: str


def template(service_type: str, category: str, nodes: list[Node], code: str | None = None) -> Template:
    nodes = tuple(n if n.position else Node(**{**asdict(n), "position": (i + 1) * 10}) for i, n in enumerate(nodes))
    digest = hashlib.sha256(json.dumps([asdict(n) for n in nodes], sort_keys=True).encode()).hexdigest()
    code = code or f"{service_type}.{category}"
    return Template(code, service_type, category, "测试模板", "Test template", nodes, digest)


def install_template(db: Session, service_type: str, category: str, nodes: list[Node]) -> Template:
    """Make `nodes` the current template for (service type, category), as a new version of the library's
    template for that pair when there is one."""
    code = db.scalar(
        select(ProcessTemplate.code).where(
            ProcessTemplate.current, ProcessTemplate.service_type == service_type, ProcessTemplate.category == category
        )
    )
    spec = template(service_type, category, nodes, code)
    load_templates(db, [spec])
    db.commit()
    return spec


def jpeg(size: int = 256) -> bytes:
    """A fake photo: random bytes behind a JPEG header, so every one has its own SHA-256."""
    return b"\xff\xd8\xff\xe0" + os.urandom(max(size - 4, 1))


def png(size: int = 256) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + os.urandom(max(size - 8, 1))


def finish_checklist(session: Session, job, storage=None, leave: tuple[str, ...] = ()) -> None:
    """Complete every open node of the job through the checklist service with valid evidence, as the
    technician (or the consumer, for theirs) would on site; system nodes get their event. Nodes named in
    `leave` stay open (a browser story completes them on the page)."""
    session.refresh(job)
    storage = storage or LocalStorage(tempfile.mkdtemp(prefix="shifu-test-photos-"))
    tech = Actor("technician", str(job.technician_id)) if job.technician_id else Actor("ops", None)
    from app.orders.tracking import CONSUMER

    for _ in range(500):
        nodes = checklist.nodes_of(session, job)
        status = {n.code: n.status for n in nodes}
        ready = [
            n for n in nodes
            if n.status == NodeStatus.open and n.code not in leave
            and all(status.get(d) != NodeStatus.open for d in n.depends_on or [])
        ]
        if not ready:
            break
        node = ready[0]
        if node.completed_by == CompletedBy.system:
            checklist.system_event(session, job, (node.evidence or {}).get("auto", ""))
            if node.status == NodeStatus.open:
                raise AssertionError(f"system node {node.code} did not close on its event")
            continue
        by, actor = ("consumer", CONSUMER) if node.completed_by == CompletedBy.consumer else ("technician", tech)
        ev = node.evidence or {}
        if ev.get("photos"):
            n = max(ev["photos"].get("min", 1), 1)
            files = [photos.Upload(f"p{i}.jpg", jpeg(), 256) for i in range(n)]
            photos.upload(session, job, node.code, files, "photo", by=by, storage=storage, max_bytes=10**6)
        if ev.get("signature"):
            files = [photos.Upload("sig.png", png(), 256)]
            photos.upload(session, job, node.code, files, "signature", by=by, storage=storage, max_bytes=10**6)
        checklist.complete(session, job, node.code, valid_given(node.evidence or {}, job), actor, by=by)
    else:
        raise AssertionError("checklist did not finish")
    open_left = [n.code for n in checklist.nodes_of(session, job) if n.status == NodeStatus.open and n.code not in leave]
    assert not open_left, f"nodes left open (dependencies never closed?): {open_left}"
    session.commit()


def valid_given(ev: dict, job) -> Given:
    reading = None
    if ev.get("reading"):
        low, high = ev["reading"].get("min"), ev["reading"].get("max")
        reading = (low + high) / 2 if low is not None and high is not None else (low if low is not None else high or 0)
    text = None
    if ev.get("text"):
        text = "已完成 done " * max(1, (ev["text"] if isinstance(ev["text"], dict) else {}).get("min_length", 1))
    return Given(
        reading=reading, text=text, checkbox=True if ev.get("checkbox") else None,
        checkin=lonlat(job.location) if ev.get("checkin") else None,
    )


def work_checklist_over_http(api, job_id, headers: dict, token: str | None = None,
                             mandatory_only: bool = True) -> list[str]:
    """Work the job's checklist through the HTTP API as the technician (and, with the order's tracking
    token, the consumer) would: upload the photos and signatures each node asks for, then complete it with
    valid values, in dependency order. System nodes are left to their events. Returns the codes still open."""
    from types import SimpleNamespace

    def checklist_nodes():
        r = api.get(f"/v1/jobs/{job_id}/checklist", headers=headers)
        assert r.status_code == 200, r.text
        return r.json()["nodes"]

    job = api.get(f"/v1/jobs/{job_id}", headers=headers).json()
    at_the_job = SimpleNamespace(location=_point(job["lon"], job["lat"]))
    while True:
        nodes = checklist_nodes()
        status = {n["code"]: n["status"] for n in nodes}
        ready = [
            n for n in nodes
            if n["status"] == "open" and n["completed_by"] != "system" and (n["mandatory"] or not mandatory_only)
            and (n["completed_by"] != "consumer" or token)
            and all(status.get(d) != "open" for d in n["depends_on"])
        ]
        if not ready:
            return [n["code"] for n in nodes if n["status"] == "open" and (n["mandatory"] or not mandatory_only)]
        node = ready[0]
        base = (f"/v1/track/{token}/checklist/{job_id}/{node['code']}" if node["completed_by"] == "consumer"
                else f"/v1/jobs/{job_id}/checklist/{node['code']}")
        h = {} if node["completed_by"] == "consumer" else headers
        ev = node["evidence"]
        if ev.get("photos"):
            files = [("files", (f"p{i}.jpg", jpeg(), "image/jpeg")) for i in range(ev["photos"].get("min", 1))]
            r = api.post(f"{base}/photos", files=files, data={"kind": "photo"}, headers=h)
            assert r.status_code == 201, r.text
        if ev.get("signature"):
            r = api.post(f"{base}/photos", files=[("files", ("sig.png", png(), "image/png"))],
                         data={"kind": "signature"}, headers=h)
            assert r.status_code == 201, r.text
        given = valid_given(ev, at_the_job)
        body = {k: v for k, v in {"reading": given.reading, "text": given.text, "checkbox": given.checkbox}.items()
                if v is not None}
        if given.checkin:
            body["checkin"] = {"lon": given.checkin[0], "lat": given.checkin[1]}
        r = api.post(base if node["completed_by"] == "consumer" else f"{base}/complete", json=body, headers=h)
        assert r.status_code == 200, (node["code"], r.text)


def _point(lon: float, lat: float):
    from app.geo import point

    return point(lon, lat)
