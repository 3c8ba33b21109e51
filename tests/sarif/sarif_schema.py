#!/usr/bin/python3
"""Validate SARIF logs against the official SARIF 2.1.0 schema.

The schema is neither committed nor packaged by Debian.  It is fetched
once from the npm registry, inside the @microsoft/jest-sarif package,
checked against the integrity the registry publishes for that tarball,
and cached in a directory (the build directory) for later runs.  Failing
to fetch it is an error, not a reason to skip.

Run with Debian's python3 and python3-jsonschema:
    sarif_schema.py --cache DIR FILE.sarif...
or import it: validator(load_schema(DIR)), then problems(validator, doc).
"""
import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request

TARBALL = 'https://registry.npmjs.org/@microsoft/jest-sarif/-/jest-sarif-1.0.0-beta.0.tgz'
INTEGRITY = ('sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFI'
             'EcBbjpVnSmwWGBukASkiQ9A==')
MEMBER = 'package/lib/schemas/sarif-2.1.0-rtm.5.json'
NAME = 'sarif-2.1.0-rtm.5.json'


class SchemaError(Exception):
    """The schema could not be had; the message is one line."""


def integrity_of(data):
    """npm's integrity string: the algorithm, then the base64 digest."""
    return 'sha512-' + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(cache):
    """The cached schema's path, fetching and verifying it first if needed."""
    path = os.path.join(cache, NAME)
    if os.path.exists(path):
        return path
    try:
        with urllib.request.urlopen(TARBALL, timeout=60) as r:
            data = r.read()
    except Exception as e:  # any failure to fetch is the same one line
        raise SchemaError('cannot fetch the SARIF schema from %s: %s' % (TARBALL, e))
    if integrity_of(data) != INTEGRITY:
        raise SchemaError('%s: integrity %s, expected %s' % (TARBALL, integrity_of(data),
                                                              INTEGRITY))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as tf:
            text = tf.extractfile(MEMBER).read()
        json.loads(text)
    except (KeyError, AttributeError, tarfile.TarError, ValueError) as e:
        raise SchemaError('%s: no readable %s: %s' % (TARBALL, MEMBER, e))
    os.makedirs(cache, exist_ok=True)
    tmp = '%s.tmp.%d' % (path, os.getpid())
    with open(tmp, 'wb') as fp:
        fp.write(text)
    os.replace(tmp, path)  # whole or not at all: a later run trusts it
    return path


def load_schema(cache):
    with open(fetch(cache)) as fp:
        return json.load(fp)


def validator(schema):
    """The validator of the schema's own draft (draft-04), checking
    formats where python3-jsonschema can."""
    try:
        import jsonschema
        from jsonschema import validators
    except ImportError:
        raise SchemaError('python3-jsonschema is not installed (Debian package '
                          'python3-jsonschema; run with /usr/bin/python3)')
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    checker = getattr(cls, 'FORMAT_CHECKER', None) or jsonschema.FormatChecker()
    return cls(schema, format_checker=checker)


def problems(v, doc):
    """Every schema violation, as 'path: message', in document order."""
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        where = '/'.join(str(p) for p in e.absolute_path) or '(root)'
        out.append('%s: %s' % (where, e.message))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cache', required=True, help='directory to keep the schema in')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    try:
        v = validator(load_schema(args.cache))
    except SchemaError as e:
        print('sarif: %s' % e)
        return 1
    bad = 0
    for f in args.files:
        with open(f) as fp:
            doc = json.load(fp)
        errs = problems(v, doc)
        if errs:
            bad += 1
            print('FAIL %s: %d schema violations' % (f, len(errs)))
            for e in errs[:20]:
                print('  ' + e)
        else:
            print('ok   %s: valid SARIF 2.1.0 (%s, formats checked: %s)'
                  % (f, type(v).__name__, ', '.join(sorted(v.format_checker.checkers))))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
