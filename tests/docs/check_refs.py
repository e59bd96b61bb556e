#!/usr/bin/env python3
"""Docs stand alone: no doc, config or analysis file refers to a path outside the repository or
to a repository file that does not exist.

Usage: check_refs.py REPO. Checks README.md, docs/, configs/ and analysis/ (text files): markdown
links, and words that name a repository path (`docs/x.md`, `src/...`, ...). Prints each bad
reference as FILE:LINE: message and exits 1 if there is one.
"""
import re
import subprocess
import sys
from pathlib import Path

TOP = ("docs/", "src/", "include/", "configs/", "analysis/", "tests/", "jobs/", "scripts/", "bench/",
       "cmake/", ".ci/")
ROOT_FILES = ("README.md", "CMakeLists.txt", "CMakePresets.json", ".clang-format")
OUTSIDE = [(re.compile(r"(?<![\w.])shared/"), "points at shared/, outside the repository"),
           (re.compile(r"/work/"), "an absolute path of the development machine"),
           (re.compile(r"(?<![\w/])\.\./"), "a ../ path (outside the file's folder)")]
LINK = re.compile(r"\]\(([^)\s]+)\)")
WORD = re.compile(r"(?<![\w./-])((?:%s)[\w./+-]*|(?:%s))" % ("|".join(map(re.escape, TOP)),
                                                             "|".join(map(re.escape, ROOT_FILES))))


def files(repo: Path):
    out = subprocess.run(["git", "-C", str(repo), "ls-files", "README.md", "docs", "configs", "analysis"],
                         capture_output=True, text=True, check=True).stdout.split()
    return [repo / f for f in out if not f.endswith((".png", ".h5"))]


def exists(repo: Path, base: Path, target: str) -> bool:
    target = target.split("#")[0].rstrip(".,;:)")
    target = re.sub(r":\d+$", "", target)
    if not target or any(c in target for c in "*<>{}$"):
        return True  # a pattern or a placeholder, not a file
    for root in (base, repo):
        p = (root / target).resolve()
        if p.exists() and (p == repo or repo in p.parents):
            return True
    return False


def check(repo: Path) -> list[str]:
    bad = []
    for f in files(repo):
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        rel = f.relative_to(repo)
        for n, line in enumerate(text.splitlines(), 1):
            for rx, why in OUTSIDE:
                if rx.search(line):
                    bad.append(f"{rel}:{n}: {why}: {line.strip()}")
            for m in LINK.finditer(line):
                t = m.group(1)
                if t.startswith(("http://", "https://", "mailto:", "#")):
                    continue
                if not exists(repo, f.parent, t):
                    bad.append(f"{rel}:{n}: link to a missing file: {t}")
            if f.suffix == ".py" and "tests" in rel.parts:
                continue  # test code builds paths; its words are not references
            for m in WORD.finditer(line):
                t = m.group(1)
                if t.endswith("/") or t.count("/") == 0 and t not in ROOT_FILES:
                    if t.endswith("/") and exists(repo, repo, t):
                        continue
                if not exists(repo, repo, t):
                    bad.append(f"{rel}:{n}: names a repository file that does not exist: {t}")
    return bad


def main() -> int:
    repo = Path(sys.argv[1]).resolve()
    bad = check(repo)
    for b in bad:
        print(b)
    print(f"{len(files(repo))} files checked, {len(bad)} bad references")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
