#!/usr/bin/env bash
# Fuzzes Palisade's untrusted-input readers (JSON parser, ARM expressions and templates, the ARM importer, the
# YAML spec loader) with libFuzzer for a bounded time: scripts/fuzz.sh [SECONDS] (default 150).
# A crash, a hang over 10 s or more than 1 GiB of memory fails the run; the input is kept under $FUZZ_ARTIFACTS.
# Reproduce a failure without libFuzzer: swift run palisade-fuzz ARTIFACT
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-150}"
work="${TMPDIR:-/tmp}/palisade-fuzz"
artifacts="${FUZZ_ARTIFACTS:-$work/artifacts}"
mkdir -p "$work/corpus" "$work/seeds" "$artifacts"

# A separate build directory: the sanitizer flags apply to every module of the product.
swift build -c debug --product palisade-fuzz --build-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING >&2
binary="$(swift build -c debug --product palisade-fuzz --build-path .build-fuzz --show-bin-path)/palisade-fuzz"

# Seeds: the shared fixtures and the examples, read in place (files under 256 KiB), copied into a scratch corpus.
fixtures="${PALISADE_FIXTURES:-../shared/fixtures}"
find "$fixtures" examples -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) -size -256k 2>/dev/null \
    | while read -r f; do cp "$f" "$work/seeds/$(echo "$f" | tr '/' '_')"; done

# Swift's own backtracer is switched off so libFuzzer handles the trap and saves the input that caused it.
status=0
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" "$work/seeds" \
    -dict=scripts/fuzz.dict -max_len=65536 -timeout=10 -rss_limit_mb=1024 -max_total_time="$seconds" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$work/fuzz.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
    grep -E -A 30 "ERROR: libFuzzer|Fatal error|runtime failure|==ERROR" "$work/fuzz.log" | head -n 60 >&2 || tail -n 60 "$work/fuzz.log" >&2
    echo "fuzz: FAILED (exit $status); inputs in $artifacts:" >&2
    ls -l "$artifacts" >&2
    exit 1
fi
tail -n 8 "$work/fuzz.log" >&2
echo "fuzz: no crash, hang or memory blow-up in ${seconds}s" >&2
