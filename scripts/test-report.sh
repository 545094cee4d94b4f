#!/usr/bin/env bash
# Renders `iccsim report` pages in a real headless browser (Debian's Chromium, installed when
# missing, as root) and checks from the screenshots that the plots were drawn: the page is
# mostly white, and every plot's series colour covers a measurable number of pixels.
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
