#!/usr/bin/env python3
"""Assertions on splitsafe's output for Debian's Linux 6.12 (arm64, LLVM=1,
defconfig + DEBUG_PAGEALLOC + KFENCE + HIBERNATION) with
rules/arm64-split-6.12.yaml and --show-suppressed.

usage: check-6.12.py EXIT_STATUS STDOUT_FILE STDERR_FILE EXPLAIN_STATUS EXPLAIN_FILE
                     COCCI_RUNS SINK_CALLERS SARIF_FILE SCHEMA_CACHE
                     DOT_STATUS DOT_FILE SVG_FILE ASSUME_STATUS ASSUME_FILE
Function names only: line numbers change with Debian's point releases.
SARIF_FILE is the same run's --sarif-output; SCHEMA_CACHE is where
tests/sarif/sarif_schema.py keeps the SARIF 2.1.0 schema.
"""
import html
import json
import os
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'sarif'))
import sarif_schema  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checks import check, summary  # noqa: E402


def blocks(text):
    """Split output into (header, [notes]) per finding."""
    out = []
    for line in text.splitlines():
        if re.search(r': (warning|note: suppressed): ', line):
            out.append([line, []])
        elif out:
            out[-1][1].append(line)
    return out


def chain(b):
    return [m.group(1) for m in (re.search(r'note: calls (\S+?)\(', n) for n in b[1]) if m]


def has_chain(b, names):
    """names appear in order in the chain (not necessarily adjacent)."""
    c = chain(b)
    i = 0
    for name in c:
        if i < len(names) and name == names[i]:
            i += 1
    return i == len(names)


# Where the arm64 boot sequence of Linux 6.12 runs these (kernel-facts §4):
# paging_init() from setup_arch(), before the page allocator; mem_init()
# and kmem_cache_init() from mm_core_init() once it is up; an early
# initcall on the boot CPU alone; smp_cpus_done() from smp_init() while
# secondaries start, before setup_system_capabilities() finalizes them;
# a postcore initcall after that.
PHASES = {
    'paging_init': ({'early'}, ['start_kernel', 'setup_arch', 'paging_init']),
    'mem_init': ({'booting'}, ['start_kernel', 'mm_core_init', 'mem_init']),
    'kmem_cache_init': ({'booting'}, ['start_kernel', 'mm_core_init', 'kmem_cache_init']),
    'rcu_spawn_gp_kthread': ({'single'}, ['rcu_spawn_gp_kthread']),
    'kernel_init_freeable': ({'single'}, ['kernel_init', 'kernel_init_freeable']),
    'smp_cpus_done': ({'secondary'}, ['kernel_init', 'kernel_init_freeable', 'smp_init',
                                      'smp_cpus_done']),
    'setup_system_capabilities': ({'secondary'}, ['smp_cpus_done', 'setup_system_features',
                                                  'setup_system_capabilities']),
    'init_per_zone_wmark_min': ({'final'}, ['init_per_zone_wmark_min']),
    'secondary_start_kernel': ({'secondary', 'final'}, ['secondary_start_kernel']),
    'start_kernel': ({'early'}, ['start_kernel']),
}


def check_phases(rc, text):
    check(rc == 0, 'explain exit status %d' % rc)
    heads = {}
    for m in re.finditer(r'^\S+: (\w+)\(\)[^\n]* runs in boot phases: ([^\n]*)\n((?:  phase [^\n]*\n)*)',
                         text, re.M):
        heads.setdefault(m.group(1), (set(m.group(2).split(', ')), m.group(3)))
    for name, (want, path) in sorted(PHASES.items()):
        got, wit = heads.get(name, (set(), ''))
        names = re.findall(r'(\w+)\(\)', wit)
        i = 0
        for n in names:
            if i < len(path) and n == path[i]:
                i += 1
        check(got == want and i == len(path),
              'phases of %s(): %s (want %s via %s)' % (name, ', '.join(sorted(got)) or 'none',
                                                     ', '.join(sorted(want)), ' -> '.join(path)))
    vf = heads.get('vfree', (set(), ''))[0]
    check('final' in vf and len(vf) >= 2, 'vfree() runs at boot and at run time: %s' % ', '.join(sorted(vf)))
    check('[registered as an early initcall at kernel/rcu/tree.c:' in text,
          'early_initcall(rcu_spawn_gp_kthread) registration seen')


