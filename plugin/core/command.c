/*
 * command.c: run a program without a shell (see command.h).  Its standard
 * output and standard error go to pipes read with poll() so that neither
 * fills up while the other is read.
 */
#define _GNU_SOURCE
#include "core/command.h"

#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

struct buf {
	char *v;
	size_t len, alloc;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	ALLOC_GROW(b->v, b->len + n + 1, b->alloc);
	memcpy(b->v + b->len, s, n);
	b->len += n;
	b->v[b->len] = '\0';
}

/* Read both pipes to their end. */
static void drain(int out_fd, int err_fd, struct buf *out, struct buf *err)
{
	struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	char chunk[65536];
	int open_fds = 2;

	while (open_fds) {
		int i;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n > 0) {
				buf_add(i ? err : out, chunk, n);
			} else if (n == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
}

static char **merged_env(char *const extra[])
{
	int n = 0, m = 0, i;
	char **env;

	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	env = xcalloc(n + m + 1, sizeof(*env));
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	for (i = 0; i < m; i++)
		env[n + i] = extra[i];
	return env;
}

int command_run(const char *path, char *const argv[], char *const env[],
	      char **out, struct ss_err *err)
{
	int o[2], e[2], status, rc;
	posix_spawn_file_actions_t fa;
	struct buf bo = { 0 }, be = { 0 };
	char **envp, *first, *nl;
	pid_t pid;

	*out = NULL;
	if (pipe(o) || pipe(e))
		return ss_error(err, "cannot run '%s': %s", path, strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	posix_spawn_file_actions_addclose(&fa, o[0]);
	posix_spawn_file_actions_addclose(&fa, e[0]);
	envp = merged_env(env);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	close(o[1]);
	close(e[1]);
	if (rc) {
		close(o[0]);
		close(e[0]);
		return ss_error(err, "cannot run '%s': %s", path, strerror(rc));
	}
	drain(o[0], e[0], &bo, &be);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		first = be.v ? be.v : "";
		while (*first == '\n')
			first++;
		if ((nl = strchr(first, '\n')))
			*nl = '\0';
		ss_error(err, "'%s' failed (%s %d)%s%s", path,
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 *first ? ": " : "", first);
		free(bo.v);
		free(be.v);
		return -1;
	}
	free(be.v);
	*out = bo.v ? bo.v : xstrdup("");
	return 0;
}

int command_which(const char *name, char *path, size_t size)
{
	const char *env = getenv("PATH");
	char *dirs = xstrdup(env ? env : "/usr/bin:/bin"), *d, *save = NULL;
	int found = 0;

	for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, size, "%s/%s", *d ? d : ".", name);
		found = executable(path);
	}
	free(dirs);
	return found;
}
