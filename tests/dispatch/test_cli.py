import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from .util import job, planar, tech

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "dispatch", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_solve_writes_a_plan(tmp_path):
    problem = planar([tech("T1")], [job("A", 10), job("B", 20)])
    src = tmp_path / "p.json"
    src.write_text(json.dumps(problem.to_dict()))
    out = tmp_path / "plan.json"
    proc = _run("solve", str(src), "--time-limit", "1", "--max-solutions", "50", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(out.read_text())
    assert plan["totals"]["travel_distance"] == 40.0
    assert [s["job_id"] for s in plan["routes"][0]["stops"]] == ["A", "B"]
    assert "2/2 jobs planned" in proc.stderr


def test_bad_file_gives_one_line_naming_the_field(tmp_path):
    data = planar([tech("T1")], [job("A", 10, windows=[(0, 10)])]).to_dict()
    data["jobs"][0]["windows"][0]["end"] = -1
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data))
    proc = _run("solve", str(src))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {src}: jobs[0].windows[0]: end -1 before start 0"
    assert "Traceback" not in proc.stderr


def test_missing_and_broken_files(tmp_path):
    proc = _run("solve", str(tmp_path / "nope.json"))
    assert proc.returncode == 2 and "No such file" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken.json"
    broken.write_text('{"jobs": [')
    proc = _run("solve", str(broken))
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr and "Traceback" not in proc.stderr


def test_schema_commands_print_valid_schemas():
    for which in ("problem", "plan"):
        proc = _run("schema", which)
        assert proc.returncode == 0
        jsonschema.Draft202012Validator.check_schema(json.loads(proc.stdout))
