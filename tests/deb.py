#!/usr/bin/env python3
"""The Debian package: built from the tree, lintian-clean, installed, run.

A copy of the tracked tree is built with dpkg-buildpackage -us -uc -b as
debian/ says; lintian on the result must report no error; dpkg -c must
list the binary, the rules, the semantic patches and the man page, and
the binary must carry no rpath and no path of the build.  Then the
package is installed with apt-get (as root, or with sudo -n), and the
packaged /usr/bin/splitsafe must read its data from /usr/share/splitsafe
and print on the fixture tree exactly what the build's binary prints
(check, explain, check --cocci), leaving no file the package does not
own; man must find and show splitsafe(1).
The package is removed again unless it was installed before.  Without
root the install half is skipped (exit 77), except under CI, where it is
a failure."""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SKIP = 77


def load_install():
    spec = importlib.util.spec_from_file_location('install', os.path.join(HERE, 'install.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


inst = load_install()
run = inst.run


def tracked_files():
    if os.path.isdir(os.path.join(TOP, '.git')):
        p = run(['git', '-C', TOP, 'ls-files', '-co', '--exclude-standard'])
        if p.returncode == 0:
            return [f for f in p.stdout.splitlines() if os.path.isfile(os.path.join(TOP, f))]
    skip = re.compile(r'^(build[^/]*|\.git|__pycache__)(/|$)')
    return [os.path.relpath(os.path.join(d, f), TOP)
            for d, _, fs in os.walk(TOP) for f in fs
            if not skip.match(os.path.relpath(os.path.join(d, f), TOP))]


def build_package(work):
    """The .deb and .changes built from a copy of the tree."""
    src = os.path.join(work, 'splitsafe')
    for f in tracked_files():
        os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), os.path.join(src, f))
    p = run(['dpkg-buildpackage', '-us', '-uc', '-b'], cwd=src)
    if p.returncode:
        sys.exit('deb.py: dpkg-buildpackage failed (exit %d):\n%s%s' %
                 (p.returncode, p.stdout[-3000:], p.stderr[-2000:]))
    debs = [f for f in os.listdir(work) if re.match(r'splitsafe_.*\.deb$', f)]
    changes = [f for f in os.listdir(work) if f.endswith('.changes')]
    if len(debs) != 1 or len(changes) != 1:
        sys.exit('deb.py: dpkg-buildpackage made %r' % sorted(os.listdir(work)))
    return os.path.join(work, debs[0]), os.path.join(work, changes[0])


def check_lintian(c, changes):
    p = run(['lintian', '--pedantic', '-I', changes])
    tags = [l for l in p.stdout.splitlines() if re.match(r'^[EWIPXO]: ', l)]
    counts = {k: sum(1 for t in tags if t[0] == k) for k in 'EWIP'}
    print('lintian: %d errors, %d warnings, %d info, %d pedantic' %
          (counts['E'], counts['W'], counts['I'], counts['P']))
    for t in tags:
        print('  ' + t)
    c.expect(p.returncode == 0 and counts['E'] == 0,
             'lintian: exit %d, %d errors\n%s' % (p.returncode, counts['E'], p.stderr[-500:]))


def check_contents(c, deb, work):
    p = run(['dpkg-deb', '-c', deb])
    listed = set(re.findall(r'\s\./(\S+)$', p.stdout, re.M))
    for f in ('usr/bin/splitsafe', 'usr/share/man/man1/splitsafe.1.gz',
              'usr/share/splitsafe/rules/arm64-split.yaml',
              'usr/share/splitsafe/rules/kernel-common.yaml',
              'usr/share/splitsafe/semantic-patches/split_atomic.cocci',
              'usr/share/splitsafe/semantic-patches/splitters.py',
              'usr/share/doc/splitsafe/copyright'):
        c.expect(f in listed, 'dpkg -c: no %s' % f)
    c.expect(not [f for f in listed if '__pycache__' in f], 'dpkg -c: a __pycache__')
    p = run(['dpkg-deb', '-f', deb, 'Depends', 'Recommends'])
    c.expect(re.search(r'Depends:.*\blibclang1-19\b', p.stdout) and
             re.search(r'Recommends:.*\bcoccinelle\b', p.stdout),
             'control: %r' % p.stdout)
    unpacked = os.path.join(work, 'unpacked')
    run(['dpkg-deb', '-x', deb, unpacked])
    binary = os.path.join(unpacked, 'usr/bin/splitsafe')
    p = run(['readelf', '-d', binary])
    c.expect(p.returncode == 0 and not re.search(r'\((RPATH|RUNPATH)\)', p.stdout),
             'the packaged binary has an rpath')
    with open(binary, 'rb') as fp:
        data = fp.read()
    c.expect(work.encode() not in data and TOP.encode() not in data,
             'the packaged binary names a build or source path')


def as_root(cmd):
    if os.geteuid() == 0:
        return cmd
    if shutil.which('sudo') and run(['sudo', '-n', 'true']).returncode == 0:
        return ['sudo', '-n'] + cmd
    return None


def installed_version():
    p = run(['dpkg-query', '-W', '-f', '${Status} ${Version}', 'splitsafe'])
    return p.stdout.split()[-1] if 'install ok installed' in p.stdout else None


def check_installed(c, build_ss, work):
    ss = '/usr/bin/splitsafe'
    tree = inst.fixture_tree(os.path.join(work, 'fixture'))
    versions = inst.check_version(c, ss, '/usr')
    inst.check_runs(c, ss, build_ss, tree, '/usr', versions)
    p = run(['man', '-w', 'splitsafe'])
    c.expect(p.stdout.strip() == '/usr/share/man/man1/splitsafe.1.gz',
             'man -w splitsafe: %r' % p.stdout)
    inst.check_man(c, ss, p.stdout.strip())
    check_no_strays(c)


def check_no_strays(c):
    """Running it (--cocci imports splitters.py) left nothing dpkg does not
    own under /usr/share/splitsafe, such as a __pycache__."""
    owned = set(run(['dpkg', '-L', 'splitsafe']).stdout.splitlines())
    found = {os.path.join(d, f) for d, ds, fs in os.walk('/usr/share/splitsafe')
             for f in ds + fs}
    c.expect(found <= owned, 'files no package owns: %r' % sorted(found - owned))


def install_and_check(c, install, build_ss, work):
    """Install, run the packaged binary, and remove the package again
    unless it was installed before."""
    before = installed_version()
    p = run(install, env=dict(os.environ, DEBIAN_FRONTEND='noninteractive'))
    if c.expect(p.returncode == 0, 'apt-get install: %s' % p.stderr[-1000:]):
        try:
            check_installed(c, build_ss, work)
        finally:
            if before is None:
                run(as_root(['dpkg', '-r', 'splitsafe']))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe', required=True, help="the build's binary, to compare with")
    ap.add_argument('--work', required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    c = inst.store.Checker(a.splitsafe)
    deb, changes = build_package(a.work)
    check_lintian(c, changes)
    check_contents(c, deb, a.work)
    install = as_root(['apt-get', 'install', '-y', '-q', '--reinstall', deb])
    if install is None and not c.errors and not os.environ.get('CI'):
        print('deb: built and checked; installing needs root: skipped')
        sys.exit(SKIP)
    if c.expect(install, 'cannot install the package: not root, no sudo -n'):
        install_and_check(c, install, a.splitsafe, a.work)
    sys.exit(inst.finish(c, 'deb'))

if __name__ == '__main__':
    main()
