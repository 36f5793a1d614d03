"""Standard process templates (标准化节点), their nodes, and the checklist each job carries.

A template is versioned: loading changed data adds a new version and the older one stays, because
a job copies its nodes when it is created and keeps them (and the template version) to the end.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models_base import Base, IdMixin, TimestampMixin


class CompletedBy(StrEnum):
    technician = "technician"
    consumer = "consumer"
    system = "system"


class NodeStatus(StrEnum):
    open = "open"
    done = "done"
    waived = "waived"  # ops closed it with a reason (e.g. consumer not reachable for a signature)


class ProcessTemplate(IdMixin, TimestampMixin, Base):
    __tablename__ = "process_templates"
    __table_args__ = (UniqueConstraint("code", "version"),)

    code: Mapped[str] = mapped_column(String(80), index=True)  # e.g. "install.air_conditioner"
    service_type: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(ForeignKey("appliance_categories.code"))
    version: Mapped[int] = mapped_column(default=1)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the data it was loaded from
    current: Mapped[bool] = mapped_column(default=True)  # the version new jobs get

    nodes: Mapped[list["TemplateNode"]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="TemplateNode.position"
    )


class NodeFields:
    """What a node is, shared by template nodes, a brand's own nodes and a job's copy."""

    code: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(40))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    completed_by: Mapped[str] = mapped_column(String(20), default=CompletedBy.technician)
    mandatory: Mapped[bool] = mapped_column(default=True)
    depends_on: Mapped[list[str]] = mapped_column(JSON, default=list)  # node codes
    # {"photos": {"min": 1, "max": 6}, "reading": {"unit": "Pa", "min": 0, "max": 100},
    #  "text": {"min_length": 1}, "checkbox": true, "signature": true, "checkin": {"radius_m": 300}}
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    # SLA: due `sla_minutes` after the anchor (job_created, offered, accepted, window_start,
    # window_end, arrived, started, completed, or "node:<code>" for another node's completion).
    sla_anchor: Mapped[str | None] = mapped_column(String(80))
    sla_minutes: Mapped[int | None]


class TemplateNode(IdMixin, NodeFields, Base):
    __tablename__ = "template_nodes"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_templates.id", ondelete="CASCADE"))

    template: Mapped[ProcessTemplate] = relationship(back_populates="nodes")


class ClientNode(IdMixin, NodeFields, TimestampMixin, Base):
    """A brand's own node added to a template (by code, so it survives new template versions)
    for that brand's orders only."""

    __tablename__ = "client_nodes"
    __table_args__ = (UniqueConstraint("client_id", "template_code", "code"),)

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    template_code: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)


class JobNode(IdMixin, NodeFields, Base):
    """One node of one job's checklist: a copy made when the job was created, plus its progress."""

    __tablename__ = "job_nodes"
    __table_args__ = (
        UniqueConstraint("job_id", "code"),
        Index("ix_job_nodes_open_due", "status", "due_at"),
    )

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("process_templates.id"))
    source: Mapped[str] = mapped_column(String(20), default="standard")  # standard | client
    status: Mapped[str] = mapped_column(String(20), default=NodeStatus.open)
    due_at: Mapped[datetime | None]  # set once the SLA anchor has happened
    completed_at: Mapped[datetime | None]
    completed_by_type: Mapped[str | None] = mapped_column(String(20))
    completed_by_id: Mapped[str | None] = mapped_column(String(64))
    # The evidence given: {"reading": 12.5, "text": ..., "checkbox": true,
    # "checkin": {"lon":..,"lat":..,"distance_m":..}, "signature_photo_id": ...}
    values: Mapped[dict | None] = mapped_column(JSON)
    waive_reason: Mapped[str | None] = mapped_column(Text)


class NodePhoto(IdMixin, Base):
    """A photo (or signature image) given as evidence. The SHA-256 refuses one picture on two jobs."""

    __tablename__ = "node_photos"
    __table_args__ = (UniqueConstraint("job_id", "sha256"),)

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    job_node_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job_nodes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="photo")  # photo | signature
    # Unique across all jobs: one picture is evidence once. The index, not the check before the
    # insert, is what stops two uploads of it racing onto two jobs.
    sha256: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(300))
    uploaded_at: Mapped[datetime]
