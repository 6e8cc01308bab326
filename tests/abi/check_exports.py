#!/usr/bin/env python3
"""Fails when libuptake.so exports anything outside its policy (sdk/abi/README.md):

- C: exactly the functions the public C headers declare UPTAKE_API (none missing, none more);
- C++: functions of namespace uptake and of its classes, and those classes' vtables and
  typeinfo; nothing of a `detail` namespace or an `Impl` class, nothing owned by std::,
  boost:: or any other namespace (std types may appear only as parameter types);
- every symbol under the version node of the SONAME (UPTAKE_<soversion>), and that node;
- and the exceptions listed in allowed_exports.txt beside this script, each with its reason.

Usage: check_exports.py --soversion N LIBRARY PUBLIC_C_HEADER...
"""
import argparse
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def exported(library):
    """(type, mangled name, version) of every defined dynamic symbol."""
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        name, _, version = name.partition("@")
        symbols.append((kind, name, version.lstrip("@")))
    return symbols


def demangle(names):
    out = subprocess.run(["c++filt"], input="\n".join(names) + "\n", check=True,
                         capture_output=True, text=True).stdout
    return out.splitlines()


def declared_c_functions(headers):
    names = set()
    for header in headers:
        text = pathlib.Path(header).read_text()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        names.update(re.findall(r"\bUPTAKE_API\b[^;{]*?\b(uptake_\w+)\s*\(", text, flags=re.S))
    return names


def allowed_exceptions():
    allowed = set()
    for line in (HERE / "allowed_exports.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            allowed.add(line)
    return allowed


IDENT = r"[A-Za-z][A-Za-z0-9_]*"
CLASS_SYMBOL = re.compile(rf"^(?:vtable|typeinfo|typeinfo name) for uptake::({IDENT})$")


def owner_path(demangled):
    """The qualified name of a function symbol without its parameters and ABI tags."""
    name = demangled.split("(", 1)[0]
    return re.sub(r"\[abi:\w+\]", "", name)


def cxx_problem(demangled):
    if CLASS_SYMBOL.match(demangled):
        return None
    if not demangled.startswith("uptake::"):
        return "not in namespace uptake"
    path = owner_path(demangled).split("::")
    if any(not re.fullmatch(r"~?" + IDENT, part) for part in path):
        return "a template instance or an unusual name"
    if len(path) > 3:
        return "nested deeper than uptake::Class::member"
    if any("detail" in part or part == "Impl" for part in path):
        return "internal (a detail namespace or an Impl class)"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soversion", required=True)
    parser.add_argument("library")
    parser.add_argument("headers", nargs="+")
    args = parser.parse_args()

    node = f"UPTAKE_{args.soversion}"
    symbols = exported(args.library)
    names = demangle([name for _, name, _ in symbols])
    declared = declared_c_functions(args.headers)
    allowed = allowed_exceptions()
    problems = []
    c_exported = set()
    for (kind, mangled, version), name in zip(symbols, names):
        if mangled == node and kind == "A":
            continue  # the version node itself
        if name in allowed or mangled in allowed:
            continue
        if version != node:
            problems.append(f"{name}: version '{version}', expected {node}")
        if mangled.startswith("_Z"):
            why = cxx_problem(name)
            if why:
                problems.append(f"{name}: {why}")
        elif mangled in declared:
            c_exported.add(mangled)
        else:
            problems.append(f"{name}: a C symbol no public header declares UPTAKE_API")
    for missing in sorted(declared - c_exported):
        problems.append(f"{missing}: declared UPTAKE_API but not exported")
    if not any(kind == "A" and mangled == node for kind, mangled, _ in symbols):
        problems.append(f"the version node {node} is missing")

    print(f"{args.library}: {len(symbols)} exported symbols, {len(c_exported)} C functions")
    if problems:
        print("exports outside the policy of sdk/abi/README.md:")
        for p in problems:
            print("  " + p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
