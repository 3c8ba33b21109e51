#!/usr/bin/env python3
"""Wall time of a full splitsafe run over a compile database, next to
clang -fsyntax-only over the same translation units at the same -j.

usage: parse-ratio.py SPLITSAFE BUILD_DIR [-j N] [--rules FILE] [PATH...]
Prints the times and the ratios splitsafe / clang of a run without the
facts store, of a run filling a new store and of the run after it, which
loads every TU from the store.  Measure on an idle machine; the ratios, not
the absolute times, are the figures to track.
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

DROP_VALUE = {'-o', '-MF', '-MT', '-MQ'}
DROP = {'-c', '-MD', '-MMD', '-MP'}


def syntax_only(entry):
    args = entry.get('arguments') or shlex.split(entry['command'])
    out = [args[0], '-fsyntax-only', '-Wno-everything']
    skip = False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in DROP_VALUE:
            skip = True
            continue
        if a in DROP or a.startswith('-Wp,-M'):
            continue
        out.append(a)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('splitsafe')
    ap.add_argument('build_dir')
    ap.add_argument('-j', type=int, default=os.cpu_count())
    ap.add_argument('--rules')
    ap.add_argument('--clang-only', action='store_true',
                    help='only time clang -fsyntax-only (to set beside a run made apart)')
    ap.add_argument('paths', nargs='*')
    a = ap.parse_intermixed_args()

    with open(os.path.join(a.build_dir, 'compile_commands.json')) as fp:
        db = json.load(fp)
    root = os.path.realpath(os.path.join(a.build_dir, 'source'))
    if not os.path.isdir(root):
        root = os.path.realpath(a.build_dir)
    todo = []
    for e in db:
        f = os.path.realpath(os.path.join(e['directory'], e['file']))
        rel = os.path.relpath(f, root)
        if not f.endswith('.c'):
            continue
        if a.paths and not any(rel.startswith(p.lstrip('./')) for p in a.paths):
            continue
        todo.append(e)

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.j) as ex:
        rcs = list(ex.map(lambda e: subprocess.run(
            syntax_only(e), cwd=e['directory'], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL).returncode, todo))
    clang_s = time.monotonic() - t0

    cmd = [a.splitsafe, 'check', '-p', a.build_dir, '-j', str(a.j), '-q']
    if a.rules:
        cmd += ['--rules', a.rules]
    print('TUs: %d (clang failures: %d), -j%d' % (len(todo), sum(1 for r in rcs if r), a.j))
    print('clang -fsyntax-only: %.1fs' % clang_s)
    if a.clang_only:
        return 0
    with tempfile.TemporaryDirectory() as store:
        for what, extra in [('no facts store', ['--no-cache']),
                            ('filling a store', ['--cache', store]),
                            ('from the store', ['--cache', store])]:
            t0 = time.monotonic()
            p = subprocess.run(cmd + extra + a.paths, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
            ss_s = time.monotonic() - t0
            if p.returncode not in (0, 1):
                sys.stderr.write(p.stderr)
                return 2
            print('splitsafe check, %-16s %.1fs  ratio %.2f' % (what + ':', ss_s, ss_s / clang_s))
    return 0


if __name__ == '__main__':
    sys.exit(main())