def explanations(text):
    """The indented lines explain prints under each function, by name."""
    out = {}
    name = None
    for line in text.splitlines():
        m = re.match(r'^\S+: (\w+)\(\)', line) or re.match(r'^(\w+)\(\)', line)
        if m:
            name = m.group(1)
            out.setdefault(name, [])
        elif name and line.startswith('  '):
            out[name].append(line)
    return out


# Atomic contexts of well-known 6.12 functions, with where they start
# (read in the 6.12 sources): the buddy allocator merges under zone->lock;
# schedule_timeout()'s on-stack timer; the periodic tick and the hrtimer
# expiry in hard interrupt context (hrtimer_interrupt()) and in softirq
# (hrtimer_run_softirq()); slab pages freed from an RCU callback.
CONTEXTS = [
    ('__free_one_page', r"context spinlock: \w+\(\) \[mm/page_alloc\.c:\d+: [^\]]*'zone->lock'"
     r"[^\]]*\] -> __free_one_page\(\) \[mm/page_alloc\.c:\d+\]$"),
    ('process_timeout', r'context softirq: process_timeout\(\) \[registered as a timer callback '
     r'at kernel/time/timer\.c:\d+\]$'),
    ('tick_periodic', r'context hardirq: tick_handle_periodic\(\) \[kernel/time/tick-common\.c:\d+: '
     r'tick_handle_periodic\(\) runs in hard interrupt context\] -> tick_periodic\(\) '
     r'\[kernel/time/tick-common\.c:\d+\]$'),
    ('__hrtimer_run_queues', r'context hardirq: hrtimer_interrupt\(\) \[kernel/time/hrtimer\.c:\d+: '
     r'hrtimer_interrupt\(\) runs in hard interrupt context\] -> __hrtimer_run_queues\(\) '
     r'\[kernel/time/hrtimer\.c:\d+\]$'),
    ('__hrtimer_run_queues', r'context softirq: hrtimer_run_softirq\(\) \[kernel/time/hrtimer\.c:\d+: '
     r'hrtimer_run_softirq\(\) runs in softirq context\] -> __hrtimer_run_queues\(\) '
     r'\[kernel/time/hrtimer\.c:\d+\]$'),
    ('__hrtimer_run_queues', r"context spinlock: hrtimer_interrupt\(\) \[kernel/time/hrtimer\.c:\d+: "
     r"'cpu_base->lock' acquired here\] -> __hrtimer_run_queues\(\)"),
    ('rcu_free_slab', r'context softirq: rcu_free_slab\(\) \[registered as an RCU callback at '
     r'mm/slub\.c:\d+\]$'),
]

# What they reach that may sleep: the 6.12 page-attribute path, which
# KFENCE makes safe; vfree() sleeps itself (might_sleep()).
SLEEPERS = [
    ('set_memory_valid', r'sleeper apply_to_page_range\(\) \(may allocate page tables with '
     r'GFP_PGTABLE_KERNEL\): set_memory_valid\(\) -> __change_memory_common\(\) '
     r'\[arch/arm64/mm/pageattr\.c:\d+\] -> apply_to_page_range\(\) \[arch/arm64/mm/pageattr\.c:\d+\]$'),
    ('kfence_protect_page', r'sleeper apply_to_page_range\(\) .* -> apply_to_page_range\(\) '
     r'\[arch/arm64/mm/pageattr\.c:\d+\] \(safe: kfence_protect_page\(\) establishes pte-mapped'),
    ('vfree', r'sleeps itself: the rules list it among the sleepers$'),
]


def check_explain(text):
    ex = explanations(text)
    for name, pat in CONTEXTS + SLEEPERS:
        lines = ex.get(name, [])
        check(any(re.search(pat, l.strip()) for l in lines),
              'explain %s(): %s' % (name, pat.replace('\\', '')[:110]))
    # every function listed its contexts, and sleepers nearest first,
    # counted: shown plus the rest
    for name, lines in sorted(ex.items()):
        heads = [l for l in lines if l.startswith('  runs in atomic contexts: ')]
        kinds = heads[0].split(': ', 1)[1].split(', ') if heads else []
        ctx = [l.split(':')[0].split()[1] for l in lines if l.startswith('  context ')]
        hops = [l.split('): ', 1)[1].count(' -> ') for l in lines if l.startswith('  sleeper ')]
        m = [re.match(r'  reaches (\d+) sleepers?', l) for l in lines]
        total = [int(x.group(1)) for x in m if x]
        more = [int(l.split()[2]) for l in lines if l.startswith('  ... and ')]
        check(len(heads) == 1 and (kinds == ['none'] or kinds == ctx) and
              hops == sorted(hops) and len(hops) <= 10 and
              (total == [len(hops) + sum(more)] or
               (not total and not hops and any(l.startswith('  reaches no sleeper')
                                               for l in lines))),
              'explain %s(): contexts %s, %d sleepers shown nearest first of %s'
              % (name, ', '.join(ctx) or 'none', len(hops), total))


