"""Reading Solomon / Gehring & Homberger VRPTW instances and their published reference results.

The text format: a name line; ``VEHICLE`` / ``NUMBER CAPACITY`` and the fleet size and capacity;
``CUSTOMER`` and one row per node (number, x, y, demand, ready time, due date, service time), node 0
being the depot. Travel time equals the unrounded Euclidean distance.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path


class BenchInputError(ValueError):
    """A benchmark file that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Customer:
    """One row of the CUSTOMER table (number 0 is the depot)."""

    number: int
    x: float
    y: float
    demand: int
    ready: float
    due: float
    service: float


@dataclass(frozen=True)
class Instance:
    name: str
    vehicles: int
    capacity: int
    depot: Customer
    customers: tuple[Customer, ...]  # in file order, depot excluded

    def node(self, number: int) -> Customer:
        """The depot or customer with this number (numbers are 0..n in every published file)."""
        if number == 0:
            return self.depot
        if not 1 <= number <= len(self.customers):
            raise KeyError(f"{self.name} has no customer {number}")
        return self.customers[number - 1]  # the reader insists on consecutive numbers

    def distance(self, a: Customer, b: Customer) -> float:
        return math.hypot(a.x - b.x, a.y - b.y)


def read_instance(path: str | Path) -> Instance:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise BenchInputError(f"{path}: cannot read ({exc.strerror})") from None
    lines = [line.strip() for line in text.splitlines()]
    content = [(i + 1, line) for i, line in enumerate(lines) if line]
    if not content:
        raise BenchInputError(f"{path}: empty file")
    name = content[0][1].upper()

    def index_of(keyword: str) -> int:
        for k, (_, line) in enumerate(content):
            if line.upper().startswith(keyword):
                return k
        raise BenchInputError(f"{path}: no {keyword} section (not a Solomon-format file?)")

    k_vehicle = index_of("VEHICLE")
    try:
        lineno, fleet_line = content[k_vehicle + 2]  # skip the "NUMBER CAPACITY" header
        vehicles, capacity = (int(v) for v in fleet_line.split())
    except (IndexError, ValueError):
        raise BenchInputError(f"{path}: expected 'NUMBER CAPACITY' values two lines after VEHICLE") from None

    k_customer = index_of("CUSTOMER")
    nodes: list[Customer] = []
    for lineno, line in content[k_customer + 2 :]:  # skip the column header
        fields = line.split()
        if len(fields) != 7:
            raise BenchInputError(f"{path}:{lineno}: expected 7 columns in a customer row, got {len(fields)}")
        try:
            number, x, y, demand, ready, due, service = (float(v) for v in fields)
        except ValueError:
            raise BenchInputError(f"{path}:{lineno}: non-numeric value in customer row") from None
        if number != len(nodes):
            raise BenchInputError(f"{path}:{lineno}: customer number {number:g}, expected {len(nodes)}")
        if due < ready:
            raise BenchInputError(f"{path}:{lineno}: due date {due:g} before ready time {ready:g}")
        nodes.append(Customer(int(number), x, y, int(demand), ready, due, service))
    if len(nodes) < 2:
        raise BenchInputError(f"{path}: needs a depot and at least one customer")
    if vehicles < 1 or capacity < 1:
        raise BenchInputError(f"{path}: vehicle number and capacity must be positive")
    return Instance(name, vehicles, capacity, nodes[0], tuple(nodes[1:]))


@dataclass(frozen=True)
class Reference:
    """A published result for one instance."""

    vehicles: int
    distance: float


def read_bks(path: str | Path) -> dict[str, Reference]:
    """Best-known solutions (hierarchical objective: vehicles first, then distance)."""
    return {name: ref for name, ref, _ in _references(path, "distance")}


def read_distmin_reference(path: str | Path) -> dict[str, Reference]:
    """Distance-only references; rows not feasible with real travel times are no yardstick and are left out."""
    flag = "feasible_with_real_travel_times"
    return {
        name: ref
        for name, ref, row in _references(path, "distance_real_euclid", flag)
        if row[flag].strip().lower() == "yes"
    }


def _references(path: str | Path, distance_column: str, *extra: str):
    path = Path(path)
    needed = ("instance", "vehicles", distance_column, *extra)
    try:
        with path.open(newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in needed if c not in (reader.fieldnames or [])]
            if missing:
                raise BenchInputError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = list(reader)
    except OSError as exc:
        raise BenchInputError(f"{path}: cannot read ({exc.strerror})") from None
    for lineno, row in enumerate(rows, start=2):
        try:
            ref = Reference(int(row["vehicles"]), float(row[distance_column]))
        except (TypeError, ValueError):
            raise BenchInputError(f"{path}:{lineno}: bad vehicles or {distance_column} value") from None
        yield row["instance"].strip().upper(), ref, row
