#!/usr/bin/env python3
"""Import circles between the files of one module directory.

Usage: scripts/module-cycles.py [src/sync src/sim ...]

With no arguments it checks every layer: sync, sim, source, store, tui and
commands.

A file A "imports" sibling B when its code names `super::B`, `crate::<dir>::B`
or (from mod.rs) `B::`. `mod.rs` re-exporting its children does not count as
an import of them (declaring a child is not depending on it); a child naming
something that mod.rs itself defines does count as an edge to mod.rs.
Prints every strongly connected component of more than one file; exits 1 if
there is one.
"""
import os
import re
import sys


def siblings(directory):
    """Each child module of `directory` and the file that declares it: `x.rs`,
    or `x/mod.rs` for a child with a folder of its own."""
    names = {}
    for entry in sorted(os.listdir(directory)):
        path = os.path.join(directory, entry)
        if entry.endswith(".rs"):
            names[entry[:-3]] = path
        elif os.path.isfile(os.path.join(path, "mod.rs")):
            names[entry] = os.path.join(path, "mod.rs")
    return names


def code_of(path, own_mod=False):
    """A child's code: its file and, when it has a folder, every file in it."""
    text = open(path, encoding="utf-8").read()
    folder = os.path.dirname(path) if path.endswith("/mod.rs") else path[:-3]
    # A directory's own mod.rs is one file; a child's mod.rs brings its folder.
    if os.path.isdir(folder) and not own_mod:
        for root, _, files in sorted(os.walk(folder)):
            for f in sorted(files):
                inner = os.path.join(root, f)
                if f.endswith(".rs") and inner != path:
                    text += open(inner, encoding="utf-8").read()
    # Drop comments and the test module, which may reach anywhere.
    text = re.sub(r"//[^\n]*", "", text)
    cut = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
    return text[: cut.start()] if cut else text


def graph(directory):
    names = siblings(directory)
    crate_path = directory.replace("src/", "", 1).replace("/", "::")
    mod_defs = set()
    if "mod" in names:
        mod_text = code_of(names["mod"], own_mod=True)
        mod_defs = set(re.findall(r"pub(?:\([a-z]+\))?\s+(?:struct|enum|fn|type|const|trait)\s+(\w+)", mod_text))
    edges = {n: set() for n in names}
    for name, path in names.items():
        text = code_of(path, own_mod=(name == "mod"))
        grouped = set()
        for block in re.findall(rf"(?:super|crate::{crate_path})::\{{([^;]*)\}}", text):
            grouped.update(re.findall(r"(?:^|[{{,\s])(\w+)", block))
        for other in names:
            if other in (name, "mod"):
                continue
            pattern = rf"(super|crate::{crate_path})::{other}\b"
            if name == "mod":
                # mod.rs uses a child when it names it outside `mod`/`pub use` lines.
                body = "\n".join(l for l in text.splitlines() if not re.match(r"\s*(pub(\([a-z]+\))?\s+)?(mod|use)\s", l))
                if re.search(rf"\b{other}::", body):
                    edges[name].add(other)
            elif re.search(pattern, text) or other in grouped:
                edges[name].add(other)
        if name != "mod" and mod_defs:
            used = re.findall(rf"(?:super|crate::{crate_path})::(\w+)", text)
            if any(u in mod_defs for u in used) or grouped & mod_defs:
                edges[name].add("mod")
    return edges


def components(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return [c for c in out if len(c) > 1]


def main():
    found = False
    for directory in sys.argv[1:] or ["src/sync", "src/sim", "src/source", "src/store", "src/tui", "src/commands"]:
        for comp in components(graph(directory.rstrip("/"))):
            found = True
            print(f"{directory}: circle of {len(comp)}: {', '.join(comp)}")
    if not found:
        print("no circles")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
