/*
 * fnptr.h: where function pointers get their values, so that indirect
 * calls can be resolved across the whole program.
 *
 * A function pointer lives in a struct field, a variable or a parameter;
 * each has a key that is the same in every TU:
 *   F:<field USR>            a field: "F:c:@S@vm_operations_struct@FI@fault"
 *   V:<name>                 a variable with external linkage
 *   V:<USR>@<path>           a static or local variable
 *   P:<function key>#<i>     parameter i of a function ("name" or "name@path")
 * A store puts a function (or whatever another key holds) into a key:
 * designated and positional initializers of structs and arrays,
 * assignments, variable initializers and arguments of direct calls.
 *
 * Ownership: strings and stores are allocated in the caller's arena.
 */
#ifndef SPLITSAFE_FNPTR_H
#define SPLITSAFE_FNPTR_H

#include <clang-c/Index.h>
#include "model/facts.h"
#include "core/util.h"

struct fnptr_ctx {
	struct arena *arena;
	/* canonical path of a file, owned by the arena */
	const char *(*path_of)(void *data, CXFile f);
	void *data;
	struct fact_store *stores;
	int nr_stores, alloc_stores;
};

enum fnptr_kind { FNPTR_NONE, FNPTR_FUNC, FNPTR_KEY };

/* What an expression of function pointer type names. */
struct fnptr_ref {
	enum fnptr_kind kind;
	const char *name, *file;	/* FUNC: function, file if static */
	const char *key;		/* KEY */
};

/* The function or pointer an expression names (through casts, parens,
 * '&' and '*'). */
void fnptr_expr(struct fnptr_ctx *c, CXCursor e, struct fnptr_ref *out);

/* Record the stores an initializer list makes; key is the variable's
 * (for arrays of function pointers) or NULL. */
void fnptr_init_list(struct fnptr_ctx *c, CXCursor init, const char *key);

/* Stores made by the arguments of a direct call of callee. */
void fnptr_call_args(struct fnptr_ctx *c, CXCursor call, CXCursor callee);

/* A binary operator that assigns a function pointer: record the store. */
void fnptr_assign(struct fnptr_ctx *c, CXCursor binop);

/* A variable declaration with an initializer. */
void fnptr_var(struct fnptr_ctx *c, CXCursor var);

void fnptr_release(struct fnptr_ctx *c);

#endif
