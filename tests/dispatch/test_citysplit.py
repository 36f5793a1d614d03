"""City split: parts solved in parallel, seams repaired, one feasible plan."""
import numpy as np

from dispatch import SolveParams
from dispatch.citysplit import solve_city, split

from .util import check_plan, job, planar, tech


def _two_towns():
    # Two towns 1000 apart, 3 technicians and 12 jobs each; one job sits between the towns.
    rng = np.random.default_rng(3)
    techs, jobs = [], []
    for town, cx in enumerate((0.0, 1000.0)):
        for k in range(3):
            techs.append(tech(f"T{town}{k}", cx + rng.uniform(-5, 5), rng.uniform(-5, 5), end=5000))
        for i in range(12):
            jobs.append(job(f"J{town}-{i}", cx + rng.uniform(-40, 40), rng.uniform(-40, 40), service=60,
                            windows=[(0, 3000)]))
    jobs.append(job("between", 500.0, 0.0, service=10))
    return planar(techs, jobs)


def test_split_partitions_by_geography_and_keeps_pins():
    p = _two_towns()
    pinned = p.replace(jobs=p.jobs + (job("pin", 990.0, pinned_technician="T00"),))
    parts = split(pinned, 2)
    assert sum(len(x.jobs) for x in parts) == len(pinned.jobs)
    assert sum(len(x.technicians) for x in parts) == len(pinned.technicians)
    for part in parts:
        towns = {j.id[:2] for j in part.jobs if j.id.startswith("J")}
        assert len(towns) == 1  # a part never mixes the two towns
        techs = {t.id for t in part.technicians}
        assert all(j.pinned_technician in techs for j in part.jobs if j.pinned_technician)


def test_solve_city_gives_one_feasible_plan():
    p = _two_towns()
    r = solve_city(p, SolveParams(time_limit_seconds=4, max_solutions=300, explain=False), max_jobs_per_part=13)
    check_plan(p, r)
    assert r.totals.assigned == len(p.jobs)
    for route in r.routes:  # technicians stay in their own town except for the seam job
        xs = [int(s.job_id[1]) for s in route.stops if s.job_id.startswith("J")]
        assert len(set(xs)) <= 1
    assert "city split into 2 parts" in r.solver.strategy
