from pathlib import Path

import pytest

SHARED_BENCH = Path(__file__).resolve().parents[4] / "shared" / "bench"

# depot at the origin, customers on 3-4-5 triangles so that every distance is exact by hand
TINY = """TINY1

VEHICLE
NUMBER     CAPACITY
  2          10

CUSTOMER
CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

    0       0          0          0          0        100          0
    1       3          4          4         10         20          2
    2       6          8          5          0         30          1
    3      -3         -4          6          0         10          0
"""


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "TINY1.txt"
    path.write_text(TINY)
    return path


@pytest.fixture
def shared_bench() -> Path:
    if not SHARED_BENCH.is_dir():
        pytest.skip(f"benchmark data not found at {SHARED_BENCH}")
    return SHARED_BENCH
