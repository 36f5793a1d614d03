"""The standard process library Shifu ships: its data files are complete, realistic and consistent, and a
broken library is refused with a message naming the file, template and node. Pure: no database."""

import json
import shutil
from pathlib import Path

import pytest

from app.checklists.library import (
    AUTO_EVENTS,
    COMPLETED_BY,
    DATA_DIR,
    SLA_ANCHORS,
    STAGES,
    LibraryError,
    evidence_errors,
    find_cycle,
    load_library,
    main,
    node_errors,
)

CATALOGUE = Path(__file__).resolve().parents[3] / "app" / "catalogue" / "data" / "catalogue.json"


@pytest.fixture(autouse=True)
def photo_store():
    """This module needs no app and no database: stand in for the directory's autouse photo store."""
    return None


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def by_code(library):
    return {t.code: t for t in library}


def mandatory_ancestors(template, code: str) -> set[str]:
    nodes = {n.code: n for n in template.nodes}
    seen: set[str] = set()
    todo = list(nodes[code].depends_on)
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo += nodes[c].depends_on
    return seen


# --- the shipped library -----------------------------------------------------------------------------


def test_every_catalogue_entry_has_exactly_one_template(library):
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))["entries"]
    pairs = sorted((e["service_type"], e["category"]) for e in entries)
    assert sorted((t.service_type, t.category) for t in library) == pairs
    assert len(library) == 63
    assert all(t.code == f"{t.service_type}.{t.category}" for t in library)


def test_the_library_has_at_least_150_distinct_nodes(library):
    assert len({n.code for t in library for n in t.nodes}) >= 150


def test_every_template_and_node_is_titled_in_chinese_and_english(library):
    for t in library:
        assert t.title_zh.strip() and t.title_en.strip(), t.code
        for n in t.nodes:
            assert n.title_zh.strip() and n.title_en.strip(), (t.code, n.code)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in n.title_zh), (t.code, n.code)


def test_air_conditioner_install_follows_the_issue_node_for_node(by_code):
    t = by_code["install.air_conditioner"]
    issue = [
        "open.contact_consumer", "open.confirm_appointment", "open.checkin", "unit.inspect_with_consumer",
        "ac.mounting_position", "ac.bracket", "ac.wall_hole", "ac.vacuum", "ac.leak_test", "ac.test_run",
        "close.cleanup_photo", "close.explain_use", "close.charges_settled", "close.signature",
    ]
    nodes = {n.code: n for n in t.nodes}
    assert set(issue) <= set(nodes)
    assert [nodes[c].position for c in issue] == sorted(nodes[c].position for c in issue)
    assert all(nodes[c].mandatory for c in issue)
    # Each technician step waits for the one before it, so nothing can be skipped on the way to the signature.
    technician_steps = [c for c in issue if nodes[c].completed_by == "technician"]
    for earlier, later in zip(technician_steps, technician_steps[1:]):
        assert earlier in mandatory_ancestors(t, later), (earlier, later)
    assert "close.charges_settled" in nodes["close.signature"].depends_on

    assert nodes["open.contact_consumer"].sla_anchor == "accepted"
    assert nodes["open.contact_consumer"].sla_minutes == 30
    assert nodes["open.checkin"].evidence["checkin"] == {"radius_m": 300}
    assert (nodes["open.checkin"].sla_anchor, nodes["open.checkin"].sla_minutes) == ("window_end", 0)
    assert nodes["ac.vacuum"].evidence["reading"] == {"unit": "Pa", "min": 0, "max": 60}
    assert nodes["ac.vacuum"].evidence["photos"]["min"] >= 1  # the gauge itself, not just a number
    assert nodes["ac.test_run"].evidence["reading"]["unit"] == "°C"
    assert nodes["close.charges_settled"].completed_by == "system"
    assert (nodes["close.signature"].sla_anchor, nodes["close.signature"].sla_minutes) == ("arrived", 2880)


def test_every_template_closes_with_settled_charges_and_a_mandatory_signature(library):
    for t in library:
        signatures = [n for n in t.nodes if n.evidence.get("signature") and n.mandatory]
        settled = [n for n in t.nodes if n.evidence.get("auto") == "charges_settled"]
        assert signatures and all(n.completed_by == "technician" for n in signatures), t.code
        assert len(settled) == 1 and settled[0].completed_by == "system" and settled[0].mandatory, t.code


