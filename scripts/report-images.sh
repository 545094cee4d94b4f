#!/usr/bin/env bash
# Regenerates the report screenshots of docs/user-guide.md (docs/images/report-run.png and
# report-sweep.png): a run of Scenarios/examples/fabric-contention.yaml and the shipped
# city-policies sweep (36 one-day runs), each page rendered by headless Chromium.
# Usage: scripts/report-images.sh   (after a release build; about 15 s on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
ICC=${ICC:-.build/release/iccsim}
[ -x "$ICC" ] || { echo "report-images: build first ($ICC missing: swift build -c release)" >&2; exit 1; }
BROWSER=$(command -v chromium || command -v chromium-browser) || { echo "report-images: needs Chromium" >&2; exit 1; }
T=$(mktemp -d /tmp/iccsim-report-images.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$ICC" run Scenarios/examples/fabric-contention.yaml --out "$T/fabric-contention" --quiet 2>/dev/null
"$ICC" report "$T/fabric-contention" >/dev/null
"$ICC" sweep plan Scenarios/sweeps/city-policies.yaml --out "$T/city-policies" >/dev/null
"$ICC" sweep run "$T/city-policies" --jobs 2 >/dev/null 2>&1
"$ICC" sweep collect "$T/city-policies" >/dev/null 2>&1
"$ICC" report "$T/city-policies" >/dev/null
shot() {  # shot PAGE PNG HEIGHT
  timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1240,"$3" --screenshot="$T/shot.png" "file://$1" >/dev/null 2>&1
  mv "$T/shot.png" "$2"
}
shot "$T/fabric-contention/report.html" docs/images/report-run.png 2200
shot "$T/city-policies/report.html" docs/images/report-sweep.png 2000
echo "report-images: wrote docs/images/report-run.png and docs/images/report-sweep.png ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"
