#!/usr/bin/env python3
"""Write the markdown of splitsafe(1) for go-md2man: doc/splitsafe.1.md
with its OPTIONS made from the README's option table (the one place the
options are described), the version and the date filled in.

The table is the one between the README's "<!-- man: options -->" and
"<!-- man: end -->" lines.  The date is SOURCE_DATE_EPOCH's (reproducible
builds; dpkg-buildpackage sets it) or the man source's mtime."""
import argparse
import os
import re
import sys
import time


def fail(msg):
    sys.stderr.write('man-page.py: %s\n' % msg)
    sys.exit(2)


def table_rows(readme):
    with open(readme, encoding='utf-8') as fp:
        lines = fp.read().splitlines()
    try:
        first = lines.index('<!-- man: options -->') + 1
        end = lines.index('<!-- man: end -->', first)
    except ValueError:
        fail('%s: no "<!-- man: options -->" ... "<!-- man: end -->" table' % readme)
    rows = []
    for n, line in enumerate(lines[first:end], first + 1):
        if not line.startswith('|') or re.match(r'^\|[-| ]+\|$', line):
            continue
        cells = [c.strip().replace('\\|', '|')
                 for c in re.split(r'(?<!\\)\|', line)[1:-1]]
        if len(cells) != 2:
            fail('%s:%d: an option row has two cells' % (readme, n))
        rows.append(cells)
    if len(rows) < 2 or rows[0][0] != 'option':
        fail('%s:%d: the table starts with "| option | meaning |"' % (readme, first))
    return rows[1:]


def synopsis(code):
    """`--rules FILE` -> **--rules** *FILE*; `PATH...` -> *PATH*..."""
    m = re.match(r'^(-[-A-Za-z0-9]+)(.*)$', code)
    if not m:
        return '*%s*%s' % (code.rstrip('.'), '...' if code.endswith('...') else '')
    name, rest = m.groups()
    if not rest:
        return '**%s**' % name
    sep = '=' if rest[0] == '=' else ' '
    return '**%s**%s*%s*' % (name, sep, rest.lstrip(' ='))


def term(cell):
    codes = re.findall(r'`([^`]+)`', cell)
    if not codes:
        fail('option "%s" is not in `code`' % cell)
    return ', '.join(synopsis(c) for c in codes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--source', required=True)
    ap.add_argument('--readme', required=True)
    ap.add_argument('--version', required=True)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    options = '\n\n'.join('%s\n: %s' % (term(o), m) for o, m in table_rows(a.readme))
    stamp = int(os.environ.get('SOURCE_DATE_EPOCH') or os.stat(a.source).st_mtime)
    with open(a.source, encoding='utf-8') as fp:
        page = fp.read()
    if '@OPTIONS@' not in page:
        fail('%s: no @OPTIONS@ line' % a.source)
    page = (page.replace('@OPTIONS@', options).replace('@VERSION@', a.version)
            .replace('@DATE@', time.strftime('%B %Y', time.gmtime(stamp))))
    tmp = a.out + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as fp:
        fp.write(page)
    os.replace(tmp, a.out)


if __name__ == '__main__':
    main()