def test_a_job_never_waits_on_a_consumer_and_mandatory_work_needs_proof(library):
    for t in library:
        for n in t.nodes:
            assert n.stage in STAGES and n.completed_by in COMPLETED_BY
            if n.completed_by == "consumer":
                assert not n.mandatory, (t.code, n.code)
            if n.mandatory and n.completed_by == "technician":
                assert set(n.evidence) - {"auto"}, (t.code, n.code)
            if n.completed_by == "system":
                assert n.evidence["auto"] in AUTO_EVENTS
            if n.sla_anchor is not None:
                assert n.sla_anchor in SLA_ANCHORS or n.sla_anchor.removeprefix("node:") in t.codes


def test_a_technician_can_work_down_the_list(library):
    for t in library:
        position = {n.code: n.position for n in t.nodes}
        assert [STAGES.index(n.stage) for n in t.nodes] == sorted(STAGES.index(n.stage) for n in t.nodes), t.code
        for n in t.nodes:
            assert all(position[d] < n.position for d in n.depends_on), (t.code, n.code)


def test_a_code_means_the_same_node_in_every_template(library):
    seen: dict[str, tuple] = {}
    for t in library:
        for n in t.nodes:
            definition = (n.stage, n.title_zh, n.title_en, n.completed_by, n.mandatory, n.evidence, n.sla_anchor,
                          n.sla_minutes)
            assert seen.setdefault(n.code, definition) == definition, (t.code, n.code)


def test_the_library_uses_real_quantities(library):
    readings = {(n.code, n.evidence["reading"]["unit"]) for t in library for n in t.nodes if "reading" in n.evidence}
    units = {u for _, u in readings}
    assert {"Pa", "MPa", "°C", "Ω", "MΩ", "V", "ppm"} <= units
    assert len(readings) >= 25


def test_the_content_hash_changes_only_with_the_template(tmp_path, library):
    again = {t.code: t.content_hash for t in load_library()}
    assert again == {t.code: t.content_hash for t in library}
    assert len(set(again.values())) == len(again)

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "nodes" / "air_conditioner.json"
    path.write_text(path.read_text(encoding="utf-8").replace("≤60 Pa", "≤50 Pa"), encoding="utf-8")
    changed = {t.code: t.content_hash for t in load_library(data)}
    moved = {c for c in changed if changed[c] != again[c]}
    assert moved == {t.code for t in library if "ac.vacuum" in t.codes}


def test_the_cli_prints_the_counts(capsys, library):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "templates: 63" in out
    assert f"distinct nodes: {len({n.code for t in library for n in t.nodes})}" in out
    assert "nodes per template: min" in out


# --- refusing a broken library ----------------------------------------------------------------------------


def node(code: str, **over) -> dict:
    spec = {"code": code, "stage": "work", "title_zh": "节点", "title_en": "Node", "evidence": {"checkbox": True}}
    return {**spec, **over}


SIGN = node("t.sign", stage="closing", evidence={"signature": True})


def write_library(root: Path, nodes: dict[str, list[dict]], steps: list, blocks: dict | None = None) -> Path:
    (root / "nodes").mkdir(parents=True)
    (root / "templates").mkdir()
    for name, defs in nodes.items():
        (root / "nodes" / f"{name}.json").write_text(json.dumps({"nodes": defs}, ensure_ascii=False), encoding="utf-8")
    if blocks is not None:
        (root / "blocks.json").write_text(json.dumps({"blocks": blocks}), encoding="utf-8")
    template = {"service_type": "install", "title_zh": "安装", "title_en": "Install", "steps": steps}
    (root / "templates" / "air_conditioner.json").write_text(
        json.dumps({"category": "air_conditioner", "templates": [template]}), encoding="utf-8"
    )
    return root


def refusal(root: Path) -> LibraryError:
    with pytest.raises(LibraryError) as caught:
        load_library(root)
    return caught.value


