/*
 * read_boot.c: the "boot" section, the boot model, which one file gives
 * whole: the phases in boot order, the roots that start a boot thread of
 * control, the transitions to a later phase, the checks whose value a
 * phase knows, the functions idle in some phases, the phases exempt from
 * atomic-context reports, and the boot-only and assertion names.  Every
 * array of r->boot is allocated in r->arena.
 */
#include "rules/reader.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- phases ---- */

static int add_phase_to_mask(struct loader *l, yaml_node_t *item,
			     const char *name, void *data)
{
	int index = rules_phase_index(l->r, name);

	if (index < 0)
		return schema_error_at(l, item, "unknown boot phase '%s'",
				       name);
	*(phase_mask *)data |= (phase_mask)(1u << index);
	return 0;
}

int read_boot_phase_list(struct loader *l, yaml_node_t *seq, const char *key,
			 phase_mask *out)
{
	*out = 0;
	if (seq && !l->r->boot.nr_phases)
		return schema_error_at(l, seq,
				       "'%s' needs the boot phases (boot: phases:)",
				       key);
	return schema_for_each_name(l, seq, key, 0, add_phase_to_mask, out);
}

int read_boot_phases_value(struct loader *l, yaml_node_t *seq,
			   const char *key, void *out)
{
	return read_boot_phase_list(l, seq, key, out);
}

static int read_phase(struct loader *l, yaml_node_t *node, const char *key,
		      int *out)
{
	const char *name;

	if (schema_check_scalar(l, node, "a boot phase", key))
		return -1;
	name = schema_text(node);
	*out = rules_phase_index(l->r, name);
	if (*out < 0)
		return schema_error_at(l, node, "unknown boot phase '%s'",
				       name);
	return 0;
}

static const struct field phase_fields[] = {
	SCHEMA_VALUE("name", 1, schema_value_word, struct rules_phase, name),
	SCHEMA_VALUE("means", 1, schema_value_string, struct rules_phase,
		     means),
	SCHEMA_VALUE("reached", 0, schema_value_string, struct rules_phase,
		     reached),
};

/* A phase's default reach, and no phase named twice. */
static int check_phase(struct loader *l, yaml_node_t *map, struct kv *kv,
		       struct name_entry *e, void *item)
{
	struct rules_phase *ph = item;

	if (!ph->reached)
		ph->reached = arena_printf(&l->r->arena, "in boot phase '%s'",
					   ph->name);
	if (rules_phase_index(l->r, ph->name) >= 0)
		return schema_error_at(l, kv[0].value,
				       "duplicate boot phase '%s'", ph->name);
	return 0;
}

static const struct reader_list phase_list = {
	.top_key = -1, .key = "phases", .what = "a boot phase",
	.where = "in boot phase", .fields = phase_fields,
	.nr_fields = ARRAY_SIZE(phase_fields), .function = -1,
	.section = SECTION_NONE, .check = check_phase,
	READER_ITEM(struct rules_phase, name),
	READER_INTO(boot.phases, boot.nr_phases),
};

/* The phases in boot order: two at least, a phase_mask bit each. */
static int read_phases(struct loader *l, yaml_node_t *seq)
{
	int n;

	if (schema_expect_sequence(l, seq, "phases"))
		return -1;
	n = schema_length(seq);
	if (n < 2 || n > RULES_MAX_PHASES)
		return schema_error_at(l, seq,
				       "expected 2 to %d boot phases, found %d",
				       RULES_MAX_PHASES, n);
	return reader_read_items(l, seq, &phase_list);
}

/* ---- roots ---- */

static const struct field root_fields[] = {
	SCHEMA_KEY("function", 1),
	SCHEMA_VALUE("phases", 1, read_boot_phases_value,
		     struct rules_boot_root, phases),
};

static int check_root(struct loader *l, yaml_node_t *map, struct kv *kv,
		      struct name_entry *e, void *item)
{
	const struct rules_boot_root *root = item;

