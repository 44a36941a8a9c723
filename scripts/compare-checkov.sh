#!/usr/bin/env bash
# Runs checkov and `palisade check` on every ARM fixture and writes docs/comparison.md side by side.
#
#   scripts/compare-checkov.sh VENV_DIR [FIXTURES_DIR]
#
# VENV_DIR is created if missing and checkov is installed into it with pip. FIXTURES_DIR defaults to
# ../shared/fixtures/arm (relative to the repository root). Each template `X.json` with a sibling
# `X.parameters.json` (one folder level deep, prereqs included) is checked by both tools.
set -euo pipefail

venv="${1:?usage: scripts/compare-checkov.sh VENV_DIR [FIXTURES_DIR]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fixtures="${2:-../shared/fixtures/arm}"
# COMPARE_RESULTS keeps the raw tool outputs in that directory (for debugging the comparison).
if [ -n "${COMPARE_RESULTS:-}" ]; then
    out="$COMPARE_RESULTS"
    mkdir -p "$out"
else
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi

if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet checkov
fi
"$venv/bin/checkov" --version > "$out/checkov.version"

swift build --product palisade > /dev/null
palisade="$(swift build --show-bin-path)/palisade"

find "$fixtures" -mindepth 2 -maxdepth 3 -name '*.json' ! -name '*.parameters.json' | sort | while read -r template; do
    parameters="${template%.json}.parameters.json"
    [ -f "$parameters" ] || continue
    relative="${template#"$fixtures"/}"
    key="$(echo "$relative" | tr '/' '~')"
    echo "checking $relative" >&2
    "$venv/bin/checkov" -f "$template" --framework arm -o json --quiet > "$out/$key.checkov.json" 2> "$out/$key.checkov.log" || true
    "$palisade" check "$template" --parameters "$parameters" --placeholders --format json \
        > "$out/$key.palisade.json" 2> "$out/$key.palisade.log" || [ $? -eq 1 ]
done

python3 scripts/compare_checkov.py "$out" "$fixtures" docs/comparison.md
echo "wrote docs/comparison.md" >&2
