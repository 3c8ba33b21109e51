#!/usr/bin/env python3
"""A damaged facts store costs time, never the answer (fixture variant v7.1).

Each case damages a copy of a store made by one run, runs 'check' on it and
holds the report against the undamaged run's:
- a TU's facts overwritten (random bytes, NULL, empty) or a header
  function's unit emptied: one line names what is made again, the report is
  the same, and the next run loads everything from the store (healed);
- single bits flipped anywhere in stored blobs: the same report, each time;
- meta.id NULL, the file truncated or not SQLite at all: the store is started
  afresh, one line says why, the same report;
- a read-only store: exit 2, one line that says so and what to do;
- 'check --facts DIR' (kbuild's store, which only 'extract' can fill) on a
  damaged file: exit 2, one line;
- cold runs started together on one new store: every one succeeds.
"""
import argparse
import importlib.util
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('fixtures', os.path.join(HERE, 'run-fixtures.py'))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

SUMMARY = re.compile(r'(\d+) TUs parsed \((\d+) from the facts store\)')


class Damage:
    def __init__(self, splitsafe, tree, work):
        self.ss = splitsafe
        self.tree = tree
        self.work = work
        self.errors = []
        self.checks = 0
        self.pristine = os.path.join(work, 'pristine')
        shutil.rmtree(self.pristine, ignore_errors=True)
        self.ref = self.check(self.pristine)
        self.expect(self.ref.returncode in (0, 1), 'reference run failed: %s' % self.ref.stderr)
        self.nr_tus = self.loaded(self.ref)[0]

    def expect(self, cond, msg):
        self.checks += 1
        if not cond:
            self.errors.append(msg)
        return cond

    def check(self, cache, extra=(), **kw):
        return subprocess.run([self.ss, 'check', '-p', self.tree, '-j2', '--cache', cache] +
                              list(extra), capture_output=True, text=True, **kw)

    def loaded(self, p):
        m = SUMMARY.search(p.stderr)
        return (int(m.group(1)), int(m.group(2))) if m else (None, None)

    def copy(self, name):
        dest = os.path.join(self.work, name)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(self.pristine, dest)
        return dest

    def sql(self, cache, statement):
        db = sqlite3.connect(os.path.join(cache, 'facts.db'))
        rows = db.execute(statement).fetchall()
        db.commit()
        db.close()
        return rows

    def notes(self, p):
        """stderr without the summary line"""
        return [l for l in p.stderr.splitlines() if not SUMMARY.search(l)]

    def same_report(self, name, p):
        self.expect(p.returncode == self.ref.returncode,
                    '%s: exit %d, want %d: %s' % (name, p.returncode, self.ref.returncode,
                                                 p.stderr.strip()))
        return self.expect(p.stdout == self.ref.stdout, '%s: the report differs' % name)

    def one_line(self, name, p, pattern):
        notes = self.notes(p)
        self.expect(len(notes) == 1 and re.search(pattern, notes[0]),
                    '%s: want one line matching %r, got %r' % (name, pattern, notes))


def test_blobs(d):
    """Overwritten TU facts and units: named, made again, healed."""
    for name, value in [('random', 'randomblob(200)'), ('null', 'NULL'), ('empty', "x''")]:
        cache = d.copy('blob-' + name)
        (tu,), = d.sql(cache, 'SELECT file FROM tus ORDER BY file LIMIT 1 OFFSET 3')
        d.sql(cache, "UPDATE tus SET facts=%s WHERE file='%s'" % (value, tu))
        p = d.check(cache)
        d.same_report('tu facts ' + name, p)
        d.one_line('tu facts ' + name, p, re.escape(os.path.relpath(tu, d.tree)) +
                   r': stored facts fail their checksum; parsing it again$')
        d.expect(d.loaded(p) == (d.nr_tus, d.nr_tus - 1),
                 'tu facts %s: loaded %r' % (name, d.loaded(p)))
        again = d.check(cache)
        d.expect(d.loaded(again) == (d.nr_tus, d.nr_tus) and not d.notes(again),
                 'tu facts %s: not healed: %r %r' % (name, d.loaded(again), d.notes(again)))
        d.same_report('tu facts %s, healed' % name, again)
    cache = d.copy('unit')
    (key,), = d.sql(cache, 'SELECT key FROM units ORDER BY key LIMIT 1')
    d.sql(cache, "UPDATE units SET facts=randomblob(64) WHERE key='%s'" % key)
    p = d.check(cache)
    d.same_report('unit facts', p)
    d.one_line('unit facts', p, r'stored facts of header function %s\(\).* fail their '
               r'checksum; extracting them again$' % re.escape(key.split('@')[0]))
    again = d.check(cache)
    d.expect(not d.notes(again), 'unit facts: not healed: %r' % d.notes(again))


