#!/usr/bin/env python3
"""Run splitsafe over the fixture tree in each variant and check the
expectations written in the fixture sources.

A fixture line carries its expectations in comments:
    call(); /* expect-warning{buggy}: text */ /* expect-suppressed{fixed}: text */
'warning' must match a reported warning at that file:line whose message
contains text; 'suppressed' a path listed by --show-suppressed.  {tags}
limits an expectation to variants with one of the tags (a variant's name
and the words in its TAGS file); without tags it applies to all.  Every
expectation must be met and every finding expected.  Output must be
byte-identical for -j1 and -j2.

    call(); /* expect-assumed: text */
is a warning that only 'check --assume-sleeps cnt_bump' reports, on top of
what the plain run does: exactly those, no other new finding.

A variant directory holds the files it puts over the tree, its TAGS, and
optionally BASE (a variant whose files go first; without a golden output
of its own the variant must print exactly what that base prints) and
FLAGS (compiler flags added to every TU).
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys

EXPECT = re.compile(r'/\* expect-(warning|suppressed)(?:\{([^}]*)\})?: (.*?) \*/')
ASSUMED = re.compile(r'/\* expect-assumed: (.*?) \*/')
ASSUME = 'cnt_bump'     # a function called in atomic context that does not sleep
FINDING = re.compile(r'^(\S+?):(\d+):(\d+): (warning|note: suppressed): (.*) \[(splitsafe-[a-z]+)\]$')


def variant_chain(fixtures, variant):
    """The variant and the variants it is based on (its BASE file), base
    first: a variant's files go over its base's."""
    chain = [variant]
    while True:
        base = os.path.join(fixtures, 'variants', chain[0], 'BASE')
        if not os.path.exists(base):
            return chain
        with open(base) as fp:
            chain.insert(0, fp.read().strip())


def variant_file(fixtures, variant, name):
    """A variant's own file NAME, or its nearest base's; '' if none."""
    for v in reversed(variant_chain(fixtures, variant)):
        path = os.path.join(fixtures, 'variants', v, name)
        if os.path.exists(path):
            with open(path) as fp:
                return fp.read()
    return ''


def build_variant(fixtures, variant, work):
    dest = os.path.join(work, variant)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(fixtures, 'tree'), dest)
    for v in variant_chain(fixtures, variant):
        vdir = os.path.join(fixtures, 'variants', v)
        for root, _, files in os.walk(vdir):
            for f in files:
                if f in ('TAGS', 'BASE', 'FLAGS'):
                    continue
                src = os.path.join(root, f)
                dst = os.path.join(dest, os.path.relpath(src, vdir))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy(src, dst)
    flags = variant_file(fixtures, variant, 'FLAGS').split()
    entries = []
    for root, _, files in os.walk(dest):
        if 'unbuilt' in os.path.relpath(root, dest).split(os.sep):
            continue    # not configured: only Coccinelle reads it
        for f in sorted(files):
            if f.endswith('.c'):
                rel = os.path.relpath(os.path.join(root, f), dest)
                entries.append({
                    'directory': dest,
                    'file': rel,
                    'arguments': ['clang', '-c', '-nostdinc', '-Iinclude',
                                  '-D__KERNEL__'] + flags +
                                 ['-Wp,-MMD,' + rel + '.d', '-o', rel[:-2] + '.o', rel],
                })
    entries.sort(key=lambda e: e['file'])
    with open(os.path.join(dest, 'compile_commands.json'), 'w') as fp:
        json.dump(entries, fp, indent=1)
    tags = set(variant_file(fixtures, variant, 'TAGS').split()) | {variant}
    return dest, tags


def expectations(tree, tags, pattern=EXPECT):
    out = []
    for root, _, files in os.walk(tree):
        for f in sorted(files):
            if not f.endswith(('.c', '.h')):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, tree)
            with open(path) as fp:
                for n, line in enumerate(fp, 1):
                    if pattern is ASSUMED:
                        out += [(rel, n, 'warning', text) for text in pattern.findall(line)]
                        continue
                    for kind, t, text in pattern.findall(line):
                        want = {x.strip() for x in t.split(',')} if t else None
                        if want is None or want & tags:
                            out.append((rel, n, kind, text))
    return out


def run(splitsafe, tree, jobs, rules, extra=()):
    # every path on its own: the expectations are per path; check_groups
    # holds the default (grouped) output against this one
    cmd = [splitsafe, 'check', '-p', tree, '-j', str(jobs), '--show-suppressed',
           '--all-paths'] + list(extra)
    if rules:
        cmd += ['--rules', rules]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# Functions whose boot phases, atomic contexts and sleepers 'splitsafe
# explain' must keep giving: boot sequence, registered callbacks, a lock
# assertion, an indirect call, two static helper()s, the sink itself, a
# guarded path (KFENCE), and one not defined.
EXPLAIN = ['start_kernel', 'mem_init', 'swiotlb_update_mem_attributes', 'its_init',
           'gic_starting_cpu', 'fix_bounce_param', 'fix_early_setup', 'fix_late_setup',
           'smp_cpus_done', 'set_memory_decrypted', 'linear_map_maybe_split_to_ptes',
           'cnt_bump', 'cnt_tick', 'cnt_resize', 'cb_release_a', 'cb_locked_helper',
           'helper', 'kfence_protect_page', 'split_kernel_leaf_mapping']


def explain(splitsafe, tree, rules):
    cmd = [splitsafe, 'explain', '-p', tree, '-q'] + EXPLAIN
    if rules:
        cmd += ['--rules', rules]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def check_json(args, tree, text, errors):
    """--format json -o FILE says what the text says, line for line."""
    path = os.path.join(args.work, 'report.json')
    if os.path.exists(path):
        os.unlink(path)
    p = subprocess.run([args.splitsafe, 'check', '-p', tree, '-q', '--show-suppressed',
                        '--all-paths', '--format', 'json', '-o', path],
                       capture_output=True, text=True)
    if p.returncode != 1 or p.stdout:
        errors.append('--format json -o: exit %d, stdout %r' % (p.returncode, p.stdout[:80]))
        return
    with open(path) as fp:
        doc = json.load(fp)
    lines = []
    for f in doc['findings']:
        loc = f['location']
        lines.append('%s:%d:%d: %s: %s [%s]' % (loc['file'], loc['line'], loc['column'],
                     'note: suppressed' if f['suppressed'] else 'warning',
                     f['message'], f['check']))
        for n in f['notes']:
            loc = n['location']
            lines.append('%s:%d:%d: note: %s' % (loc['file'], loc['line'], loc['column'],
                                                n['message']))
    if '\n'.join(lines) + '\n' != text:
        errors.append('--format json does not say what the text says')
    sm = doc['summary']
    if sm['warnings'] != sum(1 for f in doc['findings'] if not f['suppressed']) or \
            sm['suppressed'] < sum(1 for f in doc['findings'] if f['suppressed']) or \
            sm['failed'] != 0 or doc['tool'] != 'splitsafe':
        errors.append('--format json summary: %r' % sm)
    if [n for n in os.listdir(args.work) if '.tmp.' in n]:
        errors.append('-o left a temporary file behind')


def copy_tree(tree, suffix):
    """A copy of a variant tree with its own compile_commands.json."""
    dest = tree + suffix
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(tree, dest, symlinks=True)
    path = os.path.join(dest, 'compile_commands.json')
    with open(path) as fp:
        db = fp.read().replace(tree, dest)
    with open(path, 'w') as fp:
        fp.write(db)
    return dest


def check_baseline(args, tree, text, errors):
    """A baseline keeps what it lists out of the report, whatever lines
    move; a finding not in it is reported."""
    bl = os.path.join(args.work, 'baseline.json')
    base = [args.splitsafe, 'check', '-p', tree, '-q']
    p = subprocess.run(base + ['--write-baseline', bl], capture_output=True, text=True)
    with open(bl) as fp:
        doc = json.load(fp)
    # one entry per warning of the default report: per group
    warnings = sum(1 for l in p.stdout.splitlines() if ': warning: ' in l)
    if len(doc['findings']) != warnings:
        errors.append('--write-baseline: %d findings for %d warnings' %
                      (len(doc['findings']), warnings))
    p = subprocess.run(base + ['--baseline', bl], capture_output=True, text=True)
    if p.returncode != 0 or p.stdout:
        errors.append('--baseline: exit %d, %d bytes reported' % (p.returncode, len(p.stdout)))
    p = subprocess.run(base + ['--baseline', bl, '--show-suppressed'],
                       capture_output=True, text=True)
    # suppressed paths are listed one by one
    if p.stdout.count('note: accepted: in the baseline') != \
            sum(1 for l in text.splitlines() if ': warning: ' in l):
        errors.append('--show-suppressed does not list the baseline')
    # lines move: the keys hold
    moved = copy_tree(tree, '-moved')
    for rel in ['drivers/misc/ctx.c', 'arch/arm64/mm/mmu.c', 'drivers/irqchip/gic.c']:
        path = os.path.join(moved, rel)
        with open(path) as fp:
            src = fp.read()
        with open(path, 'w') as fp:
            fp.write('\n\n/* moved */\n' + src)
    p = subprocess.run([args.splitsafe, 'check', '-p', moved, '-q', '--baseline', bl],
                       capture_output=True, text=True)
    if p.returncode != 0 or p.stdout:
        errors.append('--baseline after lines moved: exit %d: %s' % (p.returncode, p.stdout[:300]))
    # one finding taken out of the baseline comes back, alone
    # (a group: its cause's caller is the entry)
    doc['findings'] = [f for f in doc['findings'] if f['entry'] != 'its_alloc_pages_node' or
                       f['check'] != 'splitsafe-boot']
    with open(bl, 'w') as fp:
        json.dump(doc, fp)
    p = subprocess.run(base + ['--baseline', bl], capture_output=True, text=True)
    heads = [l for l in p.stdout.splitlines() if ': warning: ' in l]
    if p.returncode != 1 or len(heads) != 1 or 'gic.c' not in heads[0] or \
            '[splitsafe-boot]' not in heads[0]:
        errors.append('--baseline without one entry: exit %d, %r' % (p.returncode, heads))


def check_ignore_reason(args, tree, errors):
    """A suppression comment without a reason is an error naming it."""
    bad = copy_tree(tree, '-noreason')
    path = os.path.join(bad, 'drivers/misc/ignored.c')
    with open(path) as fp:
        src = fp.read()
    with open(path, 'w') as fp:
        fp.write(src.replace(' -- the page is never block-mapped here', ''))
    p = subprocess.run([args.splitsafe, 'check', '-p', bad, '-q'], capture_output=True, text=True)
    want = "drivers/misc/ignored.c:11: 'splitsafe: ignore splitsafe-atomic' needs a reason"
    if p.returncode != 2 or p.stdout or len(p.stderr.splitlines()) != 1 or \
            want not in p.stderr:
        errors.append('no reason: exit %d, stderr %r' % (p.returncode, p.stderr))


# Options no libclang knows (GCC's, and one made up for a newer clang), in
# every TU of a copy of the tree; and one GCC option only in mm/ TUs.
FOREIGN = ['-fno-ipa-sra', '-fconserve-stack', '-fsplitsafe-from-a-newer-clang=3']
FOREIGN_MM = '-fno-allow-store-data-races'
FOREIGN_LAST = '-fsplitsafe-late-option'


def check_foreign_flags(args, tree, text, errors):
    """A database written for another compiler: libclang is asked which
    options it rejects, each is dropped and named once with its TU count,
    every TU parses, and the report is the same as without them."""
    foreign = copy_tree(tree, '-foreign')
    path = os.path.join(foreign, 'compile_commands.json')
    with open(path) as fp:
        db = json.load(fp)
    for e in db:
        extra = FOREIGN + ([FOREIGN_MM] if e['file'].startswith('mm/') else [])
        # -Werror with a newer clang's warning option: only an error if
        # splitsafe's own -Wno-unknown-warning-option were left out
        e['arguments'][1:1] = ['-Werror', '-Wsplitsafe-newer-warning'] + extra + \
            ['--param', 'ssp-buffer-size=4']
        e['arguments'][-1:-1] = [FOREIGN_LAST]   # last, next to splitsafe's own
    with open(path, 'w') as fp:
        json.dump(db, fp, indent=1)
    p = subprocess.run([args.splitsafe, 'check', '-p', foreign, '--no-cache',
                        '--show-suppressed', '--all-paths'], capture_output=True, text=True)
    mm = sum(1 for e in db if e['file'].startswith('mm/'))
    want = ['rejects %s: dropped in %d TUs' % (f, len(db)) for f in FOREIGN + [FOREIGN_LAST]] + \
        ['rejects %s: dropped in %d TU%s' % (FOREIGN_MM, mm, '' if mm == 1 else 's')]
    lines = [l for l in p.stderr.splitlines() if ' rejects ' in l]
    for w in want:
        if not any(l.endswith(w) for l in lines):
            errors.append('foreign flags: no "%s" in: %s' % (w, p.stderr.strip()))
    if len(lines) != len(want) or 'ssp-buffer-size' in p.stderr:
        errors.append('foreign flags: dropped more than the rejected ones: %r' % lines)
    if ' 0 failed, ' not in p.stderr or 'errors in' in p.stderr:
        errors.append('foreign flags: TUs with errors: %s' % p.stderr.strip())
    if p.stdout.replace(foreign, tree) != text:
        errors.append('foreign flags: the report differs from the plain one')
    # a GCC cross build's database: its target from the compiler's name,
    # its GCC-only options asked about and dropped the same way
    for e in db:
        e['arguments'][0] = 'aarch64-linux-gnu-gcc'
        e['arguments'][1:1] = ['-mabi=lp64', '-fno-var-tracking-assignments']
    with open(path, 'w') as fp:
        json.dump(db, fp, indent=1)
    p = subprocess.run([args.splitsafe, 'check', '-p', foreign, '--no-cache',
                        '--show-suppressed', '--all-paths'], capture_output=True, text=True)
    for w in ['rejects -mabi=lp64: dropped in %d TUs' % len(db),
              'rejects -fno-var-tracking-assignments: dropped in %d TUs' % len(db)]:
        if w not in p.stderr:
            errors.append('GCC database: no "%s" in: %s' % (w, p.stderr.strip()))
    if ' 0 failed, ' not in p.stderr or 'errors in' in p.stderr or \
            p.stdout.replace(foreign, tree) != text:
        errors.append('GCC database: TUs with errors or another report: %s' % p.stderr.strip())


def check_stats(args, tree, errors):
    """The cap: with --max-targets 1 the two-target pointers are counted,
    listed and not followed; with the default all are followed."""
    cmd = [args.splitsafe, 'check', '-p', tree, '-q', '--stats']
    capped = subprocess.run(cmd + ['--max-targets', '1'], capture_output=True, text=True)
    full = subprocess.run(cmd, capture_output=True, text=True)
    want = ['indirect calls: 5, resolved 1 (1 edges), no target known 0, over 1 targets 4',
            'not followed: struct cb_ops.release: more than 1 targets, 2 calls',
            'not followed: argument 2 of cb_apply(): more than 1 targets, 1 calls',
            'not followed: fn: more than 1 targets, 1 calls']
    for w in want:
        if w not in capped.stderr:
            errors.append('--max-targets 1 --stats: missing "%s" in: %s' % (w, capped.stderr.strip()))
    if 'indirect calls: 5, resolved 5 (9 edges), no target known 0, over 16 targets 0' not in full.stderr:
        errors.append('--stats: %s' % full.stderr.strip())
    if 'cb_release_a() through d->ops->release' in capped.stdout:
        errors.append('--max-targets 1 still follows d->ops->release')
    check_coverage(tree, full.stderr, errors)
    check_cocci(args, tree, errors)


COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)


def identifiers(tree):
    """Every identifier of the tree's C sources, outside comments and strings."""
    ids = set()
    for root, _, files in os.walk(tree):
        for f in files:
            if f.endswith(('.c', '.h')):
                with open(os.path.join(root, f)) as fp:
                    ids |= set(re.findall(r'[A-Za-z_]\w*', COMMENT.sub(' ', fp.read())))
    return ids


