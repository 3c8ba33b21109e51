#!/usr/bin/python3
"""--format sarif on the fixture tree (variant v7.1): the log validates
against the official SARIF 2.1.0 schema and holds what GitHub code
scanning needs and what the README promises:

- every result's ruleId is a rule of the driver, at its ruleIndex;
- one result per warning of the text run, saying what the text says,
  note for note (rebuilt from the log, the text must come out byte for
  byte, suppressed findings included);
- the code flow is the chain: where the context or phase starts first,
  one step per call, the call into the sink last (at the sink's name in
  the source);
- suppressions say why: inSource with the comment's reason, external for
  the baseline and for guards;
- fingerprints are present, distinct, and unchanged when lines are
  inserted at the top of files, while the regions move;
- a TU that does not parse is a tool execution notification, and the
  run goes on;
- -o and --sarif-output write the same log; exit statuses are the text's.
"""
import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sarif_schema  # noqa: E402

spec = importlib.util.spec_from_file_location(
    'run_fixtures', os.path.join(HERE, '..', 'run-fixtures.py'))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

VARIANT = 'v7.1'
CHECKS = {'splitsafe-atomic', 'splitsafe-boot', 'splitsafe-cocci', 'splitsafe-order'}
FP = 'splitsafeChain/v1'
HEAD = re.compile(r'^\S+:\d+:\d+: (warning|note: suppressed): ')
MOVE = 3    # blank lines inserted at the top of the moved files

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checks import check, summary  # noqa: E402


class Runner:
    def __init__(self, splitsafe, validator):
        self.splitsafe = splitsafe
        self.validator = validator

    def run(self, tree, *opts):
        return subprocess.run([self.splitsafe, 'check', '-p', tree, '-q'] + list(opts),
                              capture_output=True, text=True)

    def sarif(self, what, tree, *opts):
        """The log of a run, checked against the schema."""
        p = self.run(tree, '--format', 'sarif', *opts)
        doc = json.loads(p.stdout)
        errs = sarif_schema.problems(self.validator, doc)
        check(not errs, '%s: valid SARIF 2.1.0%s' % (what, ''.join('\n  ' + e for e in errs[:10])))
        return p, doc


def blocks(text):
    """The text's findings: [header, [notes]]."""
    out = []
    for line in text.splitlines():
        if HEAD.match(line):
            out.append([line, []])
        elif out:
            out[-1][1].append(line)
    return out


def where(loc):
    """'path:line:col' of a SARIF location."""
    pl = loc['physicalLocation']
    region = pl.get('region', {})
    return '%s:%d:%d' % (urllib.parse.unquote(pl['artifactLocation']['uri']),
                         region.get('startLine', 0), region.get('startColumn', 0))


def flow(result):
    flows = result.get('codeFlows', [])
    if not flows:
        return []
    return flows[0]['threadFlows'][0]['locations']


def as_text(doc):
    """The text report, rebuilt from the log: the warning, the chain, the
    other notes."""
    lines = []
    for r in doc['runs'][0]['results']:
        lines.append('%s: %s: %s [%s]' % (where(r['locations'][0]),
                     'note: suppressed' if r.get('suppressions') else 'warning',
                     r['message']['text'], r['ruleId']))
        for step in flow(r):
            lines.append('%s: note: %s' % (where(step['location']),
                                            step['location']['message']['text']))
        for rel in sorted(r.get('relatedLocations', []), key=lambda x: x['id']):
            if not group_member(rel):
                lines.append('%s: note: %s' % (where(rel), rel['message']['text']))
    return ''.join(l + '\n' for l in lines)


def group_member(rel):
    """A related location that is another path of the result's group."""
    return rel['message']['text'].startswith('also reached from ')


GROUP_NOTE = re.compile(r'^(\d+) (?:boot call sites|places in atomic context)'
                        r'(?: \(phases [^)]*\))? reach ')


