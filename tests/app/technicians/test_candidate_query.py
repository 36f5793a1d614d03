"""The candidate query itself: it agrees with a plain Python reading of the rules on a random city,
and it goes through the spatial index on each database."""

import math
import random
from datetime import date, timedelta

from shapely.geometry import Point, shape
from sqlalchemy import text

from app.geo import haversine_m
from app.technicians import service
from app.technicians.candidates import JobNeed, candidate_query, candidates_for_need
from app.technicians.schemas import TechnicianCreate, TechnicianUpdate
from tests.app.technicians.builders import TZ, WEDNESDAY, local

SKILLS = ["ac_install", "ac_repair", "refrigerant", "washer_install"]


def _circle(lon, lat, r_deg, n=16):
    c = math.cos(math.radians(lat))
    ring = [[lon + r_deg * math.cos(2 * math.pi * i / n) / c, lat + r_deg * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _random_technician(rng: random.Random, i: int) -> TechnicianCreate:
    lon, lat = 120.1 + rng.random() * 0.2, 30.2 + rng.random() * 0.15
    skills = []
    for code in rng.sample(SKILLS, rng.randint(1, 4)):
        cert = None
        if code == "refrigerant" or rng.random() < 0.3:
            start = WEDNESDAY + timedelta(days=rng.randint(-400, 3))
            cert = {"name": "证", "number": f"C{i}", "valid_from": start,
                    "valid_until": WEDNESDAY + timedelta(days=rng.randint(-3, 400))}
            if cert["valid_until"] < start:
                cert["valid_until"] = start
        skills.append({"skill": code, "certificate": cert})
    shifts = []
    for wd in range(7):
        if rng.random() < 0.7:
            a = rng.randint(6, 12) * 60 + rng.choice([0, 30])
            shifts.append({"weekday": wd, "start": f"{a // 60:02d}:{a % 60:02d}",
                           "end": f"{(a + rng.randint(2, 10) * 60) // 60:02d}:{a % 60:02d}"})
    days_off = [WEDNESDAY + timedelta(days=rng.randint(-2, 2)) for _ in range(rng.randint(0, 2))]
    return TechnicianCreate(
        name=f"师傅{i}", phone=f"1360000{i:04d}", home_base={"lon": lon, "lat": lat},
        service_area=_circle(lon, lat, rng.uniform(0.02, 0.09)), skills=skills, shifts=shifts, days_off=days_off,
    )


def _oracle(techs, need: JobNeed) -> list[tuple[str, float]]:
    """The rules read literally, one technician at a time."""
    day = need.window_start.astimezone(TZ).date()
    ws = need.window_start.astimezone(TZ)
    we = need.window_end.astimezone(TZ)
    ws_min, we_min = ws.hour * 60 + ws.minute, we.hour * 60 + we.minute
    out = []
    for t in techs:
        if not t.active or not shape(service.geojson(t.service_area)).contains(Point(need.lon, need.lat)):
            continue
        if day in {d.day for d in t.days_off}:
            continue
        valid = {s.skill for s in t.skills
                 if (s.valid_from is None or s.valid_from <= day) and (s.valid_until is None or s.valid_until >= day)}
        if not set(need.required_skills) <= valid:
            continue
        if not any(s.weekday == day.weekday() and max(s.start_minute, ws_min) <= we_min
                   and max(s.start_minute, ws_min) + need.duration_minutes <= s.end_minute for s in t.shifts):
            continue
        hx, hy = service.lonlat(t.home_base)
        out.append((str(t.id), haversine_m(hx, hy, need.lon, need.lat)))
    return sorted(out, key=lambda p: p[1])


def test_query_agrees_with_the_rules_on_a_random_city(db):
    rng = random.Random(20311)
    techs = [service.create_technician(db, _random_technician(rng, i)) for i in range(80)]
    techs[3].active = False
    db.flush()
    checked = 0
    for _ in range(25):
        start = rng.randint(7 * 60, 16 * 60)
        need = JobNeed(
            lon=120.12 + rng.random() * 0.16, lat=30.22 + rng.random() * 0.11,
            window_start=local(WEDNESDAY, f"{start // 60:02d}:{start % 60:02d}"),
            window_end=local(WEDNESDAY, f"{start // 60:02d}:{start % 60:02d}") + timedelta(hours=rng.choice([1, 2, 4])),
            duration_minutes=rng.choice([30, 60, 120]),
            required_skills=tuple(rng.sample(SKILLS[:2], rng.randint(0, 2))) + (("refrigerant",) if rng.random() < .3 else ()),
        )
        expected = _oracle(techs, need)
        for limit in (3, 100):
            got = [(str(t.id), d) for t, d in candidates_for_need(db, need, limit)]
            assert [i for i, _ in got] == [i for i, _ in expected[:limit]], (need, limit)
            assert all(abs(a[1] - b[1]) < 1e-6 for a, b in zip(got, expected))
        checked += len(expected)
    assert checked > 50  # the random city really produced candidates to compare


def _explain(db, stmt) -> str:
    conn = db.connection()
    compiled = stmt.compile(dialect=conn.dialect)
    if conn.dialect.name == "sqlite":
        params = tuple(compiled.params[k] for k in compiled.positiontup)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, params).all()
        return "\n".join(str(r[-1]) for r in rows)
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    rows = conn.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params).all()
    return "\n".join(r[0] for r in rows)


