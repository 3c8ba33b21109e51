/*
 * argprobe.c: ask the linked libclang which arguments it rejects (see
 * argprobe.h).
 *
 * Arguments are taken in units: an option and the values that follow it
 * ("-target aarch64-linux-gnu", "--param x=y"), since the source file is
 * not in the vector any more.  splitsafe's own arguments at the end
 * (-Wno-everything, -Wno-unknown-warning-option...) are in every parse:
 * without them a kernel's -Werror turns a newer clang's warning options
 * into errors that would hide the option really rejected.  The rejected units of an option set are
 * found by halving: a half whose removal lowers the number of errors on an
 * empty source holds at least one, a half whose removal does not holds
 * none.  Unknown-option errors are mostly independent of each other, so
 * this needs about k*log2(n) parses for k rejected units among n; where
 * they are not (see one_by_one()), n more.
 */
#define _GNU_SOURCE
#include "input/argprobe.h"

#include "core/command.h"

#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_FILE "/splitsafe-probe.c"
#define PARSE_FAILED (1 << 20)	/* the driver gave up: worse than any count */

struct unit {
	const char *text;	/* tokens joined by a space, in the arena */
	int first, n;		/* tokens in the entry's argv */
};

struct prober {
	CXIndex idx;
	struct arena *arena;
	struct strmap rejected;	/* unit text -> its argprobe_drop index + 1 */
	struct strmap probed;	/* option sets already asked about */
	struct argprobe_report *rep;
	int alloc_drops;
};

/* Units that differ per file and that the driver never rejects. */
static int per_file(const char *a)
{
	static const char *const prefix[] = {
		"-D", "-U", "-I", "-include", "-imacros", "-isystem", "-iquote",
		"-idirafter", "-working-directory", NULL
	};
	int i;

	for (i = 0; prefix[i]; i++)
		if (!strncmp(a, prefix[i], strlen(prefix[i])))
			return 1;
	return 0;
}

/* Split argv into units; *units is malloc'd. */
static int split_units(struct arena *a, const char *const *argv, int argc,
		       struct unit **units)
{
	struct unit *u = xcalloc(argc + 1, sizeof(*u));
	int i, nr = 0;

	for (i = 0; i < argc; i++) {
		if (!nr || argv[i][0] == '-') {
			u[nr].first = i;
			u[nr++].n = 1;
		} else {
			u[nr - 1].n++;
		}
	}
	for (i = 0; i < nr; i++) {
		u[i].text = argv[u[i].first];
		if (u[i].n > 1) {
			char *t = arena_strdup(a, argv[u[i].first]);
			int k;

			for (k = 1; k < u[i].n; k++)
				t = arena_printf(a, "%s %s", t, argv[u[i].first + k]);
			u[i].text = t;
		}
	}
	*units = u;
	return nr;
}

/* Error diagnostics of an empty source parsed with the units not masked
 * and the entry's own arguments (the last own of argc). */
static int errors_with(struct prober *p, const char *const *argv, int argc_all,
		       int own, const struct unit *u, const int *cand, int nr,
		       const char *mask)
{
	static const char source[] = "typedef int splitsafe_probe;\n";
	struct CXUnsavedFile f = { PROBE_FILE, source, sizeof(source) - 1 };
	const char **v;
	CXTranslationUnit tu = NULL;
	int i, k, argc = 0, errors = 0;
	unsigned d, n;

	for (i = 0, k = 0; i < nr; i++)
		k += u[cand[i]].n;
	v = xcalloc(k + own + 1, sizeof(*v));
	for (i = 0; i < nr; i++)
		if (!mask[i])
			for (k = 0; k < u[cand[i]].n; k++)
				v[argc++] = argv[u[cand[i]].first + k];
	for (i = argc_all - own; i < argc_all; i++)
		if (strncmp(argv[i], "-working-directory", 18))
			v[argc++] = argv[i];
	p->rep->probes++;
	if (clang_parseTranslationUnit2(p->idx, PROBE_FILE, v, argc, &f, 1, 0,
					&tu) != CXError_Success || !tu) {
		free(v);
		return PARSE_FAILED;
	}
	n = clang_getNumDiagnostics(tu);
	for (d = 0; d < n; d++) {
		CXDiagnostic dg = clang_getDiagnostic(tu, d);

		errors += clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error;
		clang_disposeDiagnostic(dg);
	}
	clang_disposeTranslationUnit(tu);
	free(v);
	return errors;
}

