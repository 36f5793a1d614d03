"""A generated city as the library's own problem, and a library plan back as job ids per technician."""

from __future__ import annotations

from shapely.geometry import mapping

from dispatch import GreatCircleTravel, Job, Location, ProblemData, Shift, Skill, Technician, TimeWindow
from dispatch.bench.city import DAY, City


def city_problem(city: City) -> ProblemData:
    technicians = tuple(
        Technician(
            id=t.id,
            shift=Shift(start=t.shift[0], end=t.shift[1]),
            start=Location(x=t.home[0], y=t.home[1]),
            skills=tuple(Skill(code=c.skill, valid_until=c.valid_until) for c in t.certificates),
            service_area=_multipolygon(city.area(t)),
            capacity=t.capacity,
        )
        for t in city.technicians
    )
    jobs = tuple(
        Job(
            id=j.id,
            location=Location(x=j.location[0], y=j.location[1]),
            service_seconds=j.service_seconds,
            windows=(TimeWindow(start=j.window[0], end=j.window[1]),),
            required_skills=j.skills,
            priority=j.priority,
            load=j.load,
        )
        for j in city.jobs
    )
    return ProblemData(
        technicians=technicians,
        jobs=jobs,
        travel=GreatCircleTravel(speed_kmh=city.speed_kmh, circuity=city.circuity),
        epoch=f"{DAY}T00:00:00+08:00",
    )


def _multipolygon(geometry) -> tuple:
    coords = mapping(geometry)["coordinates"]
    return (coords,) if geometry.geom_type == "Polygon" else tuple(coords)
