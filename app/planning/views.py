"""Plans and rankings as a person reads them: each id with its name beside it, and the explanation
texts told with names instead of ids."""

import uuid

from sqlalchemy.orm import Session

from app.planning.models import DispatchRun
from app.planning.names import humanise, ids_in, job_labels, technician_names
from app.planning.schemas import (
    JobLabelOut,
    PlanOut,
    RouteOut,
    RunOut,
    StopOut,
    UnassignedOut,
)


def _named_explanation(expl: dict | None, names: dict[str, str]) -> dict | None:
    if not expl:
        return expl
    out = dict(expl, text=humanise(expl.get("text"), names), technician_name=names.get(expl.get("technician_id")))
    if out.get("next_best"):
        out["next_best"] = dict(out["next_best"], technician_name=names.get(out["next_best"]["technician_id"]))
    return out


def plan_view(session: Session, run: DispatchRun, technician_id: uuid.UUID | None, with_unassigned: bool) -> PlanOut:
    stops = [s for s in run.stops if technician_id is None or s.technician_id == technician_id]
    unassigned = list(run.unassigned) if with_unassigned else []
    tech_ids = {s.technician_id for s in stops}
    for s in stops:
        tech_ids |= ids_in((s.explanation or {}).get("text"))
    for u in unassigned:
        tech_ids |= ids_in(u.detail)
    names = technician_names(session, tech_ids)
    labels = {k: JobLabelOut.model_validate(v) for k, v in
              job_labels(session, [s.job_id for s in stops] + [u.job_id for u in unassigned]).items()}
    routes: dict[uuid.UUID, list[StopOut]] = {}
    for s in stops:
        out = StopOut.model_validate(s)
        out.job = labels.get(str(s.job_id))
        out.explanation = _named_explanation(s.explanation, names)
        routes.setdefault(s.technician_id, []).append(out)
    return PlanOut(
        run=RunOut.model_validate(run),
        routes=[RouteOut(technician_id=t, technician_name=names.get(str(t)), stops=st) for t, st in routes.items()],
        unassigned=[UnassignedOut(job_id=u.job_id, job=labels.get(str(u.job_id)), reason=u.reason,
                                  detail=humanise(u.detail, names)) for u in unassigned],
    )


def named_ranking(session: Session, ranked: list[dict]) -> list[dict]:
    names = technician_names(session, [r["technician_id"] for r in ranked])
    return [dict(r, technician_name=names.get(str(r["technician_id"]))) for r in ranked]
