/*
 * test_store.c: facts as bytes (factio), what a diff touches (change) and
 * the facts store (store): a TU's facts and its header function units
 * round-trip; damaged bytes are refused; hunks, deletions, new and deleted
 * files; a file touched but not changed keeps a TU current, a changed one
 * does not; a store made under another id is emptied, or refused.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>
#include <xxhash.h>

#include "input/change.h"
#include "store/factio.h"
#include "store/store.h"
#include "check.h"

#ifndef SPLITSAFE_RULES_DIR
#error "SPLITSAFE_RULES_DIR must name the rules/ directory"
#endif

static struct rules *R;

/* A TU: main() in the main file, helper() from a header with a store and
 * a registration in its body, and a file-scope store. */
static void make_tu(struct fact_tu *t)
{
	static struct fact_call calls[2];
	static struct fact_func funcs[2];
	static struct fact_reg regs[1];
	static struct fact_store stores[2];
	static struct fact_site sites[1];
	static int held[1] = { 0 };
	static const char *hkeys[] = { "helper@/t/inc/h.h", "unused@" };
	struct fact_loc at = { "/t/main.c", 3, 5 };

	memset(t, 0, sizeof(*t));
	held[0] = 0;
	t->file = "/t/main.c";
	t->nr_errors = 1;
	t->first_error = "/t/main.c:1:1: error: x";
	sites[0] = (struct fact_site){ 0, "l", "spin_lock", at, 0 };
	calls[0] = (struct fact_call){ .callee = "helper", .loc = at, .held = held,
				       .nr_held = 1, .dom = -1, .phases = 5 };
	calls[1] = (struct fact_call){ .via = "F:x", .via_text = "o->f", .loc = at,
				       .dom = 0, .leaky = 2, .reached = 1 };
	funcs[0] = (struct fact_func){ .name = "main", .loc = at, .end_line = 9,
				       .sites = sites, .nr_sites = 1, .calls = calls,
				       .nr_calls = 2, .sleep_call = -1, .exit_dom = 1 };
	funcs[1] = (struct fact_func){ .name = "helper", .loc = { "/t/inc/h.h", 2, 1 },
				       .end_line = 4, .is_static = 1,
				       .key = "helper@/t/inc/h.h", .sleep_call = -1,
				       .exit_dom = -1, .first_reg = 0, .nr_regs = 1,
				       .first_store = 1, .nr_stores = 1 };
	regs[0] = (struct fact_reg){ HOW_CALL, 0, 1, &R->registrations[0], "cb",
				     NULL, { "/t/inc/h.h", 3, 2 } };
	stores[0] = (struct fact_store){ HOW_VAR, 0, "V:g", "main", NULL, NULL, at };
	stores[1] = (struct fact_store){ HOW_ASSIGN, 0, "F:x", "cb", "/t/inc/h.h",
					 NULL, { "/t/inc/h.h", 3, 9 } };
	t->funcs = funcs;
	t->nr_funcs = 2;
	t->regs = regs;
	t->nr_regs = 1;
	t->stores = stores;
	t->nr_stores = 2;
	t->hkeys = hkeys;
	t->nr_hkeys = 2;
}

