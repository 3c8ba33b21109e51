/*
 * cocci_facts.c: facts from Coccinelle (see cocci_facts.h).
 *
 * The semantic patch is a template: its DECLARERS line becomes the list
 * of the rules' registration macros (SmPL needs them named), and the
 * registration functions reach its Python code through the environment.
 * Coccinelle does not know which function is static; the graph looks for
 * a static one in the file of the fact first.
 */
#define _GNU_SOURCE
#include "cocci/cocci_facts.h"
#include "cocci/cocci.h"
#include "core/command.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The template with its DECLARERS line filled, in a temporary file. */
static int write_patch(const struct cocci_facts_opts *o, char *tmp, size_t size,
		       struct ss_err *err)
{
	const struct rules *r = o->rules;
	char *text = NULL, *mark;
	FILE *f;
	int fd, i, j, n = 0;

	if (!(text = read_file(o->cocci, err)))
		return -1;
	mark = strstr(text, "// DECLARERS");
	if (!mark) {
		free(text);
		return ss_error(err, "%s: no '// DECLARERS' line", o->cocci);
	}
	snprintf(tmp, size, "%s/splitsafe-XXXXXX.cocci",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemps(tmp, 6);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		free(text);
		return ss_error(err, "cannot create '%s': %s", tmp, strerror(errno));
	}
	fwrite(text, 1, mark - text, f);
	for (i = 0; i < r->nr_registrations; i++) {
		if (!r->registrations[i].is_macro)
			continue;
		for (j = 0; j < r->registrations[i].nr_names; j++)
			fprintf(f, "%s%s", n++ ? ", " : "declarer name ",
				r->registrations[i].names[j]);
	}
	fprintf(f, "%s%s", n ? ";" : "", mark + strlen("// DECLARERS"));
	free(text);
	if (fclose(f)) {
		unlink(tmp);
		return ss_error(err, "cannot write '%s': %s", tmp, strerror(errno));
	}
	return 0;
}

/* "SPLITSAFE_APIS=a b c": the registration functions. */
static char *apis_env(const struct rules *r)
{
	size_t len = 0, alloc = 0;
	char *s = NULL;
	int i, j;

	ALLOC_GROW(s, 64, alloc);
	len = (size_t)sprintf(s, "SPLITSAFE_APIS=");
	for (i = 0; i < r->nr_registrations; i++) {
		const struct rules_registration *reg = &r->registrations[i];

		for (j = 0; !reg->is_macro && j < reg->nr_names; j++) {
			size_t n = strlen(reg->names[j]);

			ALLOC_GROW(s, len + n + 2, alloc);
			len += sprintf(s + len, "%s ", reg->names[j]);
		}
	}
	return s;
}

int cocci_extract(struct fact_tu *out, const struct cocci_facts_opts *o,
		  struct ss_err *err)
{
	char spatch[PATH_MAX], version[64], tmp[PATH_MAX], jobs[16];
	char *env[2] = { NULL, NULL }, *text = NULL;
	int i, ret = 0;

	memset(out, 0, sizeof(*out));
	if (cocci_find(spatch, sizeof(spatch), version, sizeof(version), err) ||
	    write_patch(o, tmp, sizeof(tmp), err))
		return -1;
	env[0] = apis_env(o->rules);
	snprintf(jobs, sizeof(jobs), "%d", o->jobs > 0 ? o->jobs : 1);
	for (i = 0; i < o->nr_dirs && !ret; i++) {
		char *argv[] = { "spatch", "--very-quiet", "--cocci-file", tmp,
				 "--no-includes", "--include-headers",
				 "--jobs", jobs, "--chunksize", "1",
				 "--dir", o->dirs[i], NULL };

		ret = command_run(spatch, argv, env, &text, err);
		if (!ret)
			ret = cocci_parse(out, text, o->rules, err);
		free(text);
		text = NULL;
	}
	unlink(tmp);
	free(env[0]);
	return ret;
}

/* ---- parsing ---- */

#define MAX_FIELDS 8
#define MAX_ARGS 16

static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Arguments separated by top-level commas, as spatch prints them. */
static int split_args(char *s, char **a, int max)
{
	int n = 0, depth = 0;
	char quote = 0;

	a[n++] = s;
	for (; *s && n < max; s++) {
		if (quote) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == quote)
				quote = 0;
		} else if (*s == '"' || *s == '\'') {
			quote = *s;
		} else if (*s == '(' || *s == '[' || *s == '{') {
			depth++;
		} else if (*s == ')' || *s == ']' || *s == '}') {
			depth--;
		} else if (*s == ',' && !depth) {
			*s = '\0';
			a[n++] = s + 1;
		}
	}
	for (depth = 0; depth < n; depth++)
		a[depth] = trim(a[depth]);
	return n;
}

