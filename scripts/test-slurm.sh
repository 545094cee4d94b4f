#!/usr/bin/env bash
# Integration test on a real Slurm (make test-slurm, called by .ci/run): start a one-node Slurm
# on this machine (scripts/slurm-local.sh), plan a small sweep twice, run one plan locally with
# one shard and submit the other as a 4-task Slurm array with a dependent collect job, wait, and
# require identical sweep.csv and runs.csv bytes. Stops the daemons it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ICC=${ICC:-.build/debug/iccsim}
[ -x "$ICC" ] || { echo "test-slurm: build first ($ICC missing)" >&2; exit 1; }
ICC=$(cd "$(dirname "$ICC")" && pwd)/$(basename "$ICC")
export ICCSIM_SLURM_DIR=${ICCSIM_SLURM_DIR:-/tmp/iccsim-slurm}
T=$(mktemp -d /tmp/iccsim-slurm-test.XXXXXX)
started=0
cleanup() {
  if [ "$started" = 1 ]; then scripts/slurm-local.sh stop || true; fi
  rm -rf "$T"
}
trap cleanup EXIT

# Was a local Slurm of ours already up? Then leave it running afterwards.
if [ -s "$ICCSIM_SLURM_DIR/slurmctld.pid" ] && kill -0 "$(cat "$ICCSIM_SLURM_DIR/slurmctld.pid")" 2>/dev/null; then
  echo "test-slurm: using the local Slurm already running in $ICCSIM_SLURM_DIR" >&2
else
  started=1
fi
export SLURM_CONF
SLURM_CONF=$(scripts/slurm-local.sh start)

cat > "$T/sweep.yaml" <<YAML
name: slurm-check
base: $PWD/Scenarios/examples/two-classes.yaml
seed: 99
replicates: 3
set:
  workload.classes.0.jobs: 20
  workload.classes.1.jobs: 300
grid:
  - {key: scheduling.policy, values: [fifo, sjf, las]}
  - {key: cluster.servers.0.count, values: [32, 64]}
YAML
"$ICC" sweep plan "$T/sweep.yaml" --out "$T/local" >/dev/null
"$ICC" sweep plan "$T/sweep.yaml" --out "$T/slurm" >/dev/null
"$ICC" sweep run "$T/local" --jobs 2 2>/dev/null
"$ICC" sweep collect "$T/local" 2>/dev/null

# The array, and a dependent job that collects when it has ended (no collect here).
out=$("$ICC" sweep slurm "$T/slurm" --tasks 4 --concurrency 4 --time 00:10:00 --submit --collect)
job=$(echo "$out" | sed -n 's/^submitted job //p')
collector=$(echo "$out" | sed -n 's/^submitted collect job \([0-9]*\).*/\1/p')
[ -n "$job" ] && [ -n "$collector" ] || { echo "test-slurm: submission failed: $out" >&2; exit 1; }
for _ in $(seq 1 600); do
  left=$(timeout 10 squeue -h -j "$job,$collector" 2>/dev/null | wc -l || echo 1)
  [ "$left" = 0 ] && break
  sleep 0.5
done
[ "$left" = 0 ] || { echo "test-slurm: jobs $job and $collector did not finish in 5 minutes" >&2; timeout 10 squeue >&2 || true; exit 1; }
[ -f "$T/slurm/sweep.csv" ] || { echo "test-slurm: the collect job $collector wrote no sweep.csv" >&2; cat "$T"/slurm/slurm/collect-*.out >&2 || true; exit 1; }
for f in sweep.csv runs.csv; do
  cmp -s "$T/local/$f" "$T/slurm/$f" || { echo "test-slurm: $f differs between the local run and the Slurm array" >&2; diff "$T/local/$f" "$T/slurm/$f" | head -5 >&2; exit 1; }
done
tasks=$(ls "$T/slurm/slurm" | grep -vc '^collect-')
runs=$(($(wc -l < "$T/local/plan.csv") - 1))
echo "test-slurm: $runs runs as a $tasks-task Slurm array (job $job), collected by a dependent job ($collector), give the same sweep.csv and runs.csv bytes as one local shard"
