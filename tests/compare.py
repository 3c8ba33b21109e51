#!/usr/bin/env python3
"""check --compare REV and --compare-diff FILE on a copy of the fixture
tree (variant v7.1) in a git repository.

A synthetic commit makes a helper in drivers/misc/boot.c sleep (its
caller, which holds a spinlock, is in drivers/misc/ctx.c, unchanged: one
new warning), moves a_remove_page()'s call out of its spinlock (one fixed
warning) and moves every line of drivers/cb/assert.c down (its warnings
are unchanged).  --compare HEAD~1 must list exactly the new and the fixed
warning in text, JSON, SARIF (baselineState) and mail, with the right
count of unchanged ones, parse again only the TUs that read a changed file
(the facts store's deps say which), and exit 1; --compare-diff of the same
commit, applied to the tree before it, says the same.  A commit that only
fixes exits 0, and so does the review's hardening of the splitter (the
v7.1-trylock variant's files): its boot warning from a STARTING callback
is fixed; a new source the revision does not have is left out of the
other side.  A bad revision, a patch that does not apply and options that
do not go together are one line and exit 2.
"""
import argparse
import importlib.util
import json
import os
import re
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('store', os.path.join(HERE, 'store.py'))
store = importlib.util.module_from_spec(spec)
spec.loader.exec_module(store)
fixtures, git, append = store.fixtures, store.git, store.append

FINDING = re.compile(r'^(\S+?):(\d+):(\d+): (warning|note: fixed): (.*) \[(splitsafe-[a-z]+)\]$')
SUMMARY = re.compile(r'splitsafe: (?:compared with \S+|\S+ applied to the work tree): '
                     r'(\d+) new, (\d+) fixed, (\d+) unchanged$')
SIDE = re.compile(r'splitsafe: (?:at|with) \S+: (\d+) TUs parsed again .*?, (\d+) from the '
                  r'facts store, (\d+) left out')
FINDINGS = re.compile(r' (\d+) findings, ')

FIXED_AT = 'drivers/a/core.c:16:2'


class Checker(store.Checker):
    def run(self, tree, args):
        return subprocess.run([self.splitsafe, 'check', '-p', tree, '-j2'] + args,
                              capture_output=True, text=True)


def edit(tree, rel, old, new):
    path = os.path.join(tree, rel)
    with open(path) as fp:
        src = fp.read()
    assert old in src, '%s: %r' % (rel, old)
    with open(path, 'w') as fp:
        fp.write(src.replace(old, new, 1))


def make_repo(tree):
    """The base commit (a caller under a lock of an empty helper), then the
    change; returns the tree."""
    t = fixtures.copy_tree(tree, '-compare')
    append(os.path.join(t, 'drivers/misc/ctx.c'), '\nvoid cmp_helper(struct page *page);\n\n'
           '/* holds a lock around a helper of another file */\n'
           'void cmp_caller(struct page *page)\n{\n\tspin_lock(&l6);\n'
           '\tcmp_helper(page);\n\tspin_unlock(&l6);\n}\n')
    append(os.path.join(t, 'drivers/misc/boot.c'), '\n#include <asm/set_memory.h>\n\n'
           'void cmp_helper(struct page *page)\n{\n}\n')
    with open(os.path.join(t, '.gitignore'), 'w') as fp:
        fp.write('.splitsafe/\ncompile_commands.json\n*.patch\n')
    git(t, 'init', '-q')
    git(t, 'add', '-A')
    git(t, 'commit', '-q', '-m', 'base')
    edit(t, 'drivers/misc/boot.c', 'void cmp_helper(struct page *page)\n{\n}',
         'void cmp_helper(struct page *page)\n{\n\tset_direct_map_invalid_noflush(page);\n}')
    edit(t, 'drivers/a/core.c', '\tspin_lock(&a_lock);\n\thelper(page);',
         '\thelper(page);\n\tspin_lock(&a_lock);')
    with open(os.path.join(t, 'drivers/cb/assert.c')) as fp:
        src = fp.read()
    with open(os.path.join(t, 'drivers/cb/assert.c'), 'w') as fp:
        fp.write('/* lines moved down */\n\n\n' + src)
    git(t, 'commit', '-q', '-a', '-m', 'cmp_helper sleeps; a_remove_page calls helper unlocked')
    return t


