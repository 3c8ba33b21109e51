# SPDX-License-Identifier: GPL-2.0-only
"""The functions that may split the arm64 linear map, and the helpers the
semantic patches split_atomic.cocci, split_boot.cocci and split_callback.cocci
share to recognise and describe their calls: the one place the list lives.

Each patch imports this module from its @initialize:python@ block, after
putting its own directory on sys.path: spatch gives the block the path of
the semantic patch it runs (cocci.cocci_file), so the module is found
beside the patch whatever the current directory, with no option added to
the spatch or make coccicheck command line.  SmPL's own #include was the
other candidate; spatch 1.1.1 resolves it against the current directory,
not the including patch's, so it fails under coccicheck, which runs spatch
from the kernel tree.  Copy this file along with the patches.

To change the list, edit SPLITTERS below: the splitter and its callers in
arch/arm64/mm.  splitsafe can extend it with every function that may
reach the splitter in the whole program: SPLITSAFE_SINK_CALLERS names the
file 'splitsafe check --write-sink-callers FILE' wrote.
"""
import os

SPLITTERS = set("""
split_kernel_leaf_mapping arch_kfence_init_pool update_range_prot
__change_memory_common change_memory_common set_memory_valid
set_memory_ro set_memory_rw set_memory_x set_memory_nx set_memory_rox
set_direct_map_invalid_noflush set_direct_map_default_noflush
set_direct_map_valid_noflush __kernel_map_pages kernel_map_pages
debug_pagealloc_map_pages debug_pagealloc_unmap_pages
set_memory_encrypted set_memory_decrypted realm_set_memory_encrypted
realm_set_memory_decrypted __set_memory_enc_dec
""".split())
# from splitsafe: "name" a line, or "name path" for a static function
STATIC = set()
extra = os.environ.get("SPLITSAFE_SINK_CALLERS")
if extra:
    with open(extra) as f:
        for line in f:
            w = line.split()
            if len(w) == 1:
                SPLITTERS.add(w[0])
            elif len(w) == 2:
                STATIC.add((w[0], os.path.realpath(w[1])))


def splits(fn, p):
    """Whether the call of fn at position p may split the linear map."""
    return fn in SPLITTERS or (fn, os.path.realpath(p.file)) in STATIC


def entered_by(p):
    """The name written at p: the function called there, or the field
    assigned ("an assignment to function")."""
    try:
        with open(p.file) as f:
            line = f.readlines()[int(p.line) - 1]
    except (OSError, IndexError, ValueError):
        return "?"
    rest = line[int(p.column):]
    name = ""
    for ch in rest:
        if not (ch.isalnum() or ch == "_"):
            break
        name += ch
    if rest[len(name):].lstrip().startswith("=") and not rest[len(name):].lstrip().startswith("=="):
        return "an assignment to " + name
    return name + "()"
