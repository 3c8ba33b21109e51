// SPDX-License-Identifier: GPL-2.0-only
/// Find calls of functions that may split the arm64 linear map, and so
/// take a mutex and allocate page tables, made while a spinlock or rwlock
/// is held, interrupts, preemption or bottom halves are disabled, or an RCU
/// read-side critical section is open, in the same function, also by a
/// cleanup.h guard: guard(spinlock)(&l) to the end of its block,
/// scoped_guard(irqsave) { ... } for the statement that follows.
//# The list of functions is the splitter and its callers in
//# arch/arm64/mm (set_memory_*, set_direct_map_*, __kernel_map_pages...),
//# kept for the three split_*.cocci in splitters.py beside this file.
//# splitsafe can extend it with every function that may reach the
//# splitter in the whole program: set SPLITSAFE_SINK_CALLERS to the file
//# 'splitsafe check --write-sink-callers FILE' wrote.  A call on such a
//# path may still be safe: the range may be pte-mapped already (KFENCE,
//# DEBUG_PAGEALLOC), which this one-function check cannot know.
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
import re
import sys

# The splitters and the helpers the three patches share live in
# splitters.py, beside this file (see there why).
sys.path.insert(0, os.path.dirname(os.path.abspath(cocci.cocci_file)))
from splitters import splits, entered_by

SEEN = set()

# cleanup.h guard classes that make the scope atomic: the spinlock family
# (spinlock, spinlock_irqsave, raw_spinlock_nested, spinlock_try...),
# rwlocks, interrupts, preemption, bottom halves, RCU.  Not the classes
# that may sleep (mutex, rwsem_read, rwsem_write, srcu...) nor migrate:
# migrate_disable() leaves preemption on.
ATOMIC_GUARD = re.compile(r"""
    (raw_)?spinlock(_\w+)?
  | (read|write)_lock(_irq|_irqsave|_bh)?
  | irq | irqsave
  | preempt | preempt_notrace
  | bh | local_bh
  | rcu
""", re.X)

def atomic_guard(cls):
    return ATOMIC_GUARD.fullmatch(cls) is not None

# (guard, call) pairs where the call is reached only after the block the
# guard is declared in has closed
OUTSIDE = set()

def pair(p1, p2):
    return (p1[0].file, p1[0].line, p1[0].column, p2[0].line, p2[0].column)

def once(mode, p1, p2):
    """Each region and call once, however many calls matched the name."""
    key = (mode, p1[0].file, p1[0].line, p1[0].column, p2[0].line, p2[0].column)
    if key in SEEN:
        return False
    SEEN.add(key)
    return True

// Only files and names that call a splitter are searched for regions:
// the search below is costly, the calls are cheap to find.
@calls@
identifier fn;
position pc;
@@

fn@pc(...)

@script:python splitter@
fn << calls.fn;
pc << calls.pc;
@@
if not splits(fn, pc[0]):
    cocci.include_match(False)

@r exists@
identifier calls.fn;
position p1, p2;
@@

(
spin_lock@p1(...)
|
spin_lock_irq@p1(...)
|
spin_lock_irqsave@p1(...)
|
spin_lock_bh@p1(...)
|
spin_lock_nested@p1(...)
|
raw_spin_lock@p1(...)
|
raw_spin_lock_irq@p1(...)
|
raw_spin_lock_irqsave@p1(...)
|
read_lock@p1(...)
|
read_lock_irq@p1(...)
|
read_lock_irqsave@p1(...)
|
read_lock_bh@p1(...)
|
write_lock@p1(...)
|
write_lock_irq@p1(...)
|
write_lock_irqsave@p1(...)
|
write_lock_bh@p1(...)
|
local_irq_disable@p1(...)
|
local_irq_save@p1(...)
|
local_daif_save@p1(...)
|
local_daif_mask@p1(...)
|
preempt_disable@p1(...)
|
local_bh_disable@p1(...)
|
rcu_read_lock@p1(...)
|
rcu_read_lock_bh@p1(...)
|
rcu_read_lock_sched@p1(...)
)
... when != spin_unlock(...)
    when != spin_unlock_irq(...)
    when != spin_unlock_irqrestore(...)
    when != spin_unlock_bh(...)
    when != raw_spin_unlock(...)
    when != raw_spin_unlock_irq(...)
    when != raw_spin_unlock_irqrestore(...)
    when != read_unlock(...)
    when != read_unlock_irq(...)
    when != read_unlock_irqrestore(...)
    when != read_unlock_bh(...)
    when != write_unlock(...)
    when != write_unlock_irq(...)
    when != write_unlock_irqrestore(...)
    when != write_unlock_bh(...)
    when != local_irq_enable(...)
    when != local_irq_restore(...)
    when != local_daif_restore(...)
    when != preempt_enable(...)
    when != local_bh_enable(...)
    when != rcu_read_unlock(...)
    when != rcu_read_unlock_bh(...)
    when != rcu_read_unlock_sched(...)
