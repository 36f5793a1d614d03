"""For the browser benchmarks: the demo city in a scratch SQLite database, served by uvicorn on a free
port in its own process, as a person would meet it after scripts/run.sh."""

import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo_server(tmp: Path, then: str | None = None) -> tuple[subprocess.Popen, str]:
    """Migrate, load the demo, run the Python source `then` against the same database (extra set-up),
    and serve it. Returns the server process and its base URL."""
    env = {**os.environ, "SHIFU_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SHIFU_STORAGE_DIR": str(tmp / "uploads"),
           "SHIFU_TASK_QUEUE": "thread", "SPATIALITE_LIBRARY_PATH": "mod_spatialite"}
    py = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([str(ROOT / ".venv" / "bin" / "alembic"), "upgrade", "head"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([py, "-m", "app.demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    if then:
        subprocess.run([py, "-c", then], cwd=ROOT, env=env, check=True)
    port = _free_port()
    proc = subprocess.Popen([py, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port),
                             "--log-level", "warning"], cwd=ROOT, env=env)
    import httpx

    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the demo server did not start")
