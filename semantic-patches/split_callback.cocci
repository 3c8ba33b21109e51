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
import sys

# The splitters and the helpers the three patches share live in
# splitters.py, beside this file (see there why).
sys.path.insert(0, os.path.dirname(os.path.abspath(cocci.cocci_file)))
from splitters import splits, entered_by

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
