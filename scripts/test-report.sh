#!/usr/bin/env bash
# Renders `iccsim report` pages in a real headless browser (Debian's Chromium, installed when
# missing, as root) and checks from the screenshot that the plots were drawn (the page is
# mostly white, and the series colour covers a measurable number of pixels); then, in the
# browser's layout of a run's and a sweep's pages, that the header names the scenario, seed,
# horizon and overrides, that no legend box covers a plotted point or line, and that a
# categorical sweep parameter is drawn as points, not lines.
# Used by make test-report (called by .ci/run). Exit 0 when the plots rendered.
set -euo pipefail
cd "$(dirname "$0")/.."
ICC=${ICC:-.build/debug/iccsim}
[ -x "$ICC" ] || { echo "test-report: build first ($ICC missing)" >&2; exit 1; }
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-report: installing chromium" >&2
    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; })
    BROWSER=$(command -v chromium)
  else
    echo "test-report: needs Chromium (sudo apt-get install chromium)" >&2; exit 1
  fi
fi
T=$(mktemp -d /tmp/iccsim-report-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$ICC" run Scenarios/examples/fabric-contention.yaml --set workload.classes.0.jobs=60 --out "$T/run" --quiet 2>/dev/null
"$ICC" report "$T/run" >/dev/null
# A small sweep: a categorical parameter (the policy) and a numeric one (the pool's servers).
cat >"$T/sweep.yaml" <<YAML
name: report-check
base: $PWD/Scenarios/city-center.yaml
seed: 7
replicates: 2
set: {horizon: 6h}
grid:
  - {key: scheduling.policy, values: [fifo, las]}
  - {key: cluster.servers.0.count, values: [256, 384]}
YAML
"$ICC" sweep plan "$T/sweep.yaml" --out "$T/sweep" >/dev/null
"$ICC" sweep run "$T/sweep" --jobs 2 >/dev/null 2>&1
"$ICC" sweep collect "$T/sweep" >/dev/null 2>&1
"$ICC" report "$T/sweep" >/dev/null
shot() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1240,"$2" --screenshot="$T/$1.png" "file://$3" >/dev/null 2>&1; }
shot run 2400 "$T/run/report.html"
python3 - "$T/run.png" <<'PY'
import struct, sys, zlib
import numpy as np

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG type {depth}/{ctype}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    img = np.zeros((h, stride), dtype=np.int32)
    prev = np.zeros(stride, dtype=np.int32)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)], dtype=np.uint8).astype(np.int32)
        if f == 0: cur = line
        elif f == 2: cur = (line + prev) & 255
        else:
            cur = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                if f == 1: pred = a
                elif f == 3: pred = (a + b) // 2
                else:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + pred) & 255
        img[y] = cur; prev = cur
    return img.reshape(h, w, bpp)[:, :, :3]

img = read_png(sys.argv[1])
white = (img.min(axis=2) > 245).mean()
blue = ((abs(img[:, :, 0] - 0x1f) < 40) & (abs(img[:, :, 1] - 0x77) < 40) & (abs(img[:, :, 2] - 0xb4) < 40)).sum()
assert 0.5 < white < 0.995, f"the page is {white:.1%} white: not a rendered report"
assert blue > 2000, f"only {blue} pixels of the series colour: the plots did not render"
print(f"test-report: {img.shape[1]}x{img.shape[0]} screenshot, {white:.1%} white, {blue} pixels of plotted series")
PY

# The browser's layout: each page with a script appended that measures, for every plot, the
# legend's box against every plotted point, line vertex and error bar, and writes what it found
# into the page; Chromium's --dump-dom prints the page after the script ran.
layout() {  # layout NAME PAGE: prints the measurement line of the page
  local copy="$T/$1-layout.html"
  sed 's#</body></html>##' "$2" >"$copy"
  cat >>"$copy" <<'JS'
<script>
const found = {plots: 0, legends: 0, covered: [], lines: {}, marks: {}, header: document.querySelector("p.header")?.textContent ?? ""};
for (const svg of document.querySelectorAll("svg.plot")) {
  found.plots++;
  const box = svg.getBoundingClientRect(), title = svg.querySelector("text")?.textContent;
  const points = [];
  for (const el of svg.querySelectorAll(".series")) {
    if (el.tagName === "polyline") { found.lines[title] = (found.lines[title] ?? 0) + 1; for (let k = 0; k < el.points.numberOfItems; k++) { const p = el.points.getItem(k); points.push([box.left + p.x, box.top + p.y]); } }
    else { found.marks[title] = (found.marks[title] ?? 0) + 1; const r = el.getBoundingClientRect(); points.push([r.left + r.width / 2, r.top + r.height / 2], [r.left, r.top], [r.right, r.bottom]); }
  }
  for (const legend of svg.querySelectorAll("g.legend")) {
    found.legends++;
    const r = legend.getBoundingClientRect();
    const hits = points.filter(([x, y]) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom).length;
    if (hits > 0) found.covered.push(`${title}: ${hits} point(s)`);
  }
}
document.body.insertAdjacentHTML("beforeend", `<pre id="layout">${JSON.stringify(found)}</pre>`);
</script></body></html>
JS
  timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --window-size=1240,2400 --dump-dom "file://$copy" 2>/dev/null \
    | python3 -c 'import html, re, sys; m = re.findall(r"<pre id=\"layout\">(.*?)</pre>", sys.stdin.read(), re.S); print(html.unescape(m[-1]) if m else "{}")'
}
layout run "$T/run/report.html" >"$T/run-layout.json"
layout sweep "$T/sweep/report.html" >"$T/sweep-layout.json"
python3 - "$T/run-layout.json" "$T/sweep-layout.json" "$T" <<'PY'
import json, sys
run, sweep = (json.load(open(p)) for p in sys.argv[1:3])
problems = []
for name, page in (("run", run), ("sweep", sweep)):
    if not page.get("plots"): problems.append(f"{name}: the browser found no plots (did the script run?)")
    if page.get("covered"): problems.append(f"{name}: legends cover data: " + "; ".join(page["covered"]))
h = run.get("header", "")
for want in ("fabric-contention", "seed 1", "workload.classes.0.jobs=60", "policy fifo"):
    if want not in h: problems.append(f"the run's header does not say {want!r}: {h!r}")
if sys.argv[3] in h: problems.append("the run's header shows an absolute path")
if "horizon" not in h: problems.append(f"the run's header does not state the horizon: {h!r}")
# The sweep: plots against the policy (a category) are points with error bars, no lines; plots
# against the pool's servers (a number) are lines.
titles = [t for t in set(sweep.get("lines", {})) | set(sweep.get("marks", {})) if " against " in t]
policy = [t for t in titles if t.endswith("against scheduling.policy")]
size = [t for t in titles if t.endswith("against cluster.servers.0.count")]
if not policy or not size: problems.append(f"the sweep page has no plots against both parameters: {sorted(titles)}")
for t in policy:
    if sweep["lines"].get(t, 0) or not sweep["marks"].get(t, 0): problems.append(f"{t!r}: a categorical parameter drawn as {sweep['lines'].get(t, 0)} line(s), {sweep['marks'].get(t, 0)} point(s)")
for t in size:
    if not sweep["lines"].get(t, 0): problems.append(f"{t!r}: a numeric parameter without lines")
if problems:
    print("test-report: " + "; ".join(problems)); sys.exit(1)
print(f"test-report: layout of {run['plots']} run plots and {sweep['plots']} sweep plots in Chromium: no legend covers data ({run['legends'] + sweep['legends']} legends); header: {h}")
PY
