#!/usr/bin/env bash
# Judges the renderers with tools no one here wrote.
#   1. Renders Terraform, ARM and Bicep for the built-in default and every examples/*.yaml into a temp dir.
#   2. python-hcl2 parses every rendered .tf file; pycep (the Bicep parser checkov ships) parses every main.bicep.
#   3. `terraform fmt -check` (when terraform is installed) checks the Terraform layout.
#   4. checkov scans the rendered Terraform and ARM; any failed check fails the script.
# Usage: scripts/judge-render.sh [VENV_DIR]   (default: $TMPDIR/palisade-judge-venv; reused when present)
# python-hcl2 and checkov live in two venvs under VENV_DIR: checkov ships its own fork of the `hcl2` module.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venvs=${1:-${TMPDIR:-/tmp}/palisade-judge-venv}
hcl_venv="$venvs/hcl2"
checkov_venv="$venvs/checkov"
HCL2_VERSION=8.1.4
CHECKOV_VERSION=3.3.30

ensure_venv() {  # dir, package==version
  if [ ! -x "$1/bin/python" ]; then python3 -m venv "$1"; fi
  if ! "$1/bin/pip" show -q "${2%%==*}" >/dev/null 2>&1 || \
     [ "$("$1/bin/pip" show "${2%%==*}" 2>/dev/null | sed -n 's/^Version: //p')" != "${2##*==}" ]; then
    "$1/bin/pip" install -q --disable-pip-version-check "$2"
  fi
}
echo "judge-render: preparing python-hcl2 $HCL2_VERSION and checkov $CHECKOV_VERSION in $venvs"
ensure_venv "$hcl_venv" "python-hcl2==$HCL2_VERSION"
ensure_venv "$checkov_venv" "checkov==$CHECKOV_VERSION"

cd "$root"
swift build --product palisade >/dev/null
palisade="$(swift build --show-bin-path)/palisade"
if ! "$palisade" render --help >/dev/null 2>&1; then
  echo "judge-render: 'palisade render' is not available; register RenderCommand in Sources/palisade/Palisade.swift"
  exit 1
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/palisade-render.XXXXXX")
trap 'rm -rf "$out"' EXIT

inputs=(default)
for spec in examples/*.yaml; do inputs+=("$spec"); done
for input in "${inputs[@]}"; do
  name=$(basename "$input" .yaml)
  args=()
  [ "$input" != default ] && args=("$input")
  for target in terraform arm bicep; do
    "$palisade" render "${args[@]}" --target "$target" --out "$out/$name/$target" 2>/dev/null
  done
done
echo "judge-render: rendered ${#inputs[@]} inputs x 3 targets into $out"

status=0
"$hcl_venv/bin/python" "$root/scripts/render/parse_hcl.py" "$out" || status=1
"$checkov_venv/bin/python" "$root/scripts/render/parse_bicep.py" "$out" || status=1

if command -v terraform >/dev/null 2>&1; then
  if terraform fmt -check -recursive "$out" >/dev/null 2>&1; then
    echo "terraform fmt: all files formatted"
  else
    echo "terraform fmt: FAILED"; terraform fmt -check -recursive "$out" 2>/dev/null || true; status=1
  fi
fi

report="$out/checkov.json"
"$checkov_venv/bin/checkov" -d "$out" --framework terraform arm --quiet --compact -o json \
  --skip-download > "$report" 2>/dev/null || true
"$checkov_venv/bin/python" - "$report" <<'PY' || status=1
import json, sys
data = json.load(open(sys.argv[1]))
reports = data if isinstance(data, list) else [data]
failed = 0
for report in reports:
    summary = report.get("summary", {})
    print(f"checkov {report.get('check_type')}: passed {summary.get('passed', 0)}, failed {summary.get('failed', 0)}, "
          f"skipped {summary.get('skipped', 0)}, parsing errors {summary.get('parsing_errors', 0)}")
    failed += summary.get("failed", 0) + summary.get("parsing_errors", 0)
    for check in report.get("results", {}).get("failed_checks", []):
        print(f"  FAILED {check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}")
if not reports or all(not r.get("summary", {}).get("passed") for r in reports):
    print("checkov: no checks ran"); sys.exit(1)
sys.exit(1 if failed else 0)
PY
if [ "$status" -eq 0 ]; then echo "judge-render: OK"; else echo "judge-render: FAILED"; fi
exit "$status"