fn@p2(...)

@depends on context@
identifier calls.fn;
position r.p2;
@@

* fn@p2(...)

@script:python depends on org@
fn << calls.fn;
p1 << r.p1;
p2 << r.p2;
@@
if once("org", p1, p2):
    cocci.print_main(fn, p2)
    cocci.print_secs(entered_by(p1[0]), p1)

@script:python depends on report@
fn << calls.fn;
p1 << r.p1;
p2 << r.p2;
@@
if once("report", p1, p2):
    msg = "WARNING: %s() may split the linear map (takes a mutex, allocates) but is called after %s on line %s" % (fn, entered_by(p1[0]), p1[0].line)
    coccilib.report.print_report(p2[0], msg)

// cleanup.h: guard(CLASS)(args); holds to the end of the enclosing block.
@g exists@
identifier calls.fn;
identifier C : script:python() { atomic_guard(C) };
expression list es;
position p1, p2;
@@

guard@p1(C)(es);
...
fn@p2(...)

// The path above may leave the guard's block (an inner block, a loop body
// going round): a call reached that way, without passing the guard again,
// is after the guard's scope.  The braces must be the block's own, not
// the standard isomorphisms' optional ones.
@gout disable braces0, braces1, braces2, braces3, braces4 exists@
identifier calls.fn;
position g.p1, g.p2, q1, q2;
@@

{ ... guard@p1@q1(...)(...); ... }
... when != guard@p1(...)(...);
fn@p2@q2(...)

@script:python@
q1 << gout.q1;
q2 << gout.q2;
@@
OUTSIDE.add(pair(q1, q2))

@script:python@
p1 << g.p1;
p2 << g.p2;
@@
if pair(p1, p2) in OUTSIDE:
    cocci.include_match(False)

@depends on context@
identifier calls.fn;
position g.p2;
@@

* fn@p2(...)

@script:python depends on org@
fn << calls.fn;
C << g.C;
p1 << g.p1;
p2 << g.p2;
@@
if once("org", p1, p2):
    cocci.print_main(fn, p2)
    cocci.print_secs("guard(%s)" % C, p1)

@script:python depends on report@
fn << calls.fn;
C << g.C;
p1 << g.p1;
p2 << g.p2;
@@
if once("report", p1, p2):
    msg = "WARNING: %s() may split the linear map (takes a mutex, allocates) but is called after guard(%s) on line %s" % (fn, C, p1[0].line)
    coccilib.report.print_report(p2[0], msg)

// cleanup.h: scoped_guard(CLASS, args) holds for the statement that
// follows.  Declaring it an iterator also lets spatch parse the functions
// that use it, for the rules above too.
@sg exists@
iterator name scoped_guard;
identifier calls.fn;
identifier C : script:python() { atomic_guard(C) };
expression list es;
position p1, p2;
@@

scoped_guard@p1(C, es) {
...
fn@p2(...)
...
}

@depends on context@
identifier calls.fn;
position sg.p2;
@@

* fn@p2(...)

@script:python depends on org@
fn << calls.fn;
C << sg.C;
p1 << sg.p1;
p2 << sg.p2;
@@
if once("org", p1, p2):
    cocci.print_main(fn, p2)
    cocci.print_secs("scoped_guard(%s)" % C, p1)

@script:python depends on report@
fn << calls.fn;
C << sg.C;
p1 << sg.p1;
p2 << sg.p2;
@@
if once("report", p1, p2):
    msg = "WARNING: %s() may split the linear map (takes a mutex, allocates) but is called in scoped_guard(%s) on line %s" % (fn, C, p1[0].line)
    coccilib.report.print_report(p2[0], msg)
