// SPDX-License-Identifier: GPL-2.0-only
/// Find calls of functions that may split the arm64 linear map in boot
/// code that runs before the system capabilities are finalized: __init
/// functions registered as early_initcall() or early_param(), and
/// functions that setup_arch()-style early code of the same file calls
/// (one level).  Before v7.1 the splitter did nothing there; since, it
/// refuses until the page allocator is up and while secondary CPUs start.
//# The whole-program version of this check, with the chain from
//# start_kernel() and the boot phase, is 'splitsafe check' [splitsafe-boot].
//# SPLITSAFE_SINK_CALLERS extends the list as in split_atomic.cocci.
///
// Confidence: Low
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
declarer name early_initcall, early_param;
identifier f;
expression S;
position pr;
@@

(
early_initcall@pr(f);
|
early_param@pr(S, f);
)

@early@
identifier e = {start_kernel, setup_arch, mm_core_init, arch_mm_preinit,
                paging_init, bootmem_init, init_IRQ, smp_prepare_boot_cpu};
identifier f;
position pr;
@@

e(...) {
<+... f@pr(...) ...+>
}

@boot_reg@
identifier reg.f, fn;
position p;
@@

f(...) {
<+... fn@p(...) ...+>
}

@boot_early@
identifier early.f, fn;
position p;
@@

f(...) {
<+... fn@p(...) ...+>
}

@direct@
identifier e = {start_kernel, setup_arch, mm_core_init, arch_mm_preinit,
                paging_init, bootmem_init, init_IRQ, smp_prepare_boot_cpu};
identifier fn;
position p;
@@

e(...) {
<+... fn@p(...) ...+>
}

@script:python depends on report@
f << reg.f;
fn << boot_reg.fn;
p << boot_reg.p;
pr << reg.pr;
@@
if splits(fn, p[0]):
    msg = "WARNING: %s() may split the linear map before system capabilities are finalized: called in %s(), registered with %s on line %s" % (fn, f, entered_by(pr[0]), pr[0].line)
    coccilib.report.print_report(p[0], msg)

@script:python depends on report@
f << early.f;
e << early.e;
fn << boot_early.fn;
p << boot_early.p;
pr << early.pr;
@@
if splits(fn, p[0]):
    msg = "WARNING: %s() may split the linear map before system capabilities are finalized: called in %s(), which %s() calls on line %s" % (fn, f, e, pr[0].line)
    coccilib.report.print_report(p[0], msg)

@script:python depends on report@
e << direct.e;
fn << direct.fn;
p << direct.p;
@@
if splits(fn, p[0]):
    msg = "WARNING: %s() may split the linear map before system capabilities are finalized: called in %s()" % (fn, e)
    coccilib.report.print_report(p[0], msg)

@script:python depends on org@
fn << boot_reg.fn;
p << boot_reg.p;
@@
if splits(fn, p[0]):
    cocci.print_main(fn, p)

@script:python depends on org@
fn << boot_early.fn;
p << boot_early.p;
@@
if splits(fn, p[0]):
    cocci.print_main(fn, p)

@script:python depends on org@
fn << direct.fn;
p << direct.p;
@@
if splits(fn, p[0]):
    cocci.print_main(fn, p)

@script:python reg_ctx depends on context@
fn << boot_reg.fn;
p << boot_reg.p;
@@
if not splits(fn, p[0]):
    cocci.include_match(False)

@depends on context@
identifier boot_reg.fn;
position boot_reg.p;
@@

* fn@p(...)
