"""A worker process imports only the worker module; it must still know every mapped class."""

import subprocess
import sys
from pathlib import Path


def test_worker_module_alone_configures_every_mapper():
    code = "import app.planning.worker; from sqlalchemy.orm import configure_mappers; configure_mappers(); print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[3], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