def check_dot(rc, dot, svg, explained):
    """The chains explain printed, rendered by Graphviz."""
    text = open(dot).read() if rc == 0 else ''
    titles = {html.unescape(t) for t in re.findall(r'<title>([^<]*)</title>', open(svg).read())} \
        if rc == 0 else set()
    check(rc == 0 and text.startswith('digraph "splitsafe explain" {'),
          'explain --dot rendered by dot -Tsvg: exit %d' % rc)
    for t in ['__free_one_page@mm/page_alloc.c', 'process_timeout@kernel/time/timer.c',
              'tick_handle_periodic', 'tick_handle_periodic->tick_periodic@kernel/time/tick-common.c',
              'apply_to_page_range']:
        check(t in titles, '--dot svg has %s' % t.replace('->', ' -> '))
    heads = len(re.findall(r'^\S', explained, re.M))
    check(text.count('fillcolor=gold') == heads, '--dot: the %d functions explained highlighted (%d)'
          % (heads, text.count('fillcolor=gold')))


def check_assume(rc, text, plain):
    """--assume-sleeps __free_one_page: the buddy allocator's callers under
    zone->lock break, reported like a sink's; nothing without it."""
    bs = blocks(text)
    msg = '__free_one_page() may sleep (assumed to sleep: --assume-sleeps) but is reached '
    new = [b for b in bs if msg in b[0]]
    zone = [b for b in new if b[0].startswith('mm/page_alloc.c:') and
            "with spinlock 'zone->lock' held [splitsafe-atomic]" in b[0]]
    check(rc == 1 and len(zone) >= 3,
          '--assume-sleeps __free_one_page: exit %d, %d paths under zone->lock in mm/page_alloc.c '
          '(>= 3), %d in all' % (rc, len(zone), len(new)))
    check(all(': warning: ' in b[0] or ': note: suppressed: ' in b[0] for b in new) and
          all([n for n in b[1] if ': note: calls ' in n] and
              [n for n in b[1] if ': note: calls ' in n][-1].endswith('note: calls __free_one_page()')
              for b in new
              if ': warning: ' in b[0]),
          '--assume-sleeps: each chain ends in the call of __free_one_page()')
    check('__free_one_page() may sleep' not in plain, 'without --assume-sleeps no such finding')


def check_groups(grouped, warn):
    """The default report: one warning per cause, each standing for paths
    of the --all-paths run, at most 10 of them (hibernation, and no flood
    through indirect calls or functions that sleep themselves)."""
    gw = [b for b in blocks(grouped) if ': warning: ' in b[0]]
    heads = {b[0] for b in warn}
    size = re.compile(r'note: (\d+) (?:boot call sites|places in atomic context)'
                      r'(?: \(phases [^)]*\))? reach ')
    counted = sum(max([int(m.group(1)) for m in (size.search(n) for n in b[1]) if m] or [1])
                  for b in gw)
    check(0 < len(gw) <= 10 and all(b[0] in heads for b in gw) and counted == len(warn),
          'grouped: %d warnings (<= 10), each one of the %d paths, their sizes add up to %d'
          % (len(gw), len(warn), counted))


def check_cocci(runs, callers):
    """The semantic patches finish over mm/ and arch/arm64/mm without
    spatch errors, in bounded time, plain and fed with splitsafe's list."""
    names = {line.split()[0] for line in callers if line.strip()}
    check({'set_memory_valid', 'set_direct_map_invalid_noflush', 'swsusp_save'} <= names
          and 'kfree' not in names,
          '--write-sink-callers: %d functions with an unguarded path, set_memory_valid, '
          'set_direct_map_invalid_noflush and swsusp_save among them, kfree (guarded by '
          'DEBUG_PAGEALLOC) not' % len(names))
    rows = [r.split() for r in runs.splitlines() if r.strip()]
    check(len(rows) == 15, '%d semantic patch runs (3 patches x 2 dirs x plain/fed, '
          'and 3 through make coccicheck)' % len(rows))
    for patch, d, fed, rc, secs, reports, errs in rows:
        check(rc == '0' and errs == '0' and int(secs) <= 300,
              '%s over %s%s: exit %s, %s s (<= 300), %s reports, %s error lines'
              % (patch, d, ' (fed)' if fed == 'yes' else '', rc, secs, reports, errs))


