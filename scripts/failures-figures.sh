#!/bin/sh
# Prints the tables of docs/failures.md: the example's failures, the Llama 3-sized job with and
# without hot spares and with faster recovery, the two failure sweeps, and the switches and
# storage servers of the fabric example (release build).
#   scripts/failures-figures.sh [OUT]      (OUT: a scratch directory, default .build/failures-figures)
set -eu
cd "$(dirname "$0")/.."
ICCSIM=${ICCSIM:-.build/release/iccsim}
OUT=${1:-.build/failures-figures}
rm -rf "$OUT" && mkdir -p "$OUT"
"$ICCSIM" run Scenarios/examples/failures-and-spares.yaml --out "$OUT/example" --quiet
for v in "spares-0 --set failures.hotSpares.0.servers=0" "spares-32" \
         "fast --set failures.restart=3min --set failures.swap=5min --set failures.checkpoint.asynchronous=true"; do
  set -- $v; name=$1; shift
  "$ICCSIM" run Scenarios/examples/failures-llama3.yaml "$@" --out "$OUT/llama3-$name" --quiet
done
"$ICCSIM" run Scenarios/examples/failures-fabric.yaml --out "$OUT/fabric" --quiet
"$ICCSIM" run Scenarios/examples/failures-fabric.yaml --out "$OUT/fabric-catalog" --quiet \
  --set failures.classes.leaf.mttf=170777h --set failures.classes.spine.mttf=83143h --set failures.classes.storage.mttf=57700h
for s in failures-spares failures-checkpoints; do
  "$ICCSIM" sweep plan Scenarios/sweeps/$s.yaml --out "$OUT/$s" >/dev/null
  "$ICCSIM" sweep run "$OUT/$s" --jobs 2 2>/dev/null
  "$ICCSIM" sweep collect "$OUT/$s" --metrics 'failures.*' --metrics wait_mean_s --metrics utilization_mean >/dev/null
done
python3 - "$OUT" <<'PY'
import csv, json, sys
out = sys.argv[1]
def summary(run): return json.load(open(f"{out}/{run}/summary.json"))
f = summary("example")["failures"]
print("Example (`failures-and-spares`, 14 days, seed 1):\n")
print("| failures | by class (accelerator, host, NIC, network, software) | transient / repaired / spare | jobs interrupted | work lost (acc-h) | restarts (acc-h) | checkpoints (acc-h) | goodput | ETTR | availability | repair backlog mean / peak |")
print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
b = f["by_component"]
print(f"| {f['failures']} | {b['accelerator']}, {b['host']}, {b['nic']}, {b['network']}, {b['software']} | {f['transient']} / {f['repaired']} / {f['spare_swaps']} | "
      f"{f['jobs_interrupted']} | {f['work_lost_accelerator_hours']:,.0f} | {f['restart_accelerator_hours']:,.0f} | {f['checkpoint_accelerator_hours']:,.0f} | "
      f"{f['goodput']:.3f} | {f['ettr']:.3f} | {f['availability']:.5f} | {f['repair_backlog_mean']:.2f} / {f['repair_backlog_peak']} |")
print("\nThe 16,384-GPU job (`failures-llama3`, 60 days, seed 1):\n")
print("| run | failures | interruptions of the job | job state at 60 d | goodput | ETTR | availability |")
print("|---|---:|---:|---|---:|---:|---:|")
import h5py
for name, what in [("spares-0", "no hot spares"), ("spares-32", "32 hot spares (the example)"), ("fast", "32 spares, restart 3 min, swap 5 min, asynchronous checkpoints")]:
    s = summary(f"llama3-{name}")["failures"]
    state = {0: "completed", 2: "running", 3: "queued"}[int(h5py.File(f"{out}/llama3-{name}/trace.h5")["jobs/state"][0])]
    print(f"| {what} | {s['failures']} | {s['jobs_interrupted']} | {state} | {s['goodput']:.3f} | {s['ettr']:.3f} | {s['availability']:.5f} |")
