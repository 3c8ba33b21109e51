"""The Python test scripts' counter: check(cond, what) prints one line,
'ok' or 'FAIL', and summary(name) the totals and the exit status."""
passes = 0
failures = []


def check(cond, what):
    global passes
    if cond:
        passes += 1
        print('ok   ' + what)
    else:
        failures.append(what)
        print('FAIL ' + what)
    return cond


def summary(name):
    print('%s: %d passed, %d failed' % (name, passes, len(failures)))
    return 1 if failures else 0
