#!/usr/bin/env python3
"""ICCSim's own fuzz harness: mutates the shipped scenarios, sweep files and trace CSVs and runs
`iccsim validate` (and a short `iccsim run` of what validates) on each case, under a wall-clock
and a memory limit.

Properties checked on every case:
  * no crash (a signal, an exit code of 128 or more, or a Swift runtime failure on stderr);
  * no hang (validate within 30 s, a run within 60 s);
  * no memory blow-up (address space capped at 4 GiB; peak resident memory under 3 GiB);
  * every rejection exits 2 with a location (`FILE:LINE:COLUMN: ...` on stderr); fewer than 1%
    may lack one.

Usage:
  scripts/fuzz.py [--iccsim PATH] [--seed N] [--cases N | --seconds S] [--jobs K] [--run-horizon 1h]

`make test` runs a short deterministic pass (200 cases, seed 1); `make fuzz` runs a long one
(docs/performance.md records its figures). A failing case is saved under
.build/fuzz/failures/CASE/ with the command that reproduces it.
"""
import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Values at the edges, for YAML scalars.
EDGE_VALUES = [
    "0", "-1", "1", "-0", "0.5", "1e308", "1.797e308", "-1.797e308", "1e999", "-1e999", ".nan", ".inf", "-.inf", "nan",
    "18446744073709551616", "9223372036854775807", "9223372036854775808", "2147483648", "-2147483649", "4294967296",
    "1e-320", "0.0000001", "1_000_000", "0x10", "1e6", "", "~", "null", "true", "no", "[]", "{}", "[1, 2]", "{a: 1}",
    "'x'", '"\\u0001"', "1ns", "0s", "1e30d", "-5s", "5xyz", "1e999h", "999999999999w", "1e18GiB", "1e30Gbps",
    "0.000001ns", "ñ", "\U0001F680", "*missing", "&anchor x", "!!binary eA==", "'" + "A" * 5000 + "'",
]
# Values at the edges, for CSV fields.
CSV_VALUES = ["", "-1", "0", "1e999", "-1e999", "nan", "inf", "18446744073709551616", "1e308", "2147483648", "abc", "1,5",
              '"q"', "0.0000001", "9e18", "1e19", "  ", "ñ"]
KEY_VALUE = re.compile(r"(?P<key>[A-Za-z_][\w.-]*):[ \t]+(?P<val>[^,{}\[\]\n#]+?)(?=[ \t]*(?:,|\}|\]|#|$))", re.M)
LIST_ITEM = re.compile(r"(?<=[\[,])[ \t]*(?P<val>[^,\[\]{}\n]+?)[ \t]*(?=[,\]])")
KEY = re.compile(r"^(?P<indent>[ \t-]*)(?P<key>[A-Za-z_][\w-]*):", re.M)