static void test_factio(void)
{
	struct fact_tu t, d;
	struct blob b;
	struct ss_err err;

	make_tu(&t);
	factio_encode_tu(&t, R, &b);
	CHECK(factio_decode(b.p, b.len, R, &d, &err) == 0);
	/* the TU part: main(), the file-scope store, the header keys */
	CHECK(d.nr_funcs == 1 && str_eq(d.funcs[0].name, "main") && !d.funcs[0].key);
	CHECK(d.nr_errors == 1 && str_eq(d.first_error, t.first_error));
	CHECK(d.funcs[0].end_line == 9 && d.funcs[0].nr_sites == 1 &&
	      str_eq(d.funcs[0].sites[0].prim, "spin_lock") &&
	      d.funcs[0].sites[0].loc.line == 3);
	CHECK(d.funcs[0].nr_calls == 2 && str_eq(d.funcs[0].calls[0].callee, "helper") &&
	      d.funcs[0].calls[0].nr_held == 1 && d.funcs[0].calls[0].held[0] == 0 &&
	      d.funcs[0].calls[0].dom == -1 && d.funcs[0].calls[0].phases == 5);
	CHECK(!d.funcs[0].calls[1].callee && str_eq(d.funcs[0].calls[1].via, "F:x") &&
	      d.funcs[0].calls[1].leaky == 2 && d.funcs[0].calls[1].reached);
	CHECK(d.funcs[0].exit_dom == 1 && d.funcs[0].sleep_call == -1);
	CHECK(d.nr_regs == 0 && d.nr_stores == 1 && str_eq(d.stores[0].key, "V:g"));
	CHECK(d.nr_hkeys == 2 && str_eq(d.hkeys[0], "helper@/t/inc/h.h") &&
	      str_eq(d.hkeys[1], "unused@"));
	facts_tu_release(&d);
	/* damaged bytes: refused, whatever is cut */
	CHECK(factio_decode(b.p, b.len - 1, R, &d, &err) == -1);
	b.p[0] = 'X';
	CHECK(factio_decode(b.p, b.len, R, &d, &err) == -1);
	free(b.p);

	/* the unit of helper(): its registration and store */
	factio_encode_unit(&t, 1, R, &b);
	CHECK(factio_decode(b.p, b.len, R, &d, &err) == 0);
	CHECK(d.nr_funcs == 1 && str_eq(d.funcs[0].key, "helper@/t/inc/h.h") &&
	      d.funcs[0].is_static && d.funcs[0].end_line == 4);
	CHECK(d.nr_regs == 1 && d.regs[0].rule == &R->registrations[0] &&
	      d.regs[0].alt && str_eq(d.regs[0].callback, "cb"));
	CHECK(d.nr_stores == 1 && str_eq(d.stores[0].func_file, "/t/inc/h.h") &&
	      d.stores[0].how == HOW_ASSIGN);
	facts_tu_release(&d);
	free(b.p);
}

/* Intact bytes (the checksum matches) whose indices point outside what the
 * blob holds are refused all the same: a later stage indexes by them. */
static int decodes_with(struct fact_tu *t)
{
	struct fact_tu d;
	struct blob b;
	struct ss_err err;
	int ok;

	factio_encode_tu(t, R, &b);
	ok = factio_intact(b.p, b.len) &&
	     factio_decode(b.p, b.len, R, &d, &err) == 0;
	if (ok)
		facts_tu_release(&d);
	else
		CHECK(strstr(err.msg, "malformed facts") != NULL);
	free(b.p);
	return ok;
}

static void test_factio_bounds(void)
{
	struct fact_tu t;

	make_tu(&t);
	CHECK(decodes_with(&t));
	t.funcs[0].calls[1].dom = 2;		/* a third call: none */
	CHECK(!decodes_with(&t));
	make_tu(&t);
	t.funcs[0].calls[0].held[0] = 1;	/* a second site: none */
	CHECK(!decodes_with(&t));
	make_tu(&t);
	t.funcs[0].sites[0].context = R->nr_contexts;
	CHECK(!decodes_with(&t));
	make_tu(&t);
	t.funcs[0].exit_dom = 2;
	CHECK(!decodes_with(&t));
	make_tu(&t);
	t.funcs[0].sleep_call = -2;
	CHECK(!decodes_with(&t));
	make_tu(&t);
	t.stores[0].how = HOW_MACRO + 1;
	CHECK(!decodes_with(&t));
}