def parse_text(out):
    """The warnings and the fixed ones (first lines), and the summary."""
    new, fixed, summary = [], [], None
    lines = out.splitlines()
    for line in lines:
        m = FINDING.match(line)
        if m:
            (new if m.group(4) == 'warning' else fixed).append(line)
    m = SUMMARY.match(lines[-1]) if lines else None
    if m:
        summary = tuple(int(x) for x in m.groups())
    return new, fixed, summary


def readers(tree, rels):
    """The TUs whose stored deps hold one of the files rels."""
    db = sqlite3.connect(os.path.join(tree, '.splitsafe', 'facts.db'))
    paths = {os.path.realpath(os.path.join(tree, r)) for r in rels}
    tus = [f for f, deps in db.execute('SELECT file, deps FROM tus')
           if paths & set(deps.decode().split('\0'))]
    db.close()
    return tus


def expect_answer(c, what, p, unchanged):
    new, fixed, summary = parse_text(p.stdout)
    c.expect(p.returncode == 1, '%s: exit %d\n%s' % (what, p.returncode, p.stderr))
    c.expect(len(new) == 1 and new[0].startswith('drivers/misc/ctx.c:') and
             'cmp_helper()' in p.stdout.split('note: fixed')[0],
             '%s: new warnings %r' % (what, new))
    c.expect(len(fixed) == 1 and fixed[0].startswith(FIXED_AT + ': note: fixed: '),
             '%s: fixed warnings %r' % (what, fixed))
    c.expect(summary == (1, 1, unchanged), '%s: summary %r, expected %r' %
             (what, summary, (1, 1, unchanged)))
    c.expect('drivers/cb/assert.c' not in p.stdout, '%s: moved lines counted as a change' % what)
    return new, fixed


def test_formats(c, t, unchanged, new, fixed):
    p = c.run(t, ['-q', '--compare', 'HEAD~1', '--format', 'json'])
    doc = json.loads(p.stdout)
    states = [(f['state'], '%s:%d:%d' % (f['location']['file'], f['location']['line'],
                                         f['location']['column'])) for f in doc['findings']]
    changed = sorted(s for s in states if s[0] != 'unchanged')
    c.expect(p.returncode == 1 and changed == sorted([('new', new[0].split(': ')[0]),
                                                      ('fixed', FIXED_AT)]),
             'json: exit %d, states %r' % (p.returncode, changed))
    c.expect(sum(1 for s in states if s[0] == 'unchanged') == unchanged and
             doc['summary']['compare'] == {'against': 'HEAD~1', 'kind': 'revision', 'new': 1,
                                           'fixed': 1, 'unchanged': unchanged},
             'json: summary %r' % doc['summary'].get('compare'))
    p = c.run(t, ['-q', '--compare', 'HEAD~1', '--format', 'sarif'])
    results = json.loads(p.stdout)['runs'][0]['results']
    base = {}
    for r in results:
        loc = r['locations'][0]['physicalLocation']
        key = '%s:%d:%d' % (loc['artifactLocation']['uri'], loc['region']['startLine'],
                            loc['region']['startColumn'])
        base.setdefault(r.get('baselineState'), []).append(key)
    c.expect(p.returncode == 1 and base.get('new') == [new[0].split(': ')[0]] and
             base.get('absent') == [FIXED_AT] and len(base.get('unchanged', [])) == unchanged,
             'sarif: exit %d, baselineState %r' % (p.returncode,
                                                   {k: len(v) for k, v in base.items()}))
    p = c.run(t, ['-q', '--compare', 'HEAD~1', '--format', 'mail'])
    body = p.stdout
    c.expect(p.returncode == 1 and 'New warnings introduced by this change:' in body and
             'Fixed by this change:' in body and
             body.index('>> ' + new[0]) < body.index('Fixed by this change:') <
             body.index('   ' + fixed[0].replace('note: fixed', 'warning')) and
             '1 new, 1 fixed, %d unchanged' % unchanged in body and '\n-- \n' in body,
             'mail: exit %d\n%s' % (p.returncode, body))


