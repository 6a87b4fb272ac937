#!/usr/bin/env python3
"""Fails when a C++ function outside the tests is longer than the limit (default 100 lines).

A brace-matching scan, not a parser: comments, string and character literals (raw strings too)
are blanked first, then every `{` opened at namespace or class scope after a `)` (a parameter
list, possibly followed by qualifiers, a trailing return type or a constructor's initializer
list) starts a function body that ends at its matching `}`. A function's length is the number of
lines from its opening to its closing brace that hold code: blank lines, comment lines and the
inside of multi-line string literals (a Lua script, an HTML page) do not count. Lambdas count
toward the function they are written in.

Usage: check_function_length.py [--max N] [source root]   (ctest: function_length_limit)
"""
import os
import re
import sys

SKIPPED_TOP = {"tests", "build", ".git", "node_modules"}


def blank_literals(text):
    """Returns (code, data_lines): comments and literals replaced by spaces (newlines kept), and
    the set of 0-based line numbers that hold only the inside of a string literal."""
    out = []
    data_lines = set()
    i, n, line = 0, len(text), 0

    def skip(until):
        nonlocal i, line
        start_line = line
        while i < until:
            if text[i] == "\n":
                out.append("\n")
                line += 1
            else:
                out.append(" ")
            i += 1
        return start_line

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            skip(n if end < 0 else end)
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            skip(n if end < 0 else end + 2)
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            end = text.find(")" + delimiter + '"', open_paren)
            end = n if end < 0 else end + len(delimiter) + 2
            out.append('""')
            i += 2
            first = line
            skip(end)
            data_lines.update(range(first + 1, line))
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i += 1
            skip(min(j + 1, n))
            out.pop()  # skip() wrote the closing quote as a space; the pair is already out
            out.append(" ")
        else:
            if c == "\n":
                line += 1
            out.append(c)
            i += 1
    code = "".join(out)
    # Preprocessor lines (and their continuations) are not code a brace scan should see.
    code = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                  code, flags=re.M)
    return code, data_lines


def functions(code):
    """Yields (name, first_line, last_line) of each function body, 0-based lines."""
    scopes = []  # for each open brace: "function", "scope" (namespace/class) or "other"
    chunk_start = 0
    line_of = [0] * (len(code) + 1)
    line = 0
    for index, char in enumerate(code):
        line_of[index] = line
        if char == "\n":
            line += 1
    body_start = {}
    for index, char in enumerate(code):
        if char in ";":
            if not scopes or scopes[-1] == "scope":
                chunk_start = index + 1
        elif char == "{":
            outer = not scopes or scopes[-1] == "scope"
            if not outer:
                scopes.append("other")
                continue
            chunk = code[chunk_start:index]
            head = chunk.strip()
            if re.match(r"^(template\s*<.*>\s*)?(namespace|class|struct|union|enum|extern)\b", head, re.S) or \
                    re.search(r"\b(class|struct|union|enum)\s+[\w:]+\s*(final\s*)?(:[^()]*)?$", head, re.S) or \
                    head.endswith("namespace") or head.startswith('extern "C"'):
                scopes.append("scope")
            elif ")" in head and "=" not in head.split("(")[0]:
                scopes.append("function")
                name = re.findall(r"([~\w:<>=!+\-*/\[\]]+)\s*\(", head)
                body_start[len(scopes)] = (name[0] if name else "?", line_of[index])
            else:
                scopes.append("other")
            chunk_start = index + 1
        elif char == "}":
            if not scopes:
                continue
            kind = scopes.pop()
            if kind == "function":
                name, first = body_start.pop(len(scopes) + 1)
                yield name, first, line_of[index]
            if not scopes or scopes[-1] == "scope":
                chunk_start = index + 1


def main():
    args = sys.argv[1:]
    limit = 100
    if args[:1] == ["--max"]:
        limit, args = int(args[1]), args[2:]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))
    problems = 0
    checked = 0
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel.split(os.sep)[0] in SKIPPED_TOP or "node_modules" in rel.split(os.sep):
            dirs[:] = []
            continue
        for file in sorted(files):
            if not file.endswith((".cpp", ".hpp", ".cc", ".h")):
                continue
            path = os.path.join(folder, file)
            text = open(path, encoding="utf-8", errors="replace").read()
            code, data_lines = blank_literals(text)
            lines = code.split("\n")
            for name, first, last in functions(code):
                checked += 1
                length = sum(1 for number in range(first, last + 1)
                             if number not in data_lines and lines[number].strip())
                if length > limit:
                    problems += 1
                    print(f"{os.path.relpath(path, root)}:{first + 1}: {name} has {length} lines "
                          f"of code (limit {limit})")
    print(f"{checked} functions checked, {problems} over {limit} lines")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
