"""The baseline: what a dispatcher does by hand.

Jobs are taken in window order (earliest window first, more urgent first within a window); each goes
to the nearest technician who holds a valid certificate, covers the address, has room in the van for
a delivery and can still start it inside its window and be home by the end of the shift. Nearest means
from where the technician will be: home, or the last job given to them. Nothing is ever moved once given.
"""

from __future__ import annotations

from shapely import prepared
from shapely.geometry import Point

from dispatch.bench.city import City
from dispatch.bench.city_eval import road_metres, travel_seconds


def greedy_plan(city: City) -> dict[str, list[str]]:
    areas = {t.id: prepared.prep(city.area(t)) for t in city.technicians}
    plan: dict[str, list[str]] = {t.id: [] for t in city.technicians}
    free_at = {t.id: float(t.shift[0]) for t in city.technicians}
    position = {t.id: t.home for t in city.technicians}
    carried = {t.id: 0 for t in city.technicians}

    for job in sorted(city.jobs, key=lambda j: (j.window[0], -j.priority, j.window[1], j.id)):
        here = Point(job.location)
        best = None
        for tech in city.technicians:
            if not tech.can_do(job.skills) or not areas[tech.id].covers(here):
                continue
            if tech.capacity is not None and carried[tech.id] + job.load > tech.capacity:
                continue
            metres = road_metres(city, position[tech.id], job.location)
            start = max(free_at[tech.id] + travel_seconds(city, metres), job.window[0])
            if start > job.window[1]:
                continue
            done = start + job.service_seconds
            if done + travel_seconds(city, road_metres(city, job.location, tech.home)) > tech.shift[1]:
                continue
            if best is None or metres < best[0]:
                best = (metres, tech.id, done)
        if best is not None:
            _, tech_id, done = best
            plan[tech_id].append(job.id)
            free_at[tech_id] = done
            carried[tech_id] += job.load
            position[tech_id] = job.location
    return plan
