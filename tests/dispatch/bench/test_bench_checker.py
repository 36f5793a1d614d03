import pytest

from dispatch.bench.checker import check
from dispatch.bench.solomon import read_instance


@pytest.fixture
def tiny(tiny_file):
    return read_instance(tiny_file)


def test_feasible_solution_and_its_distance(tiny):
    # 0 -> 3 -> 0: 5 + 5, load 6, arrive at 5 <= 10
    # 0 -> 1 -> 2 -> 0: 5 (wait to 10, serve to 12) + 5 (17 <= 30, serve to 18) + 10 (back at 28), load 9
    result = check(tiny, [[3], [1, 2]])
    assert result.feasible, result.violations
    assert result.distance == pytest.approx(30.0)
    assert result.vehicles == 2


def test_empty_routes_do_not_count(tiny):
    result = check(tiny, [[], [3], [1, 2], []])
    assert result.feasible and result.vehicles == 2


def test_missing_customer(tiny):
    result = check(tiny, [[3], [1]])
    assert not result.feasible
    assert any("not visited: 2" in v for v in result.violations)


def test_duplicate_visit(tiny):
    result = check(tiny, [[3, 1], [1, 2]])
    assert any("customer 1 visited twice" in v for v in result.violations)


def test_unknown_customer(tiny):
    result = check(tiny, [[3], [1, 2, 9]])
    assert any("9 is not a customer" in v for v in result.violations)


def test_depot_inside_a_route_is_not_a_customer(tiny):
    result = check(tiny, [[3], [1, 0, 2]])
    assert any("0 is not a customer" in v for v in result.violations)


def test_capacity(tiny):
    # loads 4 + 6 = 10 would fit; 5 + 6 = 11 does not (capacity 10)
    result = check(tiny, [[1], [2, 3]])
    assert [v for v in result.violations if "capacity" in v] == ["route 1: load 11 exceeds capacity 10"]


def test_time_window(tiny):
    # 0 -> 2 -> 1: customer 1 reached at 10 + 1 + 5 = 16 <= 20 is fine; 0 -> 1 -> 2 -> 3 is too late at 3
    result = check(tiny, [[2, 1], [3]])
    assert result.feasible, result.violations
    result = check(tiny, [[1, 2, 3]])
    assert any("customer 3 reached at 33.0000, after its due date 10" in v for v in result.violations)


def test_waiting_is_allowed_but_late_depot_return_is_not(tiny_file, tmp_path):
    text = tiny_file.read_text().replace("0        100          0", "0         27          0")
    path = tmp_path / "TINY2.txt"
    path.write_text(text)
    inst = read_instance(path)
    result = check(inst, [[3], [1, 2]])  # back at 28 > 27
    assert result.violations == ["route 1: back at the depot at 28.0000, after its due date 27"]


def test_too_many_vehicles(tiny):
    result = check(tiny, [[3], [1], [2]])
    assert result.violations == ["3 routes, the instance has 2 vehicles"]
    assert result.distance == pytest.approx(10 + 10 + 20)
