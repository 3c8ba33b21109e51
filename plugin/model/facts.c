/*
 * facts.c: releasing the facts of a TU (the model's one operation).
 */
#include "model/facts.h"

#include <string.h>

void facts_tu_release(struct fact_tu *t)
{
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}