def yaml_mutations(rng, text, path):
    """One mutation of YAML text: (name, new text)."""
    lines = text.split("\n")
    kind = rng.choice(["scalar", "scalar", "scalar", "list-item", "delete-line", "duplicate-line", "rename-key", "truncate",
                       "garbage", "indent", "swap-lines", "include-cycle", "alias-bomb", "empty", "type-swap", "long-list"])
    if kind == "scalar":
        spots = list(KEY_VALUE.finditer(text))
        if spots:
            m = rng.choice(spots)
            return kind, text[:m.start("val")] + rng.choice(EDGE_VALUES) + text[m.end("val"):]
    if kind == "list-item":
        spots = list(LIST_ITEM.finditer(text))
        if spots:
            m = rng.choice(spots)
            return kind, text[:m.start("val")] + rng.choice(EDGE_VALUES) + text[m.end("val"):]
    if kind == "delete-line" and lines:
        i = rng.randrange(len(lines))
        return kind, "\n".join(lines[:i] + lines[i + 1:])
    if kind == "duplicate-line":
        keyed = [i for i, l in enumerate(lines) if KEY.match(l)]
        if keyed:
            i = rng.choice(keyed)
            dup = lines[i]
            if dup.lstrip().startswith("- "):
                dup = dup.replace("- ", "  ", 1)
            return kind, "\n".join(lines[:i + 1] + [dup] + lines[i + 1:])
    if kind == "rename-key":
        spots = list(KEY.finditer(text))
        if spots:
            m = rng.choice(spots)
            key = m.group("key")
            j = rng.randrange(len(key))
            new = key[:j] + rng.choice("aeioxz_") + key[j + 1:]
            return kind, text[:m.start("key")] + new + text[m.end("key"):]
    if kind == "truncate":
        return kind, text[:rng.randrange(len(text) + 1)]
    if kind == "garbage":
        raw = text.encode()
        at = rng.randrange(len(raw) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return kind, (raw[:at] + junk + raw[at:])
    if kind == "indent" and lines:
        i = rng.randrange(len(lines))
        lines[i] = ("  " + lines[i]) if rng.random() < 0.5 else lines[i][2:]
        return kind, "\n".join(lines)
    if kind == "swap-lines" and len(lines) > 1:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return kind, "\n".join(lines)
    if kind == "include-cycle" and "include:" in text:
        me = os.path.basename(path)
        return kind, re.sub(r"include:\s*[^,}\s]+", "include: " + me, text, count=1)
    if kind == "alias-bomb":
        bomb = ["b0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
        for k in range(1, 9):
            bomb.append(f"b{k}: &b{k} [" + ", ".join([f"*b{k - 1}"] * 10) + "]")
        return kind, "\n".join(bomb) + "\n" + text
    if kind == "empty":
        return kind, rng.choice(["", "\n", "   \n\t\n", "# only a comment\n", "---\n", "...\n"])
    if kind == "type-swap":
        keyed = [m for m in KEY.finditer(text)]
        if keyed:
            m = rng.choice(keyed)
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            return kind, text[:m.end()] + " " + rng.choice(["[1, 2, 3]", "{x: 1}", "7", "''", "~"]) + text[end:]
    if kind == "long-list":
        spots = list(LIST_ITEM.finditer(text))
        if spots:
            m = rng.choice(spots)
            return kind, text[:m.start("val")] + ", ".join(["1"] * rng.choice([1000, 100000])) + text[m.end("val"):]
    return "scalar", text.replace(":", ": 1e999 #", 1)


def csv_mutations(rng, text):
    """One mutation of CSV text: (name, new text)."""
    lines = text.split("\n")
    kind = rng.choice(["field", "field", "field", "header", "extra-field", "missing-field", "truncate", "garbage", "empty",
                       "header-only", "blank-lines"])
    if kind == "field" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        fields = lines[i].split(",")
        if fields != [""]:
            j = rng.randrange(len(fields))
            fields[j] = rng.choice(CSV_VALUES)
            lines[i] = ",".join(fields)
            return kind, "\n".join(lines)
    if kind == "header" and lines:
        fields = lines[0].split(",")
        j = rng.randrange(len(fields))
        fields[j] = rng.choice(["", "x", fields[j].upper(), fields[j] + "_"])
        lines[0] = ",".join(fields)
        return kind, "\n".join(lines)
    if kind == "extra-field" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        lines[i] += ",1"
        return kind, "\n".join(lines)
    if kind == "missing-field" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        lines[i] = lines[i].rsplit(",", 1)[0]
        return kind, "\n".join(lines)
    if kind == "truncate":
        return kind, text[:rng.randrange(len(text) + 1)]
    if kind == "garbage":
        raw = text.encode()
        at = rng.randrange(len(raw) + 1)
        return kind, raw[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + raw[at:]
    if kind == "empty":
        return kind, ""
    if kind == "header-only" and lines:
        return kind, lines[0] + "\n"
    if kind == "blank-lines" and len(lines) > 2:
        i = rng.randrange(1, len(lines))
        return kind, "\n".join(lines[:i] + ["", "   "] + lines[i:])
    return "field", text + "\n1e999,1e999,1e999\n"


def shipped_inputs(root):
    """(relative path, kind, targets): each mutable file and the files to validate after mutating it."""
    scen = os.path.join(root, "Scenarios")
    yamls = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(scen) for f in fs if f.endswith(".yaml"))
    inputs = []
    apps = [y for y in yamls if y.startswith("Scenarios/applications/")]
    for y in yamls:
        if y in apps:
            inputs.append((y, "yaml", ["Scenarios/city-center.yaml", y]))
        else:
            inputs.append((y, "yaml", [y]))
    for y in yamls:
        text = open(os.path.join(root, y), encoding="utf-8").read()
        for ref in re.findall(r"file:\s*([^,}\s]+\.csv)", text):
            csv = os.path.normpath(os.path.join(os.path.dirname(y), ref))
            if os.path.exists(os.path.join(root, csv)):
                entry = next((e for e in inputs if e[0] == csv), None)
                if entry is None:
                    inputs.append((csv, "csv", [y]))
                elif y not in entry[2]:
                    entry[2].append(y)
    return inputs


def limited():
    """Child process limits: 4 GiB of address space, no core files."""
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(cmd, cwd, timeout):
    """(status, stderr, peak RSS in KiB, timed out)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limited)
        deadline = time.time() + timeout
        status, usage, hung = None, None, False
        while True:
            pid, st, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(st)
                usage = ru
                break
            if time.time() > deadline:
                p.kill()
                _, st, ru = os.wait4(p.pid, 0)
                status, usage, hung = os.waitstatus_to_exitcode(st), ru, True
                break
            time.sleep(0.005)
        p.returncode = status
        err.seek(0)
        return status, err.read().decode("utf-8", "replace"), usage.ru_maxrss, hung


CRASH = re.compile(r"Fatal error|Swift runtime failure|Program crashed|Segmentation fault|Illegal instruction")
LOCATED = re.compile(r"^error: .*?\S+:\d+:\d+: ", re.M)


def classify(status, err, rss_kib, hung):
    if hung:
        return "hang"
    if status < 0 or status >= 128 or CRASH.search(err):
        return "blow-up" if "memory" in err.lower() or "alloc" in err.lower() else "crash"
    if rss_kib > 3 << 20:
        return "blow-up"
    if status == 2:
        return "rejected" if LOCATED.search(err) else "unlocated"
    if status == 0:
        return "accepted"
    return "failed"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iccsim", default=os.path.join(ROOT, ".build/debug/iccsim"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=0, help="run cases until this much time has passed (overrides --cases)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--run-horizon", default="1h", help="horizon of the short run of a case that validates")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    iccsim = os.path.abspath(args.iccsim)
    if not os.access(iccsim, os.X_OK):
        sys.exit(f"fuzz: no iccsim at {iccsim} (build it first)")

    work = tempfile.mkdtemp(prefix="iccsim-fuzz-")
    failures_dir = os.path.join(ROOT, ".build/fuzz/failures")
    inputs = shipped_inputs(ROOT)
    counts = {k: 0 for k in ["accepted", "rejected", "unlocated", "failed", "crash", "hang", "blow-up"]}
    runs = 0
    problems = []
    start = time.time()

    def one_case(index):
        rng = random.Random(args.seed * 1_000_003 + index)
        path, kind, targets = rng.choice(inputs)
        case = os.path.join(work, f"case-{index}")
        shutil.copytree(os.path.join(ROOT, "Scenarios"), os.path.join(case, "Scenarios"))
        # The data files are large and rarely mutated: links, but for the mutated one (below).
        for d, _, files in os.walk(os.path.join(ROOT, "data")):
            rel = os.path.relpath(d, ROOT)
            os.makedirs(os.path.join(case, rel), exist_ok=True)
            for f in files:
                os.symlink(os.path.join(d, f), os.path.join(case, rel, f))
        original = open(os.path.join(ROOT, path), encoding="utf-8").read()
        name, mutated = (yaml_mutations if kind == "yaml" else lambda r, t, p=None: csv_mutations(r, t))(rng, original, path)
        if rng.random() < 0.25:  # a second mutation on top
            text2 = mutated.decode("utf-8", "replace") if isinstance(mutated, bytes) else mutated
            name2, mutated = (yaml_mutations if kind == "yaml" else lambda r, t, p=None: csv_mutations(r, t))(rng, text2, path)
            name += "+" + name2
        data = mutated if isinstance(mutated, bytes) else mutated.encode("utf-8", "surrogateescape")
        if os.path.islink(os.path.join(case, path)):
            os.unlink(os.path.join(case, path))
        with open(os.path.join(case, path), "wb") as f:
            f.write(data)
        outcomes = []
        for target in targets:
            cmd = [iccsim, "validate", target]
            status, err, rss, hung = run(cmd, case, 30)
            verdict = classify(status, err, rss, hung)
            outcomes.append((verdict, cmd, err))
            if verdict == "accepted" and not target.startswith(("Scenarios/sweeps/", "Scenarios/plans/")):
                cmd = [iccsim, "run", target, "--set", f"horizon={args.run_horizon}", "--out", os.path.join(case, "out"), "--quiet"]
                status, err, rss, hung = run(cmd, case, 60)
                v = classify(status, err, rss, hung)
                outcomes.append(("run-" + v if v in ("accepted", "failed", "rejected", "unlocated") else v, cmd, err))
        return index, path, name, outcomes, case, data

    def report(result):
        nonlocal runs
        index, path, name, outcomes, case, data = result
        bad = False
        for verdict, cmd, err in outcomes:
            if verdict.startswith("run-"):
                runs += 1
                verdict = verdict[4:]
                if verdict == "accepted":
                    continue
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict in ("crash", "hang", "blow-up", "unlocated"):
                bad = True
                first = next((l for l in err.splitlines() if l.strip()), "")[:300]
                problems.append(f"case {index} ({path}, {name}): {verdict}: {first}")
        if bad:
            keep = os.path.join(failures_dir, f"seed{args.seed}-case{index}")
            shutil.rmtree(keep, ignore_errors=True)
            os.makedirs(os.path.dirname(os.path.join(keep, path)), exist_ok=True)
            with open(os.path.join(keep, path), "wb") as f:
                f.write(data)
            with open(os.path.join(keep, "README.txt"), "w") as f:
                f.write(f"fuzz case {index} of seed {args.seed}: {name} of {path}\n"
                        f"reproduce: scripts/fuzz.py --seed {args.seed} --cases {index + 1} (or copy this file over the shipped one)\n")
                for verdict, cmd, err in outcomes:
                    f.write(f"\n$ {' '.join(cmd)}\n[{verdict}]\n{err[:4000]}\n")
        shutil.rmtree(case, ignore_errors=True)

    total = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        pending = []
        index = 0
        while True:
            if args.seconds > 0:
                if time.time() - start > args.seconds and not pending:
                    break
                more = time.time() - start <= args.seconds
            else:
                more = index < args.cases
            while more and len(pending) < 2 * args.jobs:
                pending.append(pool.submit(one_case, index))
                index += 1
                more = (time.time() - start <= args.seconds) if args.seconds > 0 else index < args.cases
            if not pending:
                break
            report(pending.pop(0).result())
            total += 1
            if not args.quiet and sys.stderr.isatty():
                print(f"\rfuzz: {total} cases, {len(problems)} problems", end="", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)

    rejections = counts["rejected"] + counts["unlocated"]
    unlocated_share = counts["unlocated"] / rejections if rejections else 0
    elapsed = time.time() - start
    for p in problems[:50]:
        print("- " + p)
    print(f"fuzz: {total} cases (seed {args.seed}) in {elapsed:.0f} s: {counts['accepted']} valid, {rejections} rejected "
          f"({counts['unlocated']} without file:line:column, {100 * unlocated_share:.2f}%), {runs} short runs "
          f"({counts['failed']} exited 1); {counts['crash']} crashes, {counts['hang']} hangs, {counts['blow-up']} blow-ups")
    ok = counts["crash"] == 0 and counts["hang"] == 0 and counts["blow-up"] == 0 and unlocated_share < 0.01
    if not ok:
        print(f"fuzz: FAILED; failing inputs are under {failures_dir}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