def sweep(name, keys, figures):
    rows = list(csv.DictReader(open(f"{out}/{name}/sweep.csv")))
    print("| " + " | ".join(k for k, _ in keys) + " | " + " | ".join(h for h, _, _ in figures) + " |")
    print("|" + "---|" * len(keys) + "---:|" * len(figures))
    for r in rows:
        cells = [r[k] for _, k in keys] + [fmt.format(float(r[m + "_mean"])) + " ± " + fmt.format(float(r[m + "_ci95"])) for _, m, fmt in figures]
        print("| " + " | ".join(cells) + " |")
print("\nHot spares and failure rate (`Scenarios/sweeps/failures-spares.yaml`, 4 seeds, mean ± 95% half-width):\n")
sweep("failures-spares", [("rate ×", "failures.rateScale"), ("hot spares", "failures.hotSpares.0.servers")],
      [("failures", "failures.failures", "{:.1f}"), ("spare swaps", "failures.spare_swaps", "{:.1f}"), ("availability", "failures.availability", "{:.4f}"),
       ("goodput", "failures.goodput", "{:.3f}"), ("ETTR", "failures.ettr", "{:.3f}"), ("mean wait (s)", "wait_mean_s", "{:,.0f}")])
print("\nCheckpoint interval and write time at 3× the failure rates (`Scenarios/sweeps/failures-checkpoints.yaml`, 4 seeds):\n")
sweep("failures-checkpoints", [("write", "failures.checkpoint.write"), ("interval", "failures.checkpoint.interval")],
      [("work lost (acc-h)", "failures.work_lost_accelerator_hours", "{:,.0f}"), ("checkpoints (acc-h)", "failures.checkpoint_accelerator_hours", "{:,.0f}"),
       ("goodput", "failures.goodput", "{:.3f}")])
print("\nSwitches and storage servers (`failures-fabric`, 7 days, seed 1):\n")
print("| rates | failures: leaf / spine / storage / servers' parts | jobs interrupted | goodput | ETTR | availability | all-reduce busbw mean (GB/s) | exposed communication |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, what in [("fabric", "the example's (stress)"), ("fabric-catalog", "the catalog's")]:
    s = summary(name)
    f, n = s["failures"], s["network"]
    b = f["by_component"]
    parts = sum(b[k] for k in ["accelerator", "host", "nic", "network", "software"])
    print(f"| {what} | {b['leaf']} / {b['spine']} / {b['storage']} / {parts} | {f['jobs_interrupted']} | {f['goodput']:.3f} | {f['ettr']:.3f} | "
          f"{f['availability']:.4f} | {n['allreduce_busbw_gbps_mean']:.1f} | {n['exposed_communication_fraction']:.3f} |")
# The collectives of jobs between leaves while a spine is down, against the same jobs' other stretches.
t = h5py.File(f"{out}/fabric/trace.h5")
fl = {k: t["failures"][k][:] for k in ["component", "time_ns", "down_ns"]}
spine = [(a, a + d) for c, a, d in zip(fl["component"], fl["time_ns"], fl["down_ns"]) if c == 6]
co = {k: t["collectives"][k][:] for k in ["job", "start_ns", "end_ns", "busbw_gbps"]}
inside, outside = {}, {}
for j, a, e, bw in zip(co["job"], co["start_ns"], co["end_ns"], co["busbw_gbps"]):
    during = any(lo <= a and e <= hi for lo, hi in spine)
    acc = inside if during else outside
    x = acc.setdefault(int(j), [0.0, 0.0]); x[0] += bw * (e - a); x[1] += e - a
both = [j for j in inside if j in outside and inside[j][1] > 0 and outside[j][1] > 0]
ratios = sorted(inside[j][0] / inside[j][1] / (outside[j][0] / outside[j][1]) for j in both)
if ratios:
    print(f"\nWhile a spine was down ({len(spine)} outages), the {len(ratios)} jobs with stretches both inside and outside an outage ran "
          f"their all-reduce at {min(ratios):.3f}–{max(ratios):.3f} (median {ratios[len(ratios) // 2]:.3f}) of their bus bandwidth outside it.")
PY
