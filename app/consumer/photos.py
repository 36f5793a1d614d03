"""Photos the consumer sends through its tracking link: what is wrong with the appliance (after booking)
and evidence with a complaint. Same checks as evidence photos (size, real image type), own table."""

import hashlib
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.checklists import evidence
from app.checklists.photos import Upload
from app.checklists.storage import Storage
from app.consumer.models import ConsumerPhoto
from app.errors import invalid, not_found
from app.feedback.models import ComplaintTicket
from app.orders.models import Order

PURPOSES = ("problem", "complaint")
MAX_PER_PURPOSE = 6


def upload(session: Session, order: Order, purpose: str, ticket_id: uuid.UUID | None, files: list[Upload], *,
           storage: Storage, max_bytes: int) -> list[ConsumerPhoto]:
    if purpose not in PURPOSES:
        raise invalid("purpose", f"must be one of {', '.join(PURPOSES)}")
    if purpose == "complaint":
        ticket = session.get(ComplaintTicket, ticket_id) if ticket_id else None
        if ticket is None or ticket.order_id != order.id:
            raise invalid("ticket_id", "must name a complaint of this order", code="unknown-ticket")
    elif ticket_id is not None:
        raise invalid("ticket_id", "only for complaint photos")
    if not files:
        raise invalid("files", "upload at least one image")
    have = session.scalar(select(func.count()).select_from(ConsumerPhoto).where(
        ConsumerPhoto.order_id == order.id, ConsumerPhoto.purpose == purpose,
        ConsumerPhoto.ticket_id.is_(None) if ticket_id is None else ConsumerPhoto.ticket_id == ticket_id))
    if have + len(files) > MAX_PER_PURPOSE:
        raise invalid("files", f"at most {MAX_PER_PURPOSE} photos; {have} already sent", code="too-many-photos")
    out = []
    for i, f in enumerate(files):
        if max(f.size, len(f.data)) > max_bytes:
            raise invalid(f"files[{i}]", f"{f.filename or 'file'} is larger than {max_bytes} bytes",
                          code="photo-too-large")
        content_type = evidence.sniff_image(f.data)
        if content_type is None:
            raise invalid(f"files[{i}]", f"{f.filename or 'file'} is not a JPEG, PNG or WebP image",
                          code="unsupported-photo-type")
        digest = hashlib.sha256(f.data).hexdigest()
        key = f"consumer/{order.id}/{digest}.{evidence.EXTENSIONS[content_type]}"
        storage.put(key, f.data, content_type)  # the file first: a row never points at nothing
        out.append(ConsumerPhoto(order_id=order.id, purpose=purpose, ticket_id=ticket_id, sha256=digest,
                                 content_type=content_type, size_bytes=len(f.data), storage_key=key))
    session.add_all(out)
    session.flush()
    return out


def photos_of(session: Session, order: Order) -> list[ConsumerPhoto]:
    return list(session.scalars(select(ConsumerPhoto).where(ConsumerPhoto.order_id == order.id)
                                .order_by(ConsumerPhoto.uploaded_at, ConsumerPhoto.id)))


def photo_of(session: Session, order: Order, photo_id: uuid.UUID) -> ConsumerPhoto:
    photo = session.get(ConsumerPhoto, photo_id)
    if photo is None or photo.order_id != order.id:
        raise not_found("photo", photo_id)
    return photo