def check_sarif(path, cache, warn, supp, failed):
    """The same run's SARIF log validates against the SARIF 2.1.0 schema and
    has the text's findings: one open result per warning, one suppressed
    result per suppressed path, one notification per TU that failed."""
    try:
        v = sarif_schema.validator(sarif_schema.load_schema(cache))
    except sarif_schema.SchemaError as e:
        check(False, 'SARIF schema: %s' % e)
        return
    if not check(os.path.exists(path), '--sarif-output wrote %s' % path):
        return
    with open(path) as fp:
        doc = json.load(fp)
    errs = sarif_schema.problems(v, doc)
    check(not errs, 'the SARIF log of the run is valid SARIF 2.1.0 (%d bytes)%s'
          % (os.path.getsize(path), ''.join('\n  ' + e for e in errs[:10])))
    run = doc['runs'][0]
    results = run['results']
    open_ = [r for r in results if not r.get('suppressions')]
    check(len(open_) == len(warn) and len(results) - len(open_) == len(supp),
          'SARIF: %d results, %d not suppressed, for %d warnings and %d suppressed paths '
          'in the text' % (len(results), len(open_), len(warn), len(supp)))
    fps = {(r['ruleId'], r['partialFingerprints']['splitsafeChain/v1']) for r in results}
    check(len(fps) == len(results), 'SARIF: %d distinct fingerprints' % len(fps))
    notes = run['invocations'][0]['toolExecutionNotifications']
    check(len(notes) == failed, 'SARIF: %d notifications for %d TUs that failed'
          % (len(notes), failed))


