"""Timing of one technician's route from the real (unscaled) travel matrices.

The solver works on integer-scaled times; every reported time is recomputed here from the float
matrices, so a plan is checked independently of the solver.

``simulate`` gives the *earliest* schedule: leave at shift start, start each job as soon as arrival
and its windows allow, take each break as early as its window allows on the leg where it costs least.
That schedule is feasible whenever any schedule for the same order is, so it is the feasibility test.
``just_in_time`` turns it into the schedule a technician is given: the latest departure that keeps
every window and does not make the day end later, so no wait is left that leaving later would remove.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .compiled import Compiled
from .eligibility import earliest_start_at


@dataclass
class RouteSchedule:
    tech: int
    jobs: list[int]
    arrival: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    end: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    leg_distance: list[float] = field(default_factory=list)  # into each job, then the leg home
    leg_duration: list[float] = field(default_factory=list)
    departure: float = 0.0
    return_time: float = 0.0
    load: int = 0
    breaks: list[tuple[float, float]] = field(default_factory=list)  # (start, end) of each break, in order
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def travel_distance(self) -> float:
        return float(sum(self.leg_distance))

    @property
    def travel_seconds(self) -> float:
        return float(sum(self.leg_duration))

    @property
    def work_seconds(self) -> float:
        return self.travel_seconds + float(sum(e - s for s, e in zip(self.start, self.end)))

    @property
    def break_seconds(self) -> float:
        return float(sum(e - s for s, e in self.breaks))

    @property
    def waiting_seconds(self) -> float:
        """Idle time between leaving and coming back: neither travel, service nor a break."""
        if not self.jobs:
            return 0.0
        return max(0.0, self.return_time - self.departure - self.work_seconds - self.break_seconds)

    def waits(self) -> list[float]:
        """Idle time before each job's start (after arriving and any break taken there)."""
        out = []
        for k in range(len(self.jobs)):
            prev_end = self.departure if k == 0 else self.end[k - 1]
            taken = sum(min(e, self.start[k]) - max(s, prev_end) for s, e in self.breaks
                        if s < self.start[k] and e > prev_end)
            out.append(max(0.0, self.start[k] - prev_end - self.leg_duration[k] - taken))
        return out


def _tech_breaks(c: Compiled, tech: int) -> tuple[tuple[float, float, float], ...]:
    return tuple((float(b.earliest), float(b.latest), float(b.duration)) for b in c.problem.technicians[tech].breaks)


def _leg(t: float, travel: float, breaks) -> tuple[float, float, list[tuple[float, float]]] | None:
    """Leaving at ``t`` for ``travel`` seconds with ``breaks`` taken on the way, in order: (when the
    technician is ready at the address, when the driving ended, the breaks' times).

    A break is taken at the address when its window is still open on arrival, else on the way
    (drive, pause as soon as it may start, drive on); both give the same ready time whenever both
    are possible. None when a break's window closes before it could start.
    """
    tau, rest = t, travel
    reached = None
    taken = []
    for lo, hi, dur in breaks:
        if max(tau + rest, lo) <= hi + 1e-9:
            tau += rest
            rest = 0.0
            if reached is None:
                reached = tau
            x = max(tau, lo)
        else:
            x = max(tau, lo)
            if x > hi + 1e-9:
                return None
            rest -= x - tau  # x <= hi < tau + rest: part of the drive is done
        taken.append((x, x + dur))
        tau = x + dur
    if reached is None:
        reached = tau + rest
    return tau + rest, reached, taken


def _after(t: float, breaks) -> list[tuple[float, float]] | None:
    """Breaks taken one after the other from ``t`` on (at the base after the last job)."""
    taken = []
    for lo, hi, dur in breaks:
        x = max(t, lo)
        if x > hi + 1e-9:
            return None
        taken.append((x, x + dur))
        t = x + dur
    return taken


