#!/usr/bin/env python3
"""An installed splitsafe works without its source tree.

cmake --install into a temporary prefix, then that prefix is copied
elsewhere and removed, so that only the copy's files can be read: the copy
must find its rules and semantic patches beside itself (--version and
--stats name them), check, explain and check --cocci on the fixture tree
must print what the build's binary prints, the facts store and SARIF must
carry --version's versions, the README's pre-commit block must work as
written with the copy on PATH, and the man page must show cleanly under
man -l and describe every option --help names.  A binary copied away from
its data is a one-line error, exit 2: it never falls back to the source
tree (only a binary in its build directory does that)."""
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
TOP = os.path.dirname(HERE)
# store.py's Checker and the fixture tree builder it loads
spec = importlib.util.spec_from_file_location('store', os.path.join(HERE, 'store.py'))
store = importlib.util.module_from_spec(spec)
spec.loader.exec_module(store)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def fixture_tree(work):
    return store.fixtures.build_variant(os.path.join(HERE, 'fixtures'), 'v7.1', work)[0]


def install(build, work):
    """The prefix, installed then copied; the installed one is gone."""
    first, moved = os.path.join(work, 'prefix'), os.path.join(work, 'moved')
    p = run(['cmake', '--install', build, '--prefix', first])
    if p.returncode:
        sys.exit('install.py: cmake --install failed: %s' % p.stderr)
    shutil.copytree(first, moved, symlinks=True)
    shutil.rmtree(first)
    return moved


def check_layout(c, prefix):
    for f in ('bin/splitsafe', 'share/splitsafe/rules/arm64-split.yaml',
              'share/splitsafe/rules/kernel-common.yaml',
              'share/splitsafe/semantic-patches/split_atomic.cocci',
              'share/splitsafe/semantic-patches/splitters.py',
              'share/man/man1/splitsafe.1'):
        c.expect(os.path.isfile(os.path.join(prefix, f)), 'not installed: %s' % f)


def check_version(c, ss, prefix):
    p = run([ss, '--version'])
    rules = os.path.join(prefix, 'share/splitsafe/rules/arm64-split.yaml')
    with open(os.path.join(TOP, 'CMakeLists.txt')) as fp:
        version = re.search(r'project\(splitsafe VERSION (\S+)', fp.read()).group(1)
    lines = p.stdout.splitlines()
    ok = (p.returncode == 0 and len(lines) == 3 and lines[0] == 'splitsafe ' + version and
          re.match(r'^libclang \d+\.\d+\.\d+$', lines[1]) and
          re.match(r'^rules arm64-split xxh64:[0-9a-f]{16} \(%s\)$' % re.escape(rules), lines[2]))
    c.expect(ok, '--version: exit %d: %r' % (p.returncode, p.stdout))
    return {'splitsafe': version, 'libclang': lines[1].split()[-1] if len(lines) > 1 else '',
            'rules': lines[2].split()[2] if len(lines) > 2 else ''}


def same(c, what, mine, theirs):
    c.expect(mine.returncode == theirs.returncode and mine.stdout == theirs.stdout and
             mine.stdout, '%s: the installed binary (exit %d) and the build\'s (exit %d) '
             'differ or print nothing' % (what, mine.returncode, theirs.returncode))


def check_runs(c, ss, build_ss, tree, prefix, versions):
    args = ['check', '-p', tree, '-q', '--no-cache', '--show-suppressed']
    same(c, 'check', run([ss] + args), run([build_ss] + args))
    args = ['explain', '-p', tree, '-q', '--no-cache', 'cnt_bump', 'cnt_resize']
    same(c, 'explain', run([ss] + args), run([build_ss] + args))
    if c.expect(shutil.which('spatch'), 'spatch is not installed (coccinelle)'):
        args = ['check', '-p', tree, '-q', '--no-cache', '--cocci']
        mine = run([ss] + args)
        same(c, 'check --cocci', mine, run([build_ss] + args))
        c.expect('also found by Coccinelle' in mine.stdout, 'check --cocci: no merge')
    p = run([ss, 'check', '-p', tree, '-q', '--stats'])
    rules = os.path.join(prefix, 'share/splitsafe/rules/arm64-split.yaml')
    c.expect('splitsafe: rules: %s (arm64-split, %s)\n' % (rules, versions['rules'])
             in p.stderr, '--stats names no installed rules file: %s' % p.stderr)
    db = sqlite3.connect(os.path.join(tree, '.splitsafe', 'facts.db'))
    meta = dict(db.execute('SELECT k, v FROM meta'))
    db.close()
    for k in ('splitsafe', 'libclang', 'rules'):
        c.expect(meta.get(k + '-version') == versions[k],
                 'store: %s-version %r, --version says %r' %
                 (k, meta.get(k + '-version'), versions[k]))
    p = run([ss, 'check', '-p', tree, '-q', '--format', 'sarif'])
    driver = json.loads(p.stdout)['runs'][0]['tool']['driver']
    c.expect(driver['version'] == versions['splitsafe'] and
             driver['properties'] == {'libclangVersion': versions['libclang'],
                                      'rulesVersion': versions['rules']},
             'SARIF driver: %r' % {k: driver[k] for k in driver if k != 'rules'})


def readme_precommit():
    with open(os.path.join(TOP, 'README.md')) as fp:
        text = fp.read()
    m = re.search(r'<!-- test: pre-commit config -->\n```yaml\n(.*?)```', text, re.S)
    if not m:
        sys.exit('install.py: README.md has no "<!-- test: pre-commit config -->" block')
    return m.group(1)