def test_a_small_good_library_loads_with_implied_and_stated_dependencies(tmp_path):
    root = write_library(
        tmp_path, {"a": [node("t.first"), node("t.optional", mandatory=False), node("t.second"), SIGN]},
        ["@start", "t.optional", "t.second", {"code": "t.sign", "after": ["t.first"]}],
        blocks={"start": ["t.first"]},
    )
    (t,) = load_library(root)
    assert t.code == "install.air_conditioner"
    assert [(n.code, n.depends_on, n.position) for n in t.nodes] == [
        ("t.first", (), 10), ("t.optional", ("t.first",), 20), ("t.second", ("t.first",), 30),
        ("t.sign", ("t.first",), 40),
    ]


def test_a_dependency_cycle_is_refused_naming_the_cycle(tmp_path):
    root = write_library(
        tmp_path, {"a": [node("t.first"), node("t.second"), SIGN]},
        [{"code": "t.first", "after": ["t.second"]}, {"code": "t.second", "after": ["t.first"]}, "t.sign"],
    )
    e = refusal(root)
    assert e.node == "t.first" and e.template == "install.air_conditioner"
    assert "t.first -> t.second -> t.first" in str(e)
    assert "templates/air_conditioner.json" in str(e)


def test_a_dependency_outside_the_template_is_refused(tmp_path):
    root = write_library(tmp_path, {"a": [node("t.first"), SIGN]},
                         ["t.first", {"code": "t.sign", "after": ["t.missing"]}])
    e = refusal(root)
    assert e.node == "t.sign" and "t.missing" in str(e)


def test_a_reading_whose_min_is_not_below_its_max_is_refused(tmp_path):
    bad = node("t.vacuum", evidence={"reading": {"unit": "Pa", "min": 60, "max": 60}})
    e = refusal(write_library(tmp_path, {"ac": [bad, SIGN]}, ["t.vacuum", "t.sign"]))
    assert e.node == "t.vacuum" and e.file == "nodes/ac.json"
    assert "evidence.reading.min" in str(e)


def test_an_unknown_evidence_key_is_refused(tmp_path):
    bad = node("t.video", evidence={"video": {"seconds": 10}})
    e = refusal(write_library(tmp_path, {"a": [bad, SIGN]}, ["t.video", "t.sign"]))
    assert e.node == "t.video" and "evidence.video" in str(e)


def test_a_shared_node_defined_differently_is_refused(tmp_path):
    root = write_library(
        tmp_path,
        {"a": [node("t.shared"), SIGN], "b": [node("t.shared", title_en="Something else")]},
        ["t.shared", "t.sign"],
    )
    e = refusal(root)
    assert e.node == "t.shared"
    assert "nodes/a.json" in str(e) and "nodes/b.json" in str(e) and "title_en" in str(e)


def test_the_same_definition_in_two_files_is_one_node(tmp_path):
    root = write_library(tmp_path, {"a": [node("t.shared"), SIGN], "b": [node("t.shared")]}, ["t.shared", "t.sign"])
    (t,) = load_library(root)
    assert t.codes == ("t.shared", "t.sign")


@pytest.mark.parametrize("anchor", ["tomorrow", "node:t.missing", "node:t.late"])
def test_a_bad_sla_anchor_is_refused(tmp_path, anchor):
    bad = node("t.late", sla={"anchor": anchor, "minutes": 30})
    e = refusal(write_library(tmp_path, {"a": [bad, SIGN]}, ["t.late", "t.sign"]))
    assert e.node == "t.late" and "anchor" in str(e)


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (node("t.bad", completed_by="system"), "evidence.auto"),  # a system node must name its event
        (node("t.bad", evidence={"auto": "charges_settled"}), "evidence.auto"),  # ... and only a system node
        (node("t.bad", completed_by="consumer"), "mandatory"),  # never wait on a consumer
        (node("t.bad", title_zh=" "), "title_zh"),
        (node("t.bad", stage="lunch"), "stage"),
        (node("t.bad", colour="red"), "colour"),
        (node("t.bad", depends_on=["t.sign"]), "depends_on"),  # dependencies belong to the template
        (node("t.bad", evidence={"photos": {"min": 0, "max": 3}}), "evidence.photos.min"),
        (node("t.bad", evidence={"photos": {"min": 2, "max": 21}}), "evidence.photos.max"),
        (node("t.bad", evidence={"checkin": {"radius_m": 5}}), "evidence.checkin.radius_m"),
    ],
)
def test_a_malformed_node_is_refused_naming_it(tmp_path, bad, says):
    e = refusal(write_library(tmp_path, {"a": [bad, SIGN]}, ["t.bad", "t.sign"]))
    assert e.node == "t.bad" and says in str(e)


