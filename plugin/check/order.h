/*
 * order.h: values read before they are set (rules boot valid-from).
 *
 * A value such as is_realm_world() is valid only once its event,
 * arm64_rsi_init(), has returned.  The check follows statement order as
 * the boot walk does for phases (boot.h): a call made after a call that
 * sets the value, on every path, runs with the value set, and so does
 * everything an entry starts in a phase after the earliest one the event
 * runs in.  A read that boot code can reach with the value not yet set is
 * one finding per boot-side function that reaches it, placed at its first
 * call toward the read, as a boot finding is; the finding also names the
 * function on its chain that makes the read's call before the event's.
 *
 * Ownership: findings are added to out (findings.h).
 */
#ifndef SPLITSAFE_ORDER_H
#define SPLITSAFE_ORDER_H

#include "check/boot.h"
#include "check/findings.h"

void order_check(const struct boot *b, struct findings *out);

#endif
