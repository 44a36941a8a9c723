"""Parse every main.bicep under a directory with pycep (the Bicep parser checkov uses); exit 1 on any failure.

pycep's grammar predates Bicep's cidrSubnet() function, so calls to it are replaced by a string before parsing;
everything else is parsed as written.
"""
import pathlib
import re
import sys
import tempfile

from pycep import BicepParser


def main(root: str) -> int:
    parser = BicepParser()
    files = sorted(pathlib.Path(root).rglob("*.bicep"))
    failures = 0
    for path in files:
        text = re.sub(r"cidrSubnet\([^)]+\)", "'0.0.0.0/0'", path.read_text())
        with tempfile.NamedTemporaryFile("w", suffix=".bicep", delete=False) as handle:
            handle.write(text)
        try:
            document = parser.parse(file_path=pathlib.Path(handle.name))
            if not document.get("resources"):
                raise ValueError("no resources")
        except Exception as error:  # noqa: BLE001 - report any parser failure
            failures += 1
            print(f"pycep: FAILED {path}: {str(error)[:400]}")
        finally:
            pathlib.Path(handle.name).unlink()
    print(f"pycep: parsed {len(files) - failures} of {len(files)} .bicep files")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
