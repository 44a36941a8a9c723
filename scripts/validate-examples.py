"""Validate examples/*.yaml and the starter spec against schema/palisade-spec.schema.json (an external judge)."""
import json
import pathlib
import sys

import jsonschema
import yaml

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "schema" / "palisade-spec.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
paths = sorted((root / "examples").glob("*.yaml")) + [pathlib.Path(p) for p in sys.argv[1:]]
for path in paths:
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text()) or {}))
    for error in errors:
        print(f"{path.name}: {'/'.join(map(str, error.path))}: {error.message}")
    failures += bool(errors)
    print(f"{path.name}: {'ok' if not errors else 'INVALID'}")
print(f"{len(paths) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
