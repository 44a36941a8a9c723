#!/usr/bin/env bash
# Usage: scripts/screenshot-report.sh OUT_PNG
#
# Builds the HTML report of the built-in default, opens it in headless Chromium (installed from Debian's
# packages when missing), takes a 1400x1000 screenshot and checks it:
#   1. the PNG decodes and is not blank (pixel variance, using only Python's standard library);
#   2. the diagram is inside the viewport: a second screenshot of the same page with the diagram hidden must
#      differ from the first in the diagram's region, and that region must hold the diagram's colours.
# Writes the screenshot to OUT_PNG and exits non-zero on any failure.
set -euo pipefail

out=${1:?usage: scripts/screenshot-report.sh OUT_PNG}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

cd "$root"
swift build --product palisade >&2
bin="$(swift build --show-bin-path)/palisade"
"$bin" report --out "$work/report.html"
# The same page with the diagram hidden (layout kept), to prove the diagram is what fills that region.
sed 's#</style>#svg.diagram{visibility:hidden}</style>#' "$work/report.html" > "$work/hidden.html"

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" > /dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
done
if [ -z "$browser" ]; then
    echo "screenshot-report: installing chromium from Debian's packages" >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update >&2
    apt-cache policy chromium >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium >&2
    browser=$(command -v chromium)
fi

shoot() {
    # Chromium may print GPU/DBus noise; only the PNG matters.
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-color-profile=srgb \
        --force-device-scale-factor=1 --window-size=1400,1000 --user-data-dir="$work/profile" \
        --screenshot="$2" "file://$1" > "$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; return 1; }
    [ -s "$2" ] || { echo "screenshot-report: no screenshot written" >&2; cat "$work/chromium.log" >&2; return 1; }
}
shoot "$work/report.html" "$work/report.png"
shoot "$work/hidden.html" "$work/hidden.png"

python3 - "$work/report.png" "$work/hidden.png" <<'PY'
import struct, sys, zlib

def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows

def pixels(image, x0, y0, x1, y1, step=2):
    width, height, bpp, rows = image
    for y in range(y0, min(y1, height), step):
        row = rows[y]
        for x in range(x0, min(x1, width), step):
            yield row[x * bpp:x * bpp + 3]

shot, hidden = decode(sys.argv[1]), decode(sys.argv[2])
width, height = shot[0], shot[1]
if (width, height) != (1400, 1000):
    sys.exit(f"screenshot is {width}x{height}, expected 1400x1000")

# 1. Not blank: luminance variance over the whole viewport.
lum = [(r * 299 + g * 587 + b * 114) // 1000 for r, g, b in pixels(shot, 0, 0, width, height, 4)]
mean = sum(lum) / len(lum)
variance = sum((v - mean) ** 2 for v in lum) / len(lum)
if variance < 200:
    sys.exit(f"screenshot looks blank (luminance variance {variance:.0f})")

# 2. The diagram is inside the viewport: below the header, the page with the diagram differs from the page
#    without it, and the region holds the diagram's saturated colours (VNet, endpoints, routes).
region = (0, 150, width, height)
changed = sum(1 for a, b in zip(pixels(shot, *region), pixels(hidden, *region)) if a != b)
total = sum(1 for _ in pixels(shot, *region))
coloured = sum(1 for r, g, b in pixels(shot, *region) if max(r, g, b) - min(r, g, b) > 60)
print(f"screenshot {width}x{height}: variance {variance:.0f}, diagram changes {100 * changed / total:.1f}% "
      f"of the viewport below the header, {coloured} coloured samples")
if changed < total * 0.05:
    sys.exit("the diagram is not inside the viewport (hiding it changes almost nothing)")
if coloured < 500:
    sys.exit("the diagram's colours are missing from the viewport")
PY

size=$(wc -c < "$work/report.png")
if [ "$size" -gt 512000 ]; then
    echo "screenshot-report: screenshot is $size bytes (over 500 KB)" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
cp "$work/report.png" "$out"
echo "screenshot-report: wrote $out ($size bytes)"
