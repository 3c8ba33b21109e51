#!/usr/bin/env python3
"""The facts store and kbuild CHECK mode on the real 6.12 corpus, from the
files run-6.12.sh leaves in RES:

  store-again.*  the full check run again: every TU from the store, the
                 same report as the first run (splitsafe.out)
  store-one.*    after a one-line change to mm/vmalloc.c: that TU alone
                 parsed again, the same report
  kbuild*        make C=2 CHECK="splitsafe extract --facts DIR" over three
                 directories, then check --facts DIR: the report of
                 check -p over the same directories
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checks import check, summary  # noqa: E402

SUMMARY = re.compile(r'(\d+) TUs parsed \((\d+) from the facts store\), (\d+) failed')


def read(res, name):
    with open('%s/%s' % (res, name)) as fp:
        return fp.read()


def counts(err):
    m = SUMMARY.search(err)
    return tuple(int(x) for x in m.groups()) if m else (None, None, None)


def main():
    res = sys.argv[1]
    first = read(res, 'splitsafe.out')
    again, again_err = read(res, 'store-again.out'), read(res, 'store-again.err')
    n, loaded, failed = counts(again_err)
    check(n is not None and n + failed >= 300 and loaded >= n,
          'a second run loads every TU from the facts store (%s of %s)' % (loaded, n))
    check(again == first, 'a run from the facts store reports what the parsing run did')
    one, one_err = read(res, 'store-one.out'), read(res, 'store-one.err')
    n1, loaded1, failed1 = counts(one_err)
    check(n1 == n and loaded1 == loaded - 1,
          'one changed file: one TU parsed again (%s from the store of %s)' % (loaded1, n1))
    check(one == first, 'the report after a one-line change is the same')
    stats = dict(l.split(' ', 1) for l in read(res, 'store.txt').splitlines())
    print('     one-file change checked in %.1f s' % float(stats['one-file-seconds']))
    rc, seconds = stats['kbuild-make'].split()
    check(rc == '0', 'make C=2 CHECK="splitsafe extract --facts DIR" exits 0 (%s s)' % seconds)
    kb, kb_err = read(res, 'kbuild.out'), read(res, 'kbuild.err')
    nk, loadedk, failedk = counts(kb_err)
    check(nk is not None and nk >= 60 and loadedk >= nk,
          'check --facts analyses the %s TUs kbuild checked without parsing' % nk)
    ref = read(res, 'kbuild-ref.out')
    check(kb == ref and kb.count(': warning: ') >= 2,
          'check --facts reports what check -p does over the same directories '
          '(%d warnings)' % kb.count(': warning: '))
    return summary('kernel-6.12 store')


if __name__ == '__main__':
    sys.exit(main())