def check_groups(doc):
    """One result per group: its other paths are related locations."""
    bad = []
    groups = 0
    for r in doc['runs'][0]['results']:
        rel = r.get('relatedLocations', [])
        sizes = [int(m.group(1)) for m in
                 (GROUP_NOTE.match(x['message']['text']) for x in rel) if m]
        members = sum(1 for x in rel if group_member(x))
        if sizes:
            groups += 1
        if (sizes[0] - 1 if sizes else 0) != members:
            bad.append('%s: %s' % (where(r['locations'][0]), r['message']['text']))
    check(not bad and groups > 0, 'a group is one result, each other path of it a related '
          'location (%d groups)%s' % (groups, ''.join('\n  ' + b for b in bad)))


def all_locations(r):
    yield r['locations'][0]
    for step in flow(r):
        yield step['location']
    for rel in r.get('relatedLocations', []):
        yield rel


def source_at(tree, loc):
    """The source text from a location's line and column on."""
    pl = loc['physicalLocation']
    path = os.path.join(tree, urllib.parse.unquote(pl['artifactLocation']['uri']))
    with open(path) as fp:
        line = fp.read().split('\n')[pl['region']['startLine'] - 1]
    return line[pl['region'].get('startColumn', 1) - 1:]


def check_driver(doc, tree):
    check(doc.get('$schema') == 'https://json.schemastore.org/sarif-2.1.0.json' and
          doc.get('version') == '2.1.0' and len(doc['runs']) == 1,
          '$schema, version 2.1.0, one run')
    run = doc['runs'][0]
    drv = run['tool']['driver']
    rules = drv['rules']
    check(drv['name'] == 'splitsafe' and drv.get('version') and
          {r['id'] for r in rules} == CHECKS and len(rules) == len(CHECKS),
          'driver splitsafe %s, one rule per check: %s' % (drv.get('version'),
                                                         ', '.join(r['id'] for r in rules)))
    check(all(r.get('name') and r['shortDescription']['text'] and
              r['fullDescription']['text'] and r['help']['text'] and
              r['defaultConfiguration']['level'] == 'warning' for r in rules),
          'every rule has a name, short and full descriptions, help, level warning')
    check(run['results'], '%d results' % len(run['results']))
    bad = [r['ruleId'] for r in run['results']
           if not 0 <= r.get('ruleIndex', -1) < len(rules) or
           rules[r['ruleIndex']]['id'] != r['ruleId']]
    check(not bad, 'every ruleId is the rule at its ruleIndex (%d results)%s' %
          (len(run['results']), ': not ' + ', '.join(bad[:5]) if bad else ''))
    root = 'file://' + urllib.parse.quote(tree) + '/'
    check(run['originalUriBaseIds']['SRCROOT']['uri'] == root,
          'SRCROOT is %s' % run['originalUriBaseIds']['SRCROOT']['uri'])
    missing = [where(l) for r in run['results'] for l in all_locations(r)
               if l['physicalLocation']['artifactLocation'].get('uriBaseId') != 'SRCROOT' or
               not os.path.isfile(os.path.join(tree, urllib.parse.unquote(
                   l['physicalLocation']['artifactLocation']['uri'])))]
    check(not missing, 'every location is a file under SRCROOT%s' %
          (': not ' + ', '.join(missing[:5]) if missing else ''))


def check_flows(doc, text, tree):
    """Each code flow is the text's chain: the entry, then the calls."""
    bad = []
    results = doc['runs'][0]['results']
    for r, (head, notes) in zip(results, blocks(text)):
        calls = [n for n in notes if ': note: calls ' in n]
        steps = flow(r)
        msgs = [s['location']['message']['text'] for s in steps]
        # the sink leads the message; a value read before it is set
        # ("f() reads v() before ...") ends its chain at the read
        sink = re.match(r'(?:\w+\(\) reads )?(\w+)\(\)'
                        if r['ruleId'] == 'splitsafe-order' else r'(\w+)\(\)',
                        r['message']['text'])
        if r['ruleId'] == 'splitsafe-cocci':
            continue
        why = None
        if len(steps) != len(calls) + 1:
            why = '%d steps for %d calls' % (len(steps), len(calls))
        elif '%s: note: %s' % (where(steps[0]['location']), msgs[0]) != notes[0] or \
                msgs[0].startswith('calls '):
            why = 'first step %s is not the entry %s' % (msgs[0], notes[0])
        elif not all(m.startswith('calls ') for m in msgs[1:]):
            why = 'a step after the first is not a call'
        elif not sink or msgs[-1] != 'calls %s()' % sink.group(1) or \
                not source_at(tree, steps[-1]['location']).startswith(sink.group(1) + '('):
            why = 'last step %s at %s is not the call of the sink' % (
                msgs[-1], where(steps[-1]['location']))
        if why:
            bad.append('%s: %s' % (head, why))
    check(results and len(results) == len(blocks(text)) and not bad,
          'code flows: %d results, the context or phase entry first, one step per call, '
          'the call into the sink last%s' % (len(results), ''.join('\n  ' + b for b in bad[:5])))