def test_candidate_query_uses_the_spatial_index(db):
    rng = random.Random(7)
    for i in range(20):
        service.create_technician(db, _random_technician(rng, i))
    need = JobNeed(120.2, 30.27, local(WEDNESDAY, "10:00"), local(WEDNESDAY, "12:00"), 60, ("ac_install",))
    dialect = db.connection().dialect.name
    sql, params = candidate_query(dialect, need, 20, TZ)
    complete = _explain(db, sql.bindparams(**params))
    if dialect == "sqlite":
        # The R*Tree narrows the rows before any polygon is tested; no full scan of technicians.
        assert "idx_technicians_service_area" in complete, complete
        assert "SCAN t\n" not in complete + "\n" and "SCAN technicians" not in complete, complete
        return
    # The complete pass finds the covering service areas through their GiST index ...
    assert "idx_technicians_service_area" in complete, complete
    # ... and the fast path walks the home-base GiST index nearest-first (KNN); the disc it bounds
    # is then ranked through whichever GiST index the planner prefers.
    sql, params = candidate_query(dialect, need, 20, TZ, walk=True)
    assert "<->" in sql.text and "ST_DWithin" in sql.text
    walk = _explain(db, sql.bindparams(**params))
    assert "Index Scan using idx_technicians_home_base" in walk and "Order By: (home_base <-> " in walk, walk
    assert "Seq Scan on technicians" not in complete + walk


def test_a_window_that_ends_before_it_starts_has_no_candidates(db):
    need = JobNeed(120.2, 30.27, local(WEDNESDAY, "12:00"), local(WEDNESDAY, "10:00"), 60, ())
    assert candidate_query(db.connection().dialect.name, need, 20, TZ) is None
    assert candidates_for_need(db, need) == []


def test_a_window_across_midnight_is_checked_on_each_local_day(db):
    rng = random.Random(1)
    body = _random_technician(rng, 1).model_dump()
    body.update(skills=[], days_off=[], shifts=[{"weekday": 3, "start": "00:00", "end": "02:00"}])
    tech = service.create_technician(db, TechnicianCreate(**body))
    lon, lat = body["home_base"]["lon"], body["home_base"]["lat"]
    # Wednesday 23:00 to Thursday 01:00: the job can start at Thursday 00:00 and end by 01:00.
    need = JobNeed(lon, lat, local(WEDNESDAY, "23:00"), local(WEDNESDAY + timedelta(days=1), "01:00"), 60, ())
    assert [t.id for t, _ in candidates_for_need(db, need)] == [tech.id]
    long_job = JobNeed(lon, lat, need.window_start, need.window_end, 150, ())
    assert candidates_for_need(db, long_job) == []
    service.update_technician(db, tech.id, TechnicianUpdate(days_off=[date(2031, 3, 6)]))
    assert candidates_for_need(db, need) == []
