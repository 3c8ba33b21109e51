/*
 * main.c: the splitsafe command line: which command runs, the usage, and
 * the one-line errors every command prints (cli.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "core/stdstreams.h"

const char cli_usage[] =
	"usage: splitsafe check [-p BUILD_DIR] [-j N] [--rules FILE] [--root DIR]\n"
	"                       [--sinks=rules|sleep] [--show-suppressed]\n"
	"                       [--max-warnings N] [--format text|json|sarif|mail]\n"
	"                       [-o FILE] [--sarif-output FILE] [--assume-sleeps FUNC]\n"
	"                       [--compare REV | --compare-diff FILE]\n"
	"                       [-q] [PATH...]\n"
	"   or: splitsafe extract --facts DIR [--rules FILE] [--root DIR]\n"
	"                       COMPILER-FLAGS... SOURCE      (kbuild CHECK=)\n"
	"   or: splitsafe explain [-p BUILD_DIR] [-j N] [--rules FILE] [--root DIR]\n"
	"                       [--dot FILE] [--assume-sleeps FUNC] [-q]\n"
	"                       FUNCTION... [PATH/...]\n"
	"   or: splitsafe --version [--rules FILE]\n"
	"\n"
	"check reports paths to the rules' sinks in atomic context\n"
	"[splitsafe-atomic] and in boot phases where they cannot work\n"
	"[splitsafe-boot]; explain prints the boot phases and the atomic\n"
	"contexts a function runs in, each with a shortest chain from where it\n"
	"starts, and the sleepers it reaches, nearest first, each with a\n"
	"shortest chain from it.\n"
	"\n"
	"  -p DIR            directory holding compile_commands.json (default .)\n"
	"  -j N              parse N translation units at once (default: all cores)\n"
	"  --rules FILE      rules file (default: arm64-split.yaml of the rules\n"
	"                    'splitsafe --version' names)\n"
	"  --root DIR        source tree root for relative paths (default: the\n"
	"                    build directory's 'source' link, else BUILD_DIR)\n"
	"  --sinks=SET       rules: the rules' sinks; sleep: also every function\n"
	"                    known to sleep and every sleeping allocation\n"
	"  --show-suppressed also list paths made safe by a guard, and why\n"
	"  --all-paths       one warning per path: paths with one cause (the\n"
	"                    call by which they enter the sink's directory) are\n"
	"                    otherwise one warning, its shortest chain shown\n"
	"  --max-warnings N  print at most N warnings (all are counted)\n"
	"  --max-targets N   an indirect call with more possible targets is\n"
	"                    not followed, only counted (default 16)\n"
	"  --stats           print what the analysis resolved and did not\n"
	"  --cocci-facts     also take callback facts from Coccinelle (spatch),\n"
	"                    in every file under the paths, built or not\n"
	"  --cocci           also run the semantic patches as a detector over\n"
	"                    the paths, fed with the functions that may reach a\n"
	"                    sink; merge their findings [splitsafe-cocci]\n"
	"  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for\n"
	"                    GitHub code scanning); with --compare also mail\n"
	"                    (plain text to paste into a reply to a patch)\n"
	"  --baseline FILE   do not report or count findings listed in FILE\n"
	"  --write-baseline FILE\n"
	"                    list the reported findings in FILE\n"
	"  -o FILE           write the report to FILE (whole, or not at all)\n"
	"  --sarif-output FILE\n"
	"                    also write the report as SARIF to FILE\n"
	"  --assume-sleeps FUNC\n"
	"                    for this run, FUNC sleeps: a sink for check, a\n"
	"                    sleeper for explain (repeatable; an error if no\n"
	"                    function of that name is in the tree)\n"
	"  --dot FILE        explain: also write the chains shown as a Graphviz\n"
	"                    graph to FILE (whole, or not at all)\n"
	"  --write-sink-callers FILE\n"
	"                    write the functions that may reach a sink, for the\n"
	"                    semantic patches (SPLITSAFE_SINK_CALLERS)\n"
	"  --since REV       only findings whose chain passes through a function\n"
	"                    changed since git revision REV (working tree)\n"
	"  --diff FILE       the same for the changes of a unified diff ('-':\n"
	"                    stdin), applied to the tree\n"
	"  --compare REV     analyse the tree at git revision REV too and report\n"
	"                    what the change since REV (working tree) makes new\n"
	"                    and what it fixes; exit 1 only if something is new\n"
	"  --compare-diff FILE\n"
	"                    the same for the tree with the patch FILE applied\n"
	"                    (git apply; the work tree is not written)\n"
	"  --cache DIR       facts store: TUs unchanged since the last run are\n"
	"                    not parsed again (default BUILD_DIR/.splitsafe)\n"
	"  --no-cache        parse every TU, read and write no facts store\n"
	"  --facts DIR       analyse the TUs in the facts store DIR (written by\n"
	"                    'extract' from kbuild), not compile_commands.json\n"
	"  -q                no summary line, no progress display (shown on a\n"
	"                    terminal only)\n"
	"  PATH...           only parse sources under these paths (relative to\n"
	"                    the root); for explain, arguments with a '/'\n"
	"\n"
	"exit status: 0 no finding, 1 findings (--compare: new ones), 2 usage\n"
	"or input error\n";

int usage_error(const char *msg)
{
	if (msg)
		fprintf(stderr, "splitsafe: %s (see 'splitsafe --help')\n", msg);
	else
		fputs(cli_usage, stderr);
	return 2;
}

int show_help(void)
{
	fputs(cli_usage, stdout);
	return finish_stdout("the usage") ? 2 : 0;
}

int say_error(const struct ss_err *err)
{
	fprintf(stderr, "splitsafe: %s\n", err->msg);
	return -1;
}

int open_whole(struct wholefile *w, const char *path)
{
	struct ss_err err;

	return wholefile_open(w, path, &err) ? say_error(&err) : 0;
}

int commit_whole(struct wholefile *w)
{
	struct ss_err err;

	return wholefile_commit(w, &err) ? say_error(&err) : 0;
}

int finish_stdout(const char *what)
{
	struct ss_err err;

	if (!stdout_close(what, &err))
		return 0;
	return say_error(&err);
}

int main(int argc, char **argv)
{
	std_streams_init();
	if (argc < 2)
		return usage_error(NULL);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explain"))
		return cmd_explain(argc - 1, argv + 1);
	if (!strcmp(argv[1], "extract"))
		return cmd_extract(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return show_help();
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	fprintf(stderr, "splitsafe: unknown command '%s' (see 'splitsafe --help')\n",
		argv[1]);
	return 2;
}