	if (!root->phases)
		return schema_error_at(l, kv[1].value,
				       "boot root '%s' needs at least one phase",
				       e->pub.name);
	return 0;
}

static const struct reader_list root_list = {
	.top_key = -1, .key = "roots", .what = "a boot root",
	.where = "in boot root", .fields = root_fields,
	.nr_fields = ARRAY_SIZE(root_fields), .function = 0,
	.section = SECTION_BOOT_ROOT, .duplicate = "boot root",
	.check = check_root, READER_ITEM(struct rules_boot_root, function),
	READER_ENTRY(boot_root), READER_INTO(boot.roots, boot.nr_roots),
};

/* ---- transitions ---- */

enum { TRANS_FUNCTION, TRANS_ENTERS, TRANS_AFTER, TRANS_NR };
static const struct field transition_fields[TRANS_NR] = {
	[TRANS_FUNCTION] = { "function", 1 },
	[TRANS_ENTERS] = { "enters", 0 },
	[TRANS_AFTER] = { "after", 0 },
};

/* Exactly one of 'enters' and 'after' names the phase. */
static int read_transition_phase(struct loader *l, yaml_node_t *map,
				 struct kv *kv, struct name_entry *e,
				 void *item)
{
	struct rules_transition *t = item;
	const char *name = e->pub.name;
	int enters = kv[TRANS_ENTERS].key != NULL;

	if (enters && kv[TRANS_AFTER].key)
		return schema_error_at(l, kv[TRANS_AFTER].key,
				       "transition '%s' has both 'enters' and 'after'",
				       name);
	if (!enters && !kv[TRANS_AFTER].key)
		return schema_error_at(l, map,
				       "transition '%s' needs one of 'enters' or 'after'",
				       name);
	t->enters = enters;
	return read_phase(l, kv[enters ? TRANS_ENTERS : TRANS_AFTER].value,
			  enters ? "enters" : "after", &t->phase);
}

static const struct reader_list transition_list = {
	.top_key = -1, .key = "transitions", .what = "a transition",
	.where = "in transition", .fields = transition_fields,
	.nr_fields = TRANS_NR, .function = TRANS_FUNCTION,
	.section = SECTION_TRANSITION, .duplicate = "transition",
	.check = read_transition_phase,
	READER_ITEM(struct rules_transition, function),
	READER_ENTRY(transition),
	READER_INTO(boot.transitions, boot.nr_transitions),
};

/* ---- idle functions ---- */

static const struct field idle_fields[] = {
	SCHEMA_KEY("function", 1),
	SCHEMA_VALUE("phases", 1, read_boot_phases_value, struct rules_idle,
		     phases),
	SCHEMA_VALUE("because", 1, schema_value_string, struct rules_idle,
		     because),
};

static int check_idle(struct loader *l, yaml_node_t *map, struct kv *kv,
		      struct name_entry *e, void *item)
{
	if (e->pub.idle)
		return schema_error_at(l, kv[0].value, "'%s' is idle twice",
				       e->pub.name);
	return 0;
}

/* its duplicates are told after its phases are read, by check_idle() */
static const struct reader_list idle_list = {
	.top_key = -1, .key = "idle", .what = "an idle function",
	.where = "in idle", .fields = idle_fields,
	.nr_fields = ARRAY_SIZE(idle_fields), .function = 0,
	.section = SECTION_NONE, .check = check_idle,
	READER_ITEM(struct rules_idle, function), READER_ENTRY(idle),
	READER_INTO(boot.idle, boot.nr_idle),
};

/* ---- values valid from an event on ---- */

static const struct field valid_from_fields[] = {
	SCHEMA_KEY("function", 1),
	SCHEMA_KEY("set-by", 1),
	SCHEMA_VALUE("because", 1, schema_value_string,
		     struct rules_valid_from, because),
};

/* The event is a function other than the one read. */
static int check_valid_from(struct loader *l, yaml_node_t *map,
			    struct kv *kv, struct name_entry *e, void *item)
{
	struct rules_valid_from *v = item;
	struct name_entry *set_by;

