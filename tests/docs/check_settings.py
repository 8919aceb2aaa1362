#!/usr/bin/env python3
"""Each setting docs/configuration.md names is read by the code, and each variable the
code reads is named in the docs: the table and the code cannot drift apart.

Usage: check_settings.py PROJECT_ROOT. Exit status 1 names what is missing where."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
doc = (root / "docs" / "configuration.md").read_text()
all_docs = "".join(p.read_text() for p in (root / "docs").glob("*.md")) + (root / "README.md").read_text()
code = "".join(p.read_text() for p in (root / "include").rglob("*.[hi]pp"))
code += "".join(p.read_text() for p in (root / "tools").rglob("*.[hc]pp"))
problems = []

# Environment variables in the configuration page, and the profile keys of its table.
variables = set(re.findall(r"`((?:AWS|_X_AMZN)_[A-Z0-9_]+|(?:https?|no)_proxy|HTTPS?_PROXY|NO_PROXY)(?:=[^`]*)?`", doc))
for name in sorted(variables):
    if f'"{name}"' in code:
        continue
    # AWS_ENDPOINT_URL_<SERVICE> is made of its prefix and the service's key.
    service = re.fullmatch(r"AWS_ENDPOINT_URL_([A-Z0-9_]+)", name)
    if service and '"AWS_ENDPOINT_URL_"' in code and f'"{service.group(1)}"' in code:
        continue
    problems.append(f"docs/configuration.md names {name}, which the code never reads")
keys = set()
for line in doc.splitlines():
    columns = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("|") and len(columns) >= 5 and not set(columns[0]) <= set("- "):
        keys.update(re.findall(r"`([a-z][a-z0-9_]*)`", columns[3]))
for key in sorted(keys):
    if f'"{key}"' not in code:
        problems.append(f"docs/configuration.md names the profile key {key}, which the code never reads")

# Every AWS variable the code reads is named somewhere in the docs.
for name in sorted(set(re.findall(r'"(AWS_[A-Z0-9_]*[A-Z0-9])"', code))):
    if name not in all_docs:
        problems.append(f"the code reads {name}, which no page of docs/ names")

if len(variables) < 20 or len(keys) < 10:
    problems.append(f"only {len(variables)} variables and {len(keys)} profile keys found: has the table's layout changed?")
for p in problems:
    print(p)
print(f"{len(variables)} variables and {len(keys)} profile keys checked: " + ("ok" if not problems else "FAILED"))
sys.exit(1 if problems else 0)
