/*
 * compare_text.c: check --compare as text and as a mail (see report.h).
 * Both print what the text reporter renders (report_each() for the mail),
 * the new findings from the side after the change, the fixed ones from
 * the side before it.
 */
#include "report/report.h"
#include "rules/rules.h"

#include <string.h>

const char *report_state_name(enum finding_state state)
{
	switch (state) {
	case STATE_NEW:
		return "new";
	case STATE_UNCHANGED:
		return "unchanged";
	case STATE_FIXED:
		return "fixed";
	default:
		return NULL;
	}
}

struct report_opts report_before_opts(const struct report_opts *o)
{
	struct report_opts b = *o;

	b.boot = o->compare->boot;
	b.state = STATE_FIXED;
	return b;
}

/* "with HEAD~1" or "with change.patch applied to the work tree". */
static void against(FILE *out, const struct report_compare *c)
{
	if (c->patch)
		fprintf(out, "%s applied to the work tree", c->against);
	else
		fprintf(out, "compared with %s", c->against);
}

static void counts(FILE *out, const struct compare_counts *n)
{
	fprintf(out, "%d new, %d fixed, %d unchanged", n->added, n->fixed,
		n->unchanged);
}

int report_compare_text(FILE *out, const struct graph *g,
			const struct compdb *db, const struct findings *fs,
			const struct report_opts *o)
{
	const struct report_compare *c = o->compare;
	struct report_opts after = *o, before = report_before_opts(o);

	after.state = STATE_NEW;
	report_text(out, g, db, fs, &after);
	report_text(out, c->g, c->db, c->fs, &before);
	fputs("splitsafe: ", out);
	against(out, c);
	fputs(": ", out);
	counts(out, &c->counts);
	fputc('\n', out);
	return c->counts.added;
}

/* ---- the mail ---- */

struct mail_ctx {
	FILE *out;
	const char *mark;	/* before a warning line: ">> " for a new one */
};

/* A finding as the text prints it, each line indented, the warning's
 * marked; a blank line after it. */
static void mail_item(const struct report_item *it, void *data)
{
	struct mail_ctx *m = data;
	int l;

	for (l = 0; l < it->nr_lines; l++) {
		const struct report_line *rl = &it->lines[l];

		if (!l)
			fprintf(m->out, "%s%s:%u:%u: warning: %s [%s]\n", m->mark,
				rl->file, rl->line, rl->col, rl->msg, it->check);
		else
			fprintf(m->out, "   %s:%u:%u: note: %s\n", rl->file,
				rl->line, rl->col, rl->msg);
	}
	fputc('\n', m->out);
}

/* The first paragraph: what was compared, and the verdict. */
static void mail_head(FILE *out, const struct report_compare *c)
{
	int n = c->counts.added;

	fputs("splitsafe ", out);
	against(out, c);
	if (n)
		fprintf(out, " and found %d new warning%s.\n\n", n, n == 1 ? "" : "s");
	else
		fputs(" and found no new warning.\n\n", out);
}

/* The end: the counts, how to reproduce it, the signature. */
static void mail_tail(FILE *out, const struct report_compare *c,
		      const struct graph *g)
{
	char version[32];

	counts(out, &c->counts);
	fputs(" (the unchanged ones are not listed).\n", out);
	if (c->counts.fixed)
		fputs("The fixed warnings are placed in the tree before the "
		      "change.\n", out);
	fprintf(out, "\nTo reproduce: splitsafe check %s %s\n", c->patch ?
		"--compare-diff" : "--compare", c->against);
	rules_version(g->rules, version, sizeof(version));
	fprintf(out, "\n-- \nsplitsafe %s, rules %s%s%s\n", SPLITSAFE_VERSION,
		g->rules->name ? g->rules->name : "", g->rules->name ? " " : "",
		version);
}

int report_mail(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o)
{
	const struct report_compare *c = o->compare;
	struct report_opts after = *o, before = report_before_opts(o);
	struct mail_ctx m = { out, ">> " };

	after.state = STATE_NEW;
	mail_head(out, c);
	if (c->counts.added) {
		fputs("New warnings introduced by this change:\n\n", out);
		report_each(g, db, fs, &after, mail_item, &m);
	}
	if (c->counts.fixed) {
		fputs("Fixed by this change:\n\n", out);
		m.mark = "   ";
		report_each(c->g, c->db, c->fs, &before, mail_item, &m);
	}
	mail_tail(out, c, g);
	return c->counts.added;
}
