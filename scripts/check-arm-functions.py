"""Run Microsoft's documented template-function examples (../shared/fixtures/arm-functions) against `palisade expand`.

Every expected value in the corpus is Azure's own (180 values); any failure fails CI. See docs/arm-decisions.md.
"""
import re
import subprocess
import sys

binary = sys.argv[1]
result = subprocess.run(
    [sys.executable, "../shared/fixtures/arm-functions/check.py", "--", binary, "expand", "--outputs", "{template}"],
    capture_output=True, text=True)
print(result.stdout[-3000:])
failed = set(re.findall(r"^FAIL (\S+?):", result.stdout, re.M))
summary = re.search(r"^(\d+) passed, (\d+) failed$", result.stdout, re.M)
if not summary or failed or summary.group(2) != "0":
    print(f"unexpected failures: {sorted(failed)}")
    sys.exit(1)
print(f"arm-functions: {summary.group(1)} passed, none failed")