def test_compare(c, tree, fixtures_dir):
    t = make_repo(tree)
    plain = c.run(t, [])
    total = int(FINDINGS.search(plain.stderr).group(1))
    unchanged = total - 1
    changed = ['drivers/misc/boot.c', 'drivers/a/core.c', 'drivers/cb/assert.c']
    p = c.run(t, ['--compare', 'HEAD~1'])
    new, fixed = expect_answer(c, 'compare', p, unchanged)
    side = SIDE.search(p.stderr)
    tus = readers(t, changed)
    c.expect(side and len(tus) == 3 and int(side.group(1)) == len(tus) and
             int(side.group(2)) + int(side.group(1)) == int(re.search(
                 r'(\d+) TUs parsed', p.stderr).group(1)) and side.group(3) == '0',
             'compare: the other side parsed %r; the TUs reading changed files: %d\n%s' %
             (side and side.groups(), len(tus), p.stderr))
    p2 = c.run(t, ['--compare', 'HEAD~1', '--no-cache'])
    c.expect(p2.stdout == p.stdout, 'compare: --no-cache answers otherwise')
    test_formats(c, t, unchanged, new, fixed)

    patch = os.path.join(t, 'change.patch')
    with open(patch, 'w') as fp:
        fp.write(git(t, 'format-patch', '-1', '--stdout'))
    git(t, 'checkout', '-q', 'HEAD~1')
    p = c.run(t, ['--compare-diff', patch])
    expect_answer(c, 'compare-diff', p, unchanged)
    side = SIDE.search(p.stderr)
    c.expect(side and side.group(1) == '3', 'compare-diff: the other side parsed %r' %
             (side and side.groups(),))
    c.expect(not git(t, 'status', '--porcelain', '--untracked-files=no'),
             'compare-diff: the work tree was written')
    git(t, 'checkout', '-q', '-')
    p = c.run(t, ['--compare-diff', patch])     # applied already: not again
    c.expect(p.returncode == 2 and not p.stdout and len(p.stderr.splitlines()) == 1 and
             'does not apply' in p.stderr and patch in p.stderr,
             'a patch that does not apply: exit %d, %r' % (p.returncode, p.stderr))
    test_errors(c, t)
    test_fix_only(c, t)
    test_trylock_fixes(c, t, fixtures_dir)
    test_new_header(c, t)
    test_new_source(c, t)


def test_errors(c, t):
    for args, what in [(['--compare', 'no-such-rev'], 'a bad revision'),
                       (['--compare', '--since'], 'a revision like an option'),
                       (['--compare-diff', os.path.join(t, 'none.patch')], 'no patch file'),
                       (['--compare', 'HEAD', '--since', 'HEAD'], '--compare with --since'),
                       (['--compare', 'HEAD', '--baseline', 'x.json'], '--compare with --baseline'),
                       (['--compare', 'HEAD', '--compare-diff', 'x'], 'both'),
                       (['--format', 'mail'], '--format mail alone')]:
        p = c.run(t, args)
        c.expect(p.returncode == 2 and not p.stdout and len(p.stderr.splitlines()) == 1,
                 '%s: exit %d, %r' % (what, p.returncode, p.stderr))


def test_fix_only(c, t):
    """A commit that only fixes: exit 0, the fixed one listed."""
    edit(t, 'drivers/misc/boot.c', '\tset_direct_map_invalid_noflush(page);\n}', '}')
    git(t, 'commit', '-q', '-a', '-m', 'cmp_helper sleeps no more')
    p = c.run(t, ['--compare', 'HEAD~1'])
    new, fixed, summary = parse_text(p.stdout)
    c.expect(p.returncode == 0 and not new and len(fixed) == 1 and
             fixed[0].startswith('drivers/misc/ctx.c:') and summary and summary[:2] == (0, 1),
             'fix only: exit %d, new %r, fixed %r' % (p.returncode, new, fixed))