	if (reader_function(l, kv[1].value, "set-by", &set_by))
		return -1;
	if (set_by == e)
		return schema_error_at(l, kv[1].value,
				       "'%s' cannot set its own value",
				       e->pub.name);
	v->set_by = set_by->pub.name;
	return 0;
}

static const struct reader_list valid_from_list = {
	.top_key = -1, .key = "valid-from", .what = "a value valid from",
	.where = "in valid-from", .fields = valid_from_fields,
	.nr_fields = ARRAY_SIZE(valid_from_fields), .function = 0,
	.section = SECTION_VALID_FROM, .duplicate = "valid-from for",
	.check = check_valid_from,
	READER_ITEM(struct rules_valid_from, function),
	READER_ENTRY(valid_from),
	READER_INTO(boot.valid_from, boot.nr_valid_from),
};

/* ---- boot predicates ---- */

enum {
	BPRED_NAME, BPRED_TRUE_IN, BPRED_FALSE_IN, BPRED_LEAKY_IN,
	BPRED_COMPARE, BPRED_LEAK, BPRED_MISLEADING, BPRED_CLOSES, BPRED_NR
};
#define BPRED_PHASES(key, member) \
	SCHEMA_VALUE(key, 0, read_boot_phases_value, struct rules_boot_pred, \
		     member)
#define BPRED_STRING(key, member) \
	SCHEMA_VALUE(key, 0, schema_value_string, struct rules_boot_pred, \
		     member)
static const struct field boot_pred_fields[BPRED_NR] = {
	[BPRED_NAME] = { "name", 1 },
	[BPRED_TRUE_IN] = BPRED_PHASES("true-in", true_in),
	[BPRED_FALSE_IN] = BPRED_PHASES("false-in", false_in),
	[BPRED_LEAKY_IN] = BPRED_PHASES("leaky-in", leaky_in),
	[BPRED_COMPARE] = BPRED_STRING("compare", compare),
	[BPRED_LEAK] = BPRED_STRING("leak", leak),
	[BPRED_MISLEADING] = BPRED_STRING("misleading", misleading),
	[BPRED_CLOSES] = BPRED_STRING("closes", closes),
};

/* "> 1", ">= 2", "== 0", "!= 0", "< 2", "<= 1": an operator and a number. */
static int valid_compare(const char *s)
{
	static const char *ops[] = { ">=", "<=", "==", "!=", ">", "<" };
	char *end;
	size_t i, n;

	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		n = strlen(ops[i]);
		if (strncmp(s, ops[i], n) || s[n] != ' ')
			continue;
		if (!isdigit((unsigned char)s[n + 1]))
			return 0;
		strtol(s + n + 1, &end, 10);
		return !*end;
	}
	return 0;
}

/*
 * A valid comparison, one value a phase at most, some value, and a leak
 * said where it leaks.
 */
static int check_boot_pred(struct loader *l, yaml_node_t *map, struct kv *kv,
			   struct name_entry *e, void *item)
{
	const struct rules_boot_pred *p = item;
	const char *name = e->pub.name;

	if (p->compare && !valid_compare(p->compare))
		return schema_error_at(l, kv[BPRED_COMPARE].value,
				       "compare must be an operator and a number, as in '> 1'");
	if ((p->true_in & p->false_in) ||
	    (p->leaky_in & (p->true_in | p->false_in)))
		return schema_error_at(l, map,
				       "boot predicate '%s' has two values in one phase",
				       name);
	if (!p->true_in && !p->false_in && !p->leaky_in)
		return schema_error_at(l, map,
				       "boot predicate '%s' needs true-in, false-in or leaky-in",
				       name);
	if (p->closes && ((!p->true_in && !p->false_in) || p->misleading))
		return schema_error_at(l, kv[BPRED_CLOSES].value,
				       "boot predicate '%s' closes no phase: 'closes' needs true-in or false-in, and no 'misleading'",
				       name);
	if (!p->leaky_in != !p->leak)
		return schema_error_at(l, map,
				       "boot predicate '%s': leaky-in and leak go together",
				       name);
	return 0;
}

