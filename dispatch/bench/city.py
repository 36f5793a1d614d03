"""A dispatch-shaped day in Hangzhou, generated from a seed.

Districts are service-area polygons (Voronoi cells around approximate district centres, clipped to
the urban box); technicians live in a district and cover it and some of its neighbours; each holds a
few skill certificates, some of which have expired by the planning day; jobs ask for one skill
(sometimes two), sit in 2-hour appointment windows between 08:00 and 20:00 and last 30 to 180 minutes.
With about ten jobs per technician the day cannot fit every job, which is the situation a dispatcher
faces at peak season. Times are seconds from midnight of the planning day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box

BOUNDS = (120.0, 30.15, 120.35, 30.4)  # lon min, lat min, lon max, lat max: Hangzhou's urban core
DAY = "2025-07-15"
DAY_START = 0  # seconds from midnight; certificates are checked against this day
HOUR = 3600

# Approximate centres; the polygons are Voronoi cells, a stand-in for real district boundaries.
DISTRICTS = {
    "shangcheng": (120.17, 30.25),
    "gongshu": (120.15, 30.32),
    "xihu": (120.10, 30.27),
    "binjiang": (120.20, 30.19),
    "xiaoshan": (120.27, 30.17),
    "yuhang": (120.02, 30.28),
    "liangzhu": (120.05, 30.37),
    "linping": (120.29, 30.38),
    "qiantang": (120.33, 30.29),
    "jianggan": (120.22, 30.29),
    "zhuantang": (120.06, 30.18),
}
WEST_LAKE = Point(120.145, 30.245).buffer(0.018)  # no customers live in the lake

SKILLS = ("ac_install", "ac_repair", "tv", "fridge", "washer", "water_heater", "purifier", "hood", "dishwasher")
# July: air conditioning dominates.
SKILL_DEMAND = (0.2, 0.22, 0.06, 0.1, 0.1, 0.11, 0.08, 0.07, 0.06)
DURATIONS_MIN = (30, 45, 60, 90, 120, 180)
DURATION_WEIGHTS = (0.3, 0.2, 0.25, 0.12, 0.08, 0.05)
WINDOW_STARTS_H = (8, 10, 12, 14, 16, 18)
WINDOW_WEIGHTS = (0.18, 0.2, 0.16, 0.18, 0.17, 0.11)

CIRCUITY = 1.3  # road / straight-line distance
SPEED_KMH = 25.0  # door to door in city traffic


@dataclass(frozen=True)
class Certificate:
    skill: str
    valid_until: int | None  # seconds from midnight of the planning day; negative = expired before it


@dataclass(frozen=True)
class CityTechnician:
    id: str
    home: tuple[float, float]  # lon, lat
    shift: tuple[int, int]
    certificates: tuple[Certificate, ...]
    districts: tuple[str, ...]
    capacity: int | None = None  # van capacity in delivery units (the balanced profile's crews)

    def can_do(self, skills: tuple[str, ...], at: int = DAY_START) -> bool:
        valid = {c.skill for c in self.certificates if c.valid_until is None or c.valid_until >= at}
        return all(s in valid for s in skills)


@dataclass(frozen=True)
class CityJob:
    id: str
    location: tuple[float, float]  # lon, lat
    district: str
    window: tuple[int, int]  # allowed start of service
    service_seconds: int
    skills: tuple[str, ...]
    priority: int
    load: int = 0  # delivery units the job takes from the van


@dataclass(frozen=True)
class City:
    seed: int
    districts: dict[str, Polygon]
    technicians: tuple[CityTechnician, ...]
    jobs: tuple[CityJob, ...]
    circuity: float = CIRCUITY
    speed_kmh: float = SPEED_KMH

    def area(self, technician: CityTechnician):
        return shapely.union_all([self.districts[d] for d in technician.districts])


def district_polygons() -> dict[str, Polygon]:
    frame = box(*BOUNDS)
    cells = shapely.voronoi_polygons(MultiPoint(list(DISTRICTS.values())), extend_to=frame)
    out = {}
    for name, centre in DISTRICTS.items():
        cell = next(c for c in cells.geoms if c.contains(Point(centre)))
        out[name] = shapely.set_precision(cell.intersection(frame), 1e-6)
    return out


PROFILES = ("peak", "balanced")
BALANCED_UTILISATION = 0.9  # work (service + expected travel) / shift hours on a balanced day
EXPECTED_TRAVEL_S = 12 * 60  # per job, to size a balanced day's work


def generate_city(jobs: int, technicians: int, seed: int, profile: str = "peak") -> City:
    """``peak``: about ten jobs per technician, more work than the shifts hold (the module docstring).
    ``balanced``: the same city with service times scaled so the work is about 0.9x the shift hours,
    and a third of the jobs deliveries (1-3 units) by technicians whose vans carry 4-8 units, so the
    day is limited by capacity and windows rather than by too few hours."""
    if profile not in PROFILES:
        raise ValueError(f"unknown city profile {profile!r}; one of {', '.join(PROFILES)}")
    city = _peak_city(jobs, technicians, seed)
    return city if profile == "peak" else _balanced(city, seed)


def _balanced(city: City, seed: int) -> City:
    from dataclasses import replace

    rng = np.random.default_rng([seed, 1])  # its own stream: the peak city stays as it was
    shift_hours = sum(t.shift[1] - t.shift[0] for t in city.technicians)
    service = sum(j.service_seconds for j in city.jobs)
    target = BALANCED_UTILISATION * shift_hours - EXPECTED_TRAVEL_S * len(city.jobs)
    factor = max(0.05, target / service)
    techs = tuple(replace(t, capacity=int(rng.integers(4, 9))) for t in city.technicians)
    jobs = tuple(
        replace(j, service_seconds=max(300, int(round(j.service_seconds * factor / 300)) * 300),
                load=int(rng.integers(1, 4)) if rng.random() < 1 / 3 else 0)
        for j in city.jobs
    )
    return replace(city, technicians=techs, jobs=jobs)


def _peak_city(jobs: int, technicians: int, seed: int) -> City:
    if jobs < 1 or technicians < 1:
        raise ValueError("a city needs at least one job and one technician")
    rng = np.random.default_rng(seed)
    districts = district_polygons()
    names = list(districts)
    # Denser centre, sparser outskirts: weights for where people (and technicians) are.
    weight = np.array([3, 3, 2.5, 2, 1.5, 1.5, 1, 1.5, 1.2, 2, 0.8])
    weight = weight / weight.sum()
    neighbours = {
        a: [b for b in names if b != a and districts[a].buffer(1e-5).intersects(districts[b])] for a in names
    }

    techs = []
    for k in range(technicians):
        home_district = names[rng.choice(len(names), p=weight)]
        covered = [home_district] + [b for b in neighbours[home_district] if rng.random() < 0.45]
        home = _point_near(rng, districts[home_district], DISTRICTS[home_district], spread=0.025)
        n_skills = int(rng.choice([2, 3, 4, 5], p=[0.25, 0.35, 0.25, 0.15]))
        skills = rng.choice(len(SKILLS), size=n_skills, replace=False, p=np.array(SKILL_DEMAND))
        certificates = []
        for s in sorted(skills):
            r = rng.random()
            if r < 0.08:
                valid_until = -int(rng.integers(1, 90)) * 24 * HOUR  # expired before the day
            elif r < 0.15:
                valid_until = int(rng.integers(1, 30)) * 24 * HOUR  # expiring soon, still valid today
            else:
                valid_until = None
            certificates.append(Certificate(SKILLS[s], valid_until))
        start_h = float(rng.choice([8.0, 8.5, 9.0, 10.0], p=[0.4, 0.2, 0.3, 0.1]))
        length_h = float(rng.choice([8.0, 9.0, 10.0], p=[0.4, 0.35, 0.25]))
        shift = (int(start_h * HOUR), int(min(20.0, start_h + length_h) * HOUR))
        techs.append(CityTechnician(f"T{k:04d}", home, shift, tuple(certificates), tuple(covered)))

    job_list = []
    for k in range(jobs):
        if rng.random() < 0.75:
            district = names[rng.choice(len(names), p=weight)]
            location = _point_near(rng, districts[district], DISTRICTS[district], spread=0.03)
        else:
            location = _uniform_point(rng)
            district = min(names, key=lambda n: districts[n].distance(Point(location)))  # 0 for its own
        skill = SKILLS[rng.choice(len(SKILLS), p=np.array(SKILL_DEMAND))]
        skills = (skill,)
        if skill in ("water_heater", "purifier") and rng.random() < 0.1:
            skills = ("purifier", "water_heater")  # kitchen package: one visit, both certificates
        if skill == "ac_install":
            minutes = int(rng.choice([90, 120, 180], p=[0.4, 0.4, 0.2]))
        else:
            minutes = int(rng.choice(DURATIONS_MIN, p=np.array(DURATION_WEIGHTS)))
        start_h = int(rng.choice(WINDOW_STARTS_H, p=np.array(WINDOW_WEIGHTS)))
        priority = int(rng.choice([0, 1, 2], p=[0.7, 0.2, 0.1]))
        job_list.append(
            CityJob(
                f"J{k:05d}", location, district, (start_h * HOUR, (start_h + 2) * HOUR), minutes * 60, skills, priority
            )
        )
    return City(seed, districts, tuple(techs), tuple(job_list))


def _point_near(rng, polygon: Polygon, centre, spread: float) -> tuple[float, float]:
    """A point scattered around the centre, inside its district and out of the lake."""
    for _ in range(1000):
        x, y = rng.normal(centre[0], spread), rng.normal(centre[1], spread)
        p = Point(x, y)
        if polygon.covers(p) and not WEST_LAKE.contains(p):
            return round(x, 6), round(y, 6)
    return centre


def _uniform_point(rng) -> tuple[float, float]:
    while True:
        x, y = rng.uniform(BOUNDS[0], BOUNDS[2]), rng.uniform(BOUNDS[1], BOUNDS[3])
        if not WEST_LAKE.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
