"""The front end's unit tests (Vitest: the offline outbox, the map-datum converter) as part of the
pytest run, so scripts/test.sh and CI report them with everything else."""

import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "app" / "web"


def test_the_front_end_unit_tests_pass():
    if not (WEB / "node_modules").is_dir():
        pytest.fail("app/web/node_modules is missing: scripts/test.sh installs it (cd app/web && npm ci)")
    npx = shutil.which("npx")
    assert npx, "npx (Node.js) is needed for the front-end tests"
    r = subprocess.run([npx, "vitest", "run", "--reporter=dot"], cwd=WEB, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "passed" in r.stdout and "failed" not in r.stdout.split("Tests")[-1], r.stdout[-2000:]
