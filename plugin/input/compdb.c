/*
 * compdb.c: load and sanitise compile_commands.json.
 *
 * libclang's CompilationDatabase reads the file; jansson checks it first so
 * that a malformed file is reported with its line and column, which
 * libclang does not do.  A GCC-built kernel database has no --target; we
 * add the one its compiler's name says, or say that we cannot.
 */
#define _GNU_SOURCE
#include "input/compdb.h"

#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Flags that only write files or describe dependency output.  Options the
 * linked libclang does not know (GCC's, a newer clang's) are not listed
 * here: argprobe asks libclang which ones it rejects.
 */
static const char *const drop_with_value[] = { "-o", "-MF", "-MT", "-MQ", NULL };
static const char *const drop_exact[] = {
	"-c", "-MD", "-MMD", "-MP", "-M", "-MM", "-pipe", NULL
};
static const char *const drop_prefix[] = { "-Wp,-M", NULL };
static const char *const extra_args[] = {
	"-Wno-unknown-warning-option", "-Qunused-arguments", "-ferror-limit=0",
	"-Wno-everything", NULL
};

static int in_list(const char *const *list, const char *a)
{
	for (; *list; list++)
		if (!strcmp(*list, a))
			return 1;
	return 0;
}

static int has_prefix_in(const char *const *list, const char *a)
{
	for (; *list; list++)
		if (!strncmp(*list, a, strlen(*list)))
			return 1;
	return 0;
}

/* "aarch64-linux-gnu-gcc" -> "aarch64-linux-gnu"; NULL if no prefix. */
static char *gcc_target(struct arena *a, const char *compiler)
{
	const char *b = path_basename(compiler), *g = strstr(b, "gcc");

	if (!g || g == b || g[-1] != '-')
		return NULL;
	return arena_strndup(a, b, g - 1 - b);
}

static int is_gcc(const char *compiler)
{
	const char *b = path_basename(compiler);

	return strstr(b, "gcc") || !strcmp(b, "cc");
}

static int is_c_source(const char *f)
{
	size_t n = strlen(f);

	return n > 2 && !strcmp(f + n - 2, ".c");
}

/* Sparse-only options kbuild passes to $(CHECK); clang has no use for them. */
static const char *const sparse_exact[] = {
	"-Wbitwise", "-Wno-return-void", "-Wno-unknown-attribute", "-Wcontext",
	"-Wno-decl", "-Wsparse-all", "-Wsparse-error", "-D__CHECKER__",
	"-D__CHECK_ENDIAN__", "-Wno-shadow", "-Wcast-to-as", "-Wptr-subtraction-blows",
	"-m64", "-m32",	/* sparse's word size; the target clang gets says it */
	NULL
};
static const char *const sparse_prefix[] = { "--arch=", "-fmemcpy-max-count=", NULL };

/*
 * args[0] is the compiler (or NULL: a CHECK command line); given_file the
 * source as the command names it, dropped because it is passed apart.
 */
static void sanitise(struct compdb *db, struct compdb_entry *e,
		     const char *const *args, int n, const char *given_file)
{
	const char **argv = arena_alloc(&db->arena, (n + 16) * sizeof(*argv));
	int argc = 0, have_target = 0, gcc = 0, i;
	const char *compiler = args[0];

	gcc = compiler && is_gcc(compiler);
	e->compiler = compiler ? arena_strdup(&db->arena, compiler) : NULL;
	for (i = 1; i < n; i++) {
		const char *a = args[i];

		if (in_list(drop_with_value, a)) {
			i++;
		} else if (in_list(drop_exact, a) || has_prefix_in(drop_prefix, a) ||
			   (!compiler && (in_list(sparse_exact, a) ||
					  has_prefix_in(sparse_prefix, a)))) {
			;
		} else if (a[0] != '-' && (!strcmp(a, given_file) ||
			   !strcmp(arena_realpath(&db->arena, e->dir, a), e->file))) {
			;	/* the source file: passed separately */
		} else {
			if (!strncmp(a, "--target=", 9) || !strcmp(a, "-target"))
				have_target = 1;
			argv[argc++] = arena_strdup(&db->arena, a);
		}
	}
	if (gcc) {
		db->from_gcc++;
		if (!have_target) {
			char *t = gcc_target(&db->arena, compiler);
			if (t)
				argv[argc++] = arena_printf(&db->arena, "--target=%s", t);
		}
	}
	e->own = argc;
	for (i = 0; extra_args[i]; i++)
		argv[argc++] = extra_args[i];
	argv[argc++] = arena_printf(&db->arena, "-working-directory=%s", e->dir);
	e->own = argc - e->own;
	e->argv = argv;
	e->argc = argc;
}

