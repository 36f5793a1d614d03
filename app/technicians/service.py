"""Provider companies and technicians: profile, service area, skills, shifts, days off, duty, location."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import SYSTEM
from app.catalogue.models import Skill
from app.config import get_settings
from app.errors import conflict, invalid, not_found
from app.geo import geojson, lonlat, multipolygon_from_geojson, point
from app.jobs import service as jobs
from app.jobs.models import Job, JobOffer, JobStatus, OfferStatus
from app.models_base import utcnow
from app.pagination import paginate
from app.planning.offers import reoffer
from app.security import hash_password
from app.technicians.models import (
    DayOff,
    ProviderCompany,
    Technician,
    TechnicianSkill,
    WeeklyShift,
)
from app.technicians.schemas import (
    DayOffIn,
    LocationIn,
    ProviderCreate,
    ShiftIn,
    SkillIn,
    TechnicianCreate,
    TechnicianUpdate,
    hhmm,
)
from app.users.models import Role, User

# A phone's clock may run a little fast; anything further ahead is a bad timestamp, not a report.
LOCATION_CLOCK_SKEW = timedelta(minutes=5)


def local_today() -> date:
    return datetime.now(ZoneInfo(get_settings().city_timezone)).date()


# ---- provider companies ----------------------------------------------------------------------


def create_provider(session: Session, data: ProviderCreate) -> ProviderCompany:
    if session.scalar(select(ProviderCompany.id).where(ProviderCompany.name == data.name)):
        raise conflict("duplicate-provider", f"a provider company named {data.name!r} already exists", field="name")
    provider = ProviderCompany(**data.model_dump())
    session.add(provider)
    session.flush()
    return provider


def list_providers(session: Session) -> list[ProviderCompany]:
    return list(session.scalars(select(ProviderCompany).order_by(ProviderCompany.name)))


def get_provider(session: Session, provider_id: uuid.UUID) -> ProviderCompany:
    provider = session.get(ProviderCompany, provider_id)
    if provider is None:
        raise not_found("provider company", provider_id)
    return provider


# ---- validation of the lists a technician carries -------------------------------------------------


def _check_provider(session: Session, provider_id: uuid.UUID | None) -> None:
    if provider_id is not None and session.get(ProviderCompany, provider_id) is None:
        raise invalid("provider_id", f"no provider company {provider_id}", code="unknown-provider")


def _skill_rows(session: Session, skills: list[SkillIn]) -> list[TechnicianSkill]:
    catalogue = {s.code: s for s in session.scalars(select(Skill))}
    seen: set[str] = set()
    rows = []
    for i, s in enumerate(skills):
        if s.skill not in catalogue:
            known = ", ".join(sorted(catalogue))
            raise invalid(f"skills[{i}].skill", f"unknown skill {s.skill!r} (known: {known})", code="unknown-skill")
        if s.skill in seen:
            raise invalid(f"skills[{i}].skill", f"skill {s.skill!r} is listed twice")
        seen.add(s.skill)
        # Special-trade work (refrigerant, heights, electrical, gas) is only legal with a licence.
        if catalogue[s.skill].certificate_required and s.certificate is None:
            raise invalid(
                f"skills[{i}].certificate", f"skill {s.skill!r} requires a certificate", code="certificate-required"
            )
        cert = s.certificate
        rows.append(
            TechnicianSkill(
                skill=s.skill,
                certificate_name=cert.name if cert else None,
                certificate_number=cert.number if cert else None,
                valid_from=cert.valid_from if cert else None,
                valid_until=cert.valid_until if cert else None,
            )
        )
    return rows


def _shift_rows(shifts: list[ShiftIn]) -> list[WeeklyShift]:
    order = sorted(range(len(shifts)), key=lambda i: (shifts[i].weekday, shifts[i].start_minute))
    for prev, cur in zip(order, order[1:]):
        a, b = shifts[prev], shifts[cur]
        if a.weekday == b.weekday and b.start_minute < a.end_minute:
            raise invalid(f"shifts[{cur}]", f"overlaps shifts[{prev}] on weekday {b.weekday}")
    return [WeeklyShift(weekday=s.weekday, start_minute=s.start_minute, end_minute=s.end_minute) for s in shifts]


def _day_off_rows(days: list[DayOffIn | date]) -> list[DayOff]:
    by_day: dict[date, DayOff] = {}
    for d in days:
        item = d if isinstance(d, DayOffIn) else DayOffIn(day=d)
        by_day[item.day] = DayOff(day=item.day, reason=item.reason)  # a repeated date keeps the last reason
    return [by_day[k] for k in sorted(by_day)]


def _check_phone_free(
    session: Session, phone: str, technician_id: uuid.UUID | None, login: User | None, wants_login: bool
) -> None:
    taken = session.scalar(select(Technician.id).where(Technician.phone == phone))
    if taken is not None and taken != technician_id:
        raise conflict("duplicate-phone", f"another technician already has phone {phone!r}", field="phone")
    if login is None and not wants_login:
        return
    # The phone is the login name, so it must not belong to another user either.
    user = session.scalar(select(User).where(User.username == phone))
    if user is not None and (login is None or user.id != login.id):
        raise conflict("duplicate-username", f"the login name {phone!r} is already taken", field="phone")


def login_for(session: Session, technician_id: uuid.UUID) -> User | None:
    return session.scalar(select(User).where(User.technician_id == technician_id))


def _set_login(session: Session, tech: Technician, password: str) -> None:
    user = login_for(session, tech.id)
    if user is None:
        session.add(
            User(
                username=tech.phone,
                password_hash=hash_password(password),
                role=Role.technician,
                display_name=tech.name,
                technician_id=tech.id,
                active=tech.active,
            )
        )
    else:
        user.password_hash = hash_password(password)


# ---- technicians -----------------------------------------------------------------------------------


def create_technician(session: Session, data: TechnicianCreate) -> Technician:
    _check_provider(session, data.provider_id)
    area = multipolygon_from_geojson(data.service_area, "service_area")
    skills = _skill_rows(session, data.skills)
    shifts = _shift_rows(data.shifts)
    days_off = _day_off_rows(data.days_off)
    _check_phone_free(session, data.phone, None, None, wants_login=data.password is not None)
    tech = Technician(
        name=data.name,
        phone=data.phone,
        provider_id=data.provider_id,
        home_base=point(data.home_base.lon, data.home_base.lat),
        service_area=area,
        max_jobs_per_day=data.max_jobs_per_day,
        skills=skills,
        shifts=shifts,
        days_off=days_off,
    )
    session.add(tech)
    session.flush()
    if data.password:
        _set_login(session, tech, data.password)
        session.flush()
    return tech


def get_technician(session: Session, technician_id: uuid.UUID) -> Technician:
    tech = session.get(Technician, technician_id)
    if tech is None:
        raise not_found("technician", technician_id)
    return tech


def update_technician(session: Session, technician_id: uuid.UUID, data: TechnicianUpdate, actor=None) -> Technician:
    tech = get_technician(session, technician_id)
    sent = data.model_fields_set
    login = login_for(session, tech.id)
    # Validate everything before touching the row, so a refused PATCH changes nothing.
    if "provider_id" in sent:
        _check_provider(session, data.provider_id)
    area = multipolygon_from_geojson(data.service_area, "service_area") if "service_area" in sent else None
    skills = _skill_rows(session, data.skills) if "skills" in sent else None
    shifts = _shift_rows(data.shifts) if "shifts" in sent else None
    days_off = _day_off_rows(data.days_off) if "days_off" in sent else None
    if ("phone" in sent and data.phone != tech.phone) or ("password" in sent and login is None):
        _check_phone_free(session, data.phone if "phone" in sent else tech.phone, tech.id, login,
                          wants_login="password" in sent)

    for name in ("name", "phone", "provider_id", "max_jobs_per_day"):
        if name in sent:
            setattr(tech, name, getattr(data, name))
    if "home_base" in sent:
        tech.home_base = point(data.home_base.lon, data.home_base.lat)
    if area is not None:
        tech.service_area = area
    # Replace-all lists: empty the old rows first so a re-sent skill or day does not hit the
    # unique constraint before its predecessor is deleted.
    for attr, rows in (("skills", skills), ("shifts", shifts), ("days_off", days_off)):
        if rows is not None:
            getattr(tech, attr).clear()
            session.flush()
            setattr(tech, attr, rows)
    if "active" in sent:
        was_active = tech.active
        _set_active(tech, login, data.active)
        if was_active and not data.active:
            session.flush()
            hand_back_jobs(session, tech, actor)
    if login is not None:
        login.username, login.display_name = tech.phone, tech.name
    if "password" in sent:
        _set_login(session, tech, data.password)
    session.flush()
    return tech


def _set_active(tech: Technician, login: User | None, active: bool) -> None:
    tech.active = active
    if not active:
        tech.on_duty = False
    if login is not None:
        # An inactive technician cannot log in; their bearer tokens stop working at once.
        login.active = active


def deactivate_technician(session: Session, technician_id: uuid.UUID, actor=None) -> Technician:
    tech = get_technician(session, technician_id)
    was_active = tech.active
    _set_active(tech, login_for(session, tech.id), False)
    session.flush()
    if was_active:
        hand_back_jobs(session, tech, actor)
    return tech


OFFBOARDING = "technician deactivated"


def hand_back_jobs(session: Session, tech: Technician, actor=None) -> dict:
    """Off-boarding: the technician's jobs not yet under way go back to dispatch and are offered to
    the next candidates; their open offers are declined on their behalf. Each step is a job event.
    Jobs already under way (en route, on site, in progress) stay: someone is at the door."""
    actor = actor or SYSTEM
    held = session.scalars(
        select(Job).where(
            Job.technician_id == tech.id,
            Job.status.in_([JobStatus.accepted, JobStatus.scheduled, JobStatus.rescheduled]),
        ).order_by(Job.id)
    ).all()
    for job in held:
        jobs.unassign(session, job, actor, OFFBOARDING)
        reoffer(session, job)
    offered = session.scalars(
        select(Job).join(JobOffer, JobOffer.job_id == Job.id).where(
            JobOffer.technician_id == tech.id, JobOffer.status == OfferStatus.open, Job.status == JobStatus.offered,
        ).order_by(Job.id)
    ).all()
    for job in offered:
        # Dispatch hears the decline and, when no offer is left, asks the next candidates.
        jobs.decline(session, job, tech.id, actor, OFFBOARDING)
    session.flush()
    return {"unassigned": len(held), "offers_declined": len(offered)}


def list_technicians(
    session: Session,
    *,
    provider_id: uuid.UUID | None = None,
    skill: str | None = None,
    active: bool | None = None,
    on_duty: bool | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Technician], str | None]:
    q = select(Technician)
    if provider_id is not None:
        q = q.where(Technician.provider_id == provider_id)
    if skill is not None:
        q = q.where(
            select(TechnicianSkill.id)
            .where(TechnicianSkill.technician_id == Technician.id, TechnicianSkill.skill == skill)
            .exists()
        )
    if active is not None:
        q = q.where(Technician.active.is_(active))
    if on_duty is not None:
        q = q.where(Technician.on_duty.is_(on_duty))
    return paginate(session, q, Technician, cursor, limit)


# ---- technician self-service -------------------------------------------------------------------------


def set_duty(session: Session, tech: Technician, on_duty: bool) -> Technician:
    if on_duty and not tech.active:
        raise conflict("technician-inactive", "an inactive technician cannot go on duty")
    tech.on_duty = on_duty
    session.flush()
    return tech


def report_location(session: Session, tech: Technician, data: LocationIn) -> Technician:
    now = utcnow()
    at = data.at or now
    if at > now + LOCATION_CLOCK_SKEW:
        raise invalid("at", "lies in the future; send the time the position was taken")
    # Reports can arrive out of order from a phone catching up; the newest position wins.
    if tech.last_location_at is None or at >= tech.last_location_at:
        tech.last_location = point(data.lon, data.lat)
        tech.last_location_at = at
        session.flush()
    return tech


# ---- output ------------------------------------------------------------------------------------------


def _certificate_status(s: TechnicianSkill, today: date) -> str:
    if s.valid_from is not None and today < s.valid_from:
        return "not_yet_valid"
    if s.valid_until is not None and today > s.valid_until:
        return "expired"
    return "valid"


def _point_out(geom) -> dict | None:
    ll = lonlat(geom)
    return None if ll is None else {"lon": ll[0], "lat": ll[1]}


def technician_out(tech: Technician, has_login: bool, today: date | None = None) -> dict:
    today = today or local_today()
    skills = []
    for s in sorted(tech.skills, key=lambda s: s.skill):
        status = _certificate_status(s, today)
        has_cert = any(v is not None for v in (s.certificate_name, s.certificate_number, s.valid_from, s.valid_until))
        cert = None
        if has_cert:
            cert = {
                "name": s.certificate_name,
                "number": s.certificate_number,
                "valid_from": s.valid_from,
                "valid_until": s.valid_until,
                "status": status,
            }
        skills.append({"skill": s.skill, "certificate": cert, "valid_now": status == "valid"})
    return {
        "id": tech.id,
        "name": tech.name,
        "phone": tech.phone,
        "provider_id": tech.provider_id,
        "home_base": _point_out(tech.home_base),
        "service_area": geojson(tech.service_area),
        "skills": skills,
        "shifts": [{"weekday": s.weekday, "start": hhmm(s.start_minute), "end": hhmm(s.end_minute)} for s in sorted(tech.shifts, key=lambda s: (s.weekday, s.start_minute))],
        "days_off": [{"day": d.day, "reason": d.reason} for d in sorted(tech.days_off, key=lambda d: d.day)],
        "max_jobs_per_day": tech.max_jobs_per_day,
        "on_duty": tech.on_duty,
        "active": tech.active,
        "last_location": _point_out(tech.last_location),
        "last_location_at": tech.last_location_at,
        "has_login": has_login,
        "created_at": tech.created_at,
    }


def technicians_out(session: Session, techs: list[Technician]) -> list[dict]:
    ids = [t.id for t in techs]
    with_login = set(session.scalars(select(User.technician_id).where(User.technician_id.in_(ids)))) if ids else set()
    today = local_today()
    return [technician_out(t, t.id in with_login, today) for t in techs]
