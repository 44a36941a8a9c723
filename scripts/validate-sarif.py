"""Validate `palisade check --format sarif` output against the official SARIF 2.1.0 JSON schema, and check that
every result of a file input has a physical location (file, line and column).

The schema is read from ../shared/fixtures/sarif (the shared fixture copy of OASIS's sarif-schema-2.1.0.json).
Usage: validate-sarif.py PALISADE_BINARY
"""
import json
import pathlib
import subprocess
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root.parent / "shared/fixtures/sarif/sarif-schema-2.1.0.json").read_text())
validator = jsonschema.Draft7Validator(schema)
binary = sys.argv[1]
fixtures = root.parent / "shared/fixtures/arm"
inputs = [[], ["examples/hub.yaml"], ["examples/privateaml.yaml"], ["examples/managed-vnet.yaml"]]
for folder in sorted(p for p in fixtures.iterdir() if p.is_dir()):
    templates = sorted(t for t in folder.glob("*.json") if "parameters" not in t.name)
    params = sorted(folder.glob("*parameters*.json"))
    if templates:
        inputs.append([str(templates[0])] + (["--parameters", str(params[0])] if params else []) + ["--placeholders"])
passed = failed = 0
for arguments in inputs:
    run = subprocess.run([binary, "check", *arguments, "--format", "sarif"], capture_output=True, text=True, cwd=root)
    if run.returncode not in (0, 1):
        print(f"{arguments}: palisade exited {run.returncode}: {run.stderr[-500:]}")
        failed += 1
        continue
    log = json.loads(run.stdout)
    errors = list(validator.iter_errors(log))
    for error in errors[:5]:
        print(f"{arguments}: {'/'.join(map(str, error.path))}: {error.message}")
    # GitHub code scanning places a result only with a file, a line and a column: every result of a file input has them.
    if arguments:
        for result in log["runs"][0]["results"]:
            physical = result["locations"][0].get("physicalLocation", {})
            region = physical.get("region", {})
            if not physical.get("artifactLocation", {}).get("uri") or "startLine" not in region or "startColumn" not in region:
                errors.append(result["ruleId"])
                print(f"{arguments}: {result['ruleId']} has no file, line and column")
    if errors:
        failed += 1
    else:
        passed += 1
        print(f"{' '.join(arguments) or 'built-in default'}: valid SARIF 2.1.0")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