static void sanitise_command(struct compdb *db, struct compdb_entry *e,
			     CXCompileCommand cmd, const char *given_file)
{
	unsigned i, n = clang_CompileCommand_getNumArgs(cmd);
	const char **args = xcalloc(n + 1, sizeof(*args));

	for (i = 0; i < n; i++) {
		CXString s = clang_CompileCommand_getArg(cmd, i);

		args[i] = arena_strdup(&db->arena, clang_getCString(s) ?
				       clang_getCString(s) : "");
		clang_disposeString(s);
	}
	sanitise(db, e, args, n, given_file);
	free(args);
}

/* jansson gives the position of a syntax error; libclang does not. */
static int check_json(const char *path, size_t *nr, struct ss_err *err)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	size_t i;

	if (!root) {
		if (je.line < 0)
			return ss_error(err, "cannot read '%s': %s", path, je.text);
		return ss_error(err, "%s:%d:%d: %s", path, je.line, je.column,
				je.text);
	}
	if (!json_is_array(root)) {
		json_decref(root);
		return ss_error(err, "%s:1:1: expected an array of compile commands",
				path);
	}
	for (i = 0; i < json_array_size(root); i++) {
		json_t *e = json_array_get(root, i);

		if (!json_is_object(e) || !json_is_string(json_object_get(e, "file")) ||
		    !json_is_string(json_object_get(e, "directory")) ||
		    (!json_is_string(json_object_get(e, "command")) &&
		     !json_is_array(json_object_get(e, "arguments")))) {
			json_decref(root);
			return ss_error(err, "%s: entry %zu lacks 'directory', 'file' "
					"or 'command'/'arguments'", path, i + 1);
		}
	}
	*nr = json_array_size(root);
	json_decref(root);
	return 0;
}

static const char *find_root(struct compdb *db, const char *dir,
			     const char *root)
{
	char buf[PATH_MAX], *real;
	const char *res;

	if (root) {
		real = realpath(root, NULL);
	} else {
		snprintf(buf, sizeof(buf), "%s/source", dir);	/* kbuild O= */
		real = realpath(buf, NULL);
		if (!real)
			real = realpath(dir, NULL);
	}
	res = arena_strdup(&db->arena, real ? real : dir);
	free(real);
	return res;
}

/* Runs read TUs in path order, whatever wrote the database. */
static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct compdb_entry *)a)->file,
		      ((const struct compdb_entry *)b)->file);
}

/* f, joined to dir when relative: does it fit in PATH_MAX? */
static int path_fits(const char *dir, const char *f)
{
	size_t n = strlen(f);

	if (f[0] != '/')
		n += strlen(dir) + 1;
	return n < PATH_MAX;
}

static void add_unusable(struct compdb *db, int entry, const char *why)
{
	struct compdb_unusable *v = arena_alloc(&db->arena,
						(db->nr_unusable + 1) * sizeof(*v));

	if (db->nr_unusable)
		memcpy(v, db->unusable, db->nr_unusable * sizeof(*v));
	v[db->nr_unusable].entry = entry;
	v[db->nr_unusable++].why = why;
	db->unusable = v;
}

/*
 * Command i of the database into the next entry of db: a C source, or
 * skipped (assembly...), or unusable, which the CLI reports.
 */
static void add_command(struct compdb *db, const char *dir, unsigned i,
			CXCompileCommand cmd)
{
	CXString d = clang_CompileCommand_getDirectory(cmd);
	CXString f = clang_CompileCommand_getFilename(cmd);
	const char *cd = clang_getCString(d), *cf = clang_getCString(f);
	struct compdb_entry *e = &db->entries[db->nr];

	cd = cd ? cd : "";
	cf = cf ? cf : "";
	if (!path_fits(dir, cd) ||
	    !path_fits((e->dir = arena_realpath(&db->arena, dir, cd)), cf)) {
		add_unusable(db, i + 1, arena_printf(&db->arena, "a path longer "
			     "than PATH_MAX (%d bytes): not analysed", PATH_MAX));
	} else if (!clang_CompileCommand_getNumArgs(cmd)) {
		add_unusable(db, i + 1, "no command: not analysed");
	} else if (!is_c_source((e->file = arena_realpath(&db->arena, e->dir, cf)))) {
		db->skipped++;
	} else {
		e->rel = compdb_relative(db, e->file);
		sanitise_command(db, e, cmd, cf);
		db->nr++;
	}
	clang_disposeString(d);
	clang_disposeString(f);
}

int compdb_load(struct compdb *db, const char *dir, const char *root,
		struct ss_err *err)
{
	CXCompilationDatabase_Error cerr;
	CXCompilationDatabase cdb;
	CXCompileCommands cmds;
	unsigned i, n;
	size_t nr_json = 0;
	struct stat st;
	char path[PATH_MAX];

