#!/usr/bin/env python3
"""Seeds for fuzz_facts: the blobs of a fresh facts store, made by running
splitsafe on one fixture tree, one file per blob (TU parts and units).
Made at test time, not committed, so that they follow the blob format.

usage: facts-seeds.py --splitsafe S --fixtures DIR --work DIR
writes WORK/facts-seeds/{tu,unit}-N.blob"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe', required=True)
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--work', required=True)
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    tree = subprocess.run(
        [sys.executable, os.path.join(here, '..', 'run-fixtures.py'),
         '--fixtures', args.fixtures, '--work', args.work,
         '--prepare-only', '--variant', 'v7.1'],
        check=True, capture_output=True, text=True).stdout.strip()
    cache = os.path.join(args.work, 'cache')
    p = subprocess.run([args.splitsafe, 'check', '-p', tree, '-q', '-j1',
                        '--cache', cache], capture_output=True, text=True)
    if p.returncode not in (0, 1):    # 1: it found something
        sys.stderr.write('facts-seeds: splitsafe check failed (%d):\n%s' %
                         (p.returncode, p.stderr))
        return 1
    out = os.path.join(args.work, 'facts-seeds')
    os.makedirs(out)
    db = sqlite3.connect(os.path.join(cache, 'facts.db'))
    n = 0
    for table, kind in (('tus', 'tu'), ('units', 'unit')):
        for i, (blob,) in enumerate(db.execute(
                'SELECT facts FROM %s WHERE facts IS NOT NULL ORDER BY rowid' % table)):
            with open(os.path.join(out, '%s-%d.blob' % (kind, i)), 'wb') as fp:
                fp.write(blob)
            n += 1
    db.close()
    print('facts-seeds: %d blobs in %s' % (n, out))
    return 0 if n else 1


if __name__ == '__main__':
    sys.exit(main())
