"""The Python reader against the runs and sweeps the CLI writes."""

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

import iccsim
from conftest import iccsim as cli


def test_summary_and_attributes(run_dir):
    run = iccsim.open(run_dir)
    with open(run_dir / "summary.json") as f:
        assert run.summary == json.load(f)
    assert list(run.summary)[:3] == ["scenario", "seed", "policy"], "key order kept"
    assert run.attrs["schema_name"] and run.attrs["seed"] == run.summary["seed"]


def test_jobs_decoded_with_units(run_dir):
    run = iccsim.open(run_dir)
    jobs = run.table("jobs", times="ns")
    # Every submitted job has a row (replicas of services too).
    assert len(jobs) >= run.summary["jobs_submitted"]
    assert isinstance(jobs["state"].dtype, pd.CategoricalDtype)
    assert set(jobs["state"].dropna().unique()) <= set(run.dictionary("job_state").values())
    assert (jobs["policy"] == run.attrs["policy"]).all()
    assert jobs.attrs["units"]["end_ns"] == "ns" and jobs.attrs["units"]["flops"] == "FLOP"
    # The rows' states agree with the summary's counts (service replicas are never rejected).
    assert (jobs["state"] == "rejected").sum() == run.summary["jobs_rejected"]
    assert jobs.loc[jobs["start_ns"] >= 0, "wait_ns"].ge(0).all()


def test_times_in_seconds(run_dir):
    run = iccsim.open(run_dir)
    ns, s = run.table("jobs", times="ns"), run.table("jobs")
    assert "end_s" in s and "end_ns" not in s and s.attrs["units"]["end_s"] == "s"
    never = ns["end_ns"] < 0
    assert s["end_s"][never].isna().all()
    assert np.allclose(s["end_s"][~never], ns["end_ns"][~never] / 1e9)
    with pytest.raises(ValueError):
        run.table("jobs", times="hours")
    with pytest.raises(KeyError):
        run.table("nothing")


def test_tables_follow_the_declared_schema(run_dir):
    """The reader finds the tables and columns `iccsim export trace-schema` declares."""
    # Columns noted "only with `failures`" are in runs with a failures section only.
    schema, optional, table = {}, set(), None
    for line in cli("export", "trace-schema").stdout.splitlines():
        if line.startswith("## /"):
            table = line[4:].strip()
            schema[table] = set()
        elif line.startswith("| `") and table:
            column = re.match(r"\| `([^`]+)`", line).group(1)
            schema[table].add(column)
            if "only with `failures`" in line:
                optional.add((table, column))
    run = iccsim.open(run_dir)
    assert set(run.tables) <= set(schema)
    for name in run.tables:
        raw = set(run.table(name, times="ns").columns)
        required = {c for c in schema[name] if (name, c) not in optional}
        assert required <= raw <= schema[name], f"{name}: file {sorted(raw)} vs schema {sorted(schema[name])}"


def test_sweeps(tmp_path):
    base = (tmp_path / "s.yaml")
    root = __import__("conftest").ROOT
    base.write_text(f"""name: small
base: {root}/Scenarios/examples/two-classes.yaml
seed: 7
replicates: 2
set:
  workload.classes.0.jobs: 20
  workload.classes.1.jobs: 100
grid:
  - {{key: scheduling.policy, values: [fifo, sjf]}}
""")
    d = tmp_path / "sweep"
    cli("sweep", "plan", base, "--out", d)
    cli("sweep", "run", d, "--jobs", "2")
    sweep = iccsim.open_sweep(d)
    with pytest.raises(FileNotFoundError):
        sweep.configurations
    cli("sweep", "collect", d)
    assert len(sweep.configurations) == 2 and "wait_mean_s_mean" in sweep.configurations
    assert len(sweep.runs) == 4
    runs = list(sweep)
    assert len(runs) == 4 and all(math.isfinite(r.summary["wait_mean_s"]) for r in runs)
    assert sweep.run(sweep.runs.run[0]).summary["seed"] == int(sweep.runs.seed[0])


def test_parquet_equals_the_tables(run_dir, tmp_path):
    pytest.importorskip("pyarrow")
    run = iccsim.open(run_dir)
    for path in run.to_parquet(tmp_path):
        name = path.rsplit("/", 1)[1][: -len(".parquet")]
        back, direct = pd.read_parquet(path), run.table(name)
        direct.attrs = {}
        pd.testing.assert_frame_equal(back, direct, check_categorical=False)


def test_failures_table(tmp_path):
    """A run with failures has /failures (components and kinds decoded) and per-job interruptions."""
    out = tmp_path / "f"
    __import__("conftest").iccsim("run", "Scenarios/examples/failures-and-spares.yaml", "--set", "horizon=7d", "--out", out, "--quiet")
    run = iccsim.open(out)
    failures = run.table("failures")
    assert len(failures) == run.summary["failures"]["failures"] > 0
    assert set(failures["component"].unique()) <= {"accelerator", "host", "nic", "network", "software"}
    assert set(failures["kind"].unique()) <= {"transient", "repair", "spare"}
    jobs = run.table("jobs")
    assert jobs["interruptions"].sum() == run.summary["failures"]["jobs_interrupted"]
    assert run.attrs["schema_version"] == "1.5.0"


def test_export_csv_equals_the_trace(run_dir, tmp_path):
    """`iccsim export csv` writes every table; its values are the trace's (codes as names)."""
    out = tmp_path / "csv"
    __import__("conftest").iccsim("export", "csv", run_dir, "--out", out)
    run = iccsim.open(run_dir)
    for name in run.tables:
        table = run.table(name, times="ns")
        csv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""])
        assert list(csv.columns) == [c for c in csv.columns if c in table.columns] and len(csv) == len(table), name
        for column in csv.columns:
            a, b = csv[column], table[column]
            if isinstance(b.dtype, pd.CategoricalDtype):
                assert (a.fillna("").astype(str).values == b.astype(object).fillna("").astype(str).values).all(), f"{name}.{column}"
            else:
                assert ((a.values == b.values) | (pd.isna(a.values) & pd.isna(b.values))).all(), f"{name}.{column}"


def test_export_parquet_cli(run_dir, tmp_path):
    """`iccsim export parquet` (through this package) writes tables pandas reads back equal."""
    pytest.importorskip("pyarrow")
    out = tmp_path / "pq"
    __import__("conftest").iccsim("export", "parquet", run_dir, "--out", out)
    run = iccsim.open(run_dir)
    jobs = pd.read_parquet(out / "jobs.parquet")
    assert (jobs["id"].values == run.table("jobs")["id"].values).all()
