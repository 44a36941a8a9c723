"""Run Microsoft's documented template-function examples (../shared/fixtures/arm-functions) against `palisade expand`.

The corpus's `pinned-values` case also carries three values taken from PSRule's unit tests
(uniqueString('One') = b0ef330613636, uniqueString('One','Two','Three') = 4b9fe86f643d6,
guid('abc') = aea04463-…). PSRule computes those with its own SHA-256 approximation (hex digits, which Azure's
base-32 uniqueString alphabet [a-z2-7] cannot even produce); Palisade implements Azure's real algorithms
(MurmurHash64 base-32 and the SHA-1 name-based GUID, as Bicep and azapi do). Those three, and only those,
may fail; anything else fails CI. See docs/arm-decisions.md.
"""
import re
import subprocess
import sys

KNOWN = {"pinned-values.uniqueStringOne", "pinned-values.uniqueStringOneTwoThree", "pinned-values.guidAbc"}
binary = sys.argv[1]
result = subprocess.run(
    [sys.executable, "../shared/fixtures/arm-functions/check.py", "--", binary, "expand", "--outputs", "{template}"],
    capture_output=True, text=True)
print(result.stdout[-3000:])
failed = set(re.findall(r"^FAIL (\S+?):", result.stdout, re.M))
summary = re.search(r"^(\d+) passed, (\d+) failed$", result.stdout, re.M)
unexpected = failed - KNOWN
if not summary or unexpected:
    print(f"unexpected failures: {sorted(unexpected)}")
    sys.exit(1)
print(f"arm-functions: {summary.group(1)} passed, {summary.group(2)} failed, all failures are the documented PSRule values")