def check_coverage(tree, stderr, errors):
    """--stats names the rules names no analysed TU met: on the coverage
    line those in no source of the tree (the fixture's timer_setup() ends
    in a function no rules file names, so both real names are gone), one
    a line those only elsewhere, each with a file that has it."""
    m = re.search(r'rules coverage: (\d+) names, (\d+) met in the analysed TUs, '
                  r'(\d+) only elsewhere in the tree, (\d+) in no source of the tree'
                  r'(?:: (.*))?$', stderr, re.M)
    if not m:
        errors.append('--stats: no rules coverage line: %s' % stderr.strip())
        return
    gone = m.group(5).split(', ') if m.group(5) else []
    ids = identifiers(tree)
    if int(m.group(4)) != len(gone) or [g for g in gone if g.split('.')[0] in ids]:
        errors.append('coverage: listed as gone but in the tree: %r' %
                      [g for g in gone if g.split('.')[0] in ids])
    for want in ('init_timer_key', 'timer_init_key', 'blk_done_softirq'):
        if want not in gone:
            errors.append('coverage: %s is not listed as gone' % want)
    for met in ('timer_setup', 'spin_lock', 'split_kernel_leaf_mapping',
                'hrtimer.function', 'DEFINE_TIMER', 'linear_map_requires_bbml2'):
        if met in gone or ('met in the analysed TUs: %s ' % met) in stderr:
            errors.append('coverage: %s is met but listed' % met)
    elsewhere = re.findall(r'not met in the analysed TUs: (\S+) \(in (\S+)\)', stderr)
    if len(elsewhere) != int(m.group(3)) or not elsewhere:
        errors.append('coverage: %d names elsewhere, %d listed' % (int(m.group(3)), len(elsewhere)))
    for name, where in elsewhere:
        with open(os.path.join(tree, where)) as fp:
            if name.split('.')[0] not in fp.read():
                errors.append('coverage: %s is not in %s' % (name, where))


