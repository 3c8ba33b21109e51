/*
 * checks.c: the table of checks (see checks.h).
 */
#include "check/checks.h"

#include <string.h>

const struct check_info check_table[NR_CHECKS] = {
	[CHECK_ATOMIC] = {
		"splitsafe-atomic", "SinkInAtomicContext",
		"A function that may sleep is reached in atomic context",
		"A call chain reaches a sink the rules name (by default arm64's "
		"split_kernel_leaf_mapping(), which takes a mutex and allocates "
		"page tables) while a spinlock or rwlock is held, interrupts, "
		"preemption or bottom halves are disabled, an RCU read-side "
		"section is open, or in softirq, hard interrupt or exception "
		"context: a sleeping function called from invalid context.",
		"The code flow starts where the atomic context is entered (a lock "
		"taken, interrupts disabled, an assertion that they are, or the "
		"registration of a callback that runs in that context) and ends "
		"at the call into the sink. Make the call outside the atomic "
		"section, or make sure a guard the rules know holds on this path "
		"(for example a range that is pte-mapped). A path that cannot "
		"happen can be silenced at the call with "
		"/* splitsafe: ignore splitsafe-atomic -- reason */.",
		"high",
	},
	[CHECK_BOOT] = {
		"splitsafe-boot", "SinkInForbiddenBootPhase",
		"A sink is reached in a boot phase where it cannot work",
		"A call chain from a boot root or a boot-time registration (an "
		"initcall, an early parameter, a CPU-hotplug STARTING callback) "
		"reaches a sink in a boot phase its rules forbid, such as before "
		"the page allocator is up or while secondary CPUs start and the "
		"system capabilities are not finalized; or the sink returns "
		"without doing its work because a check it makes misleads it in "
		"that phase.",
		"The code flow starts where the boot phase starts (the boot root "
		"or the registration) and ends at the call into the sink; its "
		"steps say when a call moves to a later phase. Make the call in a "
		"later phase (a later initcall, or once capabilities are "
		"finalized), or guard it with a check the rules know to be "
		"reliable in that phase.",
		"high",
	},
	[CHECK_COCCI] = {
		"splitsafe-cocci", "SinkCallSeenByCoccinelleOnly",
		"A semantic patch found a sink call in a file not analysed",
		"One of splitsafe's semantic patches (split_atomic.cocci, "
		"split_callback.cocci, split_boot.cocci) found a call of the "
		"splitter or one of its callers in atomic context, in a "
		"registered callback or in early boot code, in a file the "
		"configuration does not build, which libclang therefore did not "
		"analyse. Coccinelle sees one function at a time: there is no "
		"call chain across files, and the confidence is lower.",
		"Review the call, or build the file in the configuration that "
		"splitsafe reads so that the whole-program analysis covers it.",
		"medium",
	},
	[CHECK_ORDER] = {
		"splitsafe-order", "ValueReadBeforeItIsSet",
		"A boot-time value is read before the event that sets it",
		"The rules say from which boot event a value is valid (for "
		"example is_realm_world() only once arm64_rsi_init() has "
		"detected the realm). A call chain from a boot root or a "
		"boot-time registration reads the value where, in statement "
		"order from the root, the event has not happened yet, so it "
		"reads the value the kernel starts with.",
		"The code flow starts where the boot chain starts and ends at the "
		"read; the message names the function where the read's way "
		"and the event part, with the line of each call. Move the read "
		"after the event, make the event happen earlier, or decide again "
		"once the value is known.",
		"high",
	},
};

int check_index(const char *id)
{
	int i;

	for (i = 0; id && i < NR_CHECKS; i++)
		if (!strcmp(check_table[i].id, id))
			return i;
	return -1;
}
