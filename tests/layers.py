#!/usr/bin/env python3
"""plugin/ by phases: every source file is in a folder plugin/LAYERS lists,
includes its headers by folder ("graph/graph.h"), includes no folder listed
after its own, names libclang only where LAYERS allows it, and is at most
800 lines long.  With --matrix, prints which folder includes which."""
import argparse
import os
import re
import sys

MAX_LINES = 800
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def read_layers(path):
    order, clang = [], set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#', 1)[0].rstrip('\n')
            if not line.strip():
                continue
            fields = line.split('\t')
            name = fields[0].strip()
            if name in order:
                sys.exit(f'{path}:{n}: folder {name} listed twice')
            order.append(name)
            if fields[-1].strip() == 'clang':
                clang.add(name)
    return order, clang


def check_file(top, rel, order, clang, uses):
    errors = []
    folder = rel.split('/')[0]
    if '/' not in rel or folder not in order:
        return [f'plugin/{rel}: not in a folder plugin/LAYERS lists']
    mine = order.index(folder)
    with open(os.path.join(top, rel), errors='replace') as f:
        lines = f.readlines()
    if len(lines) > MAX_LINES:
        errors.append(f'plugin/{rel}: {len(lines)} lines, more than {MAX_LINES}')
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, name = m.groups()
        where = f'plugin/{rel}:{n}'
        if kind == '<':
            if name.startswith('clang-c/') and folder not in clang:
                errors.append(f'{where}: <{name}> outside the libclang folders')
            continue
        target = name.split('/')[0]
        if '/' not in name or target not in order:
            errors.append(f'{where}: "{name}" is not folder/header')
            continue
        if not os.path.exists(os.path.join(top, name)):
            errors.append(f'{where}: "{name}" does not exist')
        if order.index(target) > mine:
            errors.append(f'{where}: {folder}/ includes {target}/, a later folder')
        if target != folder:
            uses.setdefault(folder, set()).add(target)
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('plugin')
    ap.add_argument('--matrix', action='store_true')
    a = ap.parse_args()
    order, clang = read_layers(os.path.join(a.plugin, 'LAYERS'))
    errors, uses, seen = [], {}, 0
    for d, _, files in sorted(os.walk(a.plugin)):
        for name in sorted(files):
            if not name.endswith(('.c', '.h')):
                continue
            rel = os.path.relpath(os.path.join(d, name), a.plugin)
            errors += check_file(a.plugin, rel, order, clang, uses)
            seen += 1
    if seen == 0:
        errors.append(f'{a.plugin}: no sources')
    for e in errors:
        print(e)
    if a.matrix:
        for folder in order:
            below = [f for f in order if f in uses.get(folder, ())]
            print(f'{folder + "/":10} includes {", ".join(b + "/" for b in below) or "nothing"}')
    print(f'layers: {seen} files, {len(errors)} problems')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