def test_a_mandatory_node_cannot_wait_on_an_optional_one(tmp_path):
    root = write_library(tmp_path, {"a": [node("t.maybe", mandatory=False), SIGN]},
                         ["t.maybe", {"code": "t.sign", "after": ["t.maybe"]}])
    e = refusal(root)
    assert e.node == "t.sign" and "optional" in str(e)


def test_an_unknown_node_or_block_in_the_steps_is_refused(tmp_path):
    e = refusal(write_library(tmp_path / "n", {"a": [SIGN]}, ["t.nowhere", "t.sign"]))
    assert e.node == "t.nowhere"
    e = refusal(write_library(tmp_path / "b", {"a": [SIGN]}, ["@nowhere", "t.sign"]))
    assert "@nowhere" in str(e) and e.template == "install.air_conditioner"


def test_a_node_no_template_uses_is_refused(tmp_path):
    e = refusal(write_library(tmp_path, {"a": [node("t.orphan"), SIGN]}, ["t.sign"]))
    assert e.node == "t.orphan"


def test_broken_json_names_the_file_and_line(tmp_path):
    root = write_library(tmp_path, {"a": [SIGN]}, ["t.sign"])
    (root / "nodes" / "a.json").write_text('{"nodes": [\n  {"code": }\n]}', encoding="utf-8")
    e = refusal(root)
    assert e.file == "nodes/a.json" and "line 2" in str(e)


def test_the_cli_exits_2_with_one_line_on_a_broken_library(tmp_path, capsys):
    root = write_library(tmp_path, {"a": [node("t.first"), SIGN]}, ["t.first", {"code": "t.sign", "after": ["t.x"]}])
    assert main([str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "t.sign" in err


# --- the checks a brand's own node goes through ------------------------------------------------------------


def test_a_good_brand_node_in_the_api_shape_passes():
    spec = {
        "code": "brand.indoor_barcode", "stage": "inspection",
        "title_zh": "扫描内机条码", "title_en": "Scan the indoor unit barcode",
        "completed_by": "technician", "mandatory": True, "depends_on": ["open.checkin"],
        "evidence": {"photos": {"min": 1, "max": 2}, "text": {"min_length": 8}},
        "sla_anchor": "node:open.checkin", "sla_minutes": 20, "position": 75,
    }
    assert node_errors(spec) == []
    assert node_errors(spec, known_codes={"open.checkin"}) == []
    assert node_errors({**spec, "sla_anchor": None, "sla_minutes": None}) == []


def test_node_errors_name_the_key_to_fix():
    spec = node("brand.x", evidence={"reading": {"unit": "Pa", "min": 60, "max": 0}}, sla_anchor="accepted")
    errors = node_errors(spec, known_codes=set())
    assert any(e.startswith("evidence.reading.min:") and "below max" in e for e in errors)
    assert any(e.startswith("sla_minutes:") for e in errors)
    assert node_errors(node("brand.x", depends_on=["ghost"]), known_codes={"open.checkin"}) == [
        "depends_on[0]: names node 'ghost', which is not in the template"
    ]


def test_evidence_errors_check_each_kind():
    assert evidence_errors({"photos": {"min": 1, "max": 20}, "reading": {"unit": "MΩ", "min": 2, "max": 2000},
                            "text": {"min_length": 1}, "checkbox": True, "signature": True,
                            "checkin": {"radius_m": 300}}) == []
    assert evidence_errors({}) == ["evidence: must ask for at least one of: photos, reading, text, checkbox, "
                                   "signature, checkin, auto"]
    no_unit = evidence_errors({"reading": {"unit": "", "min": 0, "max": 1}})
    assert any(e.startswith("evidence.reading.unit:") for e in no_unit)
    assert any(e.startswith("evidence.checkbox:") for e in evidence_errors({"checkbox": False}))
    assert any(e.startswith("evidence.auto:") for e in evidence_errors({"auto": "lunch"}))
    assert any(e.startswith("evidence.photos.max:") for e in evidence_errors({"photos": {"min": 3, "max": 2}}))


def test_find_cycle_returns_the_loop():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"], "d": []}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": [], "b": ["a"]}) is None
