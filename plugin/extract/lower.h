/*
 * lower.h: the extractor's private state, shared by the files that turn a
 * TU into facts (extract.c drives them; extract.h is the public entry).
 *
 * A struct tu_ctx lives for one facts_extract() call, a struct builder for
 * one function body.  Ownership: everything that ends up in the facts
 * (strings, paths, IR nodes, the copied arrays) is allocated in the TU's
 * arena, t->arena (the fact_tu's).  The growing arrays of both structs
 * (files, regs, sites, calls, ...) are malloc'd: facts_extract() frees the
 * tu_ctx's, function.c's release of the builder frees the builder's.
 *
 * Each function below is named after the file it lives in: src_ (source.c),
 * lock_ (locks.c), gfp_ (gfp.c), context_ (context.c), op_ (operators.c),
 * boot_pred_ (boot_pred.c), reg_ (registrations.c), lower (lower_stmt.c,
 * lower_expr.c, lower_call.c), guards_ (guards.c), phases_ (phases.c),
 * function_ (function.c), extract_ (extract.c).
 */
#ifndef SPLITSAFE_LOWER_H
#define SPLITSAFE_LOWER_H

#include <clang-c/Index.h>
#include "extract/cflow.h"
#include "extract/fnptr.h"
#include "extract/kids.h"
#include "extract/track.h"
#include "model/facts.h"

/* ---- per-TU context ---- */

struct file_info {
	CXFile file;
	const char *path;
	const char *text;
	size_t size;
};

struct tu_ctx {
	CXTranslationUnit tu;
	const struct rules *rules;
	const char *dir;
	struct fact_tu *out;
	struct arena *arena;
	CXFile main;
	struct file_info *files;
	int nr_files, alloc_files;
	struct strmap gfp_param;	/* callee name -> gfp arg index + 1, or -1 */
	struct fact_reg *regs;
	int nr_regs, alloc_regs;
	unsigned last_reg_off;		/* one macro makes several decls */
	struct file_info *last_reg_file;
	struct fnptr_ctx fp;		/* function pointer stores */
	struct strmap seen;		/* rules names met: name -> rules_name */
};

/* ---- function builder ---- */

struct builder {
	struct tu_ctx *t;
	struct cf_func cf;
	struct arena *arena;
	struct cf_node *scope;		/* innermost scope for guards */
	struct cf_node *switches[64];
	int nr_switches;
	struct strmap labels;		/* name -> label index + 1 */
	struct arena label_names;
	struct fact_site *sites;
	int alloc_sites;
	struct fact_call *calls;
	int nr_calls, alloc_calls;
	int sleep_call;
	/* last primitive expansion, so a macro with several calls counts once */
	const char *prim_file;
	unsigned prim_off;
	const struct rules_name *prim_name;
	/* boot checks: the distinct predicates, their uses, local copies */
	const struct rules_boot_pred **preds;
	int alloc_preds;
	struct fact_check *checks;
	int nr_checks, alloc_checks;
	struct local_copy *locals;
	int nr_locals, alloc_locals;
	struct tracker tr;		/* variables the IR follows */
};

/* A local variable holding a boot check: "int __ret = !!(cond);" */
struct local_copy {
	CXCursor var;
	struct cf_node *value;
};

/* ---- IR nodes of the function being lowered ---- */

static inline struct cf_node *lower_node(struct builder *b, enum cf_kind k)
{
	return cf_new(&b->cf, k);
}

/* Add kid to parent unless the lowering gave nothing. */
static inline void lower_add(struct cf_node *parent, struct cf_node *kid)
{
	if (kid)
		cf_add(parent, kid);
}

static inline struct cf_node *lower_or_empty(struct builder *b,
					     struct cf_node *n)
{
	return n ? n : lower_node(b, CF_EMPTY);
}

static inline struct cf_node *lower_not(struct builder *b, struct cf_node *kid)
{
	struct cf_node *n = lower_node(b, CF_NOT);

	cf_add(n, kid);
	return n;
}

/* ---- extract.c: the TU driver ---- */

/* A name the rules use, met in this TU (for the rules coverage). */
void extract_saw(struct tu_ctx *t, const char *name);
void *extract_copy(struct arena *a, const void *v, int n, size_t size);
void *extract_copy_or_null(struct arena *a, const void *v, int n,
			   size_t size);

/* ---- source.c: the files behind cursors, their text ---- */

struct file_info *src_file(struct tu_ctx *t, CXFile f);
const char *src_expr_text(struct tu_ctx *t, CXCursor c);
struct file_info *src_loc(struct tu_ctx *t, CXCursor c, unsigned *line,
			  unsigned *col, unsigned *off);
