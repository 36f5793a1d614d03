"""Photos and signature images given as evidence: checked by their bytes, refused when reused on another
job, stored through the storage interface (file first, then the row), and shown to who sees the job."""

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.checklists import evidence
from app.checklists.access import readable_job
from app.checklists.checklist import check_writable, node_of
from app.checklists.models import JobNode, NodePhoto
from app.checklists.storage import Storage
from app.errors import ProblemError, conflict, invalid, not_found
from app.jobs.models import Job
from app.models_base import utcnow

KINDS = ("photo", "signature")


@dataclass(frozen=True)
class Upload:
    filename: str | None
    data: bytes  # at most max_bytes + 1: the reader stops there
    size: int  # the size sent


def upload(
    session: Session, job: Job, code: str, files: list[Upload], kind: str, *, by: str, storage: Storage,
    max_bytes: int,
) -> list[NodePhoto]:
    node = node_of(session, job, code)
    check_writable(job, node, by)
    wanted = node.evidence or {}
    if kind not in KINDS:
        raise invalid("kind", f"must be one of {', '.join(KINDS)}")
    if kind == "photo" and not wanted.get("photos"):
        raise invalid("kind", f"node {code} takes no photos" + (" (upload its signature with kind=signature)"
                                                               if wanted.get("signature") else ""))
    if kind == "signature" and not wanted.get("signature"):
        raise invalid("kind", f"node {code} takes no signature")
    if not files:
        raise invalid("files", "upload at least one image")

    checked: list[tuple[bytes, str, str]] = []
    seen: dict[str, int] = {}
    for i, f in enumerate(files):
        if max(f.size, len(f.data)) > max_bytes:
            raise invalid(f"files[{i}]", f"{f.filename or 'file'} is {max(f.size, len(f.data))} bytes; "
                          f"the limit is {max_bytes}", code="photo-too-large")
        content_type = evidence.sniff_image(f.data)
        if content_type is None:
            raise invalid(f"files[{i}]", f"{f.filename or 'file'} is not a JPEG, PNG or WebP image",
                          code="unsupported-photo-type")
        digest = hashlib.sha256(f.data).hexdigest()
        if digest in seen:
            raise invalid(f"files[{i}]", f"the same image as files[{seen[digest]}]", code="photo-duplicate")
        seen[digest] = i
        checked.append((f.data, content_type, digest))

    have = session.scalar(
        select(func.count()).select_from(NodePhoto).where(NodePhoto.job_node_id == node.id, NodePhoto.kind == kind)
    )
    most = (wanted.get("photos") or {}).get("max") if kind == "photo" else 1
    if most is not None and have + len(checked) > most:
        raise invalid("files", f"node {code} takes at most {most} {kind}(s); it has {have}, you sent {len(checked)}",
                      code="too-many-photos")
    for digest in seen:
        _refuse_reuse(session, job, digest, seen[digest])

    now = utcnow()
    photos = []
    for data, content_type, digest in checked:
        key = f"{job.id}/{digest}.{evidence.EXTENSIONS[content_type]}"
        storage.put(key, data, content_type)  # the file first: a row never points at nothing
        photo = NodePhoto(
            job_id=job.id, job_node_id=node.id, kind=kind, sha256=digest, content_type=content_type,
            size_bytes=len(data), storage_key=key, uploaded_at=now,
        )
        photos.append(photo)
    try:
        # The same image sent at once to this job or another: the unique sha256 decides, one gets a 409.
        with session.begin_nested():
            session.add_all(photos)
            session.flush()
    except IntegrityError:
        for digest in seen:  # the winner has committed by now: say which rule it broke
            _refuse_reuse(session, job, digest, seen[digest])
        raise conflict("photo-duplicate", "this image is already on this job", field="files") from None
    return photos


def _refuse_reuse(session: Session, job: Job, digest: str, index: int) -> None:
    other = session.execute(
        select(NodePhoto.job_id, JobNode.code)
        .join(JobNode, JobNode.id == NodePhoto.job_node_id)
        .where(NodePhoto.sha256 == digest)
        .order_by(NodePhoto.job_id != job.id)
        .limit(1)
    ).first()
    if other is None:
        return
    if other.job_id == job.id:
        raise conflict("photo-duplicate", f"files[{index}]: this image is already on this job (node {other.code})",
                       field=f"files[{index}]")
    # Which job it was on stays out of the answer: the technician may not see that job.
    raise conflict("photo-reused", f"files[{index}]: this image was already used as evidence on another job",
                   field=f"files[{index}]")


def photo_for(session: Session, photo_id: uuid.UUID, principal) -> NodePhoto:
    photo = session.get(NodePhoto, photo_id)
    if photo is None:
        raise not_found("photo", photo_id)
    try:
        readable_job(session, photo.job_id, principal)
    except ProblemError:
        raise not_found("photo", photo_id) from None
    return photo
