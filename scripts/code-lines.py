#!/usr/bin/env python3
"""Lines of Rust code of the library at a commit: non-blank lines that are not comments, in src/
and crates/*/src/, without test modules (`#[cfg(test)] mod x;` files, and everything from a file's
first other `#[cfg(test)]` on, where the test module of a file is by convention). Issue 18 asks for this number to go down; BENCHMARKS.md and CHANGELOG.md
quote it.

    python3 scripts/code-lines.py [REV]
"""
import os
import re
import subprocess
import sys

# The commands issue 15 added (init, import, the baseline, placeholders): counted apart.
ADOPTION = ("src/init.rs", "src/import/", "src/cli/import.rs", "src/baseline.rs", "src/placeholder.rs")


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


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
        t = re.sub(r"#\[cfg\(test\)\]\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+\w+\s*;", "", t)
        cut = t.find("#[cfg(test)]")
        t = t if cut < 0 else t[:cut]
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