def check_cocci(args, tree, errors):
    """Coccinelle and libclang extract the same callback facts from the
    built files; Coccinelle alone reads the file the configuration does
    not build, and its registration there makes a new finding."""
    if not shutil.which('spatch'):
        errors.append('spatch is not installed (Debian package coccinelle)')
        return
    cmd = [args.splitsafe, 'check', '-p', tree, '-q', '--stats', '--cocci-facts']
    p = subprocess.run(cmd, capture_output=True, text=True)
    want = ['coccinelle and libclang: 25 facts both, 1 only coccinelle, 0 only libclang',
            'only coccinelle: drivers/cb/unbuilt/other.c:12: struct hrtimer.function '
            'cb_shared_hrtimer()']
    for w in want:
        if w not in p.stderr:
            errors.append('--cocci-facts --stats: missing "%s" in: %s' % (w, p.stderr.strip()))
    if ('cb_shared_hrtimer() runs in hard interrupt context: registered as an hrtimer '
            'callback here (seen by Coccinelle only)') not in p.stdout:
        errors.append('--cocci-facts: no finding through the unbuilt registration')
    plain = subprocess.run(cmd[:-1], capture_output=True, text=True)
    if 'cb_shared_hrtimer' in plain.stdout:
        errors.append('without --cocci-facts the unbuilt registration counts')
    # the semantic patches as a second detector, merged
    det = subprocess.run([args.splitsafe, 'check', '-p', tree, '-q', '--cocci', '--stats',
                          '--all-paths'], capture_output=True, text=True)
    check_golden(args, errors, os.path.join(args.fixtures, 'expected', 'v7.1.cocci.out'),
                 det.stdout)
    want = ['drivers/cb/unbuilt/other.c:25:2: warning: set_direct_map_invalid_noflush() may '
            'split the linear map (takes a mutex, allocates) but is called after spin_lock() '
            'on line 24 [splitsafe-cocci]',
            'drivers/cb/unbuilt/other.c:25:2: note: found by Coccinelle only (split_atomic.cocci)',
            'drivers/misc/ctx.c:18:2: note: also found by Coccinelle (split_atomic.cocci)',
            # cleanup.h regions: guard() and scoped_guard()
            'drivers/misc/ctx.c:91:3: note: also found by Coccinelle (split_atomic.cocci)',
            'drivers/misc/ctx.c:99:3: note: also found by Coccinelle (split_atomic.cocci)',
            # through a helper that sleeps itself: reported, so not merged away
            'mm/protect.c:15:2: note: also found by Coccinelle (split_atomic.cocci)']
    for w in want:
        if w not in det.stdout:
            errors.append('--cocci: missing "%s"' % w)
    if det.stdout.count('also found by Coccinelle') != 21 or det.returncode != 1:
        errors.append('--cocci: %d findings also found by Coccinelle (want 21), exit %d'
                      % (det.stdout.count('also found by Coccinelle'), det.returncode))
    # split_boot.cocci has no phases: in built files libclang's boot check,
    # which has, decides (v7.1 allows mem_init()'s and init_IRQ()'s calls)
    stats = ('semantic patches: 32 reports, 27 also libclang findings, 1 only theirs '
             '(files not built), 4 in analysed files where libclang found no such path')
    if stats not in det.stderr:
        errors.append('--cocci --stats: %s' % det.stderr.strip())