def check_suppressions(doc, text):
    """A comment is inSource with its reason; the baseline and guards are
    external, with the notes that say why."""
    kinds = {'inSource': 0, 'baseline': 0, 'guard': 0}
    bad = []
    for r, (head, notes) in zip(doc['runs'][0]['results'], blocks(text)):
        sup = r.get('suppressions')
        if ': note: suppressed: ' not in head:
            if sup or r['level'] != 'warning':
                bad.append('%s: suppressed in the log only' % head)
            continue
        msgs = [n.split(': note: ', 1)[1] for n in notes]
        ignored = [m[len('ignored by a comment: '):] for m in msgs
                   if m.startswith('ignored by a comment: ')]
        if not sup or len(sup) != 1 or r['level'] != 'note':
            bad.append('%s: not suppressed in the log' % head)
        elif ignored:
            kinds['inSource'] += 1
            if sup[0] != {'kind': 'inSource', 'justification': ignored[0]}:
                bad.append('%s: %r' % (head, sup))
        elif 'accepted: in the baseline' in msgs:
            kinds['baseline'] += 1
            if sup[0] != {'kind': 'external', 'justification': 'accepted: in the baseline'}:
                bad.append('%s: %r' % (head, sup))
        else:
            kinds['guard'] += 1
            safe = [m for m in msgs if m.startswith('safe: ')]
            if sup[0].get('kind') != 'external' or not safe or \
                    sup[0].get('justification') != '; '.join(safe):
                bad.append('%s: %r for %r' % (head, sup, safe))
    check(not bad and all(kinds.values()),
          'suppressions: %d inSource (comment, its reason), %d external (baseline), '
          '%d external (guard, its notes)%s' % (kinds['inSource'], kinds['baseline'],
                                               kinds['guard'],
                                               ''.join('\n  ' + b for b in bad[:5])))


def fingerprints(doc):
    """(ruleId, fingerprint) -> result."""
    out = {}
    for r in doc['runs'][0]['results']:
        fp = r.get('partialFingerprints', {}).get(FP)
        out[(r['ruleId'], fp)] = r
    return out


def check_moved(args, r, tree, doc):
    """Blank lines at the top of the files most results are in: regions
    move, fingerprints do not."""
    fps = fingerprints(doc)
    results = doc['runs'][0]['results']
    check(results and len(fps) == len(results) and
          all(fp and re.fullmatch(r'[0-9a-f]{32}', fp) for _, fp in fps),
          '%d results, %d distinct %s fingerprints' % (len(results), len(fps), FP))
    files = {}
    for res in results:
        f = res['locations'][0]['physicalLocation']['artifactLocation']['uri']
        files[f] = files.get(f, 0) + 1
    moved_files = sorted(files, key=lambda f: (-files[f], f))[:3] + ['arch/arm64/mm/mmu.c']
    moved = fixtures.copy_tree(tree, '-moved')
    for rel in moved_files:
        path = os.path.join(moved, rel)
        with open(path) as fp:
            src = fp.read()
        with open(path, 'w') as fp:
            fp.write('\n' * MOVE + src)
    _, after = r.sarif('lines moved', moved, '--show-suppressed')
    fps_after = fingerprints(after)
    check(set(fps_after) == set(fps),
          'lines moved in %s: the same %d fingerprints (%d new, %d gone)'
          % (', '.join(moved_files), len(fps), len(set(fps_after) - set(fps)),
             len(set(fps) - set(fps_after))))
    shifted = kept = 0
    bad = []
    for key, res in fps.items():
        if key not in fps_after:
            continue
        for a, b in zip(all_locations(res), all_locations(fps_after[key])):
            f, line, _ = where(a).rsplit(':', 2)
            want = int(line) + (MOVE if f in moved_files else 0)
            got = int(where(b).rsplit(':', 2)[1])
            if got != want:
                bad.append('%s now %s' % (where(a), where(b)))
            shifted += f in moved_files
            kept += f not in moved_files
    check(not bad and shifted and kept,
          'lines moved: %d locations moved by %d lines, %d in other files stayed%s'
          % (shifted, MOVE, kept, ''.join('\n  ' + b for b in bad[:5])))


