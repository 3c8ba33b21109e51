/*
 * report_json.c: the findings as one JSON document (see report.h), built
 * from the items the text reporter renders (report_each()), so that both
 * say the same in the same order.
 */
#include "report/report.h"
#include "check/group.h"
#include "core/jsonstr.h"

#include <jansson.h>

/* {file, line, column}: a path of any bytes (jsonstr.h). */
static json_t *json_place(const char *file, unsigned line, unsigned col)
{
	json_t *o = json_object();

	json_set_path(o, file);
	json_object_set_new(o, "line", json_integer(line));
	json_object_set_new(o, "column", json_integer(col));
	return o;
}

static json_t *json_location(const struct report_line *rl)
{
	return json_place(rl->file, rl->line, rl->col);
}

json_t *report_group_members(const struct graph *g, const struct compdb *db,
			     const struct finding *f)
{
	json_t *list;
	int i;

	if (f->folded || f->nr_members < 2)
		return NULL;
	list = json_array();
	for (i = 0; i < f->nr_members; i++) {
		const struct group_member *m = &f->members[i];

		json_t *o = json_place(compdb_relative(db, m->loc.file), m->loc.line,
				       m->loc.col);

		json_object_set_new(o, "entry",
				    json_text_string(g->funcs[m->entry].name));
		json_array_append_new(list, o);
	}
	return list;
}

struct json_ctx {
	const struct graph *g;
	const struct compdb *db;
	json_t *list;
};

static void json_finding(const struct report_item *it, void *data)
{
	struct json_ctx *c = data;
	json_t *list = c->list, *notes = json_array(), *members;
	int l;

	for (l = 1; l < it->nr_lines; l++)
		json_array_append_new(notes, json_pack("{s:o, s:o}",
			"location", json_location(&it->lines[l]),
			"message", json_text_string(it->lines[l].msg)));
	json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o}",
		"check", it->check,
		"severity", it->suppressed ? "note" : "warning",
		"suppressed", it->suppressed,
		"location", json_location(&it->lines[0]),
		"message", json_text_string(it->lines[0].msg), "notes", notes));
	/* a group: every path it stands for */
	members = it->finding ? report_group_members(c->g, c->db, it->finding) : NULL;
	if (members)
		json_object_set_new(json_array_get(list, json_array_size(list) - 1),
				    "paths", members);
	if (it->finding && it->finding->state)
		json_object_set_new(json_array_get(list, json_array_size(list) - 1),
				    "state", json_string(report_state_name(it->finding->state)));
}

/* check --compare: the fixed findings after the others, and the counts. */
static void json_compare(json_t *root, struct json_ctx *c,
			 const struct report_opts *o)
{
	const struct report_compare *rc = o->compare;
	struct report_opts before = report_before_opts(o);

	c->g = rc->g;
	c->db = rc->db;
	report_each(rc->g, rc->db, rc->fs, &before, json_finding, c);
	json_object_set_new(json_object_get(root, "summary"), "compare",
		json_pack("{s:o, s:s, s:i, s:i, s:i}",
			  "against", json_text_string(rc->against),
			  "kind", rc->patch ? "patch" : "revision",
			  "new", rc->counts.added, "fixed", rc->counts.fixed,
			  "unchanged", rc->counts.unchanged));
}

int report_json(FILE *out, const struct graph *g, const struct compdb *db,
		const struct findings *fs, const struct report_opts *o,
		const struct report_summary *sum)
{
	json_t *root, *list = json_array();
	struct json_ctx c = { g, db, list };
	int warnings = report_each(g, db, fs, o, json_finding, &c);

	root = json_pack("{s:s, s:i, s:s, s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i}, s:o}",
			 "tool", "splitsafe", "version", 1,
			 "rules", g->rules->name ? g->rules->name : "",
			 "summary", "tus", sum->parsed, "failed", sum->failed,
			 "with_errors", sum->with_errors,
			 "functions", g->nr, "edges", g->nr_edges,
			 "warnings", warnings, "suppressed", sum->suppressed,
			 "findings", list);
	if (o->compare)
		json_compare(root, &c, o);
	json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return warnings;
}
