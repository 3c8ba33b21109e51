/*
 * replay.c: run a fuzz target on files, without libFuzzer, so every build
 * (gcc included) replays the inputs that once crashed and the seed corpus.
 *   fuzz_NAME-replay FILE|DIR...
 * A directory's files are run in name order, its subdirectories too;
 * names starting with '.' are skipped.  A missing argument is an error:
 * a regression directory that moved must not pass quietly.
 *
 * As under libFuzzer, an input that runs longer than REPLAY_SECONDS is a
 * bug, and so is one that needs gigabytes (without ASan, an address space
 * limit; with it, ASAN_OPTIONS=max_allocation_size_mb, set by the tests).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "core/util.h"

#define REPLAY_SECONDS 10
#define REPLAY_MEMORY (4UL << 30)

#define STR(x) #x
#define XSTR(x) STR(x)

#if defined(__SANITIZE_ADDRESS__)	/* gcc */
#define REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)	/* clang */
#define REPLAY_ASAN 1
#endif
#endif

static int nr_inputs;
static const char *current;

static void too_slow(int sig)
{
	static const char msg[] = "replay: timeout: still running after "
		XSTR(REPLAY_SECONDS) " s: ";

	/* only async-signal-safe calls here */
	(void)!write(2, msg, sizeof(msg) - 1);
	(void)!write(2, current, strlen(current));
	(void)!write(2, "\n", 1);
	abort();
}

static void limit_memory(void)
{
#ifndef REPLAY_ASAN	/* its shadow memory is terabytes */
	struct rlimit rl = { REPLAY_MEMORY, REPLAY_MEMORY };

	setrlimit(RLIMIT_AS, &rl);
#endif
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, alloc = 0, n;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	do {
		ALLOC_GROW(buf, len + 4096, alloc);
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n);
	fclose(f);
	/* exactly len bytes, so ASan sees a read past the input */
	buf = xrealloc(buf, len ? len : 1);
	printf("%s\n", path);
	fflush(stdout);		/* a crash names its input */
	current = path;
	alarm(REPLAY_SECONDS);
	LLVMFuzzerTestOneInput(buf, len);
	alarm(0);
	free(buf);
	nr_inputs++;
	return 0;
}

static int skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int run_path(const char *path)
{
	struct dirent **v;
	struct stat st;
	int i, n, ret = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &v, skip_dot, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *sub = xasprintf("%s/%s", path, v[i]->d_name);

		if (!ret)
			ret = run_path(sub);
		free(sub);
		free(v[i]);
	}
	free(v);
	return ret;
}

int main(int argc, char **argv)
{
	int i;

	signal(SIGALRM, too_slow);
	limit_memory();
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]))
			return 1;
	printf("replay: %d inputs\n", nr_inputs);
	return 0;
}
