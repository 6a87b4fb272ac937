#!/usr/bin/env python3
"""Fails when a library includes a header of another folder it does not link.

Every library is declared with kayou_library(<name> [DIR <folder>] DEPS ... [EXCLUDE ...]) in its
folder's CMakeLists.txt (cmake/KayouLibrary.cmake); a header-only one with add_library(<name>
INTERFACE) whose headers are listed with target_sources(<name> INTERFACE ...). A source file
belongs to the library whose folder holds it (the deepest one, minus EXCLUDE patterns); a header
the same way, unless a header-only library lists it. For each library, every `#include "x/..."`
of its files must name a header of the library itself or of a library in its own DEPS (direct,
not through another library), and the DEPS between kayou libraries must have no cycle.

Usage: check_includes.py [source root]   (ctest: library_includes_match_links)
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
SKIPPED_TOP = {"tests", "bench", "fuzz", "build", "scripts", "docs", "config", "deploy", "cmake", ".git"}


def cmake_calls(text, command):
    """Yields the argument words of each `command(...)` call in CMake text (comments removed)."""
    text = re.sub(r"#[^\n]*", "", text)
    for match in re.finditer(r"\b" + command + r"\s*\(([^)]*)\)", text):
        yield match.group(1).split()


def load_libraries():
    libraries = {}  # name -> {"dir", "deps", "exclude", "headers"}
    for folder, dirs, files in os.walk(ROOT):
        rel = os.path.relpath(folder, ROOT)
        if rel.split(os.sep)[0] in SKIPPED_TOP:
            dirs[:] = []
            continue
        if "CMakeLists.txt" not in files or rel == ".":
            continue
        text = open(os.path.join(folder, "CMakeLists.txt"), encoding="utf-8").read()
        for words in cmake_calls(text, "kayou_library"):
            name, section = words[0], None
            library = {"dir": rel, "deps": set(), "exclude": [], "headers": set()}
            for word in words[1:]:
                if word in ("DIR", "DEPS", "EXCLUDE"):
                    section = word
                elif section == "DIR":
                    library["dir"] = os.path.relpath(
                        word.replace("${CMAKE_CURRENT_SOURCE_DIR}", folder), ROOT)
                elif section == "DEPS":
                    library["deps"].add(word)
                elif section == "EXCLUDE":
                    library["exclude"].append(word.strip('"').replace("\\\\", "\\"))
            libraries[name] = library
        for words in cmake_calls(text, "add_library"):
            if len(words) >= 2 and words[1] == "INTERFACE":
                libraries[words[0]] = {"dir": None, "deps": set(), "exclude": [], "headers": set()}
        for words in cmake_calls(text, "target_link_libraries"):
            if words[0] in libraries and libraries[words[0]]["dir"] is None:
                libraries[words[0]]["deps"].update(w for w in words[2:] if w.startswith("kayou_"))
        for words in cmake_calls(text, "target_sources"):
            if words[0] in libraries and libraries[words[0]]["dir"] is None:
                files = words[words.index("FILES") + 1:] if "FILES" in words else words[2:]
                for word in files:
                    path = word.replace("${CMAKE_CURRENT_SOURCE_DIR}", folder)
                    libraries[words[0]]["headers"].add(os.path.relpath(path, ROOT))
    return libraries


def owner_of(path, libraries):
    """The library a repository-relative file belongs to, or None (tools, tests, ...)."""
    for name, library in libraries.items():
        if path in library["headers"]:
            return name
    best, best_depth = None, -1
    for name, library in libraries.items():
        folder = library["dir"]
        if folder is None or not path.startswith(folder + "/"):
            continue
        if any(re.search(pattern, "/" + path) for pattern in library["exclude"]):
            continue
        depth = folder.count("/")
        if depth > best_depth:
            best, best_depth = name, depth
    return best


def find_cycle(libraries):
    state = {}

    def visit(name, trail):
        state[name] = "open"
        for dep in sorted(libraries[name]["deps"]):
            if dep not in libraries:
                continue
            if state.get(dep) == "open":
                return trail + [name, dep]
            if dep not in state:
                cycle = visit(dep, trail + [name])
                if cycle:
                    return cycle
        state[name] = "done"
        return None

    for name in sorted(libraries):
        if name not in state:
            cycle = visit(name, [])
            if cycle:
                return cycle
    return None


def main():
    libraries = load_libraries()
    include = re.compile(r'^\s*#\s*include\s+"([a-z_]+/[^"]+)"', re.M)
    problems = []
    for folder, dirs, files in os.walk(ROOT):
        rel_folder = os.path.relpath(folder, ROOT)
        if rel_folder.split(os.sep)[0] in SKIPPED_TOP:
            dirs[:] = []
            continue
        for file in sorted(files):
            if not file.endswith((".cpp", ".hpp", ".cpp.in")):
                continue
            path = os.path.normpath(os.path.join(rel_folder, file))
            library = owner_of(path, libraries)
            if library is None:
                continue
            text = open(os.path.join(folder, file), encoding="utf-8").read()
            for header in include.findall(text):
                if not os.path.exists(os.path.join(ROOT, header)):
                    continue  # not one of ours
                target = owner_of(header, libraries)
                if target is None or target == library or target in libraries[library]["deps"]:
                    continue
                problems.append(f"{path}: includes {header} ({target}), but {library} does not "
                                f"link {target}")
    cycle = find_cycle(libraries)
    if cycle:
        problems.append("library dependency cycle: " + " -> ".join(cycle))
    for problem in problems:
        print(problem)
    print(f"{len(libraries)} libraries checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
