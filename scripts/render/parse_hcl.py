"""Parse every .tf file under a directory with python-hcl2; exit 1 if any fails or holds no block."""
import pathlib
import sys

import hcl2


def main(root: str) -> int:
    files = sorted(pathlib.Path(root).rglob("*.tf"))
    failures = 0
    for path in files:
        try:
            with path.open() as handle:
                document = hcl2.load(handle)
            if not document:
                raise ValueError("no blocks")
        except Exception as error:  # noqa: BLE001 - report any parser failure
            failures += 1
            print(f"hcl2: FAILED {path}: {error}")
    print(f"hcl2: parsed {len(files) - failures} of {len(files)} .tf files")
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
