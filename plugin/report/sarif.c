/*
 * sarif.c: the SARIF reporter (see sarif.h).  It reads the findings as
 * the text prints them (report_each()), so messages, notes and their
 * order are the text's:
 *
 *   warning line          result message and location
 *   chain notes           one code flow: where the context or phase
 *                         starts first, the call into the sink last
 *   other notes           related locations ("which sleeps here", ...)
 *   why it is suppressed  suppressions[].justification
 *
 * Paths are relative to the tree root, which the log names as SRCROOT.
 * The fingerprint hashes the baseline key (check, sink, entry, context or
 * phase, chain: no line numbers) and the file, so that alerts follow a
 * finding when unrelated lines move.
 */
#include "report/sarif.h"
#include "check/checks.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "filter/baseline.h"
#include "core/jsonstr.h"
#include "rules/rules.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT "splitsafeChain/v1"


struct sarif_ctx {
	const struct graph *g;
	const struct compdb *db;
	json_t *results;
	struct strmap seen;	/* fingerprint input -> occurrences so far */
	struct arena arena;	/* the map's keys */
};

static int rule_index(const char *check)
{
	return check_index(check);
}

/* A message: bytes that are not UTF-8 escaped, not the result dropped. */
static json_t *text(const char *s)
{
	return json_pack("{s:o}", "text", json_text_string(s));
}

static json_t *rule_json(const struct check_info *r)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s}, s:{s:[s], s:s}}",
			 "id", r->id, "name", r->name,
			 "shortDescription", text(r->short_text),
			 "fullDescription", text(r->full_text),
			 "help", text(r->help),
			 "defaultConfiguration", "level", "warning",
			 "properties", "tags", "correctness",
			 "precision", r->precision);
}

/* Relative to SRCROOT, or a file URI for a path outside the root. */
static json_t *artifact_location(const char *file)
{
	char *esc = uri_escape(file);
	json_t *o;

	if (file[0] == '/') {
		char *uri = xasprintf("file://%s", esc);

		o = json_pack("{s:s}", "uri", uri);
		free(uri);
	} else {
		o = json_pack("{s:s, s:s}", "uri", esc, "uriBaseId", "SRCROOT");
	}
	free(esc);
	return o;
}

static json_t *physical_location(const char *file, unsigned line, unsigned col)
{
	json_t *o = json_pack("{s:o}", "artifactLocation", artifact_location(file));

	/* SARIF lines and columns start at 1: an unknown one is left out */
	if (line) {
		json_t *region = json_pack("{s:i}", "startLine", (int)line);

		if (col)
			json_object_set_new(region, "startColumn", json_integer(col));
		json_object_set_new(o, "region", region);
	}
	return o;
}

static json_t *location(const struct report_line *l, int with_message)
{
	json_t *o = json_pack("{s:o}", "physicalLocation",
			      physical_location(l->file, l->line, l->col));

	if (with_message)
		json_object_set_new(o, "message", text(l->msg));
	return o;
}

/* The chain as one thread flow, or NULL when there is none. */
static json_t *code_flows(const struct report_item *it)
{
	json_t *steps;
	int l;

	if (it->flow_first >= it->flow_end)
		return NULL;
	steps = json_array();
	for (l = it->flow_first; l < it->flow_end; l++)
		json_array_append_new(steps, json_pack("{s:o}", "location",
						       location(&it->lines[l], 1)));
	return json_pack("[{s:[{s:o}]}]", "threadFlows", "locations", steps);
}

/* The notes that are not steps of the chain, in the text's order. */
static json_t *related_locations(const struct report_item *it)
{
	json_t *list = json_array();
	int l;

	for (l = 1; l < it->nr_lines; l++) {
		json_t *o;

		if (l >= it->flow_first && l < it->flow_end)
			continue;
		o = location(&it->lines[l], 1);
		json_object_set_new(o, "id", json_integer(json_array_size(list) + 1));
		json_array_append_new(list, o);
	}
	return list;
}

/* FNV-1a, 128 bits, as 32 hex digits: no line in it, so no line moves it. */
static void hash_hex(const char *s, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned __int128 h = ((unsigned __int128)0x6c62272e07bb0142ULL << 64) |
			      0x62b821756295c58dULL;
	const unsigned __int128 prime = ((unsigned __int128)0x0000000001000000ULL << 64) |
					0x000000000000013bULL;
	int i;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= prime;
	}
	for (i = 31; i >= 0; i--) {
		out[i] = hex[(unsigned)(h & 15)];
		h >>= 4;
	}
	out[32] = '\0';
}