def simulate(c: Compiled, tech: int, jobs: list[int], stop_at_first_violation: bool = False,
             depart: float | None = None) -> RouteSchedule:
    """Earliest schedule of ``jobs`` (job indices, in order) for technician ``tech``, leaving at
    ``depart`` (default: shift start)."""
    if c.problem.technicians[tech].breaks:
        return _simulate_with_breaks(c, tech, jobs, depart)
    return _simulate_plain(c, tech, jobs, stop_at_first_violation, depart)


def _simulate_plain(c: Compiled, tech: int, jobs: list[int], stop_at_first_violation: bool = False,
                    depart: float | None = None) -> RouteSchedule:
    sched = RouteSchedule(tech=tech, jobs=list(jobs))
    lat = c.max_lateness
    t = float(c.shift_start[tech]) if depart is None else depart
    here = int(c.tech_start_point[tech])
    dist, dur = c.dist, c.dur
    for j in jobs:
        p = int(c.job_point[j])
        travel = float(dur[here, p])
        arrival = t + travel
        ready = max(arrival, float(c.earliest[j]))
        fit = earliest_start_at(c.windows[j], ready, lat)
        if fit is None:
            sched.violations.append(f"job {c.problem.jobs[j].id}: arrives at {arrival:.0f}, after its last window (+ allowed lateness)")
            start, late = ready, ready - c.windows[j][-1][1]
            if stop_at_first_violation:
                return sched
        else:
            start, late = fit
        sched.arrival.append(arrival)
        sched.start.append(start)
        sched.lateness.append(late)
        sched.leg_distance.append(float(dist[here, p]))
        sched.leg_duration.append(travel)
        t = start + float(c.service[j])
        sched.end.append(t)
        sched.load += int(c.load[j])
        here = p
    home = int(c.tech_end_point[tech])
    sched.leg_distance.append(float(dist[here, home]) if jobs else 0.0)
    sched.leg_duration.append(float(dur[here, home]) if jobs else 0.0)
    sched.departure = float(c.shift_start[tech]) if depart is None else depart
    sched.return_time = t + sched.leg_duration[-1] if jobs else sched.departure
    _check_day(c, sched)
    return sched


def _check_day(c: Compiled, sched: RouteSchedule) -> None:
    tech, jobs = sched.tech, sched.jobs
    if sched.return_time > c.shift_end[tech] + 1e-6:
        sched.violations.append(f"back at {sched.return_time:.0f}, after shift end {int(c.shift_end[tech])}")
    if sched.load > c.capacity[tech]:
        sched.violations.append(f"load {sched.load} over capacity {int(c.capacity[tech])}")
    if len(jobs) > c.max_jobs[tech]:
        sched.violations.append(f"{len(jobs)} jobs, over max_jobs {int(c.max_jobs[tech])}")
    if jobs and sched.work_seconds > c.max_work[tech] + 1e-6:
        sched.violations.append(f"works {sched.work_seconds:.0f} s, over max_work_seconds {int(c.max_work[tech])}")