static void test_change(void)
{
	struct change c = { 0 };
	struct ss_err err;
	const char *diff =
		"From 1 Mon Sep 17 00:00:00 2001\n"
		"--- a/mm/x.c\n+++ b/mm/x.c\n"
		"@@ -10,2 +10,3 @@ int f(void)\n ctx\n+new\n ctx\n"
		"@@ -40,3 +41,0 @@\n-gone\n-gone\n-gone\n"
		"@@ -60 +60 @@\n-a\n+b\n"
		"--- /dev/null\n+++ b/mm/new.c\n@@ -0,0 +1,5 @@\n+x\n+x\n+x\n+x\n+x\n"
		"--- a/mm/old.c\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-x\n-x\n-x\n";

	CHECK(change_from_diff(&c, diff, "p", "/t", &err) == 0);
	CHECK(change_touches(&c, "/t/mm/x.c", 1, 9) == 0);
	CHECK(change_touches(&c, "/t/mm/x.c", 12, 20) == 1);
	CHECK(change_touches(&c, "/t/mm/x.c", 13, 40) == 0);
	/* deleted after line 41: the lines around it */
	CHECK(change_touches(&c, "/t/mm/x.c", 42, 50) == 1);
	CHECK(change_touches(&c, "/t/mm/x.c", 60, 60) == 1);
	CHECK(change_touches(&c, "/t/mm/new.c", 5, 5) == 1);
	CHECK(change_touches(&c, "/t/mm/old.c", 1, 100) == 0);
	CHECK(change_touches(&c, "/t/mm/y.c", 1, 100) == 0);
	change_release(&c);
	CHECK(change_from_diff(&c, "+++ b/a.c\n@@ -1 +x @@\n", "p.diff", "/t", &err) == -1 &&
	      str_eq(err.msg, "p.diff:2: malformed hunk header"));
	change_release(&c);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void put_tu(struct store *s, const char *file, const char *hdr,
		   const char *unit_key)
{
	struct fact_dep deps[2] = { { file, 0, 0 }, { hdr, 0, 0 } };
	const char *argv[] = { "-DX" }, *keys[] = { unit_key };
	struct blob facts = { (unsigned char *)"tu", 2 }, unit = { (unsigned char *)"u", 1 };
	struct store_put p = { file, "/", argv, 1, 7, deps, 2, &facts, keys, &unit,
			       unit_key ? 1 : 0, keys, unit_key ? 1 : 0 };
	struct ss_err err;
	char *text;
	int i;

	for (i = 0; i < 2; i++) {	/* as the parser saw them */
		text = read_file(deps[i].path, &err);
		deps[i].size = strlen(text);
		deps[i].hash = XXH64(text, deps[i].size, 0);
		free(text);
	}
	CHECK(store_put(s, &p, &err) == 0);
}

static void count_units(void *data, const char *key, const char *tu)
{
	(*(int *)data)++;
}

static void test_store(void)
{
	char dir[] = "/tmp/splitsafe-store-XXXXXX", a[300], h[300], sdir[300];
	struct store *s;
	struct ss_err err;
	struct blob b;
	int n = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(a, sizeof(a), "%s/a.c", dir);
	snprintf(h, sizeof(h), "%s/h.h", dir);
	snprintf(sdir, sizeof(sdir), "%s/store", dir);
	write_text(a, "int a;\n");
	write_text(h, "int h;\n");
	CHECK(store_open(&s, sdir, 1, 0, &err) == 0);
	put_tu(s, a, h, "k@");
	store_close(s);
	CHECK(store_open(&s, sdir, 1, 0, &err) == 0);
	CHECK(store_tu_current(s, a) == 1);
	store_close(s);
	/* touched, not changed: current; changed, same size: not */
	CHECK(utime(h, &(struct utimbuf){ 1, 1 }) == 0);
	CHECK(store_open(&s, sdir, 1, 0, &err) == 0);
	CHECK(store_tu_current(s, a) == 1);
	store_close(s);
	write_text(h, "int g;\n");
	CHECK(store_open(&s, sdir, 1, 0, &err) == 0);
	CHECK(store_tu_current(s, a) == 0);
	CHECK(store_tu_current(s, "/nowhere.c") == 0);
	CHECK(store_tu_facts(s, a, &b) == 1 && b.len == 2 && !memcmp(b.p, "tu", 2));
	free(b.p);
	CHECK(store_unit_facts(s, "k@", &b) == 1 && b.len == 1);
	free(b.p);
	CHECK(store_units(s, count_units, &n, &err) == 0 && n == 1);
	CHECK(store_tu_facts(s, "/nowhere.c", &b) == 0);
	store_close(s);
	/* another id: emptied; or, kept, refused */
	CHECK(store_open(&s, sdir, 2, 1, &err) == -1 && strstr(err.msg, "other rules"));
	CHECK(store_open(&s, sdir, 2, 0, &err) == 0);
	CHECK(store_tu_facts(s, a, &b) == 0);
	store_close(s);
}

int main(void)
{
	struct ss_err err;

	if (rules_load(&R, SPLITSAFE_RULES_DIR "/arm64-split.yaml", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	test_factio();
	test_factio_bounds();
	test_change();
	test_store();
	rules_free(R);
	return check_status("test_store");
}