def git(tree, *args):
    subprocess.run(['git', '-c', 'user.name=t', '-c', 'user.email=t@t'] + list(args),
                   cwd=tree, check=True, capture_output=True)


def check_precommit(c, ss, tree, work):
    """The README's block as written: the kernel tree is a git work tree
    and the build directory, here ../linux-build, holds the database and,
    as kbuild's O= makes it, a 'source' link to the tree."""
    kernel = os.path.join(work, 'linux')
    build = os.path.join(work, 'linux-build')
    shutil.copytree(tree, kernel)
    os.makedirs(build)
    os.symlink(kernel, os.path.join(build, 'source'))
    with open(os.path.join(kernel, 'compile_commands.json')) as fp:
        text = fp.read()
    os.remove(os.path.join(kernel, 'compile_commands.json'))
    with open(os.path.join(build, 'compile_commands.json'), 'w') as fp:
        fp.write(text.replace(tree, kernel))
    with open(os.path.join(kernel, '.pre-commit-config.yaml'), 'w') as fp:
        fp.write(readme_precommit())
    git(kernel, 'init', '-q')
    git(kernel, 'add', '-A')
    git(kernel, 'commit', '-q', '-m', 'tree')
    env = dict(os.environ, PATH=os.path.dirname(ss) + os.pathsep + os.environ['PATH'],
               PRE_COMMIT_HOME=os.path.join(work, '.pre-commit-home'))
    hook = ['pre-commit', 'run', '--all-files', '--verbose']
    p = run(hook, cwd=kernel, env=env)
    c.expect(p.returncode == 0, 'pre-commit: a clean tree: exit %d\n%s%s' %
             (p.returncode, p.stdout[-800:], p.stderr[-400:]))
    with open(os.path.join(kernel, 'drivers/misc/ctx.c'), 'a') as fp:
        fp.write('\n/* a new path: the direct map changed under a spinlock */\n'
                 'void hook_caller(struct page *page)\n{\n\tspin_lock(&l6);\n'
                 '\tset_direct_map_invalid_noflush(page);\n\tspin_unlock(&l6);\n}\n')
    git(kernel, 'add', '-A')
    p = run(hook, cwd=kernel, env=env)
    new = [l for l in p.stdout.splitlines() if ': warning: ' in l]
    c.expect(p.returncode == 1 and len(new) == 1 and 'drivers/misc/ctx.c' in new[0],
             'pre-commit: a staged path: exit %d, %r\n%s' % (p.returncode, new, p.stderr[-400:]))


def check_lone_binary(c, ss, tree, work):
    lone = os.path.join(work, 'lone', 'bin', 'splitsafe')
    os.makedirs(os.path.dirname(lone))
    shutil.copy(ss, lone)
    for args in (['check', '-p', tree, '-q'], ['--version']):
        p = run([lone] + args)
        c.expect(p.returncode == 2 and not p.stdout and len(p.stderr.splitlines()) == 1 and
                 'no rules and semantic patches at %s/../share/splitsafe' %
                 os.path.dirname(lone) in p.stderr,
                 'a binary without its data, %s: exit %d, %r' % (args[0], p.returncode, p.stderr))
    rules = os.path.join(TOP, 'rules', 'arm64-split.yaml')
    p = run([lone, 'check', '-p', tree, '-q', '--no-cache', '--rules', rules])
    c.expect(p.returncode == 1 and p.stdout, 'a binary without its data, --rules given: '
             'exit %d, %r' % (p.returncode, p.stderr))


def check_man(c, ss, page):
    env = dict(os.environ, MANWIDTH='80', LC_ALL='C.UTF-8', MAN_KEEP_FORMATTING='')
    p = run(['man', '--warnings', '-l', page], env=env)
    c.expect(p.returncode == 0 and not p.stderr.strip() and 'splitsafe(1)' in p.stdout,
             'man -l: exit %d, %s' % (p.returncode, p.stderr))
    shown = re.sub(r'.\x08', '', p.stdout)
    usage = run([ss, '--help']).stdout
    options = set(re.findall(r'(?<![\w-])(--?[a-z][a-z-]*)', usage))
    for o in sorted(options):
        c.expect(re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(o), shown),
                 'man page: --help names %s, the man page does not' % o)
    for section in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'FILES'):
        c.expect(re.search(r'^%s$' % section, shown, re.M), 'man page: no %s' % section)


def finish(c, name):
    """Print the failures and the count; the exit status."""
    for e in c.errors:
        print('FAIL', e)
    print('%s: %d checks, %d failed' % (name, c.checks, len(c.errors)))
    return 1 if c.errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', required=True)
    ap.add_argument('--splitsafe', required=True)
    ap.add_argument('--work', required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    prefix = install(a.build, a.work)
    ss = os.path.join(prefix, 'bin', 'splitsafe')
    c = store.Checker(ss)
    tree = fixture_tree(os.path.join(a.work, 'fixture'))
    check_layout(c, prefix)
    versions = check_version(c, ss, prefix)
    check_runs(c, ss, a.splitsafe, tree, prefix, versions)
    check_precommit(c, ss, tree, a.work)
    check_lone_binary(c, ss, tree, a.work)
    check_man(c, ss, os.path.join(prefix, 'share/man/man1/splitsafe.1'))
    sys.exit(finish(c, 'install'))


if __name__ == '__main__':
    main()