def check_failed_tu(args, r, tree, plain):
    """A TU with a syntax error keeps the facts of what parsed and is a
    warning notification; a TU libclang cannot parse at all (its source is
    gone) is an error notification; the run goes on."""
    broken = fixtures.copy_tree(tree, '-broken')
    rel = 'drivers/misc/broken.c'
    gone = 'drivers/misc/gone.c'
    with open(os.path.join(broken, rel), 'w') as fp:
        fp.write('int broken(void)\n{\n\treturn 1 +;\n}\n')
    db_path = os.path.join(broken, 'compile_commands.json')
    with open(db_path) as fp:
        db = json.load(fp)
    for f in (rel, gone):
        db.append(json.loads(json.dumps(db[0]).replace(db[0]['file'][:-2], f[:-2])))
    with open(db_path, 'w') as fp:
        json.dump(db, fp, indent=1)
    p, doc = r.sarif('a TU that does not parse', broken)
    inv = doc['runs'][0]['invocations']
    notes = inv[0]['toolExecutionNotifications'] if len(inv) == 1 else []
    by_file = {n['locations'][0]['physicalLocation']['artifactLocation']['uri']: n
               for n in notes}
    want_err = "errors in '%s' (facts kept from the rest): " % rel
    want_fail = "cannot parse '%s': " % gone
    e, f = by_file.get(rel), by_file.get(gone)
    check(len(notes) == 2 and e and f and e['level'] == 'warning' and
          e['message']['text'].startswith(want_err) and f['level'] == 'error' and
          f['message']['text'].startswith(want_fail) and
          e['locations'][0]['physicalLocation']['artifactLocation'] ==
          {'uri': rel, 'uriBaseId': 'SRCROOT'} and inv[0]['executionSuccessful'] is True,
          'a TU with errors is a warning notification, one that does not parse '
          'an error notification, each at its file: %r' % [n['message']['text'] for n in notes])
    summary = doc['runs'][0]['properties']['summary']
    check(want_err in p.stderr and want_fail in p.stderr and p.returncode == 1 and
          len(doc['runs'][0]['results']) == len(plain['runs'][0]['results']) and
          summary['failed'] == 1 and summary['with_errors'] == 1,
          'the run went on: exit %d, %d results, summary %r, stderr says so'
          % (p.returncode, len(doc['runs'][0]['results']), summary))
    check(plain['runs'][0]['invocations'] ==
          [{'executionSuccessful': True, 'toolExecutionNotifications': []}],
          'no notification when every TU parses')


