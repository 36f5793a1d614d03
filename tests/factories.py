"""Builders for the people and things a test story needs, created through the services."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.clients import service as clients
from app.clients.schemas import ClientCreate
from app.users import service as users
from app.users.schemas import UserCreate


@dataclass
class ClientCreds:
    id: uuid.UUID
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.key}


def make_client(session: Session, name: str | None = None, dispatch_mode: str = "assign") -> ClientCreds:
    client = clients.create_client(
        session, ClientCreate(name=name or f"brand-{uuid.uuid4().hex[:6]}", dispatch_mode=dispatch_mode)
    )
    _, secret = clients.issue_api_key(session, client.id)
    session.commit()
    return ClientCreds(client.id, secret)


def make_ops_user(session: Session, role: str = "dispatcher", username: str | None = None) -> tuple[str, str]:
    username = username or f"{role}-{uuid.uuid4().hex[:6]}"
    users.create_user(session, UserCreate(username=username, password="correct-horse-9", role=role))
    session.commit()
    return username, "correct-horse-9"


def bearer(api, username: str, password: str) -> dict[str, str]:
    r = api.post("/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def ops_headers(api, session: Session, role: str = "dispatcher") -> dict[str, str]:
    return bearer(api, *make_ops_user(session, role))


# --- domain objects built directly, for stories that start after intake -------------------------

HANGZHOU = (120.155, 30.274)  # West Lake, the demo city's centre


def square(lon: float, lat: float, half_deg: float = 0.05) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[
            [lon - half_deg, lat - half_deg], [lon + half_deg, lat - half_deg],
            [lon + half_deg, lat + half_deg], [lon - half_deg, lat + half_deg], [lon - half_deg, lat - half_deg],
        ]],
    }


def make_technician(
    session: Session,
    name: str = "王师傅",
    skills: tuple[str, ...] = ("ac_install", "ac_repair", "refrigerant", "work_at_height", "delivery"),
    lon: float = HANGZHOU[0],
    lat: float = HANGZHOU[1],
    password: str | None = "tech-pass-123",
):
    """A technician covering a 10 km square around (lon, lat), on shift 08:00-20:00 every day."""
    from app.geo import multipolygon_from_geojson, point
    from app.technicians.models import Technician, TechnicianSkill, WeeklyShift

    phone = f"13{uuid.uuid4().int % 10**9:09d}"
    tech = Technician(
        name=name, phone=phone, home_base=point(lon, lat), service_area=multipolygon_from_geojson(square(lon, lat), "area"),
        on_duty=True,
    )
    tech.skills = [TechnicianSkill(skill=s) for s in skills]
    tech.shifts = [WeeklyShift(weekday=d, start_minute=8 * 60, end_minute=20 * 60) for d in range(7)]
    session.add(tech)
    session.flush()
    if password:
        users.create_user(
            session, UserCreate.model_construct(username=phone, password=password, role="technician", display_name=name),
            technician_id=tech.id,
        )
    session.commit()
    return tech


def technician_headers(api, tech, password: str = "tech-pass-123") -> dict[str, str]:
    return bearer(api, tech.phone, password)


def make_order(
    session: Session,
    client_id,
    service_type: str = "repair",
    urgency: str = "normal",
    categories: tuple[str, ...] = ("air_conditioner",),
    lon: float = HANGZHOU[0] + 0.01,
    lat: float = HANGZHOU[1] + 0.01,
    start_in_hours: int = 24,
    start=None,
    hours: int = 2,
):
    """An order as intake would store it, with its jobs created by the jobs service."""
    from datetime import timedelta

    from app.actors import Actor
    from app.geo import point
    from app.jobs.service import create_jobs_for_order
    from app.models_base import utcnow
    from app.orders.models import Order, OrderAppliance, OrderWindow

    if start is None:
        start = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(hours=start_in_hours)
    order = Order(
        client_id=client_id, service_type=service_type, contact_name="李女士", contact_phone="13800000000",
        address="杭州市西湖区文三路 1 号", location=point(lon, lat), urgency=urgency,
    )
    order.appliances = [OrderAppliance(position=i, category=c) for i, c in enumerate(categories)]
    order.windows = [OrderWindow(start=start, end=start + timedelta(hours=hours))]
    session.add(order)
    session.flush()
    jobs = create_jobs_for_order(session, order, Actor("client", str(client_id)))
    session.commit()
    return order, jobs
