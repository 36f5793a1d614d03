"""The ops console's read endpoints (its writes use the owning domains' endpoints)."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.auth import OpsDep, SessionDep
from app.catalogue.models import Skill
from app.config import get_settings
from app.console import board, kpis, queues, risk
from app.console.days import local_today
from app.sla.definitions import JOB_SLAS

router = APIRouter(prefix="/v1/console", tags=["console"])


@router.get("/config")
def console_config(session: SessionDep, _: OpsDep):
    """The city the console shows: its name, time zone, today there, the map's tile URL (if any), and the
    names of skills and job SLAs in both languages."""
    s = get_settings()
    return {"city_name": s.city_name, "timezone": s.city_timezone, "today": local_today().isoformat(),
            "tile_url": s.console_tile_url or None, "risk_slack_minutes": s.console_risk_slack_minutes,
            "skills": {k.code: {"zh": k.name_zh, "en": k.name_en} for k in session.scalars(select(Skill))},
            "slas": {x.code: {"zh": x.title_zh, "en": x.title_en} for x in JOB_SLAS}}


@router.get("/board")
def day_board(session: SessionDep, _: OpsDep, date: dt.date | None = None):
    """The day's technicians (state, position, shifts) and jobs (names, planned and actual times), with the
    service areas as GeoJSON: what the map and the timeline draw."""
    return board.board(session, date or local_today())


@router.get("/at-risk")
def at_risk(session: SessionDep, _: OpsDep):
    """Open jobs that will miss their window unless someone acts (see app/console/risk.py for how)."""
    return risk.at_risk(session)


@router.get("/queues")
def all_queues(session: SessionDep, _: OpsDep):
    """Ops queue (offers ran out), at risk, SLA breaches, open complaints, custom charges awaiting approval."""
    return queues.queues(session)


@router.get("/kpis")
def day_kpis(session: SessionDep, _: OpsDep, date: dt.date | None = None,
             days: Annotated[int, Query(ge=1, le=31)] = 7):
    """KPIs for `days` days ending with `date` (default today), oldest first; definitions in app/console/kpis.py."""
    return {"timezone": get_settings().city_timezone, "days": kpis.kpis(session, date or local_today(), days)}


@router.get("/certificates/expiring")
def expiring(session: SessionDep, _: OpsDep, days: Annotated[int, Query(ge=0, le=365)] = 30):
    """Certificates that expire within `days` days (or already have), soonest first."""
    return queues.expiring_certificates(session, local_today(), days)