static const struct reader_list boot_pred_list = {
	.top_key = -1, .key = "predicates", .what = "a boot predicate",
	.where = "in boot predicate", .fields = boot_pred_fields,
	.nr_fields = BPRED_NR, .function = BPRED_NAME,
	.section = SECTION_BOOT_PRED, .duplicate = "boot predicate",
	.check = check_boot_pred, READER_ITEM(struct rules_boot_pred, name),
	READER_ENTRY(boot_pred), READER_INTO(boot.preds, boot.nr_preds),
};

/* ---- the section ---- */

enum { BOOT_KEYS(SCHEMA_KEY_INDEX) BOOT_NR };
static const struct field boot_fields[BOOT_NR] = {
	BOOT_KEYS(SCHEMA_KEY_FIELD)
};

static const struct field exempt_fields[] = {
	SCHEMA_VALUE("phases", 1, read_boot_phases_value, struct rules_boot,
		     exempt),
	SCHEMA_VALUE("because", 1, schema_value_string, struct rules_boot,
		     exempt_because),
};

static int read_exempt(struct loader *l, yaml_node_t *map)
{
	struct rules_boot *b = &l->r->boot;
	struct kv kv[ARRAY_SIZE(exempt_fields)];

	if (!map)
		return 0;
	if (schema_read_mapping(l, map, "'atomic-exempt'", "in atomic-exempt",
				exempt_fields, ARRAY_SIZE(exempt_fields), kv,
				b))
		return -1;
	if (b->exempt & (1u << (b->nr_phases - 1)))
		return schema_error_at(l, kv[0].value,
				       "the run-time phase '%s' cannot be exempt",
				       b->phases[b->nr_phases - 1].name);
	return 0;
}

/* The mapping of the one file that gives 'boot', now l->src; or NULL. */
static int find_boot(struct loader *l, yaml_node_t **out)
{
	struct source *first = NULL;
	yaml_node_t *node;
	int f;

	*out = NULL;
	for (f = 0; f < l->nr_files; f++) {
		if (!(node = reader_file_key(l, f, TOP_BOOT)))
			continue;
		if (*out)
			return schema_error_at(l, node,
					       "'boot' given twice (first in %s)",
					       first->path);
		*out = node;
		first = l->src;
	}
	if (first)
		l->src = first;
	return 0;
}

/* The boot model: one file gives it whole. */
int read_boot(struct loader *l)
{
	struct rules_boot *b = &l->r->boot;
	yaml_node_t *map;
	struct kv kv[BOOT_NR];

	if (find_boot(l, &map))
		return -1;
	if (!map)
		return 0;
	b->line = schema_line(map);
	if (schema_expect_mapping(l, map, "'boot'") ||
	    schema_read_fields(l, map, "in boot", boot_fields, BOOT_NR, kv) ||
	    read_phases(l, kv[BOOT_PHASES].value) ||
	    reader_read_items(l, kv[BOOT_ROOTS].value, &root_list) ||
	    reader_read_items(l, kv[BOOT_TRANSITIONS].value, &transition_list) ||
	    reader_read_items(l, kv[BOOT_PREDICATES].value, &boot_pred_list) ||
	    reader_read_items(l, kv[BOOT_IDLE].value, &idle_list) ||
	    reader_read_items(l, kv[BOOT_VALID_FROM].value,
			      &valid_from_list) ||
	    read_exempt(l, kv[BOOT_EXEMPT].value) ||
	    reader_mark_names(l, kv[BOOT_ONLY].value, "boot-only",
			      MARK_BOOT_ONLY) ||
	    reader_mark_names(l, kv[BOOT_ASSERTIONS].value, "assertions",
			      MARK_ASSERTION))
		return -1;
	return 0;
}