/*
 * The baseline key and the file of the warning.  Two findings with the
 * same key in one file (two locks of one kind held at one call) are told
 * apart by their order, which lines moving do not change: the second
 * gets "\x1f2" appended before hashing, and so on.
 */
static json_t *fingerprints(struct sarif_ctx *c, const struct report_item *it)
{
	char *key = baseline_key(c->g, c->db, it->finding);
	char *input = xasprintf("%s\x1f%s", key, it->lines[0].file);
	intptr_t n = (intptr_t)strmap_get(&c->seen, input);
	char hex[33];

	strmap_put(&c->seen, arena_strdup(&c->arena, input), (void *)(n + 1));
	if (n) {
		char *nth = xasprintf("%s\x1f%ld", input, (long)n + 1);

		free(input);
		input = nth;
	}
	hash_hex(input, hex);
	free(key);
	free(input);
	return json_pack("{s:s}", FINGERPRINT, hex);
}

/* A comment in the tree, or something outside it: the baseline, a guard
 * or a rule.  The justification is what the text's last notes say. */
static json_t *suppressions(const struct report_item *it)
{
	const struct finding *f = it->finding;
	json_t *s = json_pack("{s:s}", "kind", f->ignore_reason ? "inSource" : "external");
	size_t len = 0;
	char *why = NULL;
	int l;

	if (f->ignore_reason) {
		json_object_set_new(s, "justification",
				    json_text_string(f->ignore_reason));
		return json_pack("[o]", s);
	}
	for (l = it->why_first; l && l < it->nr_lines; l++) {
		const char *m = it->lines[l].msg;
		size_t n = strlen(m);

		why = xrealloc(why, len + n + 3);
		if (len) {
			memcpy(why + len, "; ", 2);
			len += 2;
		}
		memcpy(why + len, m, n + 1);
		len += n;
	}
	if (why)
		json_object_set_new(s, "justification", json_text_string(why));
	free(why);
	return json_pack("[o]", s);
}

/* The other paths of a group: where each is reported, and its entry. */
static void group_locations(struct sarif_ctx *c, const struct report_item *it,
			    json_t *related)
{
	json_t *members = it->finding ?
			  report_group_members(c->g, c->db, it->finding) : NULL;
	size_t i;

	for (i = 1; members && i < json_array_size(members); i++) {
		json_t *m = json_array_get(members, i);
		struct report_line l;
		char *msg = xasprintf("also reached from %s()",
				      json_string_value(json_object_get(m, "entry")));
		json_t *o;

		l.file = json_string_value(json_object_get(m, "file"));
		l.line = (unsigned)json_integer_value(json_object_get(m, "line"));
		l.col = (unsigned)json_integer_value(json_object_get(m, "column"));
		l.msg = msg;
		o = location(&l, 1);
		json_object_set_new(o, "id", json_integer(json_array_size(related) + 1));
		json_array_append_new(related, o);
		free(msg);
	}
	json_decref(members);
}

/* SARIF's word for where a result is, compared with the baseline: a
 * fixed finding is "absent" (from the run after the change). */
static const char *baseline_state(enum finding_state state)
{
	return state == STATE_NEW ? "new" :
	       state == STATE_FIXED ? "absent" : "unchanged";
}

static void sarif_result(const struct report_item *it, void *data)
{
	struct sarif_ctx *c = data;
	int rule = rule_index(it->check);
	json_t *r, *flows, *related;

	r = json_pack("{s:s}", "ruleId", it->check);
	if (rule >= 0)
		json_object_set_new(r, "ruleIndex", json_integer(rule));
	json_object_set_new(r, "level", json_string(it->suppressed ? "note" : "warning"));
	json_object_set_new(r, "message", text(it->lines[0].msg));
	json_object_set_new(r, "locations", json_pack("[o]", location(&it->lines[0], 0)));
	flows = code_flows(it);
	if (flows)
		json_object_set_new(r, "codeFlows", flows);
	related = related_locations(it);
	group_locations(c, it, related);
	if (json_array_size(related))
		json_object_set_new(r, "relatedLocations", related);
	else
		json_decref(related);
	json_object_set_new(r, "partialFingerprints", fingerprints(c, it));
	if (it->suppressed)
		json_object_set_new(r, "suppressions", suppressions(it));
	if (it->finding && it->finding->state)
		json_object_set_new(r, "baselineState",
				    json_string(baseline_state(it->finding->state)));
	json_array_append_new(c->results, r);
}

