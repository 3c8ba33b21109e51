/// Extract the facts splitsafe needs about callbacks: functions handed to
/// registration calls and macros, and functions stored into struct fields
/// (designated initializers and assignments).  It reports every file it
/// can parse, configured or not; splitsafe merges these facts with those
/// libclang extracts from the built files.
///
/// Not for make coccicheck: splitsafe runs it with the registration names
/// of its rules (SPLITSAFE_APIS in the environment; the DECLARERS line is
/// filled from the rules' registration macros).  Output, one fact a line:
///   REG <api> <file> <line> <column> <arguments>
///   MACRO <macro> <argument> <file> <line> <column>
///   STORE init|assign <struct> <field> <function> <file> <line> <column>
//
// Confidence: High
// Copyright: (C) 2026 the splitsafe authors.  GPL-2.0-only
// Options: --no-includes --include-headers

virtual report

@initialize:python@
@@
import os
apis = set(os.environ.get("SPLITSAFE_APIS", "").split())

def where(p):
    return "%s\t%s\t%d" % (p[0].file, p[0].line, int(p[0].column) + 1)

@call@
identifier api;
expression list args;
position p;
@@
api@p(args)

@script:python@
api << call.api;
args << call.args;
p << call.p;
@@
if api in apis:
    print("REG\t%s\t%s\t%s" % (api, where(p), " ".join(str(args).split())))

@decl@
// DECLARERS
declarer d;
expression list args;
position p;
@@
d@p(args);

@script:python@
d << decl.d;
args << decl.args;
p << decl.p;
@@
print("MACRO\t%s\t%s\t%s" % (d, where(p), " ".join(str(args).split())))

@init@
identifier s, fld, fn, var;
position p;
@@
struct s var = { ..., .fld = fn@p, ... };

@script:python@
s << init.s;
fld << init.fld;
fn << init.fn;
p << init.p;
@@
print("STORE\tinit\t%s\t%s\t%s\t%s" % (s, fld, fn, where(p)))

@assign@
identifier s, fld, fn;
struct s *ptr;
struct s obj;
position p;
@@
(
ptr->fld = fn@p
|
obj.fld = fn@p
)

@script:python@
s << assign.s;
fld << assign.fld;
fn << assign.fn;
p << assign.p;
@@
print("STORE\tassign\t%s\t%s\t%s\t%s" % (s, fld, fn, where(p)))
