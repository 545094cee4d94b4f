#!/bin/sh
# Runs a scenario (default: the city center) under every scheduling policy and prints a Markdown
# table of mean and p99 wait (to first start), mean queueing delay (all time queued, preempted
# periods included), mean and p99 job completion time, mean slowdown, utilisation,
# preemptions and Jain's fairness index across tenants. Extra arguments go to `iccsim run`.
#   scripts/compare-policies.sh                       # what docs/policies.md shows
#   scripts/compare-policies.sh Scenarios/validation/heavy-tail-policies.yaml --seed 2
set -eu
cd "$(dirname "$0")/.."
ICCSIM=${ICCSIM:-.build/release/iccsim}
scenario=${1:-}
[ $# -gt 0 ] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| policy | mean wait (s) | p99 wait (s) | mean queueing delay (s) | mean JCT (s) | p99 JCT (s) | mean slowdown | utilisation | preemptions | Jain's fairness |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for p in $("$ICCSIM" policies --names); do
  # shellcheck disable=SC2086
  "$ICCSIM" run $scenario "$@" --policy "$p" --out "$out/$p" --quiet 2>/dev/null
  python3 - "$out/$p/summary.json" "$p" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {s['wait_mean_s']:,.0f} | {s['wait_p99_s']:,.0f} | {s['queueing_delay_mean_s']:,.0f} | {s['jct_mean_s']:,.0f} | {s['jct_p99_s']:,.0f} | "
      f"{s['slowdown_mean']:.2f} | {s['utilization_mean']:.3f} | {s['preemptions']:,} | {s['fairness_jain']:.3f} |")
PY
done
