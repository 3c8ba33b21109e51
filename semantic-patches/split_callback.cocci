// SPDX-License-Identifier: GPL-2.0-only
/// Find calls of functions that may split the arm64 linear map, and so
/// take a mutex and allocate page tables, in functions the same file
/// registers as interrupt handlers, timer, hrtimer, tasklet, irq_work or
/// RCU callbacks: they run in hard or soft interrupt context.
//# A threaded interrupt handler (the third argument of
//# request_threaded_irq()) runs in a kthread and is not matched.  An
//# hrtimer set up in a SOFT mode runs in softirq, which is atomic too.
//# SPLITSAFE_SINK_CALLERS extends the list as in split_atomic.cocci.
///
// Confidence: Moderate
// Copyright: (C) 2026 the splitsafe authors.
// Comments: no patch mode: there is no safe rewrite of such a call.
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import os

SPLITTERS = set("""
split_kernel_leaf_mapping arch_kfence_init_pool update_range_prot
__change_memory_common change_memory_common set_memory_valid
set_memory_ro set_memory_rw set_memory_x set_memory_nx set_memory_rox
set_direct_map_invalid_noflush set_direct_map_default_noflush
set_direct_map_valid_noflush __kernel_map_pages kernel_map_pages
debug_pagealloc_map_pages debug_pagealloc_unmap_pages
set_memory_encrypted set_memory_decrypted realm_set_memory_encrypted
realm_set_memory_decrypted __set_memory_enc_dec
""".split())
# from splitsafe: "name" a line, or "name path" for a static function
STATIC = set()
extra = os.environ.get("SPLITSAFE_SINK_CALLERS")
if extra:
    with open(extra) as f:
        for line in f:
            w = line.split()
            if len(w) == 1:
                SPLITTERS.add(w[0])
            elif len(w) == 2:
                STATIC.add((w[0], os.path.realpath(w[1])))

def splits(fn, p):
    return fn in SPLITTERS or (fn, os.path.realpath(p.file)) in STATIC

def entered_by(p):
    """The name written at p: the function called there, or the field
    assigned ("an assignment to function")."""
    try:
        with open(p.file) as f:
            line = f.readlines()[int(p.line) - 1]
    except (OSError, IndexError, ValueError):
        return "?"
    rest = line[int(p.column):]
    name = ""
    for ch in rest:
        if not (ch.isalnum() or ch == "_"):
            break
        name += ch
    if rest[len(name):].lstrip().startswith("=") and not rest[len(name):].lstrip().startswith("=="):
        return "an assignment to " + name
    return name + "()"

@reg@
identifier cb;
expression E1, E2;
struct hrtimer *ht;
struct hrtimer htv;
position pr;
@@

(
request_irq@pr(E1, cb, ...)
|
request_threaded_irq@pr(E1, cb, ...)
|
request_any_context_irq@pr(E1, cb, ...)
|
devm_request_irq@pr(E1, E2, cb, ...)
|
devm_request_threaded_irq@pr(E1, E2, cb, ...)
|
timer_setup@pr(E1, cb, ...)
|
hrtimer_setup@pr(E1, cb, ...)
|
tasklet_setup@pr(E1, cb)
|
tasklet_init@pr(E1, cb, ...)
|
call_rcu@pr(E1, cb)
|
init_irq_work@pr(E1, cb)
|
ht->function@pr = cb
|
htv.function@pr = cb
)

@r exists@
identifier reg.cb, fn;
position p;
@@

cb(...) {
<+... fn@p(...) ...+>
}

@script:python filter@
fn << r.fn;
p << r.p;
@@
if not splits(fn, p[0]):
    cocci.include_match(False)

@depends on context@
identifier r.fn;
position r.p;
@@

* fn@p(...)

@script:python depends on org@
cb << reg.cb;
fn << r.fn;
p << r.p;
pr << reg.pr;
@@
cocci.print_main(fn, p)
cocci.print_secs("registered: " + entered_by(pr[0]), pr)

@script:python depends on report@
cb << reg.cb;
fn << r.fn;
p << r.p;
pr << reg.pr;
@@
msg = "WARNING: %s() may split the linear map (takes a mutex, allocates) but is called in %s(), registered with %s on line %s" % (fn, cb, entered_by(pr[0]), pr[0].line)
coccilib.report.print_report(p[0], msg)
