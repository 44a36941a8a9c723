#!/usr/bin/env bash
# Judges the rendered Terraform, ARM and Bicep against the real provider and Azure REST API schemas with renderjudge,
# a tool kept outside this repository (by default ../shared/tools/renderjudge next to the checkout).
#   1. Copies renderjudge into a scratch directory (the shared copy is read-only) and runs its setup.sh, which
#      installs python-hcl2, pycep-parser and the azure-mgmt-* wheels from PyPI into a virtual environment there.
#   2. Renders the built-in default and every examples/*.yaml with all three targets (its run_all.sh).
#   3. Fails on any error-level finding: an argument or property the provider or API version does not have, a
#      missing required one, a provider constraint admitting versions without an argument we write, …
# The azurerm 5.x report (informational) is printed at the end; docs/azurerm-5.md summarises it.
# Usage: scripts/renderjudge.sh [RENDERJUDGE_DIR] [WORK_DIR]
#   RENDERJUDGE_DIR  default: $RENDERJUDGE, else ../shared/tools/renderjudge beside the repository
#   WORK_DIR         default: $TMPDIR/palisade-renderjudge (reused: the venv and wheels survive between runs)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source_dir=${1:-${RENDERJUDGE:-$root/../shared/tools/renderjudge}}
work=${2:-${TMPDIR:-/tmp}/palisade-renderjudge}
if [ ! -f "$source_dir/run_all.sh" ] || [ ! -f "$source_dir/setup.sh" ]; then
  echo "renderjudge: no renderjudge at '$source_dir'; pass its directory as the first argument or set RENDERJUDGE"
  exit 1
fi

mkdir -p "$work"
cp -r "$source_dir"/. "$work"/
chmod +x "$work"/*.sh
echo "renderjudge: setting up in $work (PyPI)"
(cd "$work" && ./setup.sh)

cd "$root"
swift build --product palisade >/dev/null
palisade="$(swift build --show-bin-path)/palisade"

cd "$work"
rm -rf out reports
status=0
./run_all.sh "$palisade" "$root/examples" || status=$?

# Landing-zone examples also write the platform team's firewall rules under platform-team/: judge them too.
for dir in out/*-terraform/platform-team; do
  [ -d "$dir" ] || continue
  n=$(basename "$(dirname "$dir")" -terraform)
  .venv/bin/python tfjudge.py "$dir" > "reports/$n-platform-tf.txt" || status=1
  .venv/bin/python armjudge.py "out/$n-arm/platform-team/spoke-onboarding.json" > "reports/$n-platform-arm.txt" || status=1
  .venv/bin/python bicepjudge.py "out/$n-bicep/platform-team/spoke-onboarding.bicep" \
    --arm "out/$n-arm/platform-team/spoke-onboarding.json" > "reports/$n-platform-bicep.txt" || status=1
  printf '%-14s platform team: %s | %s | %s\n' "$n" "$(tail -1 "reports/$n-platform-tf.txt")" \
    "$(tail -1 "reports/$n-platform-arm.txt")" "$(tail -1 "reports/$n-platform-bicep.txt")"
done

echo "renderjudge: findings at error or warning level"
grep -h "^ERROR\|^WARNING" reports/*-tf.txt reports/*-arm.txt reports/*-bicep.txt 2>/dev/null | sort | uniq -c || true
echo "renderjudge: changes azurerm 5.x will need (informational; see docs/azurerm-5.md)"
grep -h "next-major" reports/*-tf.txt \
  | sed -E 's/^INFO +//; s/ [a-z.-]+\.tf:[0-9]+ / /; s/ \(\+[0-9]+ more like it.*//; s/(azurerm_[a-z_]+)\.[a-z0-9_]+\.([a-z_]+):/\1.\2:/' \
  | sort -u || true

if [ "$status" -eq 0 ]; then echo "renderjudge: OK (zero errors)"; else echo "renderjudge: FAILED (exit $status)"; fi
exit "$status"
