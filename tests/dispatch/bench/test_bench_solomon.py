import pytest

from dispatch.bench.solomon import BenchInputError, read_bks, read_distmin_reference, read_instance


def test_reads_solomon_file(shared_bench):
    inst = read_instance(shared_bench / "solomon" / "R101.txt")
    assert inst.name == "R101"
    assert (inst.vehicles, inst.capacity) == (25, 200)
    assert len(inst.customers) == 100
    assert (inst.depot.x, inst.depot.y, inst.depot.due) == (35, 35, 230)
    last = inst.node(100)
    assert (last.x, last.y, last.demand, last.ready, last.due, last.service) == (18, 18, 17, 185, 195, 10)


def test_reads_homberger_file_with_lower_case_name(shared_bench):
    inst = read_instance(shared_bench / "homberger" / "C1_2_1.txt")
    assert inst.name == "C1_2_1"
    assert (inst.vehicles, inst.capacity, len(inst.customers)) == (50, 200, 200)
    assert (inst.depot.x, inst.depot.y, inst.depot.due) == (70, 70, 1351)


def test_tiny_file(tiny_file):
    inst = read_instance(tiny_file)
    assert [c.number for c in inst.customers] == [1, 2, 3]
    assert inst.distance(inst.depot, inst.node(2)) == 10


@pytest.mark.parametrize(
    "broken, message",
    [
        ("    2       6          8          5          0         30\n", "expected 7 columns"),
        ("    7       6          8          5          0         30          1\n", "customer number 7, expected 4"),
        ("    4       6          8          5         40         30          1\n", "due date 30 before ready time 40"),
        ("    4       6          x          5          0         30          1\n", "non-numeric"),
    ],
)
def test_bad_rows_are_named(tiny_file, broken, message):
    tiny_file.write_text(tiny_file.read_text() + broken)
    with pytest.raises(BenchInputError, match=message):
        read_instance(tiny_file)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BenchInputError, match="cannot read"):
        read_instance(tmp_path / "nope.txt")


def test_bks_and_reference(shared_bench):
    bks = read_bks(shared_bench / "bks.csv")
    assert len(bks) == 116
    assert bks["C101"].vehicles == 10 and bks["C101"].distance == pytest.approx(828.9369)
    assert "RC2_2_10" in bks
    ref = read_distmin_reference(shared_bench / "distmin_reference.csv")
    assert len(ref) == 48  # 8 references are infeasible with real travel times
    assert "R102" not in ref and "C204" not in ref
    assert ref["C101"].distance == pytest.approx(828.9369)


def test_reference_with_bad_value(tmp_path):
    path = tmp_path / "bks.csv"
    path.write_text("instance,vehicles,distance,source\nC101,ten,828.9,x\n")
    with pytest.raises(BenchInputError, match=r"bks.csv:2: bad vehicles"):
        read_bks(path)
    path.write_text("instance,distance\nC101,828.9\n")
    with pytest.raises(BenchInputError, match="missing column"):
        read_bks(path)


def test_node_lookup_rejects_numbers_outside_the_file(tiny_file):
    inst = read_instance(tiny_file)
    assert inst.node(0) is inst.depot and inst.node(3).number == 3
    for bad in (-1, 4):
        with pytest.raises(KeyError, match=f"no customer {bad}"):
            inst.node(bad)
