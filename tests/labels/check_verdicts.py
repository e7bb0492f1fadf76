#!/usr/bin/env python3
"""Compare piaudit's 31 verdicts per APK with hand-made labels of acceptable verdicts.

Labels: tests/labels/verdicts/<apk stem>.yaml (see README.md there). For every labelled APK that is
present, runs `piaudit scan APK -o TMP --format json`, reads report.json and checks each item's
verdict/strength against the label's `acceptable` list.

Known-wrong pairs (--known-wrong FILE, one `<apk stem> <item>  # reason` per line) are tracked
failures: they do not fail the run while they stay wrong, but a listed pair that has become
acceptable fails the run (remove it from the list), and so does any unacceptable pair not listed.

Exit status: 0 all as expected; 1 a new unacceptable verdict, a fixed known-wrong pair, a stale
label or a piaudit error; 2 usage error; 77 nothing to check (corpus and sample absent: skipped).
Standard library only; PyYAML is used when installed, otherwise a reader for the subset of YAML
the label files are written in (check with --self-test).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # fall back to a reader for the subset of YAML the label files use
    yaml = None

ITEMS = ['IM-1.1', 'IM-1.2', 'IM-1.3', 'IM-1.4', 'IM-2.1', 'IM-2.2', 'IM-2.3', 'IM-2.4',
         'IM-3.1', 'IM-3.2', 'IM-3.3', 'IM-3.4', 'IM-3.5', 'IM-3.6', 'IM-3.7', 'IM-3.8', 'IM-3.9',
         'IM-4.1', 'IM-4.2', 'IM-4.3', 'IM-4.4', 'IM-4.5', 'IM-4.6',
         'IM-5.1', 'IM-5.2', 'IM-5.3', 'IM-6.1', 'IM-6.2', 'IM-6.3', 'IM-6.4', 'IM-6.5']
VOCAB = {'violation/confirmed', 'violation/likely', 'compliant', 'needs-dynamic', 'needs-manual',
         'not-applicable'}
SKIP = 77
REFUSED = 'refused'  # pseudo-verdict: piaudit exited 3 without a report (unreadable input)


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def verdict_string(item):
    """report.json item -> label vocabulary ("violation/likely", "compliant", ...)."""
    v = item.get('verdict', '?')
    if v == 'violation':
        return 'violation/' + str(item.get('strength', '?'))
    return v


def error_class(got):
    if got == 'compliant':
        return 'false compliant'
    if got == 'violation/confirmed':
        return 'false confirmed'
    return 'other'


def _scalar(text):
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)  # the label files write strings JSON-quoted (valid YAML)
    text = text.split(' #', 1)[0].strip()
    if text.startswith('[') and text.endswith(']'):
        return [t.strip() for t in text[1:-1].split(',') if t.strip()]
    if text.lower() in ('true', 'false'):
        return text.lower() == 'true'
    return text


def parse_label_subset(text, path):
    """Reads the label format without PyYAML: top-level `key: scalar`, then `items:` with
    `  IM-x.y:` blocks of `    acceptable: [a, b]` and `    why: "..."` (see README.md)."""
    data, items, cur = {}, None, None
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith('#'):
            continue
        indent = len(raw) - len(raw.lstrip(' '))
        key, sep, rest = raw.strip().partition(':')
        if not sep:
            raise SystemExit(f'check_verdicts: {path}:{n}: cannot read this line without PyYAML')
        if indent == 0:
            if key == 'items' and not rest.strip():
                items = data['items'] = {}
            else:
                data[key] = _scalar(rest)
        elif indent == 2 and items is not None and not rest.strip():
            cur = items[key] = {}
        elif indent == 4 and cur is not None:
            cur[key] = _scalar(rest)
        else:
            raise SystemExit(f'check_verdicts: {path}:{n}: cannot read this line without PyYAML')
    return data


def load_labels(label_dir):
    labels = []
    for name in sorted(os.listdir(label_dir)):
        if not name.endswith('.yaml'):
            continue
        path = os.path.join(label_dir, name)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        data = yaml.safe_load(text) if yaml else parse_label_subset(text, path)
        stem = name[:-len('.yaml')]
        problems = []
        if not isinstance(data, dict) or 'apk' not in data or 'items' not in data:
            problems.append('missing apk/items')
        else:
            if data['apk'] != stem + '.apk':
                problems.append(f"apk {data['apk']!r} does not match the file name")
            items = data['items'] or {}
            missing = [i for i in ITEMS if i not in items]
            extra = [i for i in items if i not in ITEMS]
            if missing or extra:
                problems.append(f'items missing {missing} / unknown {extra}')
            for i, entry in items.items():
                acc = (entry or {}).get('acceptable') or []
                bad = [a for a in acc if a not in VOCAB]
                if not acc or bad:
                    problems.append(f'{i}: empty or unknown acceptable values {bad}')
                if not (entry or {}).get('why'):
                    problems.append(f'{i}: no why')
        if problems:
            raise SystemExit(f'check_verdicts: bad label {path}: ' + '; '.join(problems))
        data['_stem'] = stem
        labels.append(data)
    return labels


def load_known_wrong(path):
    known = {}
    if not path:
        return known
    with open(path, encoding='utf-8') as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            body, _, reason = line.partition('#')
            parts = body.split()
            if len(parts) != 2 or parts[1] not in ITEMS:
                raise SystemExit(f'check_verdicts: {path}:{n}: expected "<apk stem> <IM-x.y>  # reason"')
            stem = parts[0][:-4] if parts[0].endswith('.apk') else parts[0]
            if (stem, parts[1]) in known:
                raise SystemExit(f'check_verdicts: {path}:{n}: duplicate pair {stem} {parts[1]}')
            known[(stem, parts[1])] = reason.strip()
    return known


def run_scan(piaudit, apk, out_dir, timeout):
    """Returns (exit code, {item: verdict string} or None, error text)."""
    try:
        proc = subprocess.run([piaudit, 'scan', apk, '-o', out_dir, '--format', 'json'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, f'timed out after {timeout} s'
    except OSError as e:
        return None, None, f'cannot run {piaudit}: {e}'
    report = os.path.join(out_dir, 'report.json')
    if not os.path.exists(report):
        return proc.returncode, None, proc.stderr.decode('utf-8', 'replace').strip()
    try:
        with open(report, encoding='utf-8') as f:
            data = json.load(f)
        verdicts = {i['id']: verdict_string(i) for i in data.get('items', [])}
    except (ValueError, KeyError, TypeError) as e:
        return proc.returncode, None, f'unreadable report.json: {e}'
    return proc.returncode, verdicts, proc.stderr.decode('utf-8', 'replace').strip()


def short(text, width):
    text = ' '.join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + '…'


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--piaudit', required=True, help='the piaudit binary')
    ap.add_argument('--corpus', help='directory holding the corpus APKs (e.g. shared/corpus/apks)')
    ap.add_argument('--sample', help='the built sample app (build/samples/sample_app/sample.apk)')
    ap.add_argument('--labels', default=os.path.join(here, 'verdicts'), help='label directory')
    ap.add_argument('--known-wrong', help='tracked (apk, item) pairs that are currently wrong')
    ap.add_argument('--only', action='append', default=[], help='check only this APK stem (repeatable)')
    ap.add_argument('--out', help='keep the reports here instead of a temporary directory')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per scan (default 600)')
    ap.add_argument('--write-known-wrong', metavar='FILE',
                    help='write every currently unacceptable pair to FILE (reason = error class, '
                         'verdict and the start of the label\'s why) and exit; edit the reasons by hand')
    ap.add_argument('--verbose', action='store_true', help='print every item, not only the wrong ones')
    ap.add_argument('--self-test', action='store_true',
                    help='check that every label file reads the same with PyYAML and with the '
                         'built-in subset reader, then exit')
    args = ap.parse_args(argv)

    if args.self_test:
        if not yaml:
            print('check_verdicts: --self-test needs PyYAML', file=sys.stderr)
            return 2
        for name in sorted(os.listdir(args.labels)):
            if name.endswith('.yaml'):
                path = os.path.join(args.labels, name)
                text = open(path, encoding='utf-8').read()
                if yaml.safe_load(text) != parse_label_subset(text, path):
                    print(f'check_verdicts: {path}: PyYAML and the subset reader disagree', file=sys.stderr)
                    return 1
        load_labels(args.labels)
        print('labels read identically with and without PyYAML')
        return 0

    if not (os.path.isfile(args.piaudit) and os.access(args.piaudit, os.X_OK)):
        print(f'check_verdicts: piaudit binary not found or not executable: {args.piaudit}', file=sys.stderr)
        return 2
    labels = load_labels(args.labels)
    known = load_known_wrong(args.known_wrong)
    label_stems = {l['_stem'] for l in labels}
    for stem, item in known:
        if stem not in label_stems:
            print(f'check_verdicts: known-wrong pair {stem} {item} has no label file', file=sys.stderr)
            return 2

    corpus_ok = bool(args.corpus) and os.path.isdir(args.corpus)
    if args.corpus and not corpus_ok:
        print(f'SKIP corpus: {args.corpus} does not exist (the shared corpus is not checked out); '
              'corpus labels are not checked')
    tmp = None
    out_root = args.out
    if not out_root:
        tmp = tempfile.TemporaryDirectory(prefix='piaudit-labels-')
        out_root = tmp.name

    results = []   # (stem, item, got, acceptable, why, known_reason)
    errors = []    # (stem, text) -> failures
    warnings = []
    checked_apks = []
    for label in labels:
        stem = label['_stem']
        if args.only and stem not in args.only:
            continue
        if label['apk'] == 'sample.apk':
            apk = args.sample
            if not apk or not os.path.isfile(apk):
                print(f'SKIP {stem}: sample app not found ({apk or "no --sample"}); build it first')
                continue
        else:
            if not corpus_ok:
                continue
            apk = os.path.join(args.corpus, label['apk'])
            if not os.path.isfile(apk):
                print(f'SKIP {stem}: {apk} not present')
                continue
        digest = sha256(apk)
        if label.get('sha256') and digest != label['sha256']:
            text = (f'{label["apk"]} sha256 {digest[:16]}… differs from the labelled '
                    f'{label["sha256"][:16]}…: the labels may be stale')
            if label.get('sha256_check') == 'warn':
                warnings.append((stem, text))
            else:
                errors.append((stem, text + ' (relabel the APK or restore the file)'))
        out_dir = os.path.join(out_root, stem)
        os.makedirs(out_dir, exist_ok=True)
        rc, verdicts, err = run_scan(args.piaudit, apk, out_dir, args.timeout)
        checked_apks.append(stem)
        unreadable = bool(label.get('unreadable'))
        if verdicts is None:
            if unreadable and rc == 3:
                verdicts = {i: REFUSED for i in ITEMS}
            else:
                errors.append((stem, f'piaudit exited {rc} without a usable report: {short(err, 200)}'))
                verdicts = {i: f'error(exit {rc})' for i in ITEMS}
        elif rc not in (0, 1) and not (unreadable and rc == 3):
            errors.append((stem, f'piaudit exited {rc}: {short(err, 200)}'))
        for item in ITEMS:
            entry = label['items'][item]
            acc = entry['acceptable']
            got = verdicts.get(item, 'missing')
            ok = got in acc or (got == REFUSED and unreadable)
            results.append((stem, item, got, ok, acc, entry['why'], known.get((stem, item))))

    if not checked_apks:
        print('SKIP: no labelled APK is present (corpus and sample absent); nothing checked')
        print('0 passed, 0 failed')
        return SKIP

    if args.write_known_wrong:
        with open(args.write_known_wrong, 'w', encoding='utf-8') as f:
            f.write('# (apk stem, item) pairs where the current piaudit verdict is NOT acceptable per\n'
                    '# tests/labels/verdicts/*.yaml. Tracked: check_verdicts.py fails on a NEW wrong\n'
                    '# pair, and on a listed pair that has become right (then delete its line).\n'
                    '# Format: <apk stem> <item>  # <error class>: <reason>\n')
            for stem, item, got, ok, acc, why, _ in results:
                if not ok:
                    f.write(f'{stem} {item}  # {error_class(got)}: piaudit {got}, acceptable '
                            f'{"/".join(acc)}; {short(why, 110)}\n')
        print(f'wrote {args.write_known_wrong}')
        return 0

    # ---- table: one row per APK, one column per item ----
    print('\nLegend: . acceptable   k known-wrong, still wrong (tracked)   X NEW unacceptable   '
          'F known-wrong now acceptable (remove it from the list)   E piaudit error')
    cols = [i[3:] for i in ITEMS]
    width = max(len(s) for s in checked_apks) + 1
    print(' ' * width + ' '.join(c.rjust(4) for c in cols))
    by_apk = {}
    for r in results:
        by_apk.setdefault(r[0], []).append(r)
    failed = passed = tracked = 0
    new_wrong, fixed = [], []
    classes = {}
    for stem in checked_apks:
        marks = []
        apk_error = any(e[0] == stem for e in errors)
        for (s, item, got, ok, acc, why, kreason) in by_apk[stem]:
            if got.startswith('error('):
                mark = 'E'
                failed += 1
            elif ok and kreason is None:
                mark = '.'
                passed += 1
            elif ok:
                mark = 'F'
                failed += 1
                fixed.append((s, item, got, acc, kreason))
            elif kreason is not None:
                mark = 'k'
                passed += 1
                tracked += 1
                classes[(s, error_class(got))] = classes.get((s, error_class(got)), 0) + 1
            else:
                mark = 'X'
                failed += 1
                new_wrong.append((s, item, got, acc, why))
                classes[(s, error_class(got))] = classes.get((s, error_class(got)), 0) + 1
            marks.append(mark)
        print(stem.ljust(width) + ' '.join(m.rjust(4) for m in marks) + ('   (error)' if apk_error else ''))

    if new_wrong:
        print('\nNEW unacceptable verdicts (fix piaudit, or correct the label, or track the pair in '
              'the known-wrong list with a reason):')
        for s, item, got, acc, why in new_wrong:
            print(f'  X {s} {item}: piaudit {got} [{error_class(got)}]; acceptable {", ".join(acc)}')
            print(f'      why: {short(why, 600)}')
    if fixed:
        print('\nKnown-wrong pairs that are now acceptable (delete their lines from the known-wrong list):')
        for s, item, got, acc, kreason in fixed:
            print(f'  F {s} {item}: piaudit {got} is acceptable ({", ".join(acc)}); was: {short(kreason, 160)}')
    if tracked:
        print(f'\nTracked known-wrong pairs still wrong: {tracked}')
        for (s, item, got, ok, acc, why, kreason) in results:
            if not ok and kreason is not None and not got.startswith('error('):
                print(f'  k {s} {item}: piaudit {got} [{error_class(got)}]; acceptable '
                      f'{", ".join(acc)}')
                if args.verbose:
                    print(f'      why: {short(why, 600)}')
    if args.verbose:
        print('\nAll items:')
        for (s, item, got, ok, acc, why, kreason) in results:
            print(f'  {"ok " if ok else "BAD"} {s} {item}: {got}; acceptable {", ".join(acc)}')
    if classes:
        print('\nUnacceptable verdicts by APK and class (tracked + new):')
        for stem in checked_apks:
            row = {c: classes.get((stem, c), 0) for c in ('false compliant', 'false confirmed', 'other')}
            if any(row.values()):
                print(f'  {stem}: ' + ', '.join(f'{k} {v}' for k, v in row.items()))
    for stem, text in warnings:
        print(f'WARNING {stem}: {text}')
    for stem, text in errors:
        print(f'ERROR {stem}: {text}')
    total_ok = sum(1 for r in results if r[3])
    print(f'\n{total_ok}/{len(results)} verdicts acceptable; {tracked} wrong but tracked, '
          f'{len(new_wrong)} new wrong, {len(fixed)} fixed but still listed, {len(errors)} errors')
    print(f'{passed} passed, {failed} failed')
    if tmp:
        tmp.cleanup()
    return 1 if (failed or errors) else 0


if __name__ == '__main__':
    sys.exit(main())