struct search {
	struct prober *p;
	const char *const *argv;
	int argc, own;
	const struct unit *u;
	const int *cand;	/* indices into u of the option set */
	int nr;
	char *mask;		/* 1: removed (found rejected) */
	int errors;		/* with the current mask */
};

/* Find the rejected units among cand[lo, hi). */
static void halve(struct search *s, int lo, int hi)
{
	int i, e, mid;

	if (lo >= hi || !s->errors)
		return;
	for (i = lo; i < hi; i++)
		s->mask[i]++;
	e = errors_with(s->p, s->argv, s->argc, s->own, s->u, s->cand, s->nr,
			s->mask);
	for (i = lo; i < hi; i++)
		s->mask[i]--;
	if (e >= s->errors)
		return;		/* nothing in here matters */
	if (hi - lo == 1) {
		s->mask[lo] = 1;
		s->errors = e;
		return;
	}
	mid = lo + (hi - lo) / 2;
	halve(s, lo, mid);
	halve(s, mid, hi);
}

/*
 * Halving assumes that options are rejected independently; masking a half
 * that holds the target (--target=) makes the target's own options fail
 * too, which can hide a rejected one.  What is left is then asked about
 * one unit at a time.
 */
static void one_by_one(struct search *s)
{
	int i, e;

	for (i = 0; i < s->nr && s->errors; i++) {
		if (s->mask[i])
			continue;
		s->mask[i] = 1;
		e = errors_with(s->p, s->argv, s->argc, s->own, s->u, s->cand,
				s->nr, s->mask);
		if (e < s->errors)
			s->errors = e;
		else
			s->mask[i] = 0;
	}
}

static void add_rejected(struct prober *p, const char *text)
{
	struct argprobe_report *r = p->rep;

	if (strmap_get(&p->rejected, text))
		return;
	ALLOC_GROW(r->drops, r->nr_drops + 1, p->alloc_drops);
	r->drops[r->nr_drops].arg = text;
	r->drops[r->nr_drops].tus = 0;
	strmap_put(&p->rejected, text, (void *)(intptr_t)++r->nr_drops);
}

/* Ask about one entry's option set, unless asked already. */
static void probe_entry(struct prober *p, const struct compdb_entry *e)
{
	struct search s;
	struct unit *u;
	int *cand, nr_units, nr = 0, i;
	size_t len = 0, alloc = 0;
	char *key = NULL;

	nr_units = split_units(p->arena, e->argv, e->argc - e->own, &u);
	cand = xcalloc(nr_units + 1, sizeof(*cand));
	for (i = 0; i < nr_units; i++)
		if (!per_file(u[i].text) && !strmap_get(&p->rejected, u[i].text)) {
			size_t n = strlen(u[i].text);

			cand[nr++] = i;
			ALLOC_GROW(key, len + n + 2, alloc);
			key[len++] = '\x1f';
			memcpy(key + len, u[i].text, n + 1);
			len += n;
		}
	ALLOC_GROW(key, len + 1, alloc);
	key[len] = '\0';
	if (!strmap_get(&p->probed, key)) {
		strmap_put(&p->probed, arena_strdup(p->arena, key), (void *)1);
		memset(&s, 0, sizeof(s));
		s.p = p;
		s.argv = e->argv;
		s.argc = e->argc;
		s.own = e->own;
		s.u = u;
		s.cand = cand;
		s.nr = nr;
		s.mask = xcalloc(nr + 1, 1);
		s.errors = errors_with(p, e->argv, e->argc, e->own, u, cand, nr,
				       s.mask);
		halve(&s, 0, nr);
		if (s.errors)
			one_by_one(&s);
		for (i = 0; i < nr; i++)
			if (s.mask[i])
				add_rejected(p, u[cand[i]].text);
		p->rep->unresolved += s.errors > 0;
		free(s.mask);
	}
	free(key);
	free(cand);
	free(u);
}

