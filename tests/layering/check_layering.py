#!/usr/bin/env python3
"""The layering check: libraries in src/ include and link only floors below their own.

Every folder of src/ is one library with a floor (docs/architecture.md draws the same table). A
library may use a library on a LOWER floor only: never one above (an upward include), never one
beside it on the same floor (parsers do not know each other), so no cycle can form. Checked twice,
because either can drift alone:
  - every `#include "lib/..."` line of src/<lib>/**.{h,cc,inc};
  - every piaudit_* target named in the DEPS of piaudit_library() in src/<lib>/CMakeLists.txt.
A new folder under src/ fails the check until it is given a floor here.

Usage: check_layering.py [SOURCE_DIR]. Prints one line per violation and the plain closing line
'N passed, N failed' (one check per library); exits 1 on any violation.
"""
import os
import re
import sys

# Floor of each library, lowest first. Keep in step with docs/architecture.md.
FLOORS = {
    "base": 0,
    "sqldb": 1, "container": 1, "android": 1, "native": 1, "dex": 1, "knowledge": 1, "evidence": 1,
    "apk": 2, "trace": 2,
    "analysis": 3, "policy": 3, "runtime": 3,
    "gather": 4, "rules": 4, "compare": 4,
    "report": 5,
    "scan": 6,
    "batch": 7, "review": 7,
    "service": 8,
    "app": 9,
}
# CMake targets that are not named after their folder.
TARGET_LIBRARY = {"piaudit_app_info": "app", "piaudit_report_info": "report",
                  "piaudit_crypto": "base"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')
LIBRARY_CALL = re.compile(r"piaudit_library\((\w+)(.*?)\)", re.S)


def target_library(target):
    if target in TARGET_LIBRARY:
        return TARGET_LIBRARY[target]
    return target[len("piaudit_"):] if target.startswith("piaudit_") else None


def check_library(src, lib):
    problems = []
    floor = FLOORS[lib]

    def allowed(other):
        return other == lib or (other in FLOORS and FLOORS[other] < floor)

    root = os.path.join(src, lib)
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if name.endswith((".h", ".cc", ".inc")):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m or not os.path.isdir(os.path.join(src, m.group(1))):
                            continue
                        other = m.group(1)
                        if not allowed(other):
                            problems.append(
                                f"{os.path.relpath(path, os.path.dirname(src))}:{lineno}: {lib} "
                                f"(floor {floor}) includes {other} "
                                f"(floor {FLOORS.get(other, '?')}): {line.strip()}")
            elif name == "CMakeLists.txt":
                with open(path, encoding="utf-8") as f:
                    text = re.sub(r"#.*", "", f.read())
                for call in LIBRARY_CALL.finditer(text):
                    deps = call.group(2).split("DEPS", 1)[1] if "DEPS" in call.group(2) else ""
                    for dep in re.findall(r"\bpiaudit_\w+", deps):
                        other = target_library(dep)
                        if other and not allowed(other):
                            problems.append(
                                f"{os.path.relpath(path, os.path.dirname(src))}: target "
                                f"{call.group(1)} ({lib}, floor {floor}) links {dep} "
                                f"({other}, floor {FLOORS.get(other, '?')})")
    return problems


def self_test():
    """The check must fail on an upward include, a sideways CMake dependency and a new folder."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        def write(rel, text):
            path = os.path.join(tmp, "src", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        write("base/status.h", "#pragma once\n")
        write("dex/dex_file.cc", '#include "base/status.h"\n#include "dex/x.h"\n')
        clean = not any(check_library(os.path.join(tmp, "src"), lib) for lib in ("base", "dex"))
        write("dex/reader.cc", '#include "analysis/call_graph.h"\n')
        os.makedirs(os.path.join(tmp, "src", "analysis"))
        upward = check_library(os.path.join(tmp, "src"), "dex")
        write("android/CMakeLists.txt", "piaudit_library(piaudit_android SRCS a.cc\n  DEPS piaudit_dex)\n")
        sideways = check_library(os.path.join(tmp, "src"), "android")
    ok = clean and len(upward) == 1 and len(sideways) == 1 and "newroom" not in FLOORS
    print("self-test:", "clean tree passes" if clean else "clean tree FAILED",
          "| upward include:", upward, "| sideways link:", sideways)
    print(f"{int(ok)} passed, {int(not ok)} failed")
    return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    src = os.path.join(os.path.abspath(source), "src")
    libraries = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    passed = failed = 0
    for lib in libraries:
        if lib not in FLOORS:
            print(f"src/{lib}: a library with no floor; give it one in {__file__} and in "
                  f"docs/architecture.md")
            failed += 1
            continue
        problems = check_library(src, lib)
        for p in problems:
            print(p)
        if problems:
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
