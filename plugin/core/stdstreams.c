/*
 * stdstreams.c: the standard descriptors kept open, and stdout's end
 * checked (see stdstreams.h).  stdio forgets why a write failed (ferror()
 * is one bit), so stdout is a stream over descriptor 1 that remembers the
 * first error; glibc lets a program set stdout.
 */
#define _GNU_SOURCE
#include "core/stdstreams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int stdout_errno;	/* the first failed write or close, or 0 */

/* /dev/null on descriptor fd if it is closed; read-only, so writes fail. */
static void keep_fd(int fd)
{
	int got;

	if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
		return;
	got = open("/dev/null", O_RDONLY);
	if (got >= 0 && got != fd) {	/* a lower one was closed too */
		dup2(got, fd);
		close(got);
	}
}

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(STDOUT_FILENO, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!stdout_errno)
				stdout_errno = w < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += w;
	}
	return done;
}

/* Closed for its error (NFS says some there), then held by /dev/null. */
static int out_close(void *cookie)
{
	int bad = close(STDOUT_FILENO);

	if (bad && !stdout_errno)
		stdout_errno = errno;
	keep_fd(STDOUT_FILENO);
	return bad ? -1 : 0;
}

void std_streams_init(void)
{
	cookie_io_functions_t io = { NULL, out_write, NULL, out_close };
	FILE *f;
	int fd;

	for (fd = 0; fd <= 2; fd++)
		keep_fd(fd);
	f = fopencookie(NULL, "w", io);
	if (!f)
		return;		/* stdio's stdout: the error without its cause */
	if (isatty(STDOUT_FILENO))
		setvbuf(f, NULL, _IOLBF, 0);
	stdout = f;
}

int stdout_close(const char *what, struct ss_err *err)
{
	int bad;

	errno = 0;
	bad = fflush(stdout);
	bad |= ferror(stdout);
	if (fclose(stdout))
		bad = 1;
	if (!bad)
		return 0;
	return ss_error(err, "cannot write %s to standard output: %s", what,
			stdout_errno ? strerror(stdout_errno) :
			errno ? strerror(errno) : "write error");
}