/* check --compare: the fixed findings, from the side before the change. */
static void sarif_fixed(struct sarif_ctx *c, const struct report_opts *o)
{
	const struct report_compare *rc = o->compare;
	struct report_opts before = report_before_opts(o);

	c->g = rc->g;
	c->db = rc->db;
	report_each(rc->g, rc->db, rc->fs, &before, sarif_result, c);
}

/* The TUs that did not parse (the run went on without them), and those
 * that parsed with errors (facts kept from the rest). */
static json_t *invocation(const struct report_summary *sum)
{
	json_t *notes = json_array();
	int i;

	for (i = 0; i < sum->nr_failures; i++) {
		const struct report_failure *f = &sum->failures[i];
		char *msg = f->failed ?
			xasprintf("cannot parse '%s': %s", f->file,
				  f->msg ? f->msg : "parse failed") :
			xasprintf("errors in '%s' (facts kept from the rest): %s",
				  f->file, f->msg ? f->msg : "errors");

		json_array_append_new(notes, json_pack("{s:s, s:o, s:[{s:o}]}",
			"level", f->failed ? "error" : "warning", "message", text(msg),
			"locations", "physicalLocation",
			json_pack("{s:o}", "artifactLocation",
				  artifact_location(f->file))));
		free(msg);
	}
	return json_pack("{s:b, s:o}", "executionSuccessful", 1,
			 "toolExecutionNotifications", notes);
}

/* splitsafe, its checks, and the versions --version prints. */
static json_t *driver(const struct rules *r, const struct report_summary *sum)
{
	json_t *rules = json_array();
	char version[32];
	int i;

	for (i = 0; i < NR_CHECKS; i++)
		json_array_append_new(rules, rule_json(&check_table[i]));
	rules_version(r, version, sizeof(version));
	return json_pack("{s:s, s:s, s:o, s:{s:s, s:s}}", "name", "splitsafe",
			 "version", SPLITSAFE_VERSION, "rules", rules,
			 "properties", "libclangVersion",
			 sum->libclang ? sum->libclang : "",
			 "rulesVersion", version);
}

/* "file:///path/to/root/": SARIF wants the trailing slash. */
static json_t *srcroot(const struct compdb *db)
{
	char *esc = uri_escape(db->root);
	size_t n = strlen(esc);
	char *uri = xasprintf("file://%s%s", esc, n && esc[n - 1] == '/' ? "" : "/");
	json_t *o = json_pack("{s:{s:s}}", "SRCROOT", "uri", uri);

	free(esc);
	free(uri);
	return o;
}

int report_sarif(FILE *out, const struct graph *g, const struct compdb *db,
		 const struct findings *fs, const struct report_opts *o,
		 const struct report_summary *sum)
{
	struct sarif_ctx c = { g, db, json_array(), STRMAP_INIT, ARENA_INIT };
	int warnings = report_each(g, db, fs, o, sarif_result, &c);
	json_t *run, *root;

	if (o->compare)
		sarif_fixed(&c, o);
	run = json_pack("{s:{s:o}, s:[o], s:o, s:o, s:{s:s, s:{s:i, s:i, s:i, s:i, s:i, s:i, s:i}}}",
			"tool", "driver", driver(g->rules, sum),
			"invocations", invocation(sum),
			"originalUriBaseIds", srcroot(db),
			"results", c.results,
			"properties", "rules", g->rules->name ? g->rules->name : "",
			"summary", "tus", sum->parsed, "failed", sum->failed,
			"with_errors", sum->with_errors, "functions", g->nr, "edges", g->nr_edges,
			"warnings", warnings, "suppressed", sum->suppressed);
	root = json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA,
			 "version", "2.1.0", "runs", run);
	json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	strmap_release(&c.seen);
	arena_release(&c.arena);
	return warnings;
}