def findings_of(out):
    """(file, line, kind, message) of every finding in a check's output."""
    res = []
    for line in out.splitlines():
        m = FINDING.match(line)
        if m:
            kind = 'warning' if m.group(4) == 'warning' else 'suppressed'
            res.append((m.group(1), int(m.group(2)), kind, m.group(5)))
    return res


def line_of(tree, rel, text):
    """The line of rel holding text: witnesses are checked against the
    fixture source, not against line numbers written here."""
    with open(os.path.join(tree, rel)) as fp:
        for n, line in enumerate(fp, 1):
            if text in line:
                return n
    raise ValueError('%s: no line with %r' % (rel, text))


def explain_out(args, tree, names, extra=()):
    p = subprocess.run([args.splitsafe, 'explain', '-p', tree, '-q'] + list(extra) + names,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check_explain_witnesses(args, tree, errors):
    """Contexts: a call under a spinlock names the lock site; a timer
    callback runs in softirq from its registration; a lock assertion is a
    context of its own; the sink sleeps itself and lists what it calls."""
    ctr = 'drivers/misc/counter.c'
    lock = line_of(tree, ctr, 'spin_lock(&cnt_lock)')
    call = line_of(tree, ctr, 'cnt_bump(n);')
    tick = line_of(tree, ctr, 'cnt_add(1);')
    reg = line_of(tree, ctr, 'timer_setup(')
    rc, out, err = explain_out(args, tree, ['cnt_bump', 'cnt_add', 'cnt_resize',
                                            'cb_locked_helper', 'split_kernel_leaf_mapping'])
    want = [
        "  runs in atomic contexts: spinlock, softirq",
        "  context spinlock: cnt_add() [%s:%d: 'cnt_lock' acquired here] -> cnt_bump() [%s:%d]"
        % (ctr, lock, ctr, call),
        "  context softirq: cnt_tick() [registered as a timer callback at %s:%d] -> cnt_add() "
        "[%s:%d] -> cnt_bump() [%s:%d]" % (ctr, reg, ctr, tick, ctr, call),
        "  context spinlock: cb_locked_helper() [drivers/cb/assert.c:%d: lockdep_assert_held() "
        "asserts it runs with spinlock 'd->lock' held]"
        % line_of(tree, 'drivers/cb/assert.c', 'lockdep_assert_held(&d->lock)'),
        "  sleeper kmalloc(GFP_KERNEL): cnt_resize() -> kmalloc(GFP_KERNEL) [%s:%d]"
        % (ctr, line_of(tree, ctr, 'kmalloc(64, GFP_KERNEL)')),
        "  sleeper mutex_lock_nested(): cnt_resize() -> mutex_lock_nested() [%s:%d]"
        % (ctr, line_of(tree, ctr, 'mutex_lock(&cnt_mutex)')),
        "  sleeps itself: takes pgtable_split_lock",
    ]
    for w in want:
        if w + '\n' not in out:
            errors.append('explain: missing line %r' % w)
    if rc != 0 or out.count('  reaches no sleeper\n') != 2:
        errors.append('explain: exit %d; cnt_bump() and cnt_add() reach no sleeper: %s'
                      % (rc, out + err))


def check_assume_sleeps(args, tree, plain, errors):
    """--assume-sleeps cnt_bump: check reports exactly the expect-assumed
    paths on top of the plain run; explain lists who breaks and shows
    cnt_bump() among its callers' sleepers.  Without it, nothing."""
    if ASSUME in plain:
        errors.append('without --assume-sleeps, %s() is in a finding' % ASSUME)
    p = subprocess.run([args.splitsafe, 'check', '-p', tree, '-q', '--show-suppressed',
                        '--assume-sleeps', ASSUME], capture_output=True, text=True)
    base = set(findings_of(plain))
    new = [f for f in findings_of(p.stdout) if f not in base]
    want = []
    for rel, n, kind, text in expectations(tree, set(), ASSUMED):
        want.append((rel, n, text))
        if not [f for f in new if f[:3] == (rel, n, 'warning') and text in f[3]]:
            errors.append('--assume-sleeps: %s:%d: expected warning not reported: %s'
                          % (rel, n, text))
    for f in new:
        if not [w for w in want if w[:2] == f[:2] and w[2] in f[3]]:
            errors.append('--assume-sleeps: %s:%d: unexpected %s: %s' % f)
    if p.returncode != 1 or len(want) != 2:
        errors.append('--assume-sleeps: exit %d, %d expectations' % (p.returncode, len(want)))
    ctr = 'drivers/misc/counter.c'
    rc, out, err = explain_out(args, tree, [ASSUME, 'cnt_add'], ['--assume-sleeps', ASSUME])
    sleeper = ("  sleeper cnt_bump() (assumed to sleep: --assume-sleeps): cnt_add() -> "
               "cnt_bump() [%s:%d] (called with spinlock 'cnt_lock' held)\n"
               % (ctr, line_of(tree, ctr, 'cnt_bump(n);')))
    if rc != 0 or sleeper not in out or \
            '  sleeps itself: assumed to sleep: --assume-sleeps\n' not in out or \
            '  runs in atomic contexts: spinlock, softirq\n' not in out:
        errors.append('explain --assume-sleeps: exit %d: %s' % (rc, out + err))
    rc, out, err = explain_out(args, tree, ['cnt_add'])
    if 'sleeper cnt_bump()' in out:
        errors.append('explain without --assume-sleeps lists cnt_bump() as a sleeper')


def check_dot(args, tree, errors):
    """--dot: Graphviz renders it, with the functions of the chains; the
    explained one highlighted; statics of one name are two nodes."""
    path = os.path.join(args.work, 'explain.dot')
    if os.path.exists(path):
        os.unlink(path)
    rc, out, err = explain_out(args, tree, ['cnt_bump', 'helper'], ['--dot', path])
    if rc != 0 or not os.path.exists(path):
        errors.append('--dot: exit %d, %s' % (rc, err.strip()))
        return
    if not shutil.which('dot'):
        errors.append('dot is not installed (Debian package graphviz)')
        return
    p = subprocess.run(['dot', '-Tsvg', path], capture_output=True, text=True)
    if p.returncode != 0 or p.stderr:
        errors.append('dot -Tsvg: exit %d: %s' % (p.returncode, p.stderr.strip()))
        return
    titles = {html.unescape(t) for t in re.findall(r'<title>([^<]*)</title>', p.stdout)}
    for t in ['cnt_bump', 'cnt_add', 'cnt_tick@drivers/misc/counter.c',
              'cnt_add->cnt_bump', 'helper@drivers/a/core.c', 'helper@drivers/b/core.c',
              'split_kernel_leaf_mapping']:
        if t not in titles:
            errors.append('--dot: no %r in the svg' % t)
    with open(path) as fp:
        text = fp.read()
    ctr = 'drivers/misc/counter.c'
    for w in ['\t"cnt_bump" [label="cnt_bump()", style="filled,bold", fillcolor=gold',
              '\t"cnt_add" -> "cnt_bump" [label="%s:%d"' % (ctr, line_of(tree, ctr, 'cnt_bump(n);')),
              "context spinlock: %s:%d: 'cnt_lock' acquired here"
              % (ctr, line_of(tree, ctr, 'spin_lock(&cnt_lock)')),
              'context softirq: registered as a timer callback at %s:%d'
              % (ctr, line_of(tree, ctr, 'timer_setup('))]:
        if w not in text:
            errors.append('--dot: missing %r' % w)
    if text.count('fillcolor=gold') != 3:
        errors.append('--dot: %d highlighted nodes, want 3' % text.count('fillcolor=gold'))
    if [n for n in os.listdir(args.work) if '.tmp.' in n]:
        errors.append('--dot left a temporary file behind')


def check_golden(args, errors, path, text):
    if os.path.exists(path):
        with open(path) as fp:
            if fp.read() != text:
                errors.append('output differs from %s' % os.path.relpath(path))
    if args.write_golden:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as fp:
            fp.write(text)


def check_variant(args, variant):
    tree, tags = build_variant(args.fixtures, variant, args.work)
    errors = []
    # -j1 parses everything; -j2 fills the facts store; the third reads it
    rc1, out1, err1 = run(args.splitsafe, tree, 1, args.rules, ['--no-cache'])
    rc2, out2, err2 = run(args.splitsafe, tree, 2, args.rules)
    if out1 != out2:
        errors.append('output differs between -j1 and -j2')
    rc3, out3, err3 = run(args.splitsafe, tree, 2, args.rules)
    if out3 != out1 or 'parsed (0 from the facts store)' not in err2 or \
            ' 0 from the facts store' in err3:
        errors.append('a run from the facts store differs: %s' % err3.strip())
    if 'failed' in err1 and ' 0 failed' not in err1:
        errors.append('some TU failed to parse: ' + err1.strip())
    findings = []
    for line in out1.splitlines():
        m = FINDING.match(line)
        if m:
            kind = 'warning' if m.group(4) == 'warning' else 'suppressed'
            findings.append([m.group(1), int(m.group(2)), kind, m.group(5), False])
    exp = expectations(tree, tags)
    for rel, n, kind, text in exp:
        hit = [f for f in findings if f[0] == rel and f[1] == n and f[2] == kind and text in f[3]]
        if not hit:
            errors.append('%s:%d: expected %s not reported: %s' % (rel, n, kind, text))
        for f in hit:
            f[4] = True
    for f in findings:
        if not f[4]:
            errors.append('%s:%d: unexpected %s: %s' % (f[0], f[1], f[2], f[3]))
    want_rc = 1 if any(e[2] == 'warning' for e in exp) else 0
    if rc1 != want_rc:
        errors.append('exit status %d, expected %d (stderr: %s)' % (rc1, want_rc, err1.strip()))
    # a variant with a BASE that has no golden of its own must report
    # exactly what its root base does (the same code in other header forms)
    chain = variant_chain(args.fixtures, variant)
    golden = os.path.join(args.fixtures, 'expected', variant + '.out')
    if not os.path.exists(golden) and len(chain) > 1 and not args.write_golden:
        golden = os.path.join(args.fixtures, 'expected', chain[0] + '.out')
    if len(chain) > 1 and 'errors in' in err1:
        errors.append('TUs with errors: ' + err1.strip())
    if os.path.exists(golden) or args.write_golden:
        check_golden(args, errors, golden, out1)
        erc, eout = explain(args.splitsafe, tree, args.rules)
        if erc != 0:
            errors.append('explain exit status %d: %s' % (erc, eout.strip()))
        check_golden(args, errors, golden[:-4] + '.explain', eout)
    if 'realm-fix' in tags and len(chain) == 1:
        check_stats(args, tree, errors)
        check_foreign_flags(args, tree, out1, errors)
        check_json(args, tree, out1, errors)
        check_baseline(args, tree, out1, errors)
        check_ignore_reason(args, tree, errors)
        check_explain_witnesses(args, tree, errors)
        check_assume_sleeps(args, tree, out1, errors)
        check_dot(args, tree, errors)
        check_groups(args, tree, out1, errors)
        check_guard_removed(args, tree, errors)
    return errors, len(exp)


def check_guard_removed(args, tree, errors):
    """The v6.18-rc1 bug again: without the sink's pte-mapped/KFENCE early
    return, every KFENCE and DEBUG_PAGEALLOC path in atomic context is a
    bug.  They are reported, one warning per cause, KFENCE's and
    DEBUG_PAGEALLOC's among them."""
    bare = copy_tree(tree, '-noguard')
    path = os.path.join(bare, 'arch/arm64/mm/mmu.c')
    with open(path) as fp:
        src = fp.read()
    guard = '\tif (!linear_map_requires_bbml2 || is_kfence_address((void *)start))\n\t\treturn 0;\n'
    if guard not in src:
        errors.append('guard removed: the fixture sink has no pte-mapped/KFENCE return')
        return
    with open(path, 'w') as fp:
        fp.write(src.replace(guard, ''))
    grouped = subprocess.run([args.splitsafe, 'check', '-p', bare, '-q', '--no-cache'],
                             capture_output=True, text=True)
    every = subprocess.run([args.splitsafe, 'check', '-p', bare, '-q', '--no-cache',
                            '--all-paths'], capture_output=True, text=True)
    g = [b for b in warning_blocks(grouped.stdout) if '[splitsafe-atomic]' in b[0]]
    a = [b for b in warning_blocks(every.stdout) if '[splitsafe-atomic]' in b[0]]
    reps = {m.group(3) + ' -> ' + m.group(4): int(m.group(1))
            for _, notes in g for m in (GROUP_REP.search(n) for n in notes) if m}
    for cause in [r'kfence_protect_page\(\) -> set_memory_valid\(\)',
                  r'debug_pagealloc_(un)?map_pages\(\) -> __kernel_map_pages\(\)']:
        if not any(re.fullmatch(cause, c) and n >= 2 for c, n in reps.items()):
            errors.append('guard removed: no group through %s: %r' % (cause, reps))
    if len(g) >= len(a) or sum(reps.values()) + len(g) - len(reps) != len(a):
        errors.append('guard removed: %d warnings for %d paths in groups %r'
                      % (len(g), len(a), reps))


GROUP_OF = re.compile(r'note: one of (\d+) (?:boot call sites|places in atomic context)'
                      r'(?: \(phases [^)]*\))? that reach (\S+) through (\S+) -> (\S+)$')
GROUP_REP = re.compile(r'note: (\d+) (?:boot call sites|places in atomic context)'
                       r'(?: \(phases [^)]*\))? reach (\S+) through (\S+) -> (\S+); this is the shortest')


def warning_blocks(out):
    """[(warning line, [notes])] of the warnings in a text report."""
    blocks, cur = [], None
    for line in out.splitlines():
        m = FINDING.match(line)
        if m:
            cur = (line, []) if m.group(4) == 'warning' else None
            if cur:
                blocks.append(cur)
        elif cur is not None:
            cur[1].append(line)
    return blocks


def check_groups(args, tree, all_out, errors):
    """One warning per group: the default output shows each group once,
    with its size, and every warning it shows is one --all-paths shows."""
    p = subprocess.run([args.splitsafe, 'check', '-p', tree, '-q', '--show-suppressed'],
                       capture_output=True, text=True)
    grouped, every = warning_blocks(p.stdout), warning_blocks(all_out)
    groups, singles = {}, 0
    for head, notes in every:
        g = [GROUP_OF.search(n) for n in notes]
        g = [m for m in g if m]
        if g:
            key = (head.rsplit('[', 1)[1],) + g[0].groups()[1:]
            groups.setdefault(key, []).append(head)
            if int(g[0].group(1)) < 2:
                errors.append('groups: a group of one: ' + head)
        else:
            singles += 1
    for key, heads in groups.items():
        size = int([GROUP_OF.search(n).group(1) for h, ns in every if h == heads[0]
                    for n in ns if GROUP_OF.search(n)][0])
        if size != len(heads):
            errors.append('groups: %s says %d paths, %d listed' % (key, size, len(heads)))
    if len(grouped) != len(groups) + singles:
        errors.append('groups: %d warnings by default, want %d groups and %d single paths'
                      % (len(grouped), len(groups), singles))
    heads = {h for h, _ in every}
    for head, notes in grouped:
        if head not in heads:
            errors.append('groups: not a warning of --all-paths: ' + head)
        reps = [GROUP_REP.search(n) for n in notes]
        reps = [m for m in reps if m]
        if reps:
            key = (head.rsplit('[', 1)[1],) + reps[0].groups()[1:]
            if key not in groups or int(reps[0].group(1)) != len(groups[key]):
                errors.append('groups: %s stands for no group of that size' % head)
    if not groups:
        errors.append('groups: the fixture should have groups; found none')
    if p.returncode != 1:
        errors.append('groups: exit status %d' % p.returncode)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe')
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--rules')
    ap.add_argument('--variant', action='append')
    ap.add_argument('--prepare-only', action='store_true',
                    help='only lay out the variant trees and print their paths')
    ap.add_argument('--write-golden', action='store_true',
                    help='write expected/<variant>.out from this run, for review')
    args = ap.parse_args()
    variants = args.variant or sorted(os.listdir(os.path.join(args.fixtures, 'variants')))
    if args.prepare_only:
        for v in variants:
            print(build_variant(args.fixtures, v, args.work)[0])
        return 0
    passed = failed = 0
    for v in variants:
        errors, n = check_variant(args, v)
        if errors:
            failed += 1
            print('FAIL %s' % v)
            for e in errors:
                print('  ' + e)
        else:
            passed += 1
            print('ok   %s (%d expectations)' % (v, n))
    print('fixtures: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