def test_bit_flips(d, n=60):
    """Single bits flipped in stored blobs: the same report every time."""
    rnd = random.Random(13)
    cache = d.copy('flip')
    rows = [('tus', 'file', k) for k, in d.sql(cache, 'SELECT file FROM tus')] + \
        [('units', 'key', k) for k, in d.sql(cache, 'SELECT key FROM units')]
    for i in range(n):
        table, column, key = rnd.choice(rows)
        db = sqlite3.connect(os.path.join(cache, 'facts.db'))
        (blob,), = db.execute('SELECT facts FROM %s WHERE %s=?' % (table, column),
                              (key,)).fetchall()
        b = bytearray(blob)
        bit = rnd.randrange(len(b) * 8)
        b[bit // 8] ^= 1 << (bit % 8)
        db.execute('UPDATE %s SET facts=? WHERE %s=?' % (table, column), (bytes(b), key))
        db.commit()
        db.close()
        what = 'bit %d of %s' % (bit, os.path.basename(key))
        p = d.check(cache)
        if not d.same_report(what, p):
            break
        d.expect(len(d.notes(p)) == 1 and 'fail their checksum' in d.notes(p)[0],
                 '%s: %r' % (what, d.notes(p)))


def test_whole_store(d):
    """A store that cannot be trusted as a whole is started afresh."""
    cache = d.copy('meta')
    d.sql(cache, "UPDATE meta SET v=NULL WHERE k='id'")
    p = d.check(cache)
    d.same_report('meta.id NULL', p)
    d.one_line('meta.id NULL', p, r"facts.db: the store's id is unreadable; starting it afresh$")
    d.expect(d.loaded(p) == (d.nr_tus, 0), 'meta.id NULL: loaded %r' % (d.loaded(p),))
    db = os.path.join(d.pristine, 'facts.db')
    for name, size in [('truncated', os.path.getsize(db) // 3), ('header cut', 50)]:
        cache = d.copy(name.replace(' ', '-'))
        os.truncate(os.path.join(cache, 'facts.db'), size)
        p = d.check(cache)
        d.same_report(name, p)
        d.one_line(name, p, r'facts.db: .*the store is damaged \(.*\); starting it afresh$')
    cache = d.copy('not-sqlite')
    with open(os.path.join(cache, 'facts.db'), 'wb') as fp:
        fp.write(b'not a database, not even its header\n' * 200)
    p = d.check(cache)
    d.same_report('not sqlite', p)
    d.one_line('not sqlite', p, r'the store is damaged \(file is not a database\); '
               r'starting it afresh$')


def staged(d):
    """A copy of the binary, the rules and the tree that any user can read,
    and the command prefix that runs as an unprivileged user (root writes
    read-only files)."""
    stage = tempfile.mkdtemp(prefix='splitsafe-ro.', dir='/tmp')
    shutil.copy(d.ss, os.path.join(stage, 'splitsafe'))
    shutil.copytree(os.path.join(HERE, '..', 'rules'), os.path.join(stage, 'rules'))
    tree = os.path.join(stage, 'tree')
    shutil.copytree(d.tree, tree, symlinks=True)
    path = os.path.join(tree, 'compile_commands.json')
    with open(path) as fp:
        db = fp.read().replace(d.tree, tree)
    with open(path, 'w') as fp:
        fp.write(db)
    for top, dirs, files in os.walk(stage):
        for n in dirs + files:
            os.chmod(os.path.join(top, n), 0o755)
    os.chmod(stage, 0o755)
    user = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] \
        if os.geteuid() == 0 else []
    argv = user + [os.path.join(stage, 'splitsafe'), 'check', '-p', tree, '-q', '--rules',
                   os.path.join(stage, 'rules', 'arm64-split.yaml')]
    return stage, argv


def test_read_only(d):
    """A store that cannot be written: exit 2, one line, what to do."""
    stage, argv = staged(d)
    cases = []
    for name in ('ro-file', 'ro-dir'):
        cache = os.path.join(stage, name)
        shutil.copytree(d.pristine, cache)
        cases.append((name, cache))
    os.chmod(cases[0][1], 0o777)
    os.chmod(os.path.join(cases[0][1], 'facts.db'), 0o444)
    os.chmod(os.path.join(cases[1][1], 'facts.db'), 0o666)
    os.chmod(cases[1][1], 0o555)
    for name, cache in cases:
        p = subprocess.run(argv + ['--cache', cache], capture_output=True, text=True)
        lines = p.stderr.splitlines()
        d.expect(p.returncode == 2 and not p.stdout and len(lines) == 1 and
                 re.search(r'the facts store is read-only \(fix its permissions, or give '
                           r'--cache a directory you can write, or --no-cache\)$', lines[0]),
                 '%s: exit %d, stderr %r' % (name, p.returncode, p.stderr))
        os.chmod(cache, 0o755)
    shutil.rmtree(stage)


def test_facts_dir(d):
    """kbuild's store cannot be made again by 'check': say so."""
    facts = os.path.join(d.work, 'kbuild-facts')
    shutil.rmtree(facts, ignore_errors=True)
    os.makedirs(facts)
    with open(os.path.join(facts, 'facts.db'), 'wb') as fp:
        fp.write(b'\0garbage' * 500)
    p = subprocess.run([d.ss, 'check', '--facts', facts, '-q'], capture_output=True, text=True)
    lines = p.stderr.splitlines()
    d.expect(p.returncode == 2 and len(lines) == 1 and
             re.search(r"facts.db: the facts store is damaged: run 'splitsafe extract' again$",
                       lines[0]), '--facts damaged: exit %d, %r' % (p.returncode, p.stderr))


def test_concurrent(d, rounds=25):
    """Cold runs started together on one new store all succeed."""
    for i in range(rounds):
        cache = os.path.join(d.work, 'together')
        shutil.rmtree(cache, ignore_errors=True)
        runs = [subprocess.Popen([d.ss, 'check', '-p', d.tree, '-j1', '--cache', cache],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(4)]
        for r in runs:
            out, err = r.communicate()
            if not d.expect(r.returncode == d.ref.returncode and out == d.ref.stdout,
                            'concurrent run %d: exit %d: %s' % (i, r.returncode, err.strip())):
                return


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe', required=True)
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--work', required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    tree, _ = fixtures.build_variant(args.fixtures, 'v7.1', args.work)
    d = Damage(args.splitsafe, tree, args.work)
    for name, test in [('blobs', test_blobs), ('bit flips', test_bit_flips),
                       ('whole store', test_whole_store), ('read-only', test_read_only),
                       ('--facts', test_facts_dir), ('concurrent', test_concurrent)]:
        before = len(d.errors)
        test(d)
        print('%s %s' % ('ok  ' if len(d.errors) == before else 'FAIL', name))
    for e in d.errors:
        print('  ' + e)
    print('store damage: %d checks, %d failed' % (d.checks, len(d.errors)))
    return 1 if d.errors else 0


if __name__ == '__main__':
    sys.exit(main())