def _simulate_with_breaks(c: Compiled, tech: int, jobs: list[int], depart: float | None) -> RouteSchedule:
    """Earliest schedule when the technician has breaks: which leg takes which break is chosen by a
    small dynamic programme over (stop, breaks taken so far), keeping the earliest finish of each
    state; finishing earlier never hurts a later window, so that is exact for this order."""
    sched = RouteSchedule(tech=tech, jobs=list(jobs))
    lat = c.max_lateness
    brk = _tech_breaks(c, tech)
    nb = len(brk)
    t0 = float(c.shift_start[tech]) if depart is None else depart
    sched.departure = t0
    here = int(c.tech_start_point[tech])
    # state[k] = (finish time at the current stop, breaks so far, arrivals, starts, lateness) or None
    state: list = [None] * (nb + 1)
    state[0] = (t0, [], [], [], [])
    for j in jobs:
        p = int(c.job_point[j])
        travel = float(c.dur[here, p])
        nxt: list = [None] * (nb + 1)
        for k, st in enumerate(state):
            if st is None:
                continue
            t, taken, arr, starts, lates = st
            for k2 in range(k, nb + 1):
                leg = _leg(t, travel, brk[k:k2])
                if leg is None:
                    break
                ready_at, arrival, here_taken = leg
                ready = max(ready_at, float(c.earliest[j]))
                fit = earliest_start_at(c.windows[j], ready, lat)
                if fit is None:
                    continue
                finish = fit[0] + float(c.service[j])
                if nxt[k2] is None or finish < nxt[k2][0] - 1e-12:
                    nxt[k2] = (finish, taken + here_taken, arr + [arrival], starts + [fit[0]], lates + [fit[1]])
        if all(x is None for x in nxt):
            sched.violations.append(f"job {c.problem.jobs[j].id}: no start inside its windows with the breaks of the day")
            return _fallback(c, sched)
        state = nxt
        sched.leg_distance.append(float(c.dist[here, p]))
        sched.leg_duration.append(travel)
        here = p
    home = int(c.tech_end_point[tech])
    back = float(c.dur[here, home]) if jobs else 0.0
    best = None
    for k, st in enumerate(state):
        if st is None:
            continue
        t, taken, arr, starts, lates = st
        for k2 in range(k, nb + 1):
            leg = _leg(t, back, brk[k:k2])
            if leg is None:
                break
            ret, _, on_way = leg
            rest = _after(ret, brk[k2:])
            if rest is None:
                continue
            if not jobs:
                ret = t0  # an idle day: the technician never leaves; breaks are taken at the base
            if best is None or ret < best[0] - 1e-12:
                best = (ret, taken + on_way + rest, arr, starts, lates)
    sched.leg_distance.append(float(c.dist[here, home]) if jobs else 0.0)
    sched.leg_duration.append(back)
    if best is None:
        sched.violations.append("the day's breaks do not fit the shift")
        return _fallback(c, sched)
    ret, sched.breaks, sched.arrival, sched.start, sched.lateness = best
    sched.end = [s + float(c.service[j]) for s, j in zip(sched.start, jobs)]
    sched.return_time = ret
    sched.load = int(sum(int(c.load[j]) for j in jobs))
    _check_day(c, sched)
    return sched


def _fallback(c: Compiled, sched: RouteSchedule) -> RouteSchedule:
    """An infeasible route still gets times (ignoring breaks) so it can be reported and debugged."""
    plain = _simulate_plain(c, sched.tech, sched.jobs)
    plain.violations = sched.violations + plain.violations
    return plain


def just_in_time(c: Compiled, sched: RouteSchedule) -> RouteSchedule:
    """The same route leaving as late as possible without ending the day later or starting any job
    later than its earliest schedule allows past a window's end (so no extra lateness either).

    Every time is monotone in the departure, so the latest such departure is found by bisection
    between shift start and shift start + the day's idle time; past it a window or the day's end
    would move. Waiting that remains cannot be removed by leaving later (it sits after a job whose
    window binds).
    """
    if not sched.jobs or not sched.feasible:
        return sched
    idle = sched.waiting_seconds
    if idle <= 1e-9:
        return sched
    lo, hi = sched.departure, sched.departure + idle

    def keeps(dep: float) -> RouteSchedule | None:
        s = simulate(c, sched.tech, sched.jobs, depart=dep)
        if not s.feasible or s.return_time > sched.return_time + 1e-6:
            return None
        if any(a > b + 1e-6 for a, b in zip(s.lateness, sched.lateness)):
            return None
        return s

    best = keeps(hi)
    if best is not None:
        return best
    best = sched
    for _ in range(40):
        if hi - lo <= 1e-3:
            break
        mid = (lo + hi) / 2
        s = keeps(mid)
        if s is None:
            hi = mid
        else:
            lo, best = mid, s
    return best
