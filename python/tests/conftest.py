import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))


def iccsim_binary():
    """The iccsim to run: $ICCSIM, else the debug build of this checkout."""
    path = os.environ.get("ICCSIM", str(ROOT / ".build" / "debug" / "iccsim"))
    if not os.path.exists(path):
        pytest.skip(f"no iccsim binary at {path}: build first (swift build)")
    return path


def iccsim(*args, cwd=ROOT):
    return subprocess.run([iccsim_binary(), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory):
    """A small run with services, a fabric and every table: the default center for 6 hours."""
    out = tmp_path_factory.mktemp("run") / "r"
    iccsim("run", "--set", "horizon=6h", "--out", out, "--quiet")
    return out