	memset(db, 0, sizeof(*db));
	if ((size_t)snprintf(path, sizeof(path), "%s/compile_commands.json", dir) >=
	    sizeof(path))
		return ss_error(err, "'%s': a path longer than PATH_MAX", dir);
	if (stat(path, &st))
		return ss_error(err, "cannot open '%s': %s", path, strerror(errno));
	if (check_json(path, &nr_json, err))
		return -1;
	if (root && stat(root, &st))
		return ss_error(err, "cannot open root '%s': %s", root, strerror(errno));
	cdb = clang_CompilationDatabase_fromDirectory(dir, &cerr);
	if (cerr != CXCompilationDatabase_NoError)
		return ss_error(err, "cannot load '%s'", path);
	db->path = arena_strdup(&db->arena, path);
	db->root = find_root(db, dir, root);
	cmds = clang_CompilationDatabase_getAllCompileCommands(cdb);
	n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
	db->entries = arena_alloc(&db->arena, (n + 1) * sizeof(*db->entries));
	for (i = 0; i < n; i++)
		add_command(db, dir, i, clang_CompileCommands_getCommand(cmds, i));
	qsort(db->entries, db->nr, sizeof(*db->entries), by_file);
	if (cmds)
		clang_CompileCommands_dispose(cmds);
	clang_CompilationDatabase_dispose(cdb);
	if (n != nr_json) {
		compdb_release(db);
		return ss_error(err, "%s: libclang read %u of its %zu entries",
				path, n, nr_json);
	}
	if (db->from_gcc && db->from_gcc == db->nr) {
		/* a cross GCC without a recognisable prefix cannot be adapted */
		for (i = 0; i < (unsigned)db->nr; i++) {
			int t = 0, j;

			for (j = 0; j < db->entries[i].argc; j++)
				t |= !strncmp(db->entries[i].argv[j], "--target=", 9);
			if (!t && strstr(db->entries[i].file, "/arch/") &&
			    !strstr(db->entries[i].file, "/arch/x86/")) {
				compdb_release(db);
				return ss_error(err, "%s: built with GCC for a target "
						"splitsafe cannot tell; rebuild with LLVM=1",
						path);
			}
		}
	}
	return 0;
}

const char *compdb_relative(const struct compdb *db, const char *file)
{
	size_t n;

	if (!db)
		return file;
	n = strlen(db->root);

	if (!strncmp(file, db->root, n) && file[n] == '/')
		return file + n + 1;
	return file;
}

void compdb_filter(struct compdb *db, char *const *prefixes, int n)
{
	int i, j, kept = 0;

	if (!n)
		return;
	for (i = 0; i < db->nr; i++) {
		struct compdb_entry *e = &db->entries[i];

		for (j = 0; j < n; j++) {
			const char *p = prefixes[j];

			while (p[0] == '.' && p[1] == '/')
				p += 2;
			if (!strncmp(e->rel, p, strlen(p)) ||
			    !strncmp(e->file, p, strlen(p))) {
				db->entries[kept++] = *e;
				break;
			}
		}
	}
	db->nr = kept;
}

void compdb_release(struct compdb *db)
{
	arena_release(&db->arena);
	memset(db, 0, sizeof(*db));
}

int compdb_init(struct compdb *db, const char *root, struct ss_err *err)
{
	char *real = realpath(root, NULL);

	memset(db, 0, sizeof(*db));
	if (!real)
		return ss_error(err, "cannot open root '%s': %s", root, strerror(errno));
	db->root = arena_strdup(&db->arena, real);
	db->path = db->root;
	free(real);
	return 0;
}

static struct compdb_entry *new_entry(struct compdb *db, const char *dir,
				      const char *file)
{
	struct compdb_entry *e;

	if (!(db->nr & (db->nr + 1))) {	/* 0, 1, 3, 7...: grow to 2^k */
		struct compdb_entry *v = arena_alloc(&db->arena,
						     (db->nr + 1) * 2 * sizeof(*v));

		if (db->nr)
			memcpy(v, db->entries, db->nr * sizeof(*v));
		db->entries = v;
	}
	e = &db->entries[db->nr++];
	e->dir = arena_realpath(&db->arena, "/", dir);
	e->file = arena_realpath(&db->arena, e->dir, file);
	e->rel = compdb_relative(db, e->file);
	return e;
}

int compdb_add_check(struct compdb *db, const char *dir, char *const *args,
		     int n, struct ss_err *err)
{
	const char **v = xcalloc(n + 2, sizeof(*v));
	struct compdb_entry *e;
	int i;

	if (n < 1 || args[n - 1][0] == '-') {
		free(v);
		return ss_error(err, "no source file: kbuild passes it last");
	}
	e = new_entry(db, dir, args[n - 1]);
	v[0] = NULL;		/* no compiler: a CHECK command line */
	for (i = 0; i < n - 1; i++)
		v[i + 1] = args[i];
	sanitise(db, e, v, n, args[n - 1]);
	free(v);
	return 0;
}

void compdb_add_sanitised(struct compdb *db, const char *file, const char *dir,
			  const char *const *argv, int argc)
{
	struct compdb_entry *e = new_entry(db, dir, file);
	const char **v = arena_alloc(&db->arena, (argc + 1) * sizeof(*v));
	int i;

	for (i = 0; i < argc; i++)
		v[i] = arena_strdup(&db->arena, argv[i]);
	e->argv = v;
	e->argc = argc;
}