def main():
    rc = int(sys.argv[1])
    out = open(sys.argv[2]).read()
    err = open(sys.argv[3]).read()
    check(rc in (0, 1), 'no crash: exit status %d' % rc)
    m = re.search(r'(\d+) TUs parsed(?: \(\d+ from the facts store\))?, (\d+) failed, '
                  r'(\d+) functions, (\d+) edges', err)
    check(m is not None, 'summary line printed')
    failed = -1
    if m:
        parsed, failed = int(m.group(1)), int(m.group(2))
        check(parsed + failed >= 300, '%d TUs analysed (>= 300)' % (parsed + failed))
        check(parsed >= 0.99 * (parsed + failed),
              '%d of %d TUs parse (>= 99%%)' % (parsed, parsed + failed))
    bs = blocks(out)
    warn = [b for b in bs if ': warning: ' in b[0]]
    supp = [b for b in bs if 'note: suppressed: ' in b[0]]

    # P1: hibernation copies pages with interrupts off (facts sheet chain 8)
    check(any('kernel/power/hibernate.c' in b[0] and 'interrupts disabled' in b[0] and
              has_chain(b, ['swsusp_arch_suspend', 'swsusp_save', 'copy_data_pages',
                            'safe_copy_page', 'apply_to_page_range'])
              for b in warn),
          'reported: create_image() irqs off -> swsusp_arch_suspend -> ... -> '
          'safe_copy_page -> apply_to_page_range')
    check(any('arch/arm64/kernel/hibernate.c' in b[0] and 'interrupts disabled' in b[0] and
              any('local_daif' in n or 'interrupts disabled here' in n for n in b[1]) and
              has_chain(b, ['swsusp_save', 'apply_to_page_range'])
              for b in warn),
          'reported: swsusp_arch_suspend() local_daif_save -> swsusp_save -> apply_to_page_range')
    # B2 shape in 6.12: KFENCE under its raw meta->lock, suppressed as pte-mapped
    kf = [b for b in supp if "spinlock 'meta->lock' held" in b[0] and
          has_chain(b, ['kfence_protect_page', 'set_memory_valid',
                        '__change_memory_common', 'apply_to_page_range'])]
    check(len(kf) >= 2, 'suppressed: kfence_guarded_alloc/free under meta->lock '
          '-> kfence_protect_page -> set_memory_valid -> apply_to_page_range (%d)' % len(kf))
    check(any('kfence_protect_page() establishes' in n for b in kf for n in b[1]),
          'suppressed KFENCE path names kfence_protect_page() as the guard')
    # B1 shape: DEBUG_PAGEALLOC page free under a lock, suppressed
    dp = [b for b in supp if has_chain(b, ['__kernel_map_pages', 'set_memory_valid',
                                            'apply_to_page_range'])]
    check(len(dp) >= 10, 'suppressed: DEBUG_PAGEALLOC paths through __kernel_map_pages (%d)' % len(dp))
    check(any('__kernel_map_pages() establishes pte-mapped' in n for b in dp for n in b[1]),
          'suppressed DEBUG_PAGEALLOC path names __kernel_map_pages() as the guard')
    # every kind of context primitive is recognised in the real tree
    for kind in ["with spinlock '", 'with rwlock', 'with interrupts disabled',
                 'with preemption disabled', 'with bottom halves disabled',
                 'inside an RCU read-side', 'in softirq context']:
        check(any(kind in b[0] for b in bs), 'context recognised in 6.12: ' + kind)
    # callbacks: an RCU callback in mm/ that frees slab pages ends in a
    # page-attribute change (DEBUG_PAGEALLOC's __kernel_map_pages(), safe
    # because it keeps the linear map pte-mapped), listed with its
    # registration site
    rcu = [b for b in supp if 'rcu_free_slab() runs in softirq context: registered as an '
           'RCU callback here' in '\n'.join(b[1]) and
           has_chain(b, ['__free_pages', '__kernel_map_pages', 'set_memory_valid',
                         'apply_to_page_range'])]
    check(len(rcu) >= 1, 'listed: rcu_free_slab() RCU callback (registered in mm/slub.c) -> '
          '__free_pages -> __kernel_map_pages -> set_memory_valid -> apply_to_page_range')
    check(sum(1 for b in bs if any(' through ' in n for n in b[1])) >= 10,
          'chains through resolved indirect calls (>= 10)')
    # a function on the way that sleeps itself no longer hides a path
    check(not any('note: safe: ' in n and 'may sleep itself' in n for b in supp for n in b[1]),
          'no path is suppressed because a function on it sleeps itself')
    check(all(any('note: on the way ' in n for n in b[1]) for b in warn
              if any(n.endswith('note: calls vfree()') for n in b[1])),
          'a reported path through vfree() names the function on the way that sleeps itself')
    check_groups(open(sys.argv[15]).read(), warn)
    # indirect calls: what was not followed is counted; the thresholds are
    # justified in the README (5% of calls are generic dispatch over the cap,
    # under half have no target splitsafe can see)
    m = re.search(r'indirect calls: (\d+), resolved (\d+) \((\d+) edges\), '
                  r'no target known (\d+), over (\d+) targets (\d+)', err)
    check(m is not None, 'indirect call statistics printed')
    if m:
        total, resolved, _, none, cap, capped = (int(x) for x in m.groups())
        check(total >= 500, '%d indirect calls seen (>= 500)' % total)
        check(resolved >= 0.4 * total, '%d of %d resolved (>= 40%%)' % (resolved, total))
        check(capped <= 0.1 * total, '%d over the cap of %d (<= 10%%)' % (capped, cap))
        check(none <= 0.5 * total, '%d with no target known (<= 50%%)' % none)
    check('not followed: struct seq_operations.' in err,
          'generic dispatch (seq_operations) listed as not followed')
    # no boot finding: the 6.12 sinks forbid no boot phase, and the
    # interrupts-off start of start_kernel() does not flood the atomic check
    check(not any('[splitsafe-boot]' in b[0] for b in bs), 'no boot finding with the 6.12 rules')
    check(not any(': warning: ' in b[0] and 'init/main.c' in b[0] for b in bs),
          'no atomic warning entered in init/main.c (start_kernel runs with irqs off)')
    check_phases(int(sys.argv[4]), open(sys.argv[5]).read())
    check_explain(open(sys.argv[5]).read())
    check_dot(int(sys.argv[10]), sys.argv[11], sys.argv[12], open(sys.argv[5]).read())
    check_assume(int(sys.argv[13]), open(sys.argv[14]).read(), out)
    check_cocci(open(sys.argv[6]).read(), open(sys.argv[7]).read().split('\n'))
    check_sarif(sys.argv[8], sys.argv[9], warn, supp, failed)
    return summary('kernel-6.12')


if __name__ == '__main__':
    sys.exit(main())