static int is_identifier(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

struct facts_buf {
	struct fact_reg *regs;
	int nr_regs, alloc_regs;
	struct fact_store *stores;
	int nr_stores, alloc_stores;
};

static int set_loc(struct fact_tu *out, char **f, struct fact_loc *loc,
		   struct ss_err *err)
{
	char *end;

	loc->file = arena_realpath(&out->arena, NULL, f[0]);
	loc->line = (unsigned)strtoul(f[1], &end, 10);
	if (*end || !loc->line)
		return ss_error(err, "spatch printed a bad line number '%s'", f[1]);
	loc->col = (unsigned)strtoul(f[2], NULL, 10);
	return 0;
}

/* REG api file line col args, or MACRO name file line col args. */
static int parse_reg(struct fact_tu *out, struct facts_buf *fb, char **f,
		     int n, int macro, const struct rules *r, struct ss_err *err)
{
	const struct rules_name *rn = rules_lookup(r, f[1]);
	const struct rules_registration *reg = rn ? rn->registration : NULL;
	char *args[MAX_ARGS];
	struct fact_reg *fr;
	int nargs;

	if (n != 6)
		return ss_error(err, "spatch printed a %s line with %d fields",
				macro ? "MACRO" : "REG", n);
	if (!reg || reg->nr_fields || reg->is_macro != macro)
		return 0;	/* a declarer the rules do not register with */
	nargs = split_args(f[5], args, MAX_ARGS);
	if (reg->callback > nargs || !is_identifier(args[reg->callback - 1]))
		return 0;
	if (reg->match_arg && (reg->match_arg > nargs ||
			       fnmatch(reg->match, args[reg->match_arg - 1], 0)))
		return 0;
	ALLOC_GROW(fb->regs, fb->nr_regs + 1, fb->alloc_regs);
	fr = &fb->regs[fb->nr_regs++];
	memset(fr, 0, sizeof(*fr));
	fr->how = macro ? HOW_MACRO : HOW_CALL;
	fr->cocci = 1;
	fr->rule = reg;
	fr->callback = arena_strdup(&out->arena, args[reg->callback - 1]);
	fr->alt = reg->alt_arg && reg->alt_arg <= nargs &&
		  !fnmatch(reg->alt_match, args[reg->alt_arg - 1], 0);
	return set_loc(out, f + 2, &fr->loc, err);
}

/* STORE init|assign struct field function file line col */
static int parse_store(struct fact_tu *out, struct facts_buf *fb, char **f,
		       int n, struct ss_err *err)
{
	struct fact_store *fs;

	if (n != 8 || (strcmp(f[1], "init") && strcmp(f[1], "assign")))
		return ss_error(err, "spatch printed a bad STORE line");
	if (!is_identifier(f[2]) || !is_identifier(f[3]) || !is_identifier(f[4]))
		return 0;
	ALLOC_GROW(fb->stores, fb->nr_stores + 1, fb->alloc_stores);
	fs = &fb->stores[fb->nr_stores++];
	memset(fs, 0, sizeof(*fs));
	fs->how = f[1][0] == 'i' ? HOW_DESIGNATED : HOW_ASSIGN;
	fs->cocci = 1;
	fs->key = arena_printf(&out->arena, "F:c:@S@%s@FI@%s", f[2], f[3]);
	fs->func = arena_strdup(&out->arena, f[4]);
	return set_loc(out, f + 5, &fs->loc, err);
}

static void append(struct fact_tu *out, struct facts_buf *fb)
{
	struct fact_reg *regs;
	struct fact_store *stores;

	regs = arena_alloc(&out->arena, (out->nr_regs + fb->nr_regs + 1) * sizeof(*regs));
	if (out->nr_regs)
		memcpy(regs, out->regs, out->nr_regs * sizeof(*regs));
	if (fb->nr_regs)
		memcpy(regs + out->nr_regs, fb->regs, fb->nr_regs * sizeof(*regs));
	out->regs = regs;
	out->nr_regs += fb->nr_regs;
	stores = arena_alloc(&out->arena, (out->nr_stores + fb->nr_stores + 1) *
			     sizeof(*stores));
	if (out->nr_stores)
		memcpy(stores, out->stores, out->nr_stores * sizeof(*stores));
	if (fb->nr_stores)
		memcpy(stores + out->nr_stores, fb->stores,
		       fb->nr_stores * sizeof(*stores));
	out->stores = stores;
	out->nr_stores += fb->nr_stores;
	free(fb->regs);
	free(fb->stores);
}

int cocci_parse(struct fact_tu *out, const char *text,
		const struct rules *rules, struct ss_err *err)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	struct facts_buf fb = { 0 };
	int ret = 0;

	if (!out->file)
		out->file = "(coccinelle)";
	for (line = strtok_r(copy, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[MAX_FIELDS];
		int n = split_tabs(line, f, MAX_FIELDS);

		if (!strcmp(f[0], "REG"))
			ret = parse_reg(out, &fb, f, n, 0, rules, err);
		else if (!strcmp(f[0], "MACRO"))
			ret = parse_reg(out, &fb, f, n, 1, rules, err);
		else if (!strcmp(f[0], "STORE"))
			ret = parse_store(out, &fb, f, n, err);
	}
	append(out, &fb);
	free(copy);
	return ret;
}