/* Drop the rejected units from one entry's arguments, counting the TU. */
static void drop_rejected(struct prober *p, struct compdb_entry *e)
{
	struct unit *u;
	int nr_units, i, k, argc = 0;
	const char **argv = e->argv;

	nr_units = split_units(p->arena, e->argv, e->argc - e->own, &u);
	for (i = 0; i < nr_units; i++) {
		intptr_t d = (intptr_t)strmap_get(&p->rejected, u[i].text);

		if (d) {
			p->rep->drops[d - 1].tus++;
			continue;
		}
		for (k = 0; k < u[i].n; k++)
			argv[argc++] = argv[u[i].first + k];
	}
	for (i = e->argc - e->own; i < e->argc; i++)
		argv[argc++] = argv[i];
	e->argc = argc;
	free(u);
}

void libclang_version(char *buf, size_t size)
{
	CXString s = clang_getClangVersion();
	const char *v = strstr(clang_getCString(s), "version ");

	v = v ? v + strlen("version ") : "";
	snprintf(buf, size, "%.*s", (int)strcspn(v, " "), v);
	clang_disposeString(s);
}

/* The first clang the database names, when it is newer than ours. */
static void check_compiler(struct compdb *db, struct argprobe_report *rep)
{
	const char *cc = NULL, *b, *v;
	char path[4096], *argv[] = { "cc", "--version", NULL }, *out = NULL;
	struct ss_err err;
	int i;

	for (i = 0; i < db->nr && !cc; i++)
		if (db->entries[i].compiler &&
		    strstr(path_basename(db->entries[i].compiler), "clang"))
			cc = db->entries[i].compiler;
	if (!cc)
		return;
	if (strchr(cc, '/'))
		snprintf(path, sizeof(path), "%s", cc);
	else if (!command_which(cc, path, sizeof(path)))
		return;
	if (command_run(path, argv, NULL, &out, &err))
		return;
	b = strstr(out, "clang version ");
	if (b) {
		v = b + strlen("clang version ");
		snprintf(rep->compiler_version, sizeof(rep->compiler_version),
			 "%.*s", (int)strcspn(v, " \n"), v);
		if (version_cmp(rep->compiler_version, rep->libclang) > 0)
			rep->compiler = cc;
	}
	free(out);
}

int argprobe_compdb(struct compdb *db, struct argprobe_report *rep,
		    struct ss_err *err)
{
	struct prober p;
	int i;

	memset(rep, 0, sizeof(*rep));
	memset(&p, 0, sizeof(p));
	libclang_version(rep->libclang, sizeof(rep->libclang));
	if (!db->nr)
		return 0;
	p.idx = clang_createIndex(0, 0);
	if (!p.idx)
		return ss_error(err, "libclang cannot create an index");
	p.arena = &db->arena;
	p.rep = rep;
	for (i = 0; i < db->nr; i++)
		probe_entry(&p, &db->entries[i]);
	for (i = 0; p.rejected.nr && i < db->nr; i++)
		drop_rejected(&p, &db->entries[i]);
	clang_disposeIndex(p.idx);
	strmap_release(&p.rejected);
	strmap_release(&p.probed);
	check_compiler(db, rep);
	return 0;
}

void argprobe_report_release(struct argprobe_report *rep)
{
	free(rep->drops);
	memset(rep, 0, sizeof(*rep));
}
