/*
 * jsonstr.h: strings of any bytes in the JSON and SARIF reports.  JSON
 * strings are UTF-8, and jansson refuses any other; a path or a message
 * from the tree may hold other bytes (a Latin-1 file name or comment), and
 * its finding must not be dropped for it.
 *
 * Ownership: the caller frees what uri_escape() returns; the json_t
 * values are new references.
 */
#ifndef SPLITSAFE_JSONSTR_H
#define SPLITSAFE_JSONSTR_H

#include <jansson.h>

/* A path as a URI reference: unreserved characters and '/' as they are,
 * every other byte percent-encoded ("h\xff.h" -> "h%FF.h"). */
char *uri_escape(const char *path);

/* A message as a JSON string: a byte that is not part of valid UTF-8 is
 * written "<FF>", as clang shows it. */
json_t *json_text_string(const char *s);

/*
 * Set obj's "file" to path; a path that is not valid UTF-8 is given
 * percent-encoded (uri_escape()), and obj's "file_encoding" says
 * "percent", so that no two paths are given the same.
 */
void json_set_path(json_t *obj, const char *path);

#endif
