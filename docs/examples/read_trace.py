#!/usr/bin/env python3
"""Read an ICCSim trace (trace.h5) with h5py into pandas DataFrames.

Usage: python3 docs/examples/read_trace.py Results/city-center-seed1/trace.h5

Each table is an HDF5 group with one 1-D dataset per column; coded columns are decoded with the
tables under /dictionaries. See docs/trace-schema.md.
"""
import json
import os
import sys

import h5py
import numpy as np
import pandas as pd


def read_table(f, name):
    """One group -> one DataFrame, columns in file order."""
    g = f[name]
    return pd.DataFrame({col: g[col][()] for col in g.keys()})


def dictionary(f, name):
    """code -> name mapping from /dictionaries/<name>."""
    d = f["dictionaries"][name]
    names = [n.decode() if isinstance(n, bytes) else n for n in d["name"][()]]
    return dict(zip(d["code"][()].tolist(), names))


def main(path):
    with h5py.File(path, "r") as f:
        print(f"schema {f.attrs['schema_name']} {f.attrs['schema_version']}, "
              f"scenario {f.attrs['scenario_name']}, seed {f.attrs['seed']}")
        jobs = read_table(f, "jobs")
        for column, d in [("state", "job_state"), ("kind", "job_kind"), ("application", "application"),
                          ("tenant", "tenant"), ("pool", "pool"), ("policy", "policy")]:
            jobs[column] = jobs[column].map(dictionary(f, d))
        assert (jobs["policy"] == f.attrs["policy"]).all()
        util = read_table(f, "utilization")
        units = {c: f["jobs"][c].attrs["units"] for c in f["jobs"].keys()}

    print(f"{len(jobs)} jobs; columns and units: {units}")
    print(jobs["state"].value_counts().to_string())
    done = jobs[jobs["state"] == "completed"]
    wait_s = done["wait_ns"] / 1e9
    print(f"wait: mean {wait_s.mean():.3f} s, p50 {wait_s.quantile(0.5):.3f} s, p99 {wait_s.quantile(0.99):.3f} s")

    # Delivered compute per application and kind of work (FLOPs and accelerator-hours).
    jobs["accelerator_hours"] = (jobs["end_ns"].where(jobs["end_ns"] >= 0) - jobs["start_ns"]) / 3.6e12 * jobs["accelerators"]
    print(jobs.groupby("application")[["flops", "accelerator_hours"]].sum().to_string())
    print(jobs.groupby("kind").size().to_string())

    # Per-pool series: each pool's last sample holds until its next one.
    with h5py.File(path, "r") as f:
        pools = read_table(f, "utilization_pools")
        pools["pool"] = pools["pool"].map(dictionary(f, "pool"))
    print(pools.groupby("pool").busy_accelerators.max().to_string())

    # Utilisation is a step function: each sample holds until the next one. Integrate in
    # floating point: busy accelerators x nanoseconds over a month passes 2^63 (an int64 sum
    # would wrap around to a negative number).
    t = util["time_ns"].to_numpy()
    busy = util["busy_accelerators"].to_numpy(dtype=np.float64)
    if len(t) > 1:
        dt = np.diff(t).astype(np.float64)
        mean_busy = (busy[:-1] * dt).sum() / float(t[-1] - t[0])
        print(f"time-averaged busy accelerators: {mean_busy:.2f} over {(t[-1] - t[0]) / 3.6e12:.1f} h")
        # The summary beside the trace holds the same average over the whole run.
        summary_path = os.path.join(os.path.dirname(os.path.abspath(path)), "summary.json")
        if os.path.exists(summary_path):
            summary = json.load(open(summary_path))
            end_ns = summary["makespan_s"] * 1e9
            area = (busy[:-1] * dt).sum() + busy[-1] * (end_ns - t[-1])
            from_summary = summary["utilization_mean"] * summary["accelerators"]
            print(f"  over the whole run: {area / end_ns:.2f} (summary.json: {from_summary:.2f})")
            assert abs(area / end_ns - from_summary) <= 1e-6 * from_summary + 1e-9, "the trace and the summary disagree"

    # All-reduce stretches and the busiest leaf-spine links (runs with io.model: fabric).
    with h5py.File(path, "r") as f:
        coll = read_table(f, "collectives")
        links = read_table(f, "links")
        if len(links):
            links["link"] = links["link"].map(dictionary(f, "link"))
    if len(coll):
        seconds = (coll["end_ns"] - coll["start_ns"]) / 1e9
        print(f"all-reduce busbw: time-weighted mean {(coll['busbw_gbps'] * seconds).sum() / seconds.sum():.1f} GB/s "
              f"over {coll['job'].nunique()} jobs")
        assert ((coll["end_ns"] > coll["start_ns"]) & (coll["busbw_gbps"] > 0)).all()
    if len(links):
        print(links.groupby("link").utilization.mean().sort_values(ascending=False).head().to_string())

    # Sanity checks a reader can rely on.
    assert (done["wait_ns"] == done["start_ns"] - done["submit_ns"]).all()
    assert (done["end_ns"] >= done["start_ns"]).all()
    assert jobs["id"].is_unique


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Results/city-center-seed1/trace.h5")
