#!/usr/bin/env python3
"""Lines of Rust code of the library at a commit: non-blank lines that are not comments, in src/
and crates/*/src/, without the items marked `#[cfg(test)]` (test modules, in the file or in a file of their own,
and test helpers). Issue 18 asks for this number to go down; BENCHMARKS.md and CHANGELOG.md
quote it.

    python3 scripts/code-lines.py [REV]
"""
import os
import re
import subprocess
import sys

# The commands issue 15 added (init, import, the baseline, placeholders): counted apart.
ADOPTION = ("src/init.rs", "src/import/", "src/import_cli.rs", "src/cli/import.rs", "src/baseline.rs", "src/placeholder.rs")


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def without_test_items(text):
    """`text` without the items marked `#[cfg(test)]`: a `mod x;` line, or the item up to its
    closing brace (braces inside string and character literals are left out of the count)."""
    out = []
    rest = text
    while (at := rest.find("#[cfg(test)]")) >= 0:
        out.append(rest[:at])
        item = rest[at:]
        code = re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'', lambda m: " " * len(m.group(0)), item)
        brace, semicolon = code.find("{"), code.find(";")
        if brace < 0 or 0 <= semicolon < brace:
            end = semicolon + 1 if semicolon >= 0 else len(item)
        else:
            depth, end = 0, len(item)
            for i in range(brace, len(code)):
                if code[i] == "{":
                    depth += 1
                elif code[i] == "}":
                    depth -= 1
                    if depth == 0:
                        end = i + 1
                        break
        rest = item[end:]
    out.append(rest)
    return "".join(out)


def counts(rev):
    files = [f for f in git("ls-tree", "-r", "--name-only", rev).split()
             if f.endswith(".rs") and (f.startswith("src/") or f.startswith("crates/"))]
    texts = {f: git("show", f"{rev}:{f}") for f in files}
    test_only = set()
    for f, t in texts.items():
        for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+(\w+)\s*;", t):
            d = os.path.dirname(f)
            base = d if f.endswith(("mod.rs", "lib.rs", "main.rs")) else f[:-3]
            test_only |= {f"{base}/{m.group(1)}.rs", f"{base}/{m.group(1)}/mod.rs"}
    out = {}
    for f, t in texts.items():
        if f in test_only:
            continue
        t = without_test_items(t)
        out[f] = sum(1 for line in t.split("\n") if line.strip() and not line.strip().startswith("//"))
    return out


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
    c = counts(rev)
    src = sum(v for k, v in c.items() if k.startswith("src/"))
    crates = sum(v for k, v in c.items() if k.startswith("crates/"))
    adoption = sum(v for k, v in c.items() if k.startswith(ADOPTION))
    print(f"{rev}: src/ {src}, crates/ {crates}, together {src + crates}; "
          f"without the commands of issue 15 ({adoption}): {src + crates - adoption}")


main()