struct file_info *src_start(struct tu_ctx *t, CXCursor c, unsigned *off);
struct file_info *src_in_order(struct tu_ctx *t, CXCursor a, CXCursor b,
			       unsigned *oa, unsigned *ob);
void src_set_loc(struct tu_ctx *t, CXCursor c, struct fact_loc *loc);
const char *src_static_file(struct tu_ctx *t, CXCursor fn);
int src_is_ident(int ch);
const char *src_ident_at(struct file_info *fi, unsigned off, char *buf,
			 size_t size);
int src_ident_starts(const struct file_info *fi, unsigned p, unsigned from);
long src_skip_back(const char *s, long off);
size_t src_macro_argument(struct file_info *fi, unsigned off, int arg,
			  char *buf, size_t size);
char *src_pretty(CXCursor c);
int src_int_value(CXCursor c, long long *v);

/* ---- locks.c: which lock an argument names ---- */

const char *lock_key(struct builder *b, CXCursor call, int arg);
const char *lock_macro_key(struct builder *b, struct file_info *fi,
			   unsigned off, int arg);
const struct rules_context *lock_type_context(const struct rules *r,
					      CXCursor c, const char *key);

/* ---- gfp.c: the allocation flags a call passes ---- */

const char *gfp_call_flag(struct builder *b, CXCursor call, CXCursor callee,
			  const char *name);

/* ---- context.c: context primitives, assertions, annotations ---- */

const struct rules_name *context_primitive(const struct rules *r,
					   const char *name);
struct cf_node *context_event(struct builder *b, CXCursor c,
			      const struct rules_name *rn, const char *written,
			      unsigned off, struct file_info *fi, int by_macro);
struct cf_node *context_assertion(struct builder *b, CXCursor stmt);
struct cf_node *context_annotation(struct builder *b, CXCursor fn,
				   CXCursor body);

/* ---- operators.c: operators libclang does not show, from the text ---- */

int op_binary(struct builder *b, CXCursor c, CXCursor lhs, CXCursor rhs,
	      char op[3]);
int op_unary_not(struct builder *b, CXCursor op, CXCursor operand);
enum cf_kind op_logical(struct builder *b, CXCursor lhs, CXCursor rhs);
int op_is_not(struct builder *b, CXCursor op, CXCursor operand);
int op_unary_step(struct builder *b, CXCursor c, CXCursor operand);

/* ---- boot_pred.c: boot checks in conditions ---- */

struct cf_node *boot_pred_node(struct builder *b,
			       const struct rules_boot_pred *p, CXCursor at,
			       struct cf_node *kid);
int boot_pred_in(const struct cf_node *n);
void boot_pred_forget(struct cf_node *n);
int boot_pred_pure(const struct cf_node *n);
struct cf_node *boot_pred_copy(struct builder *b, const struct cf_node *n);
struct cf_node *boot_pred_binary(struct builder *b, CXCursor c,
				 CXCursor lhs, CXCursor rhs,
				 struct cf_node *l, struct cf_node *r);
void boot_pred_mark_asserted(struct builder *b, CXCursor ifs, int first);

/* ---- registrations.c: callbacks handed to the kernel ---- */

void reg_call(struct builder *b, CXCursor call, const char *name,
	      const char *written, struct file_info *fi, unsigned off);
void reg_macro_decl(struct tu_ctx *t, CXCursor c);
void reg_saw_fields(struct tu_ctx *t, CXCursor c);

/* ---- lower_stmt.c, lower_expr.c, lower_call.c: AST -> IR ---- */

struct cf_node *lower(struct builder *b, CXCursor c);
struct cf_node *lower_kids(struct builder *b, struct kids *k, int from);
struct cf_node *lower_logical(struct builder *b, enum cf_kind op,
			      struct cf_node *l, struct cf_node *r);
struct cf_node *lower_combine(struct builder *b, struct cf_node *l,
			      struct cf_node *r);
struct cf_node *lower_ref(struct builder *b, CXCursor c);
struct cf_node *lower_var(struct builder *b, CXCursor c);
struct cf_node *lower_const(struct builder *b, CXCursor c);
struct cf_node *lower_binary(struct builder *b, CXCursor c);
struct cf_node *lower_unary(struct builder *b, CXCursor c);
struct cf_node *lower_call(struct builder *b, CXCursor c);

/* ---- guards.c, phases.c, function.c: a function's facts ---- */

void guards_of_sink(struct builder *b, CXCursor body, struct fact_func *fn);
int phases_of_calls(struct builder *b, struct fact_func *fn,
		    struct ss_err *err);
int function_extract(struct tu_ctx *t, CXCursor c, const char *name,
		     struct fact_func *fn, struct ss_err *err);

#endif
