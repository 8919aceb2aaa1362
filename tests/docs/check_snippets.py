#!/usr/bin/env python3
"""Every C++ block of README.md and docs/*.md comes from a compiled file.

A page marks each ```cpp block with the line before it:
    <!-- snippet: examples/quick_start.cpp#client -->
and the file marks the region with "//[client" and "//]" lines (Boost's QuickBook
convention). The block must equal the region, dedented. A whole file is named without
"#name": then everything after its leading comment and before nothing else.

    check_snippets.py ROOT          check; exit 1 naming every block that differs
    check_snippets.py ROOT --fix    rewrite the blocks from their sources
"""
import pathlib
import re
import sys
import textwrap

MARKER = re.compile(r"<!-- snippet: (?P<path>[^#\s]+)(?:#(?P<name>[\w-]+))? -->")


def region(root, path, name):
    text = (root / path).read_text().splitlines()
    if name is None:
        # The whole file but its leading comment lines (copyright, what it shows).
        start = 0
        while start < len(text) and text[start].startswith("//"):
            start += 1
        return "\n".join(text[start:]).strip("\n")
    starts = [i for i, line in enumerate(text) if line.strip() == "//[" + name]
    if len(starts) != 1:
        raise LookupError(f"{path}: {len(starts)} regions named {name}")
    body = []
    for line in text[starts[0] + 1:]:
        if line.strip() == "//]":
            return textwrap.dedent("\n".join(body)).strip("\n")
        body.append(line)
    raise LookupError(f"{path}: region {name} has no closing //]")


def main():
    root = pathlib.Path(sys.argv[1])
    fix = "--fix" in sys.argv[2:]
    pages = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    problems, blocks = [], 0
    for page in pages:
        lines = page.read_text().split("\n")
        out, i, changed = [], 0, False
        while i < len(lines):
            line = lines[i]
            out.append(line)
            if line.strip() == "```cpp":
                blocks += 1
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
                shown = "\n".join(lines[i + 1:end])
                previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
                marker = MARKER.fullmatch(previous.strip())
                where = f"{page.relative_to(root)}:{i + 1}"
                if not marker:
                    problems.append(f"{where}: a C++ block without a <!-- snippet: FILE#NAME --> line before it")
                    out.extend(lines[i + 1:end + 1])
                    i = end + 1
                    continue
                try:
                    source = region(root, marker["path"], marker["name"])
                except (LookupError, OSError) as e:
                    problems.append(f"{where}: {e}")
                    source = shown
                if source != shown:
                    if fix:
                        changed = True
                    else:
                        problems.append(f"{where}: differs from {marker['path']}#{marker['name'] or '(whole file)'}")
                out.extend((source if fix else shown).split("\n"))
                out.append(lines[end])
                i = end + 1
                continue
            i += 1
        if fix and changed:
            page.write_text("\n".join(out))
    for p in problems:
        print(p)
    print(f"snippets: {blocks - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