def test_trylock_fixes(c, t, fixtures_dir):
    """The splitter hardened with a trylock before it counts CPUs (variant
    v7.1-trylock): the secondary-CPU boot warning is fixed, nothing new."""
    vdir = os.path.join(fixtures_dir, 'variants', 'v7.1-trylock')
    for rel in ('arch/arm64/mm/mmu.c', 'include/linux/cpu.h'):
        with open(os.path.join(vdir, rel)) as src, open(os.path.join(t, rel), 'w') as dst:
            dst.write(src.read())
    git(t, 'add', '-A')
    git(t, 'commit', '-q', '-m', 'split_kernel_leaf_mapping: cpus_read_trylock() first')
    p = c.run(t, ['--compare', 'HEAD~1'])
    new, fixed, summary = parse_text(p.stdout)
    c.expect(p.returncode == 0 and not new and len(fixed) == 1 and
             fixed[0].startswith('drivers/irqchip/gic.c:25:2: note: fixed: '
                                 'split_kernel_leaf_mapping() reached before system '
                                 'capabilities are finalized (phase secondary') and
             summary and summary[:2] == (0, 1),
             'trylock: exit %d, new %r, fixed %r' % (p.returncode, new, fixed))


def test_new_header(c, t):
    """A patch that adds a header an existing source includes: the header
    is found on the other side (the work tree has none)."""
    with open(os.path.join(t, 'include/linux/cmpnew.h'), 'w') as fp:
        fp.write('#include <linux/spinlock.h>\n#include <asm/set_memory.h>\n'
                 'static spinlock_t cn_lock;\n'
                 'static inline void cn_helper(struct page *page)\n{\n'
                 '\tspin_lock(&cn_lock);\n\tset_direct_map_invalid_noflush(page);\n'
                 '\tspin_unlock(&cn_lock);\n}\n')
    append(os.path.join(t, 'drivers/misc/counter.c'), '\n#include <linux/cmpnew.h>\n'
           'void cn_user(struct page *page)\n{\n\tcn_helper(page);\n}\n')
    git(t, 'add', '-A')
    patch = os.path.join(t, 'header.patch')
    with open(patch, 'w') as fp:
        fp.write(git(t, 'diff', '--cached'))
    git(t, 'reset', '-q', '--hard')
    p = c.run(t, ['--compare-diff', patch])
    new, fixed, summary = parse_text(p.stdout)
    side = SIDE.search(p.stderr)
    c.expect(p.returncode == 1 and len(new) == 1 and
             new[0].startswith('include/linux/cmpnew.h:7:2: warning:') and not fixed and
             side and side.group(1) == str(len(readers(t, ['drivers/misc/counter.c']))) and
             'error' not in p.stderr and
             not os.path.exists(os.path.join(t, 'include/linux/cmpnew.h')),
             'new header: exit %d, new %r, side %r\n%s' %
             (p.returncode, new, side and side.groups(), p.stderr))


def test_new_source(c, t):
    """A source added since the revision: left out there, its warning new."""
    rel = 'drivers/misc/added.c'
    with open(os.path.join(t, rel), 'w') as fp:
        fp.write('#include <linux/spinlock.h>\n#include <asm/set_memory.h>\n\n'
                 'static spinlock_t added_lock;\n\nvoid added(struct page *page)\n{\n'
                 '\tspin_lock(&added_lock);\n\tset_direct_map_invalid_noflush(page);\n'
                 '\tspin_unlock(&added_lock);\n}\n')
    cc = os.path.join(t, 'compile_commands.json')
    with open(cc) as fp:
        entries = json.load(fp)
    e = dict(entries[0])
    e['arguments'] = [a.replace(e['file'], rel).replace(e['file'][:-2], rel[:-2])
                      for a in e['arguments']]
    e['file'] = rel
    with open(cc, 'w') as fp:
        json.dump(entries + [e], fp)
    p = c.run(t, ['--compare', 'HEAD'])     # untracked: not at HEAD
    new, fixed, summary = parse_text(p.stdout)
    side = SIDE.search(p.stderr)
    c.expect(p.returncode == 1 and len(new) == 1 and new[0].startswith(rel + ':') and
             not fixed and side and side.group(3) == '1',
             'new source: exit %d, new %r, fixed %r, side %r' %
             (p.returncode, new, fixed, side and side.groups()))


def main():
    ap = argparse.ArgumentParser()
    for opt in ('--splitsafe', '--fixtures', '--work'):
        ap.add_argument(opt, required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    c = Checker(args.splitsafe)
    test_compare(c, fixtures.build_variant(args.fixtures, 'v7.1', args.work)[0],
                 args.fixtures)
    print('\n'.join('  ' + e for e in c.errors))
    print('compare tests: %d checks, %d failed' % (c.checks, len(c.errors)))
    return 1 if c.errors else 0


if __name__ == '__main__':
    sys.exit(main())
