#!/usr/bin/env python3
"""Compare `piaudit policy --format json` with hand labels of privacy-policy facts.

The labels (tests/labels/policy_facts/*.json, see the README there) record, for real CAPP-130
policies, the facts that decide the policy-side verdicts of IM-3.6, IM-3.8 and IM-6.1 ... IM-6.5:
which user rights are offered, unreasonable conditions put on them, whether a complaint/contact
channel is published and of which kinds, the promised time to answer a request or complaint, and
whether a way to turn off personalised recommendation/ads is described.

For every labelled policy this script runs `piaudit policy FILE --format json`, derives the same
fields from its output (mapping below), and counts one check per field:

  rights.<id>             6 checks  any rights[] entry with right == <id>
                                    (ids: access correction deletion account_cancellation
                                    withdraw_consent copy)
  right_conditions        1 check   the set of (right, condition) pairs over all rights[]
                                    entries, keeping only the conditions that decide IM-6.2
                                    (id_card in_person notarized post_only fee); equal sets pass
  complaint_channel       1 check   any channels[] entry with complaint == true (what IM-6.5 uses)
  channel_kinds.<kind>    4 checks  phone / email / postal_address: a channels[] entry of that
                                    kind; online: a channels[] entry of kind online_service or web
                                    (in_app_path is ignored: piaudit emits it for any menu path in
                                    a rights sentence, it is not a contact channel)
  response_time_limit     1 check   among time_limits[] with applies_to in request / complaint /
                                    account_cancellation (the ones IM-6.3 and IM-6.5 check), the
                                    longest one (working days count 7/5 of a day, months 30 days,
                                    hours 1/24); null when there is none. amount and unit must
                                    both match the label
  personalization_opt_out 1 check   true when rights[] has a personalization_opt_out entry, else
                                    false when personalization[] is not empty, else null
                                    (IM-3.6 from the policy alone; skipped when the label omits it)

Output: accuracy overall and per field kind, every wrong field with the policy sentence(s)
behind piaudit's value, and a final line `N passed, N failed`. Exit status: 0 when the overall
accuracy is at least --min-accuracy, 1 below it, 2 on errors (binary missing, piaudit failed,
label file broken, policy text changed since labelling), 77 when the corpus is absent (ctest
SKIP_RETURN_CODE).

Standard library only.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

RIGHT_IDS = ["access", "correction", "deletion", "account_cancellation", "withdraw_consent", "copy"]
DECIDING_CONDITIONS = {"id_card", "in_person", "notarized", "post_only", "fee"}
KINDS = ["phone", "email", "postal_address", "online"]
KIND_OF = {"phone": "phone", "email": "email", "postal_address": "postal_address",
           "online_service": "online", "web": "online"}
LIMIT_SUBJECTS = {"request", "complaint", "account_cancellation"}
DAYS_PER_UNIT = {"working_days": 7.0 / 5.0, "days": 1.0, "hours": 1.0 / 24.0, "months": 30.0}
FIELD_KINDS = ["rights", "right_conditions", "complaint_channel", "channel_kinds",
               "response_time_limit", "personalization_opt_out"]
SKIP_CODE = 77


def decode_text(raw, encoding_name):
    """The decoded text piaudit's offsets refer to (BOM removed), for plain-text policies."""
    name = (encoding_name or "UTF-8").upper()
    codec = {"UTF-8": "utf-8", "UTF-16LE": "utf-16-le", "UTF-16BE": "utf-16-be",
             "GB18030": "gb18030"}.get(name, "utf-8")
    text = raw.decode(codec, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


class PolicyOutput:
    """piaudit's JSON for one policy plus helpers to quote its sentences."""

    def __init__(self, doc, raw):
        self.doc = doc
        self.text = decode_text(raw, (doc.get("encoding") or {}).get("name"))
        self.sentences = doc.get("sentences") or []

    def sentence(self, index, limit=160):
        if index is None or not (0 <= index < len(self.sentences)):
            return "?"
        s = self.sentences[index]
        t = self.text[s["start"]:s["end"]].replace("\n", " ").strip()
        return t if len(t) <= limit else t[:limit] + "…"

    def sentence_at(self, start, limit=160):
        for i, s in enumerate(self.sentences):
            if s["start"] <= start < s["end"]:
                return self.sentence(i, limit)
        return self.text[max(0, start - 40):start + 80].replace("\n", " ")


def limit_days(tl):
    return tl["amount"] * DAYS_PER_UNIT.get(tl["unit"], 1.0)


def derive(out):
    """Field values from piaudit's output, plus the evidence sentences behind each value."""
    doc = out.doc
    rights = doc.get("rights") or []
    channels = doc.get("channels") or []
    limits = doc.get("time_limits") or []
    pers = doc.get("personalization") or []
    vals, why = {}, {}

    for rid in RIGHT_IDS:
        hits = [r for r in rights if r.get("right") == rid]
        vals["rights." + rid] = bool(hits)
        why["rights." + rid] = [out.sentence(r.get("sentence")) for r in hits[:2]]

    pairs, cond_sent = set(), []
    for r in rights:
        for c in r.get("conditions") or []:
            if c in DECIDING_CONDITIONS:
                pairs.add((r.get("right"), c))
                cond_sent.append("%s/%s: %s" % (r.get("right"), c, out.sentence(r.get("sentence"))))
    vals["right_conditions"] = pairs
    why["right_conditions"] = cond_sent[:3]

    comp = [c for c in channels if c.get("complaint")]
    vals["complaint_channel"] = bool(comp)
    why["complaint_channel"] = ["%s %s: %s" % (c["kind"], c.get("value", ""),
                                               out.sentence(c.get("sentence")))
                                for c in (comp or channels)[:2]]

    for k in KINDS:
        hits = [c for c in channels if KIND_OF.get(c.get("kind")) == k]
        vals["channel_kinds." + k] = bool(hits)
        why["channel_kinds." + k] = ["%s %s: %s" % (c["kind"], c.get("value", ""),
                                                    out.sentence(c.get("sentence")))
                                     for c in hits[:2]]

    cand = [t for t in limits if t.get("applies_to") in LIMIT_SUBJECTS]
    best = max(cand, key=limit_days) if cand else None
    vals["response_time_limit"] = ({"amount": best["amount"], "unit": best["unit"]}
                                   if best else None)
    shown = ([best] + [t for t in limits if t is not best]) if best else limits
    why["response_time_limit"] = ["%d %s (%s): %s" % (t["amount"], t["unit"], t.get("applies_to"),
                                                      out.sentence(t.get("sentence")))
                                  for t in shown[:3]]

    opt = [r for r in rights if r.get("right") == "personalization_opt_out"]
    vals["personalization_opt_out"] = True if opt else (False if pers else None)
    why["personalization_opt_out"] = ([out.sentence(r.get("sentence")) for r in opt[:2]] or
                                      [out.sentence_at(p["start"]) for p in pers[:2]])
    return vals, why


def expected(label):
    """Labelled field values, same keys as derive()."""
    exp = {}
    rights = label["rights"]
    for rid in RIGHT_IDS:
        exp["rights." + rid] = bool(rights[rid])
    exp["right_conditions"] = {(r, c) for r, conds in (label.get("right_conditions") or {}).items()
                               for c in conds if c in DECIDING_CONDITIONS}
    exp["complaint_channel"] = bool(label["complaint_channel"])
    kinds = set(label["channel_kinds"])
    for k in KINDS:
        exp["channel_kinds." + k] = k in kinds
    rtl = label["response_time_limit"]
    exp["response_time_limit"] = ({"amount": int(rtl["amount"]), "unit": rtl["unit"]}
                                  if rtl else None)
    if "personalization_opt_out" in label:
        exp["personalization_opt_out"] = label["personalization_opt_out"]
    return exp


def fmt(v):
    if isinstance(v, set):
        return "{" + ", ".join("%s:%s" % p for p in sorted(v)) + "}" if v else "{}"
    if isinstance(v, dict):
        return "%s %s" % (v["amount"], v["unit"])
    return json.dumps(v)


def validate_label(label, path):
    for key in ("policy", "sha256", "rights", "complaint_channel", "channel_kinds",
                "response_time_limit"):
        if key not in label:
            raise ValueError("%s: missing key %r" % (path, key))
    for rid in RIGHT_IDS:
        if not isinstance(label["rights"].get(rid), bool):
            raise ValueError("%s: rights.%s must be true/false" % (path, rid))
    for k in label["channel_kinds"]:
        if k not in KINDS:
            raise ValueError("%s: unknown channel kind %r (use %s)" % (path, k, ", ".join(KINDS)))
    for r, conds in (label.get("right_conditions") or {}).items():
        for c in conds:
            if c not in DECIDING_CONDITIONS:
                raise ValueError("%s: condition %r is not one that decides IM-6.2 (%s)"
                                 % (path, c, ", ".join(sorted(DECIDING_CONDITIONS))))
    rtl = label["response_time_limit"]
    if rtl is not None and rtl.get("unit") not in DAYS_PER_UNIT:
        raise ValueError("%s: response_time_limit.unit must be one of %s"
                         % (path, ", ".join(DAYS_PER_UNIT)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--piaudit", required=True, help="path to the piaudit binary")
    ap.add_argument("--policies", required=True,
                    help="CAPP-130 Original_policies directory (the labelled .txt files)")
    ap.add_argument("--labels", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "policy_facts"),
                    help="directory of label JSON files (default: policy_facts next to this script)")
    ap.add_argument("--min-accuracy", type=float, default=0.0,
                    help="fail when overall accuracy is below this (0.87 or 87 both mean 87%%)")
    ap.add_argument("--only", action="append", default=[],
                    help="check only this policy (file name with or without .txt); repeatable")
    ap.add_argument("--ignore-sha", action="store_true",
                    help="compare even when a policy file's sha256 differs from the label's")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per piaudit run")
    args = ap.parse_args()

    min_acc = args.min_accuracy / 100.0 if args.min_accuracy > 1.0 else args.min_accuracy

    if not os.path.isdir(args.policies):
        print("SKIP: policy corpus not found at %s (the labels need the CAPP-130 "
              "Original_policies directory)" % args.policies)
        return SKIP_CODE
    if not (os.path.isfile(args.piaudit) and os.access(args.piaudit, os.X_OK)):
        print("ERROR: piaudit binary not found or not executable: %s" % args.piaudit)
        return 2
    if not os.path.isdir(args.labels):
        print("ERROR: label directory not found: %s" % args.labels)
        return 2

    files = sorted(f for f in os.listdir(args.labels) if f.endswith(".json"))
    only = {o[:-4] if o.endswith(".txt") else o for o in args.only}
    if only:
        files = [f for f in files if f[:-5] in only]
    if not files:
        print("ERROR: no label files selected in %s" % args.labels)
        return 2

    per_kind = {k: [0, 0] for k in FIELD_KINDS}   # kind -> [right, labelled]
    per_field = {}                                 # field -> [right, labelled]
    wrong = []
    errors = 0
    for fname in files:
        path = os.path.join(args.labels, fname)
        try:
            with open(path, encoding="utf-8") as fh:
                label = json.load(fh)
            validate_label(label, fname)
        except (ValueError, OSError) as e:
            print("ERROR: %s" % e)
            errors += 1
            continue
        policy_path = os.path.join(args.policies, label["policy"])
        if not os.path.isfile(policy_path):
            print("ERROR: %s: policy file %s is missing" % (fname, policy_path))
            errors += 1
            continue
        with open(policy_path, "rb") as fh:
            raw = fh.read()
        sha = hashlib.sha256(raw).hexdigest()
        if sha != label["sha256"] and not args.ignore_sha:
            print("ERROR: %s: %s changed since it was labelled (sha256 %s, label %s); "
                  "re-check the labels or pass --ignore-sha" % (fname, label["policy"], sha,
                                                                label["sha256"]))
            errors += 1
            continue
        try:
            proc = subprocess.run([args.piaudit, "policy", policy_path, "--format", "json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print("ERROR: %s: piaudit timed out after %.0fs" % (label["policy"], args.timeout))
            errors += 1
            continue
        if proc.returncode != 0:
            print("ERROR: %s: piaudit exited %d: %s" % (label["policy"], proc.returncode,
                                                        proc.stderr.decode("utf-8", "replace")[:300]))
            errors += 1
            continue
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except ValueError as e:
            print("ERROR: %s: piaudit printed invalid JSON: %s" % (label["policy"], e))
            errors += 1
            continue
        out = PolicyOutput(doc, raw)
        got, why = derive(out)
        exp = expected(label)
        for field, want in exp.items():
            kind = field.split(".")[0]
            per_kind[kind][1] += 1
            pf = per_field.setdefault(field, [0, 0])
            pf[1] += 1
            if got[field] == want:
                per_kind[kind][0] += 1
                pf[0] += 1
            else:
                ev = (label.get("evidence") or {}).get(kind, "")
                wrong.append((label["policy"], field, want, got[field], why.get(field) or [], ev))

    right = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    acc = right / total if total else 0.0

    if wrong:
        print("Wrong fields (%d):" % len(wrong))
        for policy, field, want, have, sents, ev in wrong:
            print("- %s  %s: label %s, piaudit %s" % (policy, field, fmt(want), fmt(have)))
            for s in sents:
                print("    piaudit: %s" % s)
            if ev and not sents:
                print("    label evidence: %s" % (ev if len(ev) <= 200 else ev[:200] + "…"))
        print()

    print("Per field:")
    for field in sorted(per_field):
        r, n = per_field[field]
        print("  %-36s %3d/%-3d %6.1f%%" % (field, r, n, 100.0 * r / n))
    print("Per field kind:")
    for kind in FIELD_KINDS:
        r, n = per_kind[kind]
        if n:
            print("  %-36s %3d/%-3d %6.1f%%" % (kind, r, n, 100.0 * r / n))
    print("Overall: %d/%d fields right = %.1f%% over %d policies (minimum %.1f%%)"
          % (right, total, 100.0 * acc, len(files) - errors, 100.0 * min_acc))
    print("%d passed, %d failed" % (right, total - right))

    if errors:
        print("ERROR: %d label file(s) could not be checked" % errors)
        return 2
    if acc < min_acc:
        print("FAIL: overall accuracy %.1f%% is below the minimum %.1f%%"
              % (100.0 * acc, 100.0 * min_acc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
