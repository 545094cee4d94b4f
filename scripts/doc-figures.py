#!/usr/bin/env python3
"""The figures in docs/ that come from runs, produced by the runs.

Each block sits between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in a document and
is written by the generator of the same name below, from the commands the document shows.

  scripts/doc-figures.py --check            # the quick blocks: rerun, compare with docs/ (make test)
  scripts/doc-figures.py --write            # rerun every block and rewrite it (release build)
  scripts/doc-figures.py --write NAME ...   # only these blocks
  scripts/doc-figures.py --list             # the blocks, their documents and whether make test checks them

Quick blocks (seconds even in a debug build) end with a line saying make test checks them.
Slow blocks (days or a month of the city center) end with the command that regenerates them
and the commit whose release build produced them. ICC names the binary (default: the release
build for --write, the debug build for --check). Python 3, standard library only.
"""
import argparse, difflib, json, math, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TMP = None  # a scratch directory for runs, set in main


def icc():
    return os.environ.get("ICC", os.path.join(ROOT, ".build/release/iccsim"))


def run(args):
    """Runs iccsim with args from the repository root; its stdout."""
    r = subprocess.run([icc()] + args, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"doc-figures: iccsim {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
    return r.stdout


SUMMARIES = {}  # the runs of this invocation, by their arguments: blocks written together share a run


def summary(scenario, sets=(), extra=()):
    """Runs a scenario with --set overrides into a scratch directory; its summary.json (once per invocation)."""
    key = (scenario, tuple(sets), tuple(extra))
    if key not in SUMMARIES:
        out = os.path.join(TMP, f"run{len(os.listdir(TMP))}")
        args = ["run"] + ([scenario] if scenario else []) + [a for s in sets for a in ("--set", s)] + list(extra) + ["--out", out, "-q"]
        run(args)
        with open(os.path.join(out, "summary.json")) as f:
            SUMMARIES[key] = json.load(f)
    return SUMMARIES[key]


# Numbers as the documents print them.
def g(x):
    """Grouped thousands, rounded to a whole number: 12,075."""
    return f"{round(x):,}"


def g1(x):
    """Grouped, one decimal: 1,800.5."""
    return f"{x:,.1f}"


def sig(x, n=3):
    """n significant digits, no e-notation: 0.0854, 10.8, 18.2."""
    if x == 0:
        return "0"
    digits = max(n - 1 - math.floor(math.log10(abs(x))), 0)
    return f"{x:.{digits}f}"


def num(x):
    """A figure people read: grouped from 1,000, whole numbers plain, else three significant digits."""
    if abs(x) >= 1000:
        return g(x)
    return str(int(x)) if x == int(x) else sig(x)


def pct(share, decimals=1):
    """A share as a percentage: 75.6%, 100%."""
    p = share * 100
    return "100%" if abs(p - 100) < 0.5 * 10 ** -decimals else f"{p:.{decimals}f}%"


def sci(x):
    """Three significant digits in e-notation, as the tables of huge counts print them: 4.17e10."""
    m, e = f"{x:.2e}".split("e")
    return f"{m}e{int(e)}"


def table(header, rows, align=None):
    align = align or ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


# The blocks. Each returns Markdown; QUICK ones are rerun by make test.
def serving_azure_conversation():
    rows = []
    for n in (40, 48, 64):
        s = json.loads(run(["serve", "--trace", "data/inference/vidur_splitwise_conv.csv", "--replicas", str(n), "--json"]))
        rows.append([n, sig(s["ttft_s"]["p50"]), sig(s["ttft_s"]["p90"]), sig(s["ttft_s"]["p99"]), sig(s["tpot_s"]["p50"]),
                     sig(s["tpot_s"]["p99"]), sig(s["e2e_s"]["p50"]), pct(s["slo_attainment"])])
    return table(["replicas", "TTFT p50 (s)", "TTFT p90 (s)", "TTFT p99 (s)", "TPOT p50 (s)", "TPOT p99 (s)", "E2E p50 (s)", "SLO attainment"], rows,
                 ["---:"] * 8) + "\n\n(`iccsim serve --trace data/inference/vidur_splitwise_conv.csv --replicas N`.)"


def serving_azure_batching():
    rows = []
    for n in (4, 8):
        s = json.loads(run(["serve", "--trace", "data/inference/vidur_splitwise_conv.csv", "--replicas", str(n), "--max-batch", "64", "--json"]))
        rows.append([n, sig(s["ttft_s"]["p50"]), sig(s["ttft_s"]["p99"]), sig(s["tpot_s"]["p50"]), sig(s["tpot_s"]["p99"]),
                     sig(s["e2e_s"]["p50"]), pct(s["slo_attainment"])])
    return table(["replicas, batch ≤ 64", "TTFT p50 (s)", "TTFT p99 (s)", "TPOT p50 (s)", "TPOT p99 (s)", "E2E p50 (s)", "SLO attainment"], rows,
                 ["---:"] * 7) + "\n\n(`iccsim serve --trace data/inference/vidur_splitwise_conv.csv --replicas N --max-batch 64`.)"


def fabric_placement():
    rows = []
    for o in (1, 2, 4):
        for p in ("pack", "spread", "topology"):
            s = summary("Scenarios/examples/fabric-contention.yaml", [f"scheduling.placement={p}", f"io.fabric.oversubscription={o}"])
            n = s["network"]
            rows.append([f"{o}:1", p, g(s["jct_mean_s"]), g(s["wait_mean_s"]), f"{n['allreduce_busbw_gbps_p50']:.1f}",
                         pct(n["exposed_communication_fraction"]), pct(n["spine_link_utilization_mean"])])
    return table(["oversubscription", "placement", "mean JCT (s)", "mean wait (s)", "busbw p50 (GB/s)", "exposed communication", "spine utilisation"],
                 rows, ["---:", "---"] + ["---:"] * 5)


def collective_ring_16():
    rows = run(["collective", "--ranks", "16", "--min-bytes", "8", "--max-bytes", "8G", "--step-factor", "16"]).rstrip().split("\n")
    table_rows = [r for r in rows if not r.startswith("#") or r.startswith("# Avg")]
    small = float(table_rows[0].split()[5])
    step = json.loads(run(["collective", "--ranks", "16", "--protocol", "per-step", "--min-bytes", "8", "--max-bytes", "2G",
                           "--step-factor", "268435456", "--json"]))
    h = json.loads(run(["collective", "--ranks", "16", "--algo", "hierarchical", "--protocol", "per-step", "--min-bytes", "8M",
                        "--max-bytes", "2G", "--step-factor", "256", "--json"]))
    return ("From `iccsim collective --ranks 16 --min-bytes 8 --max-bytes 8G --step-factor 16` (two servers; the last column is "
            "the algorithm and protocol NCCL's tuning model picks):\n\n```\n" + "\n".join(table_rows) + "\n```\n\n"
            f"Small messages take the LL protocol: 6.6 µs + 28 steps inside the servers × 1 µs (across servers NCCL charges each "
            f"step at least the network's overhead, more than NVLink's 0.6 µs) + 2 network steps × 2.7 µs = {small:.1f} µs, its data "
            "at most 39 GB/s of busbw over two servers (NCCL's LL ceiling); LL128 (0.92 of the bandwidth, 14 µs base) where it wins in "
            "between, Simple for large ones (all of the bandwidth, (8.4 µs + 28 × 3.4 µs + 2 × 14 µs) × 1.4 of latency: the "
            "ring's plateau across servers). "
            f"With `--protocol per-step` each step costs the fabric's latency, as runs count it: 28 × 5 µs + 2 × 10 µs = "
            f"{step[0]['time_us']:.0f} µs at 8 bytes. There the hierarchical ring (2(d−1)·α_intra + 2(s−1)·α_inter of latency, "
            f"{h[0]['time_us']:.0f} µs at 8 MiB) moves n/8 per rank over one NIC, so it loses at large sizes "
            f"({h[1]['busbw_gbps']:.0f} GB/s busbw at 2 GiB against {step[1]['busbw_gbps']:.0f}; `--algo hierarchical --protocol per-step "
            "--min-bytes 8M --max-bytes 2G --step-factor 256`).")


def collective_calibration():
    """data/calibration/nccl_tests_calibration.csv against iccsim collective on each row's preset."""
    import csv
    rows, bw_errors, mid_errors, time_errors = [], [], [], []

    def size(b):
        for unit, f in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if b >= f:
                return f"{b / f:g} {unit}"
        return f"{b} B"

    with open(os.path.join(ROOT, "data/calibration/nccl_tests_calibration.csv"), newline="") as f:
        for r in csv.DictReader(f):
            args = ["collective", "--preset", r["preset"], "--ranks", r["ranks"], "--servers", r["servers"], "--algo", r["algo"],
                    "--min-bytes", r["bytes"], "--max-bytes", r["bytes"]]
            if r["nics"]:
                args += ["--nics", r["nics"]]
            line = [l for l in run(args).splitlines() if l.strip() and not l.startswith("#")][0].split()
            # size count type redop root time algbw busbw algorithm protocol
            time_us, busbw, choice = float(line[5]), float(line[7]), " ".join(line[8:])
            measured = float(r["measured"])
            if r["metric"] == "time_us":
                ours, unit = time_us, "µs"
                time_errors.append(ours / measured - 1)
            else:
                ours, unit = busbw, "GB/s"
                (bw_errors if int(r["bytes"]) > 256 * 2**20 else mid_errors).append(ours / measured - 1)
            thread = (r["source"].replace("https://github.com/", "").replace("/issues/", " issue ").replace("/pull/", " pull request "))
            nics = f", {r['nics']} NIC{'s' if r['nics'] != '1' else ''}" if r["nics"] else ""
            rows.append([r["system"], f"`{r['preset']}`, {r['ranks']} ranks{nics}", choice, size(int(r["bytes"])),
                         f"{measured:g} {unit}", f"{ours:.1f} {unit}" if unit == "GB/s" else f"{ours:.2f} {unit}",
                         f"{100 * (ours / measured - 1):+.1f}%", f"[{thread}]({r['source']})"])
    bw = sorted(abs(e) for e in bw_errors)
    mid = sorted(abs(e) for e in mid_errors)
    tm = sorted(abs(e) for e in time_errors)
    return (table(["system", "preset", "algorithm, protocol", "size", "measured", "ICCSim", "error", "source"], rows,
                  ["---", "---", "---", "---:", "---:", "---:", "---:", "---"])
            + f"\n\n{len(rows)} measurements. Large-message bus bandwidth ({len(bw)} rows): largest error {100 * bw[-1]:.1f}%, "
            f"median {100 * bw[len(bw) // 2]:.1f}%; mid-size bus bandwidth, 1 to 256 MiB ({len(mid)} row{'s' if len(mid) != 1 else ''}): largest error "
            f"{100 * mid[-1]:.1f}%; small-message time ({len(tm)} rows): largest error {100 * tm[-1]:.1f}% "
            "(`CollectiveCommandTests.calibrationTable` checks every large-message bandwidth within 10% with a median under 5%, "
            "every mid-size one within 15%, every time within 25%). The rows are `data/calibration/nccl_tests_calibration.csv`; each is `iccsim collective --preset P "
            "--ranks R --servers S [--nics N] --algo A --min-bytes B --max-bytes B`, NCCL's protocols chosen by size.")


ELASTIC = "Scenarios/examples/elastic-serving.yaml"
SVC = "workload.applications.0.services.0"


def serving_elastic():
    cases = [
        ("static, peak-sized", [f"{SVC}.autoscale=null"]),
        ("autoscaled on latency (95% within 15 s)", []),
        ("autoscaled on utilisation (≤ 70%)", [f"{SVC}.autoscale.metric=utilization", f"{SVC}.autoscale.target=0.7"]),
        ("autoscaled on queue (≤ 1 waiting per replica)", [f"{SVC}.autoscale.metric=queue", f"{SVC}.autoscale.target=1"]),
        ("autoscaled, no lending", ["release.lendingPools=[]"]),
        ("request level, autoscaled on latency", [f"{SVC}.fidelity=request"]),
        ("request level, static", [f"{SVC}.fidelity=request", f"{SVC}.autoscale=null"]),
    ]
    rows = []
    for name, sets in cases:
        s = summary(ELASTIC, sets)
        sv, svc = s["serving"], s["services"]["bank-assistant"]
        label = f"{name}: {svc['replicas_peak_sized'] if 'autoscale=null' in ' '.join(sets) else svc['replicas']} replicas at most"
        if "fidelity=request" in " ".join(sets):
            label += f", {svc['requests'] / 1e6:.1f} M requests"
        rows.append([label, g1(sv["replica_hours"]), pct(sv["slo_attainment"], 2), g1(sv["lent_accelerator_hours"]),
                     g(sv["preempted_for_lending"]), g(s["pools"]["training-a100"]["jct_mean_s"])])
    cmds = "; ".join(f"`{' '.join(['--set ' + x for x in sets]) or '(as shipped)'}`" for _, sets in cases)
    return table(["deployment", "replica-hours", "SLO attainment", "lent accelerator-hours", "training jobs preempted", "training pool mean JCT (s)"],
                 rows, ["---"] + ["---:"] * 5) + f"\n\nEach row is `iccsim run {ELASTIC}` with: {cmds}."


def serving_llm_replay():
    svc = "workload.applications.0.services.0"
    cases = [("static, sized by the roofline for the peak", [f"{svc}.autoscale=null"]),
             ("4 replicas (autoscale min = max = 4)", [f"{svc}.autoscale.min=4", f"{svc}.autoscale.max=4"]),
             ("autoscaled on latency (95%, 2 to 8)", [])]
    rows = []
    for name, sets in cases:
        s = summary("Scenarios/examples/llm-replay.yaml", sets)
        v = next(iter(s["services"].values()))
        rows.append([name, num(v["replicas_mean"]), num(v["replica_hours"]), pct(v["slo_attainment"], 2),
                     f"{num(v['latency_mean_s'])} / {num(v['latency_p99_s'])}", num(v["first_output_p99_s"])])
    cmds = "; ".join(f"`{' '.join(['--set ' + x for x in sets]) or '(as shipped)'}`" for _, sets in cases)
    return table(["deployment", "replicas (mean)", "replica-hours", "within 20 s", "end-to-end mean / p99 (s)", "first token p99 (s)"], rows,
                 ["---"] + ["---:"] * 5) + f"\n\nEach row is `iccsim run Scenarios/examples/llm-replay.yaml` with: {cmds}."


def serving_city_month():
    s = summary(None, [])
    rows = []
    for name, a in s["serving"]["applications"].items():
        rows.append([name, a["services"], sci(a["requests"]), pct(a["slo_attainment"], 2), g(a["accelerator_hours"]), sci(a["delivered_flops"])])
    sv, services = s["serving"], s["services"]
    first = min(services.items(), key=lambda kv: kv[1]["live_from_s"])
    last = max(services.items(), key=lambda kv: kv[1]["live_from_s"])
    scaled = [(n, v) for n, v in services.items() if v["scaling"] == "autoscaled"]
    def when(sec):
        return f"{sec / 60:.0f} minutes" if sec < 3600 else f"{sec / 3600:.1f} hours"
    lead = (f"In the 30-day month all {len(services)} services go live within {when(last[1]['live_from_s'])} ({first[0]} first, after "
            f"{when(first[1]['live_from_s'])}; {last[0]} last, after {when(last[1]['live_from_s'])}, when its model's first version is "
            f"trained), {sv['rollouts']:,} rollouts and {sv['cold_starts']:,} cold starts follow, and the services take {sci(sv['requests'])} "
            f"requests at {pct(sv['slo_attainment'], 3)} SLO attainment on {g(sv['accelerator_hours'])} accelerator-hours, delivering "
            f"{sci(sv['delivered_flops'])} inference FLOPs; {g1(sv['lent_accelerator_hours'])} accelerator-hours were borrowed from "
            f"other pools. The autoscaled services: "
            + "; ".join(f"{n} {pct(v['slo_attainment'], 1)} attainment with {v['replicas_mean']:.1f} replicas on average against "
                        f"{v['replicas_peak_sized']} peak-sized" for n, v in scaled)
            + ". Per application scenario (`serving.applications`):\n\n")
    return lead + table(["application", "services", "requests", "SLO attainment", "accelerator-hours", "delivered FLOPs"], rows) + \
        "\n\n(`iccsim run`, the 30-day default month.)"


def fabric_city_whatifs():
    nics = [f"cluster.servers.{i}.nics.speed=100Gbps" for i in range(3)]
    # The city center's fabric is on (its `io.model: fabric`); the last row turns it off.
    cases = [("as built: 400G H100, 200G A100 and Ascend, 1:1", []),
             ("2:1 oversubscription", ["io.fabric.oversubscription=2"]),
             ("100G NICs on every training server", nics),
             ("100G and 2:1", ["io.fabric.oversubscription=2"] + nics),
             ("`scheduling.placement=spread`", ["scheduling.placement=spread"]),
             ("`scheduling.placement=topology`", ["scheduling.placement=topology"]),
             ("`io.model=no_contention` (for reference)", ["io.model=no_contention"])]
    rows = []
    for name, sets in cases:
        s = summary(None, ["horizon=7d"] + sets)
        n = s["network"]
        fabric = n.get("model") == "fabric"
        rows.append([name, g(s["jct_mean_s"]), g(s["wait_mean_s"]), g(s["pools"]["training-h100"]["jct_mean_s"]),
                     f"{n['allreduce_busbw_gbps_p50']:.1f}" if fabric else "", pct(n["exposed_communication_fraction"], 2) if fabric else "",
                     pct(n["spine_link_utilization_mean"]) if fabric else ""])
    return table(["what-if (7 days)", "mean JCT (s)", "mean wait (s)", "H100 pool mean JCT (s)", "busbw p50 (GB/s)", "exposed communication",
                  "spine utilisation"], rows, ["---"] + ["---:"] * 6)


def city_center_month():
    """scenarios.md's tables of the default month: pools, totals, the shape of its batch jobs
    (from /jobs, exported as CSV) and the applications."""
    out = os.path.join(TMP, "city-month")
    run(["run", "--seed", "1", "--out", out, "-q"])
    run(["export", "csv", out])
    s = json.load(open(os.path.join(out, "summary.json")))
    pools = table(["pool", "accelerator", "accelerators", "mean utilisation"],
                  [[n, p["accelerator"], g(p["accelerators"]), pct(p["utilization_mean"])] for n, p in s["pools"].items()],
                  ["---", "---", "---:", "---:"])
    import csv
    runs, sizes = [], []
    with open(os.path.join(out, "csv", "jobs.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] != "inference" and int(r["end_ns"]) >= 0:
                runs.append((int(r["end_ns"]) - int(r["start_ns"])) / 1e9)
                sizes.append(int(r["accelerators"]))
    runs.sort(); sizes.sort()
    median = lambda xs: xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    totals = (f"{s['jobs_submitted']:,} jobs; mean utilisation {pct(s['utilization_mean'])}; mean wait {g(s['wait_mean_s'])} s; "
              f"mean job completion time {g(s['jct_mean_s'])} s. Completed jobs other than services' replicas ({len(runs):,}): median run "
              f"time {g(median(runs))} s, mean {g(sum(runs) / len(runs))} s; median {num(median(sizes))} accelerator, mean "
              f"{sum(sizes) / len(sizes):.2f}.")
    md = open(os.path.join(out, "summary.md"), encoding="utf-8").read()
    balance = next((l for l in md.split("\n") if l.startswith(("Inference is ", "Inference pools hold "))), "")
    totals += " " + balance
    apps = table(["application", "jobs", "mean wait (s)", "mean JCT (s)", "accelerator-hours", "FLOP"],
                 [[n, g(a["jobs_submitted"]), g(a["wait_mean_s"]), g(a["jct_mean_s"]), g(a["accelerator_hours"]), sci(a["flop"])]
                  for n, a in s["applications"].items()])
    return pools + "\n\n" + totals + "\n\n" + apps + "\n\n(`iccsim run --seed 1`, then `iccsim export csv` for the run times.)"


def policies_city_month():
    """The table of scripts/compare-policies.sh, and the scenario's size, from the same runs."""
    rows, jobs = [], 0
    for p in run(["policies", "--names"]).split():
        x = summary(None, [], ["--policy", p])
        jobs = x["jobs_submitted"]
        rows.append([p, g(x["wait_mean_s"]), g(x["wait_p99_s"]), g(x["queueing_delay_mean_s"]), g(x["jct_mean_s"]), g(x["jct_p99_s"]),
                     f"{x['slowdown_mean']:.2f}", pct(x["utilization_mean"]), f"{x['preemptions']:,}", f"{x['fairness_jain']:.3f}"])
    return (f"The 30-day month of `Scenarios/city-center.yaml` ({jobs:,} jobs, seed 1) under each policy "
            f"(`iccsim run --policy P`; `scripts/compare-policies.sh` prints the same table for any scenario):\n\n"
            + table(["policy", "mean wait (s)", "p99 wait (s)", "mean queueing delay (s)", "mean JCT (s)", "p99 JCT (s)", "mean slowdown",
                     "utilisation", "preemptions", "Jain's fairness"], rows, ["---"] + ["---:"] * 9))


def plan_output(args):
    out = run(["plan"] + args + ["--out", os.path.join(TMP, f"plan{len(os.listdir(TMP))}.yaml")])
    lines = out.strip().split("\n")[1:]  # without the header line, which names the seeds
    return "```\n" + "\n".join(l for l in lines if not l.startswith("wrote ")) + "\n```"


def targets_file(text):
    path = os.path.join(TMP, f"targets{len(os.listdir(TMP))}.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def plan_two_classes():
    t = targets_file("seeds: 2\ntargets:\n  - {metric: wait_p99_s, max: 3600}\n  - {metric: jobs_rejected, max: 0}\n"
                     "cost: {years: 5}\n")
    return plan_output(["Scenarios/examples/two-classes.yaml", "--set", TWO_CLASSES_POWER, "--targets", t,
                        "--vary", "cluster.servers.0.count=40..120"])


# The power model (and so the prices) the planning example costs configurations with.
TWO_CLASSES_POWER = ("power={pue: 1.3, tariff: {currency: USD, flat: 0.1}, prices: {currency: USD, "
                     "servers: [{pool: general, price: 250000}], switchPort: 1000}}")


def plan_city():
    t = targets_file("seeds: 2\ntargets:\n  - {metric: wait_p99_s, max: 10000}\n")
    return plan_output(["--set", "horizon=2d", "--targets", t, "--vary", "cluster.servers.0.count=200..360"])


def plan_city_phases():
    """The city center's phases planned by quarter; the plan's Markdown with its headings as bold lines."""
    out = run(["plan", "Scenarios/city-center-2026-2028.yaml", "--phased", "quarter", "--targets", "Scenarios/plans/city-center-phases.yaml",
               "--out", os.path.join(TMP, f"plan{len(os.listdir(TMP))}.yaml")])
    lines = []
    for l in out.strip().split("\n")[1:]:
        if l.startswith("wrote "):
            continue
        lines.append(f"**{l[3:]}**" if l.startswith("## ") else l)
    return "\n".join(lines).strip()


def dur(seconds):
    """A wait as people read it: 42 s, 12.5 min, 3.4 h."""
    if seconds < 60:
        return f"{sig(seconds)} s"
    if seconds < 3600:
        return f"{sig(seconds / 60)} min"
    return f"{sig(seconds / 3600)} h"


def sampled_run(sc, windows, length, seed=None):
    """The summary of a scenario of years sampled by quarter: `windows` stratified windows a quarter, each `length` long."""
    return summary(sc, extra=(["--seed", str(seed)] if seed else []) + ["--sampled", "quarter", "--sample-windows", str(windows),
                                                                      "--sample-length", length])


def full_run(sc, seed=None):
    """The summary of a scenario of years run day by day, reported quarter by quarter."""
    return summary(sc, extra=(["--seed", str(seed)] if seed else []) + ["--periods", "quarter", "--jobs-sample", "1%"])


def within(sampled, full, key):
    """Whether a full run's period figure lies inside the sampled period's 95% interval."""
    return abs(full[key] - sampled[key]) <= sampled[key + "_ci95"]


def sampled_vs_full(sc, windows=4, length="21d"):
    """A scenario of years sampled by quarter (`windows` stratified windows a quarter, each `length` long) and run day by
    day, quarter by quarter, as a table."""
    sampled = sampled_run(sc, windows, length)["periods"]
    full = full_run(sc)
    rows, agree_o, agree_u, agree_w = [], 0, 0, 0
    for q in sorted(sampled):
        s, f = sampled[q], full["periods"][q]
        ok_o, ok_u, ok_w = (within(s, f, k) for k in ("offered_load", "utilization", "wait_mean_s"))
        agree_o += ok_o
        agree_u += ok_u
        agree_w += ok_w
        rows.append([q, g(f["accelerators"]), f"{pct(s['offered_load'])} ± {pct(s['offered_load_ci95'])}", pct(f["offered_load"]),
                     f"{pct(s['utilization'])} ± {pct(s['utilization_ci95'])}", pct(f["utilization"]),
                     "yes" if ok_u else "**no**", f"{dur(s['wait_mean_s'])} ± {dur(s['wait_mean_s_ci95'])}", dur(f["wait_mean_s"]),
                     "yes" if ok_w else "**no**"])
    n = len(rows)
    return (table(["quarter", "accelerators", "offered load sampled", "offered load full", "utilisation sampled", "utilisation full", "within",
                   "mean wait sampled", "mean wait full", "within"], rows, ["---"] + ["---:"] * 9)
            + f"\n\nThe full run's utilisation falls within the sampled 95% interval in {agree_u} of {n} quarters, its mean wait in "
              f"{agree_w} of {n}, its offered load (the demand drawn, before any queueing) in {agree_o} of {n}; "
              f"over the three years the full run's utilisation is {pct(full['utilization_mean'])} and its mean wait "
              f"{dur(full['wait_mean_s'])} ({g(full['jobs_submitted'])} jobs).")


def sampled_coverage(sc, seeds=(1, 2, 3), windows=4, length="21d"):
    """How often the sampled 95% intervals hold the full runs' figures: the scenario sampled by quarter with each seed (as
    sampled_vs_full) against its full run with each seed, every pairing and quarter."""
    # Seed 1 is the scenario's own: its runs are those of sampled_vs_full (run once when both blocks are written).
    sampled = [sampled_run(sc, windows, length, k if k != 1 else None)["periods"] for k in seeds]
    full = [full_run(sc, k if k != 1 else None)["periods"] for k in seeds]
    keys = ["offered_load", "utilization", "wait_mean_s"]
    held = {k: 0 for k in keys}
    rows = []
    for q in sorted(sampled[0]):
        mine = {k: sum(within(s[q], f[q], k) for s in sampled for f in full) for k in keys}
        for k in keys:
            held[k] += mine[k]
        mean_s = sum(s[q]["wait_mean_s"] for s in sampled) / len(sampled)
        mean_f = sum(f[q]["wait_mean_s"] for f in full) / len(full)
        rows.append([q, ", ".join(f"{dur(s[q]['wait_mean_s'])} ± {dur(s[q]['wait_mean_s_ci95'])}" for s in sampled),
                     ", ".join(dur(f[q]["wait_mean_s"]) for f in full), dur(mean_s), dur(mean_f),
                     f"{mine['wait_mean_s']} of {len(sampled) * len(full)}", f"{mine['utilization']} of {len(sampled) * len(full)}"])
    n = len(rows) * len(sampled) * len(full)
    seeds_text = ", ".join(map(str, seeds))
    return (table(["quarter", f"mean wait sampled (seeds {seeds_text})", f"mean wait full (seeds {seeds_text})", "sampled mean",
                   "full mean", "waits within", "utilisations within"], rows, ["---", "---", "---", "---:", "---:", "---:", "---:"])
            + f"\n\nOver the {n} pairings of a sampled run and a full run with a quarter, the sampled 95% interval holds the full "
              f"run's mean wait {held['wait_mean_s']} times, its utilisation {held['utilization']} times and its offered load "
              f"{held['offered_load']} times; intervals that hold 95% of the time would hold about {round(0.95 * n)}.")


def sampled_coverage_city():
    """The city center's three years sampled and in full with seeds 1 to 3."""
    return sampled_coverage("Scenarios/city-center-2026-2028.yaml")


def sampled_vs_full_city():
    """The city center's three years as its scenario builds it."""
    return sampled_vs_full("Scenarios/city-center-2026-2028.yaml")


def sampled_vs_full_planned():
    """The city center's three years with the phases its plan chose."""
    planned = os.path.join(TMP, "planned.yaml")
    run(["plan", "Scenarios/city-center-2026-2028.yaml", "--phased", "quarter", "--targets", "Scenarios/plans/city-center-phases.yaml",
         "--out", planned])
    return sampled_vs_full(planned)


def power_cooling_seasons():
    rows, saved = [], []
    for label, start in [("winter (from 15 January)", "01-15"), ("spring (from 15 April)", "04-15"), ("summer (from 15 July)", "07-15"),
                         ("autumn (from 15 October)", "10-15")]:
        air = summary(None, ["horizon=7d", f"power.start={start}"])["power"]
        liquid = summary(None, ["horizon=7d", f"power.start={start}", "power.cooling=liquid"])["power"]
        saved.append(air["energy_cost"] - liquid["energy_cost"])
        rows.append([label, f"{air['pue_achieved']:.3f}", f"{liquid['pue_achieved']:.3f}", g(air["facility_energy_kwh"] / 1000),
                     g(liquid["facility_energy_kwh"] / 1000), g(saved[-1])])
    year = sum(saved) / len(saved) * 365.25 / 7
    return (table(["a week of the city center", "PUE, air", "PUE, liquid", "facility MWh, air", "facility MWh, liquid", "energy cost saved (CNY)"], rows)
            + f"\n\nA year: {g(year)} CNY of electricity saved (the four weeks' mean, times 52.2 weeks).")


def power_cap_city():
    cases = [("no cap", []), ("cap 10 MW, throttle", ["power.cap=10MW"]), ("cap 9 MW, throttle", ["power.cap=9MW"]),
             ("cap 9 MW, hold", ["power.cap=9MW", "power.capPolicy=hold"])]
    rows = []
    for name, sets in cases:
        s = summary(None, ["horizon=7d", "power.start=07-15"] + sets)
        p = s["power"]
        h100, a100 = s["pools"]["training-h100"], s["pools"]["training-a100"]
        rows.append([name, sig(p["facility_power_peak_kw"] / 1000), sig(p["facility_power_mean_kw"] / 1000), g(p.get("cap_events", 0)),
                     g(h100["jct_mean_s"]), g(h100["wait_mean_s"]), g(a100["jct_mean_s"]), g(a100["wait_mean_s"]), g(p["energy_cost"])])
    return table(["a July week", "peak MW", "mean MW", "cap events", "H100 mean JCT (s)", "H100 mean wait (s)", "A100 mean JCT (s)",
                  "A100 mean wait (s)", "energy cost (CNY)"], rows)


def power_peak_tenants():
    import csv
    out = os.path.join(TMP, "peak")
    run(["run", "--set", "horizon=7d", "--set", "power.start=07-15", "--out", out, "-q"])
    run(["export", "csv", out])
    with open(os.path.join(out, "csv", "power.csv")) as f:
        rows = list(csv.DictReader(f))
    peak = max(rows, key=lambda r: float(r["facility_kw"]))
    t = int(peak["time_ns"])
    busy = {}
    with open(os.path.join(out, "csv", "utilization_tenants.csv")) as f:
        for r in csv.DictReader(f):  # rows in time order: the last at or before the peak is each tenant's level then
            if int(r["time_ns"]) <= t:
                busy[r["tenant"]] = float(r["busy_accelerators"])
    top = sorted(busy.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    total = sum(busy.values())
    hour = t / 3.6e12
    return (f"The peak 15 minutes start {int(hour // 24)} d {int(hour % 24):02d}:{int(round(hour % 1 * 60)):02d} into the week "
            f"({sig(float(peak['facility_kw']) / 1000)} MW facility, {sig(float(peak['it_kw']) / 1000)} MW IT); "
            f"accelerators busy then, by tenant:\n\n"
            + table(["tenant", "busy accelerators", "share of the busy"], [[k, g(v), pct(v / total)] for k, v in top]))


def power_cost_city():
    s = summary(None)
    p = s["power"]
    parts = p["tco_by_part"]
    total = p["tco"]
    rows = [[k, g(v), pct(v / total)] for k, v in parts.items()]
    return (table(["the city center's month", "CNY", "share"], rows)
            + f"\n\nTotal {g(total)} CNY: {p['tco_per_accelerator_hour']:.2f} CNY per installed accelerator-hour, "
            f"{p['tco_per_used_accelerator_hour']:.2f} per busy accelerator-hour ({pct(s['utilization_mean'])} busy), "
            f"{g(p['tco_per_pflop_day'])} per delivered PFLOP-day; PUE {p['pue_achieved']:.3f}, facility energy "
            f"{g(p['facility_energy_kwh'] / 1000)} MWh, peak {sig(p['facility_power_peak_kw'] / 1000)} MW, emissions {g(p['emissions_t'])} t CO2.")


BLOCKS = {  # name: (document, generator, quick)
    "serving-azure-conversation": ("docs/release.md", serving_azure_conversation, True),
    "serving-azure-batching": ("docs/release.md", serving_azure_batching, True),
    "fabric-placement": ("docs/aggregation.md", fabric_placement, True),
    "collective-ring-16": ("docs/aggregation.md", collective_ring_16, True),
    "collective-calibration": ("docs/aggregation.md", collective_calibration, True),
    "serving-elastic": ("docs/release.md", serving_elastic, False),
    "serving-llm-replay": ("docs/release.md", serving_llm_replay, False),
    "serving-city-month": ("docs/release.md", serving_city_month, False),
    "fabric-city-whatifs": ("docs/aggregation.md", fabric_city_whatifs, False),
    "policies-city-month": ("docs/policies.md", policies_city_month, False),
    "city-center-month": ("docs/scenarios.md", city_center_month, False),
    "plan-two-classes": ("docs/user-guide.md", plan_two_classes, False),
    "plan-city": ("docs/user-guide.md", plan_city, False),
    "plan-city-phases": ("docs/lifecycle.md", plan_city_phases, False),
    "sampled-vs-full-city": ("docs/lifecycle.md", sampled_vs_full_city, False),
    "sampled-vs-full-planned": ("docs/lifecycle.md", sampled_vs_full_planned, False),
    "sampled-coverage-city": ("docs/lifecycle.md", sampled_coverage_city, False),
    "power-cooling-seasons": ("docs/power.md", power_cooling_seasons, False),
    "power-cap-city": ("docs/power.md", power_cap_city, False),
    "power-peak-tenants": ("docs/power.md", power_peak_tenants, False),
    "power-cost-city": ("docs/power.md", power_cost_city, False),
}


def commit():
    r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Scenarios", "data"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return (r.stdout.strip() or "unknown") + (" with uncommitted changes to Sources/Scenarios/data" if dirty else "")


def block_text(name):
    doc, make, quick = BLOCKS[name]
    body = make().rstrip()
    if quick:
        stamp = f"<sub>Generated by `scripts/doc-figures.py --write {name}`; `make test` reruns it and checks these figures.</sub>"
    else:
        stamp = f"<sub>Generated by `scripts/doc-figures.py --write {name}` (release build of commit {commit()}).</sub>"
    return f"<!-- figures:{name} -->\n{body}\n\n{stamp}\n<!-- /figures:{name} -->"


def span(text, name):
    m = re.search(rf"<!-- figures:{re.escape(name)} -->.*?<!-- /figures:{re.escape(name)} -->", text, re.S)
    return m


def main():
    global TMP
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="rerun the quick blocks and compare them with docs/ (exit 1 on a difference)")
    ap.add_argument("--write", action="store_true", help="rerun blocks and rewrite them in docs/")
    ap.add_argument("--list", action="store_true", help="list the blocks")
    ap.add_argument("names", nargs="*", help="blocks to write (default: all)")
    a = ap.parse_args()
    if a.list:
        for n, (doc, _, quick) in BLOCKS.items():
            print(f"{n:28} {doc:22} {'checked by make test' if quick else 'slow: --write stamps the commit'}")
        return 0
    unknown = [n for n in a.names if n not in BLOCKS]
    if unknown or a.check == a.write:
        ap.error(f"unknown block(s): {', '.join(unknown)}" if unknown else "give --check or --write")
    if a.check and "ICC" not in os.environ:
        os.environ["ICC"] = os.path.join(ROOT, ".build/debug/iccsim")
    if not os.access(icc(), os.X_OK):
        sys.exit(f"doc-figures: {icc()} is missing: build it first")
    names = a.names or [n for n, b in BLOCKS.items() if b[2] or a.write]
    failed = []
    with tempfile.TemporaryDirectory(prefix="iccsim-doc-figures.") as TMP:
        for name in names:
            doc = os.path.join(ROOT, BLOCKS[name][0])
            if not span(open(doc, encoding="utf-8").read(), name):
                failed.append(f"{BLOCKS[name][0]} has no block '{name}' (<!-- figures:{name} --> ... <!-- /figures:{name} -->)")
                continue
            fresh = block_text(name)
            # The page as it is now (a slow block takes minutes: edits made meanwhile stay).
            text = open(doc, encoding="utf-8").read()
            m = span(text, name)
            if not m:
                failed.append(f"{BLOCKS[name][0]} lost its block '{name}' while it ran")
                continue
            if a.write:
                with open(doc + ".tmp", "w", encoding="utf-8") as f:
                    f.write(text[:m.start()] + fresh + text[m.end():])
                os.replace(doc + ".tmp", doc)
                print(f"doc-figures: wrote {name} in {BLOCKS[name][0]}")
            elif m.group(0) != fresh:
                diff = "\n".join(difflib.unified_diff(m.group(0).splitlines(), fresh.splitlines(), "docs", "a rerun", lineterm=""))
                failed.append(f"{BLOCKS[name][0]}: the figures of '{name}' differ from a rerun "
                              f"(scripts/doc-figures.py --write {name} updates them):\n{diff}")
            else:
                print(f"doc-figures: {name} in {BLOCKS[name][0]} matches a rerun")
    for f in failed:
        print(f"doc-figures: {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
