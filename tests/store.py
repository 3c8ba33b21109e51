#!/usr/bin/env python3
"""The facts store, --since/--diff and kbuild CHECK mode, on copies of the
fixture tree (variant v7.1).

- store: a second run loads every TU and prints the same report; a touched
  file is not parsed again, a changed one is (and a changed header: every
  TU that includes it); a TU that stops defining a header function it had
  extracted for the others is covered by a second round; in every case the
  report equals a run without the store.
- since: a synthetic commit makes a helper in one file sleep; the caller
  that holds a spinlock is in another, unchanged file.  --since HEAD~1 and
  --diff of that commit (LF or CRLF) report exactly the warnings the commit
  added.
- kbuild: every TU through 'splitsafe extract --facts DIR' with the flags
  kbuild passes a CHECK (sparse's included), then 'check --facts DIR'
  reports what 'check -p' does; a changed source is parsed again with the
  stored flags.
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('fixtures', os.path.join(HERE, 'run-fixtures.py'))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

SUMMARY = re.compile(r'(\d+) TUs parsed \((\d+) from the facts store\)')
CHECKFLAGS = ['-D__linux__', '-Dlinux', '-D__STDC__', '-Dunix', '-D__unix__', '-Wbitwise',
              '-Wno-return-void', '-Wno-unknown-attribute', '--arch=arm64', '-mlittle-endian',
              '-m64', '-D__AARCH64EL__', '-D__aarch64__']


class Checker:
    def __init__(self, splitsafe):
        self.splitsafe = splitsafe
        self.errors = []
        self.checks = 0

    def expect(self, cond, msg):
        self.checks += 1
        if not cond:
            self.errors.append(msg)
        return cond

    def run(self, args, **kw):
        return subprocess.run([self.splitsafe] + args, capture_output=True, text=True, **kw)

    def check(self, tree, extra=()):
        return self.run(['check', '-p', tree, '--show-suppressed', '-j2'] + list(extra))


def from_store(p):
    m = SUMMARY.search(p.stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def append(path, text):
    with open(path, 'a') as fp:
        fp.write(text)


def test_store(c, tree):
    t = fixtures.copy_tree(tree, '-store')
    cache = os.path.join(t, 'cache')
    ref = c.check(t, ['--no-cache'])
    first = c.check(t, ['--cache', cache])
    n, _ = from_store(first)
    c.expect(first.stdout == ref.stdout, 'store: a first run differs from --no-cache')
    c.expect(from_store(first) == (n, 0), 'store: first run loaded TUs: %r' % (from_store(first),))
    second = c.check(t, ['--cache', cache])
    c.expect(second.stdout == ref.stdout, 'store: a run from the store differs')
    c.expect(from_store(second) == (n, n), 'store: second run: %r of %d' % (from_store(second), n))

    os.utime(os.path.join(t, 'drivers/misc/ctx.c'))
    p = c.check(t, ['--cache', cache])
    c.expect(from_store(p) == (n, n), 'store: a touched file was parsed again: %r' % (from_store(p),))

    append(os.path.join(t, 'drivers/misc/ctx.c'), '\n/* changed */\n')
    p = c.check(t, ['--cache', cache])
    c.expect(from_store(p) == (n, n - 1), 'store: one changed file: %r' % (from_store(p),))
    c.expect(p.stdout == ref.stdout, 'store: report after one change differs')

    # a header: every TU that includes it
    db = sqlite3.connect(os.path.join(cache, 'facts.db'))
    hdr = os.path.realpath(os.path.join(t, 'include/asm/set_memory.h'))
    users = [f for f, deps in db.execute('SELECT file, deps FROM tus')
             if hdr in deps.decode().split('\0')]
    db.close()
    append(hdr, '\n/* changed */\n')
    p = c.check(t, ['--cache', cache])
    c.expect(len(users) > 1 and from_store(p) == (n, n - len(users)),
             'store: header of %d TUs changed: %r' % (len(users), from_store(p)))
    c.expect(p.stdout == c.check(t, ['--no-cache']).stdout, 'store: report after a header change differs')
    test_orphan(c, t, cache)


def test_orphan(c, t, cache):
    """A header function extracted by the first TU including it; that TU
    stops including it; another TU, unchanged, still calls it."""
    with open(os.path.join(t, 'include/linux/orphan.h'), 'w') as fp:
        fp.write('#include <linux/spinlock.h>\n#include <asm/set_memory.h>\n'
                 'static spinlock_t orphan_lock;\n'
                 'static inline void orphan_helper(struct page *page)\n{\n'
                 '\tspin_lock(&orphan_lock);\n\tset_direct_map_invalid_noflush(page);\n'
                 '\tspin_unlock(&orphan_lock);\n}\n')
    first, other = 'arch/arm64/kernel/setup.c', 'drivers/misc/ignored.c'
    append(os.path.join(t, first), '\n#include <linux/orphan.h>\n')
    append(os.path.join(t, other), '\n#include <linux/orphan.h>\n'
           'void orphan_user(struct page *page)\n{\n\torphan_helper(page);\n}\n')
    c.run(['check', '-p', t, '-q', '-j1', '--cache', cache])
    db = sqlite3.connect(os.path.join(cache, 'facts.db'))
    owner = [r[0] for r in db.execute("SELECT tu FROM units WHERE key LIKE 'orphan_helper@%'")]
    db.close()
    c.expect(owner == [os.path.realpath(os.path.join(t, first))],
             'orphan: orphan_helper extracted by %r' % owner)
    path = os.path.join(t, first)
    with open(path) as fp:
        src = fp.read()
    with open(path, 'w') as fp:
        fp.write(src.replace('#include <linux/orphan.h>\n', ''))
    p = c.check(t, ['--cache', cache])
    ref = c.check(t, ['--no-cache'])
    c.expect(p.stdout == ref.stdout, 'orphan: report differs from --no-cache:\n' + p.stdout[:500])
    c.expect('include/linux/orphan.h:7:2: warning:' in ref.stdout,
             'orphan: the path through orphan_helper is not reported')


def git(tree, *args):
    return subprocess.run(['git', '-C', tree, '-c', 'user.name=splitsafe', '-c',
                           'user.email=splitsafe@example.invalid'] + list(args),
                          capture_output=True, text=True, check=True).stdout


def blocks(out):
    """Each warning with its notes, as one string."""
    res, cur = [], None
    for line in out.splitlines():
        if ': warning: ' in line:
            cur = [line]
            res.append(cur)
        elif cur is not None and ': note: ' in line and 'note: suppressed' not in line:
            cur.append(line)
        else:
            cur = None
    return sorted('\n'.join(b) for b in res)


def test_since(c, tree):
    t = fixtures.copy_tree(tree, '-since')
    append(os.path.join(t, 'drivers/misc/ctx.c'),
           '\nvoid since_helper(struct page *page);\n\n'
           '/* an unchanged caller that holds a lock */\n'
           'void since_caller(struct page *page)\n{\n\tspin_lock(&l6);\n'
           '\tsince_helper(page);\n\tspin_unlock(&l6);\n}\n')
    append(os.path.join(t, 'drivers/misc/boot.c'),
           '\n#include <asm/set_memory.h>\n\nvoid since_helper(struct page *page)\n{\n}\n')
    git(t, 'init', '-q')
    git(t, 'add', '-A')
    git(t, 'commit', '-q', '-m', 'base')
    before = blocks(c.check(t, ['--no-cache']).stdout)
    path = os.path.join(t, 'drivers/misc/boot.c')
    with open(path) as fp:
        src = fp.read()
    with open(path, 'w') as fp:
        fp.write(src.replace('void since_helper(struct page *page)\n{\n}',
                             'void since_helper(struct page *page)\n{\n'
                             '\tset_direct_map_invalid_noflush(page);\n}'))
    git(t, 'commit', '-q', '-a', '-m', 'since_helper changes the direct map')
    full = c.check(t)
    new = [b for b in blocks(full.stdout) if b not in before]
    c.expect(len(new) >= 1 and all('since_caller' in b or 'ctx.c' in b for b in new),
             'since: the commit should add the since_caller path: %r' % new)
    p = c.check(t, ['--since', 'HEAD~1'])
    c.expect(blocks(p.stdout) == new, 'since: --since HEAD~1 reports %r, expected %r' %
             (blocks(p.stdout), new))
    c.expect(p.returncode == 1, 'since: exit %d' % p.returncode)
    c.expect(from_store(p)[1] == from_store(p)[0], 'since: with the store, nothing is parsed again')
    patch = os.path.join(t, 'change.patch')
    with open(patch, 'w') as fp:
        fp.write(git(t, 'format-patch', '-1', '--stdout'))
    p = c.check(t, ['--diff', patch])
    c.expect(blocks(p.stdout) == new, 'since: --diff reports %r' % blocks(p.stdout))
    with open(patch) as fp:
        p = c.run(['check', '-p', t, '--diff', '-'], stdin=fp)
    c.expect(blocks(p.stdout) == new, 'since: --diff - reports %r' % blocks(p.stdout))
    crlf = os.path.join(t, 'change-crlf.patch')     # as a mail client saves it
    with open(patch, 'rb') as fp, open(crlf, 'wb') as out:
        out.write(fp.read().replace(b'\n', b'\r\n'))
    p = c.check(t, ['--diff', crlf])
    c.expect(blocks(p.stdout) == new and p.returncode == 1,
             'since: --diff of a CRLF patch: exit %d, %r' % (p.returncode, blocks(p.stdout)))
    p = c.check(t, ['--since', 'HEAD'])
    c.expect(p.returncode == 0 and not blocks(p.stdout), 'since: --since HEAD reports %r' % p.stdout)
    p = c.check(t, ['--since', 'no-such-rev'])
    c.expect(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and not p.stdout,
             'since: a bad revision: exit %d, %r' % (p.returncode, p.stderr))
    with open(patch, 'w') as fp:
        fp.write('--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,x @@\n')
    p = c.check(t, ['--diff', patch])
    c.expect(p.returncode == 2 and ('%s:3:' % patch) in p.stderr,
             'since: a malformed patch: exit %d, %r' % (p.returncode, p.stderr))
    test_precommit(c, t)


def test_precommit(c, t):
    """The hook of .pre-commit-hooks.yaml through pre-commit itself: a
    staged change that adds a path fails the hook, its revert passes."""
    repo = os.path.dirname(HERE)
    env = dict(os.environ, PATH=os.path.dirname(c.splitsafe) + os.pathsep + os.environ['PATH'],
               PRE_COMMIT_HOME=os.path.join(t, '.pre-commit-home'))
    path = os.path.join(t, 'drivers/misc/ctx.c')
    with open(path) as fp:
        src = fp.read()
    with open(path, 'w') as fp:
        fp.write(src.replace('\tsince_helper(page);\n', '\tsince_helper(page);\n'
                             '\tset_direct_map_invalid_noflush(page);\n'))
    git(t, 'add', '-A')
    try_repo = ['pre-commit', 'try-repo', repo, 'splitsafe', '--verbose']
    p = subprocess.run(try_repo, cwd=t, env=env, capture_output=True, text=True)
    c.expect(p.returncode == 1 and 'drivers/misc/ctx.c' in p.stdout and
             'since_caller' not in p.stdout.split('Failed')[0],
             'pre-commit: a staged path: exit %d\n%s%s' % (p.returncode, p.stdout[-800:], p.stderr[-400:]))
    new = [l for l in p.stdout.splitlines() if ': warning: ' in l]
    c.expect(len(new) == 1 and 'ctx.c' in new[0], 'pre-commit: reports %r' % new)
    git(t, 'checkout', '--', '.')
    git(t, 'reset', '-q', '--hard')
    p = subprocess.run(try_repo, cwd=t, env=env, capture_output=True, text=True)
    c.expect(p.returncode == 0, 'pre-commit: a clean tree: exit %d\n%s%s' %
             (p.returncode, p.stdout[-800:], p.stderr[-400:]))


def check_command(e):
    """What kbuild passes a CHECK: CHECKFLAGS, c_flags, the source last."""
    args, skip = [], False
    for a in e['arguments'][1:]:
        if skip:
            skip = False
        elif a == '-o':
            skip = True
        elif a not in ('-c', e['file']):
            args.append(a)
    return CHECKFLAGS + args + [e['file']]


def extract_all(c, t, facts):
    with open(os.path.join(t, 'compile_commands.json')) as fp:
        entries = json.load(fp)
    for e in entries:
        p = c.run(['extract', '--facts', facts] + check_command(e), cwd=e['directory'])
        c.expect(p.returncode == 0 and not p.stderr, 'kbuild: extract %s: exit %d %s' %
                 (e['file'], p.returncode, p.stderr))
    return len(entries)


def test_kbuild(c, tree):
    t = fixtures.copy_tree(tree, '-kbuild')
    facts = os.path.join(t, 'facts')
    n = extract_all(c, t, facts)
    ref = c.check(t, ['--no-cache'])
    p = c.run(['check', '--facts', facts, '--show-suppressed'])
    c.expect(p.stdout == ref.stdout, 'kbuild: check --facts differs from check -p:\n' +
             p.stdout[:400] + '\n' + p.stderr)
    c.expect(from_store(p) == (n, n), 'kbuild: check --facts parsed: %r of %d' % (from_store(p), n))
    append(os.path.join(t, 'drivers/misc/ctx.c'), '\n/* changed */\n')
    p = c.run(['check', '--facts', facts, '--show-suppressed'])
    c.expect(from_store(p) == (n, n - 1) and p.stdout == ref.stdout,
             'kbuild: a changed source under --facts: %r' % (from_store(p),))
    p = c.run(['check', '--facts', facts, '--show-suppressed', 'drivers/', 'arch/arm64/mm/'])
    ref = c.check(t, ['--no-cache', 'drivers/', 'arch/arm64/mm/'])
    c.expect(p.stdout == ref.stdout and 'drivers/misc/ctx.c' in p.stdout,
             'kbuild: --facts with paths differs from check -p with them')
    for args, what in [(['extract', 'x.c'], 'no --facts'),
                       (['extract', '--facts', facts, '-Wbitwise'], 'no source')]:
        p = c.run(args)
        c.expect(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1,
                 'kbuild: %s: exit %d, %r' % (what, p.returncode, p.stderr))
    p = c.run(['check', '--facts', os.path.join(t, 'empty')])
    c.expect(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1,
             'kbuild: an empty store: exit %d, %r' % (p.returncode, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe', required=True)
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--work', required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    tree, _ = fixtures.build_variant(args.fixtures, 'v7.1', args.work)
    c = Checker(args.splitsafe)
    for name, test in [('store', test_store), ('since', test_since), ('kbuild', test_kbuild)]:
        before = len(c.errors)
        test(c, tree)
        print('%s %s' % ('ok  ' if len(c.errors) == before else 'FAIL', name))
    for e in c.errors:
        print('  ' + e)
    print('store tests: %d checks, %d failed' % (c.checks, len(c.errors)))
    return 1 if c.errors else 0


if __name__ == '__main__':
    sys.exit(main())
