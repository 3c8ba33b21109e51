/*
 * operators.c: the operators libclang (14) does not expose.  The operator
 * of a binary or unary expression is read from the source text between
 * its operands when the tokens are in the file, and from the
 * pretty-printed expression, or conservatively, when they come from a
 * macro body.
 *
 * Ownership: nothing is kept; operators are copied into the caller's
 * buffer.
 */
#include "extract/lower.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_op_char(int ch)
{
	return ch && strchr("=!<>&|+-*/%^", ch) != NULL;
}

/* The operator at s (after blanks), at most 2 characters, into op. */
static int read_op(const char *s, size_t len, char op[3])
{
	size_t i = 0, n = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	while (i < len && n < 2 && is_op_char((unsigned char)s[i]))
		op[n++] = s[i++];
	op[n] = '\0';
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	return n && i == len;
}

/*
 * The operator of the binary expression c: from the source text between
 * its operands when both are in the file, else from the pretty-printed
 * expression (tokens from a macro body have no text of their own).
 */
int op_binary(struct builder *b, CXCursor c, CXCursor lhs, CXCursor rhs,
	      char op[3])
{
	CXFile lf, rf;
	unsigned le, rs;
	char *all, *left;
	size_t n;
	int ok = 0;

	clang_getFileLocation(clang_getRangeEnd(clang_getCursorExtent(lhs)),
			      &lf, NULL, NULL, &le);
	clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(rhs)),
			      &rf, NULL, NULL, &rs);
	if (lf && rf && clang_File_isEqual(lf, rf) && le < rs) {
		struct file_info *fi = src_file(b->t, lf);

		if (fi->text && rs <= fi->size &&
		    read_op(fi->text + le, rs - le, op))
			return 1;
	}
	all = src_pretty(c);
	left = src_pretty(lhs);
	n = strlen(left);
	if (n && !strncmp(all, left, n)) {
		const char *rest = all + n, *p = rest;

		while (isspace((unsigned char)*p))
			p++;
		while (is_op_char((unsigned char)*p))
			p++;
		ok = read_op(rest, p - rest, op);
	}
	free(all);
	free(left);
	return ok;
}

/*
 * The first character of the unary operator op when it is written in the
 * file before its operand, or -1: it cannot be read (a macro body).
 */
static int written_op(struct builder *b, CXCursor op, CXCursor operand)
{
	unsigned oo, po;
	struct file_info *fi = src_in_order(b->t, op, operand, &oo, &po);

	if (fi && oo < fi->size)
		return (unsigned char)fi->text[oo];
	return -1;
}

/*
 * 1: "!x", 0: another unary operator.  From the text when the operator is
 * in the file; else from the printed form where libclang prints
 * expressions; else from the type: the only unary operator kernel macros
 * apply to a condition is "!" (WARN_ON's "!!"), whose value is an int.
 */
int op_unary_not(struct builder *b, CXCursor op, CXCursor operand)
{
	int ch = written_op(b, op, operand), r;
	char *text;

	if (ch >= 0)
		return ch == '!';
	text = src_pretty(op);
	r = text[0] ? text[0] == '!' :
	    clang_getCanonicalType(clang_getCursorType(op)).kind == CXType_Int;
	free(text);
	return r;
}

/* "a || b" or "a && b": read the operator before b in the source. */
enum cf_kind op_logical(struct builder *b, CXCursor lhs, CXCursor rhs)
{
	unsigned lo, ro;
	struct file_info *rf = src_in_order(b->t, lhs, rhs, &lo, &ro);
	long p;

	if (!rf || ro > rf->size)
		return CF_SEQ;
	p = ro;
	for (;;) {
		p = src_skip_back(rf->text, p);
		if (p > 0 && rf->text[p - 1] == '(') {
			p--;
			continue;
		}
		break;
	}
	if (p < 2 || p - 2 < (long)lo)
		return CF_SEQ;
	if (rf->text[p - 1] == '|' && rf->text[p - 2] == '|')
		return CF_OR;
	if (rf->text[p - 1] == '&' && rf->text[p - 2] == '&')
		return CF_AND;
	return CF_SEQ;
}

/* "!x" written in the file (not from a macro body)? */
int op_is_not(struct builder *b, CXCursor op, CXCursor operand)
{
	return written_op(b, op, operand) == '!';
}

/* Only operator characters, blanks and parentheses in s[0..n)? */
static int only_operator(const char *s, size_t n, int *step)
{
	size_t i;

	*step = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '+' || s[i] == '-')
			*step |= i + 1 < n && s[i + 1] == s[i];
		else if (!strchr(" \t\n()!~*&", s[i]))
			return 0;
	}
	return 1;
}

/*
 * Does the unary operator c change its operand ("++v", "v--")?  Read from
 * the text between the operator's and the operand's ends; -1 when it
 * cannot be read (a macro body).
 */
int op_unary_step(struct builder *b, CXCursor c, CXCursor operand)
{
	CXSourceRange ro = clang_getCursorExtent(c), rv = clang_getCursorExtent(operand);
	CXFile f[4];
	unsigned o[4];
	struct file_info *fi;
	int step, i;

	clang_getFileLocation(clang_getRangeStart(ro), &f[0], NULL, NULL, &o[0]);
	clang_getFileLocation(clang_getRangeEnd(ro), &f[1], NULL, NULL, &o[1]);
	clang_getFileLocation(clang_getRangeStart(rv), &f[2], NULL, NULL, &o[2]);
	clang_getFileLocation(clang_getRangeEnd(rv), &f[3], NULL, NULL, &o[3]);
	for (i = 0; i < 4; i++)
		if (!f[i] || !clang_File_isEqual(f[i], f[0]))
			return -1;
	fi = src_file(b->t, f[0]);
	if (!fi->text || o[1] > fi->size)
		return -1;
	if (o[0] < o[2] && o[3] == o[1])	/* prefix */
		return only_operator(fi->text + o[0], o[2] - o[0], &step) ? step : -1;
	if (o[0] == o[2] && o[3] < o[1])	/* postfix */
		return only_operator(fi->text + o[3], o[1] - o[3], &step) ? step : -1;
	return -1;
}
