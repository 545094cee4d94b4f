#!/bin/sh
# Counts what the city center's first days cost under the three I/O models, with cachegrind:
# instructions executed and misses of a simulated 32 KB first-level and 2 MB last-level cache.
# Unlike wall time on a shared machine, the counts are the same on every run of a binary, so a
# change of a few per cent shows. Needs valgrind (Debian: apt-get install valgrind).
#
#   sh scripts/cost-counts.sh [DAYS] [ICCSIM]     # default: 3 days, .build/release/iccsim
#
# Prints one row per model and the ratios to the month without contention. Runs two at a time
# (about 80 to 100 s each for 3 days). Valgrind 3.19 cannot read the DWARF 5 debug information
# Swift writes, so it runs a copy of the binary without it.
set -eu
DAYS=${1:-3}
BIN=${2:-.build/release/iccsim}
command -v valgrind >/dev/null 2>&1 || { echo "cost-counts: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "cost-counts: no binary at $BIN (swift build -c release)" >&2; exit 1; }
case $DAYS in ''|*[!0-9]*) echo "cost-counts: DAYS must be a whole number of days, got '$DAYS'" >&2; exit 1;; esac
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cost-counts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
objcopy --strip-debug "$BIN" "$WORK/iccsim"
count() {  # name, then iccsim run arguments
  name=$1; shift
  valgrind --tool=cachegrind --cache-sim=yes --LL=2097152,16,64 --cachegrind-out-file="$WORK/$name.out" \
    "$WORK/iccsim" run Scenarios/city-center.yaml --set horizon="${DAYS}d" "$@" --out "$WORK/$name" --quiet >"$WORK/$name.log" 2>&1 \
    || { echo "cost-counts: the $name run failed; its log:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
}
# The default city runs the fabric and its sized storage (88 Tb/s hot tier); the other two leave
# storage out, and the first prices each all-reduce alone.
count no_contention --set io.model=no_contention --set io.storage=null &
count fabric --set io.model=fabric --set io.storage=null &
wait
count fabric_storage
echo "city center, first $DAYS days, $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($BIN)"
python3 - "$WORK" <<'PY'
import re, sys
work = sys.argv[1]
def figures(name):
    text = open(f"{work}/{name}.log").read()
    def grab(label):
        m = re.search(label + r":\s+([\d,]+)", text)
        return int(m.group(1).replace(",", "")) if m else 0
    return grab(r"I\s+refs"), grab(r"D1\s+misses"), grab(r"LLd misses")
rows = [(n, figures(n)) for n in ("no_contention", "fabric", "fabric_storage")]
base = rows[0][1]
print(f"{'model':<16}{'instructions':>16}{'first-level misses':>22}{'last-level misses':>22}")
for name, (i, d1, ll) in rows:
    def cell(v, b): return f"{v / 1e9:.3f} G" if v >= 1e9 else f"{v / 1e6:.1f} M"
    ratios = "" if name == "no_contention" else f"   ({i / base[0]:.3f}x, {d1 / base[1]:.3f}x, {ll / base[2]:.3f}x)"
    print(f"{name:<16}{cell(i, base[0]):>16}{cell(d1, base[1]):>22}{cell(ll, base[2]):>22}{ratios}")
PY