def check_outputs(args, r, tree, plain_out, text_out):
    """-o FILE and --sarif-output FILE write what stdout gets."""
    out = os.path.join(args.work, 'out')
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, 'report.sarif')
    p = r.run(tree, '--format', 'sarif', '-o', path)
    check(p.returncode == 1 and not p.stdout and os.path.exists(path) and
          open(path).read() == plain_out,
          '-o writes the log (exit %d, %d bytes on stdout)' % (p.returncode, len(p.stdout)))
    also = os.path.join(out, 'also.sarif')
    p = r.run(tree, '--sarif-output', also)
    check(p.returncode == 1 and p.stdout == text_out and open(also).read() == plain_out,
          '--sarif-output writes the log, the text goes to stdout, from one run')
    check(not [n for n in os.listdir(out) if '.tmp.' in n], 'no temporary file left behind')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--splitsafe', required=True)
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--schema-cache', required=True)
    args = ap.parse_args()
    try:
        v = sarif_schema.validator(sarif_schema.load_schema(args.schema_cache))
    except sarif_schema.SchemaError as e:
        print('sarif: %s' % e)
        return 1
    # the validator must be able to fail: a log with a line 0 and an
    # unknown suppression kind
    bad = {'version': '2.1.0', 'runs': [{'tool': {'driver': {'name': 'x'}}, 'results': [{
        'message': {'text': 'x'}, 'suppressions': [{'kind': 'nowhere'}],
        'locations': [{'physicalLocation': {'artifactLocation': {'uri': 'a.c'},
                                            'region': {'startLine': 0}}}]}]}]}
    errs = sarif_schema.problems(v, bad)
    check([e.split(':')[0] for e in errs] ==
          ['runs/0/results/0/locations/0/physicalLocation/region/startLine',
           'runs/0/results/0/suppressions/0/kind'],
          'the validator rejects a line 0 and an unknown suppression kind: %s' % errs)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    tree, _ = fixtures.build_variant(args.fixtures, VARIANT, args.work)
    r = Runner(args.splitsafe, v)

    text = r.run(tree)
    p, plain = r.sarif('plain', tree)
    plain_out = p.stdout
    warnings = sum(1 for l in text.stdout.splitlines() if ': warning: ' in l)
    check(p.returncode == text.returncode == 1,
          'exit status %d, as the text run\'s %d' % (p.returncode, text.returncode))
    check(warnings and len(plain['runs'][0]['results']) == warnings and
          plain['runs'][0]['properties']['summary']['warnings'] == warnings,
          '%d results for %d warnings in the text' % (len(plain['runs'][0]['results']),
                                                     warnings))
    check_driver(plain, tree)
    check(as_text(plain) == text.stdout, 'the log says what the text says, note for note')
    check_flows(plain, text.stdout, tree)
    check_groups(plain)

    # suppressed: a comment, guards, and the boot findings in a baseline
    bl = os.path.join(args.work, 'baseline.json')
    r.run(tree, '--write-baseline', bl)
    with open(bl) as fp:
        base = json.load(fp)
    base['findings'] = [f for f in base['findings'] if f['check'] == 'splitsafe-boot']
    with open(bl, 'w') as fp:
        json.dump(base, fp)
    text_s = r.run(tree, '--show-suppressed', '--baseline', bl)
    _, sup = r.sarif('--show-suppressed --baseline', tree, '--show-suppressed',
                     '--baseline', bl)
    check(as_text(sup) == text_s.stdout,
          'with --show-suppressed and a baseline, the log says what the text says')
    check_suppressions(sup, text_s.stdout)
    check_flows(sup, text_s.stdout, tree)
    _, hidden = r.sarif('--baseline', tree, '--baseline', bl)
    check(not any(x.get('suppressions') for x in hidden['runs'][0]['results']) and
          len(hidden['runs'][0]['results']) == warnings - len(base['findings']),
          'without --show-suppressed: %d results, none suppressed'
          % len(hidden['runs'][0]['results']))
    r.run(tree, '--write-baseline', bl)
    p, none = r.sarif('everything in the baseline', tree, '--baseline', bl)
    check(p.returncode == 0 and none['runs'][0]['results'] == [],
          'everything in the baseline: exit %d, no result' % p.returncode)

    _, shown = r.sarif('--show-suppressed', tree, '--show-suppressed')
    check_moved(args, r, tree, shown)
    check_failed_tu(args, r, tree, plain)
    check_outputs(args, r, tree, plain_out, text.stdout)
    return summary('sarif')


if __name__ == '__main__':
    sys.exit(main())
