#!/bin/sh
# Reruns the committed baselines (Results/baselines/<name>/summary.json) and compares them with
# `iccsim compare --exact`: ICCSim is deterministic, so any difference in any figure (an
# improvement, events_processed) fails the gate. Exits 1 on a difference or a failed run (whose
# stderr is shown).
#   scripts/regress.sh            compare (what `make regress` and CI run)
#   scripts/regress.sh --update   rewrite the baselines on purpose (then commit them, saying why)
# ICCSIM names the binary (default .build/debug/iccsim; results do not depend on the build).
# REGRESS_JOBS runs that many at once (default 2: the runs are independent, each one thread).
set -eu
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
ICCSIM=${ICCSIM:-.build/debug/iccsim}
out=.build/regress

# One run, `name|scenario|arguments` (what each line of `runs` below says).
if [ "${1:-}" = "--one" ]; then
  name=${2%%|*}; rest=${2#*|}; scenario=${rest%%|*}; args=${rest#*|}
  # shellcheck disable=SC2086
  if ! "$ICCSIM" run "$scenario" $args --out "$out/$name" --quiet 2>"$out/$name.stderr"; then
    echo "regress: the run '$name' ($scenario $args) failed:" >&2
    cat "$out/$name.stderr" >&2
    exit 1
  fi
  rm -f "$out/$name.stderr" "$out/$name/trace.h5" "$out/$name/summary.md"
  exit 0
fi

update=${1:-}
rm -rf "$out"
mkdir -p "$out"

# name | scenario | extra arguments
runs() {
  for p in fifo sjf srtf backfill las fairshare drf priority quota; do
    echo "city-center-3d-$p|Scenarios/city-center.yaml|--set horizon=3d --policy $p"
    echo "heavy-tail-$p|Scenarios/validation/heavy-tail-policies.yaml|--policy $p"
  done
  echo "mg1-las|Scenarios/validation/mg1.yaml|--policy las"
  echo "two-classes-fifo|Scenarios/examples/two-classes.yaml|"
  echo "alibaba-gpu-2023-fifo|Scenarios/traces/alibaba-gpu-2023.yaml|"
  echo "pollux-workload-6-fifo|Scenarios/traces/pollux-workload-6.yaml|"
  # The shared fabric, the storage system, request-level serving, lending and elastic jobs.
  echo "fabric-contention|Scenarios/examples/fabric-contention.yaml|"
  echo "storage-tiers|Scenarios/examples/storage-tiers.yaml|"
  echo "llm-replay|Scenarios/examples/llm-replay.yaml|"
  echo "elastic-serving|Scenarios/examples/elastic-serving.yaml|"
}

export ICCSIM
runs | tr '\n' '\0' | xargs -0 -n 1 -P "${REGRESS_JOBS:-2}" sh "$self" --one || exit 1

if [ "$update" = "--update" ]; then
  for d in "$out"/*/; do
    name=$(basename "$d")
    mkdir -p "Results/baselines/$name"
    cp "$d/summary.json" "Results/baselines/$name/summary.json"
  done
  echo "baselines updated in Results/baselines/ (commit them with a note saying why)"
  exit 0
fi
exec "$ICCSIM" compare Results/baselines "$out" --exact
