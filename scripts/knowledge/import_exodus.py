#!/usr/bin/python3
"""Brings the Exodus Privacy tracker signatures into data/sdks/ (issue 17, breadth).

Reads the Exodus table of shared/docs/peer-catalogues.md (432 trackers, 428 with a code
signature) and the catalogue under data/sdks/, then:
  - a tracker whose signature is already a prefix of a catalogue entry (or that the MERGE table
    below names) is that entry: its missing Exodus prefixes, patterns and hosts are added to it
    and its `source` cites the Exodus id;
  - every other tracker becomes a new entry of data/sdks/exodus.yaml (rewritten whole);
  - existing entries of a PI-collecting category that have no PI types get the set of
    EXISTING_PI (sdk-facts.md where it has the vendor's facts, else derived and marked).
Existing files are patched line by line (comments and layout kept); running it twice changes
nothing the second time. The YAML it writes is the committed data; `piaudit kb check` validates it.

Exodus signatures are regular expressions searched over class names ('.' matches any char).
A signature that is a dotted name becomes a package prefix (the trailing '.' dropped); one that
starts with '.' (".sizmek.", ".LigatusManager") becomes a `class_patterns` entry (weak).

Usage: scripts/knowledge/import_exodus.py [--shared ../shared] [--data data] [--check]
  --check: write nothing; exit 1 if the data is not what the script would produce.
"""
import argparse
import glob
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# Exodus category -> catalogue category (first listed wins in CATEGORY_ORDER).
CATEGORY_MAP = {
    "Advertisement": "ads",
    "Analytics": "analytics",
    "Profiling": "analytics",
    "Crash reporting": "crash",
    "Location": "location",
    "Identification": "identity-risk",
}
CATEGORY_ORDER = ["Crash reporting", "Advertisement", "Location", "Analytics", "Profiling",
                  "Identification"]

# Trackers Exodus leaves uncategorised, by what the product is (general knowledge, unverified).
UNCATEGORISED = {
    "Smart": "ads", "JW Player": "media", "OutBrain": "ads", "Ligatus": "ads",
    "Widespace": "ads", "AppNexus": "ads", "Schibsted": "analytics", "Nexage": "ads",
    "Ogury Presage": "ads", "Add Apt Tr": "ads", "Pushwoosh": "push", "AdsWizz": "ads",
    "ChartBoost": "ads", "HelpShift": "customer-service", "Locuslabs": "maps",
    "Facebook Notifications": "push", "Facebook Places": "location",
    "Facebook Share": "login-share", "Glispa Connect (Formerly Avocarrot)": "ads",
    "NativeX": "ads", "Baidu Maps": "maps", "WeChat Location": "location", "Smaato": "ads",
    "Inrix": "location", "TeleQuid": "analytics", "MAdvertise": "ads",
    "Amazon Advertisement": "ads", "Amazon Mobile Associates": "ads", "Baidu APPX": "ads",
    "Baidu Location": "location", "Baidu Map": "maps", "Baidu Mobile Ads": "ads",
    "Baidu Navigation": "maps", "Inmobi": "ads", "Millennial Media": "ads",
    "Fyber SponsorPay": "ads", "Supersonic Ads": "ads", "Tencent Map LBS": "maps",
    "Tencent MobWin": "ads", "Tencent Weiyun": "cloud", "Umeng Analytics": "analytics",
    "Umeng Feedback": "analytics", "Urbanairship": "push", "AppBrain": "ads",
    "AppMetrica": "analytics", "Sensoro": "location", "Heyzap (bought by Fyber)": "ads",
    "Fiksu": "attribution", "Apteligent by VMWare (formerly Crittercism)": "crash",
    "AdFit (Daum)": "ads", "Adform": "ads", "Placed": "location", "Adot": "ads",
    "Appodeal": "ads", "AppMonet": "ads", "Soomla": "analytics", "Adincube": "ads",
    "Persona.ly": "ads", "Cheetah Ads": "ads", "Criteo": "ads", "Mapbox": "maps",
    "Taboola": "ads", "myTracker": "attribution", "Cloudmobi": "ads", "ADLIB": "ads",
    "Brightcove": "media", "InMarket": "location", "OtherLevels": "push", "Appnext": "ads",
    "ShallWeAD": "ads", "Display": "ads", "Bugly": "crash", "Duapps": "ads",
    "OneSignal": "push", "INFOnline": "analytics", "Tapjoy": "ads", "Gimbal": "location",
    "Conviva": "analytics", "Auditude": "ads", "Integral Ad Science": "ads",
    "AltBeacon": "location", "Salesforce Marketing Cloud": "push",
    "Mozilla Telemetry": "analytics", "Pusher": "push", "Axonix": "ads",
    "Gemius HeatMap": "analytics", "YouAppi": "ads", "Adobe Experience Cloud": "analytics",
    "In Loco": "location", "Emarsys Predict": "analytics", "Lotame": "analytics",
    "FollowAnalytics": "analytics", "AMoAd": "ads", "Amobee": "ads", "Conversant": "ads",
    "PushSpring": "push", "Radar": "location", "Sentiance": "location",
    "Square Metrics": "location", "flymob": "ads", "Bitly": "attribution", "Enhance": "ads",
    "Qualtrics": "analytics", "Factual": "location", "Tutela": "analytics",
    "Twine Data": "analytics", "maio by i-mobile": "ads", "Mail.ru": "ads",
    "OpenBack": "push", "ScoreLoop": "analytics", "Swirl": "location", "Tutucloud": "media",
}
# Identification trackers that are sign-in SDKs rather than identity checks.
LOGIN = {"Facebook Login", "AccountKit", "VKontakte SDK", "Janrain", "Snapchat Login Kit"}

# Trackers that are a catalogue entry under another name (the prefix rule cannot see it).
MERGE = {"75": "baidu-map"}

# Conservative PI per Exodus category: what a product of that kind cannot work without.
EXODUS_PI = {
    "Advertisement": ["gaid", "ip", "device_model", "os_info", "app_usage"],
    "Analytics": ["device_model", "os_info", "app_usage"],
    "Profiling": ["gaid", "app_usage"],
    "Crash reporting": ["app_logs", "device_model", "os_info"],
    "Location": ["location"],
    "Identification": ["account"],
}
# The same for a catalogue category (uncategorised trackers, and existing entries below).
CATEGORY_PI = {
    "ads": ["gaid", "ip", "device_model", "os_info", "app_usage"],
    "analytics": ["device_model", "os_info", "app_usage"],
    "attribution": ["gaid", "ip", "device_model", "os_info", "app_usage"],
    "crash": ["app_logs", "device_model", "os_info"],
    "push": ["push_token", "device_model", "os_info", "network_info"],
    "location": ["location", "network_info"],
    "maps": ["location", "network_info"],
    "login-share": ["account", "device_model", "os_info", "network_info"],
    "payment": ["payment_info", "device_model", "os_info", "network_info"],
    "im-rtc": ["account", "device_model", "os_info", "network_info"],
    "customer-service": ["account", "device_model", "os_info", "network_info"],
    "speech-ai": ["microphone", "device_model", "os_info"],
    "identity-risk": ["device_fingerprint", "device_model", "os_info", "network_info"],
    "captcha": ["device_fingerprint", "device_model", "os_info"],
    "webview": ["device_model", "os_info", "network_info"],
    "one-tap-login": ["phone_number", "carrier", "network_info"],
    "media": ["device_model", "os_info", "app_usage"],
    "cloud": ["device_model", "os_info", "network_info"],
}
DERIVED = ("derived from the {what} by scripts/knowledge/import_exodus.py, not read from the "
           "vendor: a conservative lower bound (unverified)")

UMENG = ["mac", "imei", "android_id", "imsi", "location"]
JPUSH = ["imei", "mac", "android_id", "oaid", "imsi", "iccid", "network_info"]
# Existing entries of a collecting category with no PI: (pi, pi_source).
EXISTING_PI = {
    "umeng-apm": (UMENG + ["app_logs"], "sdk-facts.md §2 umeng-apm: 'as umeng' (MAC, IMEI/Android ID, IMSI, location) plus crash logs (its purpose)"),
    "umeng-share": (UMENG + ["account"], "sdk-facts.md §2: Umeng common set (umeng row; U-Share's own list not gathered) plus the social account it signs in (unverified)"),
    "umeng-legacy": (UMENG, "sdk-facts.md §2: Umeng common set (umeng row; the legacy SDKs' own lists not gathered, unverified)"),
    "umeng-exchange": (UMENG + ["app_usage"], "sdk-facts.md §2: Umeng common set (umeng row) plus ad interactions (unverified)"),
    "jiguang-jshare": (JPUSH + ["account"], "sdk-facts.md §1 jpush: the JIGUANG shared core cn.jiguang collects the JPush set; JShare adds the social account (unverified)"),
    "jiguang-janalytics": (JPUSH + ["app_usage"], "sdk-facts.md §1 jpush: the JIGUANG shared core cn.jiguang collects the JPush set; JAnalytics adds usage events (unverified)"),
    "jiguang-jmlink": (JPUSH, "sdk-facts.md §1 jpush: the JIGUANG shared core cn.jiguang collects the JPush set (unverified for JMLink)"),
    "mob-sharesdk": (["android_id", "device_model", "os_info", "network_info", "account"], DERIVED.format(what="category login-share and the MobTech core com.mob.tools (sdk-facts.md §5 has no list)") ),
    "mob-push": (["android_id", "push_token", "device_model", "os_info", "network_info"], DERIVED.format(what="category push and the MobTech core (sdk-facts.md §1 has no list)")),
    "tencent-im": (["account", "device_model", "os_info", "network_info"], "sdk-facts.md §7: the vendor states no sensitive PI; its sheet lists device and network fields; the account is the IM user id (inherent)"),
    "geetest": (["device_fingerprint", "phone_number", "carrier", "network_info"], DERIVED.format(what="OneLogin (carrier phone number) and captcha (device behaviour) products in sdk-facts.md §6")),
    "huawei-hms-core": (["android_id", "device_model", "os_info", "network_info", "location", "app_usage"] , "sdk-facts.md §3 (per kit, not gathered): HMS kits share the AAID; Analytics/Ads/Location kits add usage, ads ids and location (unverified)"),
    "tencent-location": (["location", "wifi_info", "cell_info", "imei", "android_id"], DERIVED.format(what="category location; sdk-facts.md §4 lists no Tencent list, the AMap location facts in §4 (GPS, Wi-Fi, cell, IMEI) are the closest peer")),
    "tencent-map": (["location", "network_info", "device_model"], DERIVED.format(what="category maps (sdk-facts.md §4 has no list)")),
    "baidu-navi": (["location", "network_info", "device_model"], "sdk-facts.md §4: as baidu-map/baidu-location (location, phone state), navigation uses precise location (unverified)"),
    "google-maps": (["location", "ip", "device_model"], DERIVED.format(what="category maps (sdk-facts.md §4 has no list)")),
    "baidu-push": (["push_token", "android_id", "imei", "device_model", "os_info", "network_info"], DERIVED.format(what="category push and the Chinese vendor-push lists of sdk-facts.md §1 (IMEI, Android ID, model, network)")),
    "aliyun-push": (UMENG[:4] + ["push_token", "network_info"], "sdk-facts.md §1: shares the ACCS/agoo channel core with Umeng push, whose Umeng set (MAC, IMEI/Android ID, IMSI) applies (unverified)"),
    "netease-push": (["push_token", "android_id", "device_model", "os_info", "network_info"], DERIVED.format(what="category push (sdk-facts.md §1 has no list)")),
    "jd-push": (["push_token", "android_id", "device_model", "os_info", "network_info"], DERIVED.format(what="category push (sdk-facts.md §1 has no list)")),
    "tencent-beacon": (["imei", "android_id", "oaid", "device_model", "os_info", "network_info", "app_usage"], DERIVED.format(what="category analytics and Tencent's QIMEI/Beacon device-id role (sdk-facts.md §2; see its privacy_policy)")),
    "tencent-mta": (["imei", "mac", "android_id", "device_model", "os_info", "network_info", "app_usage"], DERIVED.format(what="category analytics and the MID provider it ships (sdk-facts.md §2)")),
}


def q(v):
    if re.search(r"[:#\[\]{},\"']|^[*\-! &|>%@`]", v) or v != v.strip():
        return '"' + v.replace('\\', '\\\\').replace('"', '\\"') + '"'
    return v


def flow(items):
    return "[" + ", ".join(q(i) for i in items) + "]"


def parse_exodus(path):
    trackers = []
    for line in open(path, encoding="utf-8"):
        if not re.match(r"^\| \d+ \|", line):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        tid, name, cats, code, net, site = cells[:6]
        unq = lambda c: [s.strip() for s in c.strip("` ").replace("\\|", "|").split("|")
                         if s.strip()]
        trackers.append({
            "id": tid, "name": name,
            "categories": [c.strip() for c in cats.split(",") if c.strip()],
            "code": unq(code), "network": unq(net), "website": site.strip(),
        })
    return trackers


def split_signature(sig):
    """('prefix', 'com.x') or ('pattern', '.sizmek.')."""
    if sig.startswith(".") or "-" in sig:
        return "pattern", sig
    return "prefix", sig.rstrip(".")


def host_of(regex):
    h = regex.replace("\\.", ".").replace("\\-", "-").lower()
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", h):
        return h
    return None


def covers(pattern, host):
    d = pattern[2:] if pattern.startswith("*.") else pattern
    return host == d or host.endswith("." + d)


def nests(a, b):
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def load_catalogue(data):
    entries = {}
    for f in sorted(glob.glob(os.path.join(data, "sdks", "*.yaml"))):
        if os.path.basename(f) == "exodus.yaml":
            continue
        for s in yaml.safe_load(open(f, encoding="utf-8"))["sdks"]:
            s["_file"] = f
            s["_prefixes"] = [(p if isinstance(p, str) else p["prefix"],
                               "distinct" if isinstance(p, str) else p.get("quality", "distinct"))
                              for p in s.get("prefixes") or []]
            entries[s["id"]] = s
    return entries


def slug(name):
    name = re.sub(r"\(.*?\)", "", name)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--data", default=os.path.join(ROOT, "data"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    doc = os.path.join(args.shared, "docs", "peer-catalogues.md")
    if not os.path.exists(doc):
        print("SKIP: %s not present (the shared docs are not checked out)" % doc)
        return 77
    trackers = [t for t in parse_exodus(doc) if t["code"]]
    cat = load_catalogue(args.data)
    categories = {c["id"]: c for c in yaml.safe_load(
        open(os.path.join(args.data, "sdk_categories.yaml"), encoding="utf-8"))["categories"]}

    # --- map trackers to existing entries ---
    merged = {}  # entry id -> [trackers]
    new = []
    for t in trackers:
        target = MERGE.get(t["id"])
        if target is None:
            # Best candidate: the same prefix declared distinct, then the same prefix of any
            # quality, then a distinct prefix the signature lies under.
            best = None
            for kind, v in map(split_signature, t["code"]):
                if kind != "prefix":
                    continue
                for e in cat.values():
                    for p, quality in e["_prefixes"]:
                        rank = (0 if v == p and quality == "distinct" else
                                1 if v == p else
                                2 if quality == "distinct" and v.startswith(p + ".") else None)
                        if rank is not None and (best is None or rank < best[0]):
                            best = (rank, e["id"])
            target = best[1] if best else None
        if target:
            merged.setdefault(target, []).append(t)
        else:
            new.append(t)

    # --- the changes to existing entries ---
    patches = {}  # id -> dict(prefixes=[], patterns=[], hosts=[], source=str, pi=..., related=[])
    all_prefixes = [(p, e["id"]) for e in cat.values() for p, _ in e["_prefixes"]]
    for eid, ts in merged.items():
        e = cat[eid]
        have = {p for p, _ in e["_prefixes"]}
        patch = {"prefixes": [], "patterns": [], "hosts": [], "related": []}
        for t in ts:
            for kind, v in map(split_signature, t["code"]):
                under_own = any(v.startswith(h + ".") for h, qq in e["_prefixes"]
                                if qq == "distinct")
                if kind == "prefix" and v not in have and v not in patch["prefixes"] and \
                        not under_own:
                    patch["prefixes"].append(v)
                elif kind == "pattern" and v not in (e.get("class_patterns") or []) + patch["patterns"]:
                    patch["patterns"].append(v)
            for n in t["network"]:
                h = host_of(n)
                # A bare domain added to an entry that already names product hosts is written
                # vendor-level ("*."), so it stays weak evidence as the catalogue's other
                # domain-wide hosts are.
                if h and h.count(".") == 1:
                    h = "*." + h
                if h and not any(covers(x, h.lstrip("*.")) for x in
                                 (e.get("hosts") or []) + patch["hosts"]):
                    patch["hosts"].append(h)
        if not e.get("website"):
            site = next((t["website"] for t in ts if re.match(r"https?://", t["website"])), None)
            if site:
                patch["website"] = site
        cites = "; ".join("Exodus %s (%s)" % (t["id"], t["name"]) for t in ts)
        if "Exodus " + ts[0]["id"] + " " not in e["source"] + " ":
            patch["source"] = cites
        patches[eid] = patch
    for eid, (pi, src) in EXISTING_PI.items():
        if eid in cat and not cat[eid].get("pi"):
            patches.setdefault(eid, {"prefixes": [], "patterns": [], "hosts": [], "related": []})
            patches[eid]["pi"] = (pi, src)
    for eid, e in cat.items():
        if e.get("pi") or categories[e["category"]].get("collects_pi") is not True:
            continue
        if eid in patches and "pi" in patches[eid]:
            continue
        ts = merged.get(eid, [])
        excats = sorted({c for t in ts for c in t["categories"]})
        pi = []
        for c in excats:
            pi += [x for x in EXODUS_PI[c] if x not in pi]
        for x in CATEGORY_PI[e["category"]]:
            if x not in pi:
                pi.append(x)
        what = "category " + e["category"] + (
            " and the Exodus categories " + ", ".join(excats) if excats else "") + \
            " (sdk-facts.md has no list for it)"
        patches.setdefault(eid, {"prefixes": [], "patterns": [], "hosts": [], "related": []})
        patches[eid]["pi"] = (pi, DERIVED.format(what=what))

    # --- new entries ---
    used = set(cat)
    out_entries = []
    for t in new:
        sid = slug(t["name"])
        if sid in used:
            sid += "-exodus"
        used.add(sid)
        if t["categories"]:
            first = sorted(t["categories"], key=CATEGORY_ORDER.index)[0]
            category = CATEGORY_MAP[first]
            if first == "Identification" and t["name"] in LOGIN:
                category = "login-share"
            pi = []
            for c in sorted(t["categories"], key=CATEGORY_ORDER.index):
                pi += [x for x in EXODUS_PI[c] if x not in pi]
            what = "Exodus categories " + ", ".join(t["categories"])
        else:
            category = UNCATEGORISED[t["name"]]
            pi = list(CATEGORY_PI[category])
            what = ("product kind (" + category + "; Exodus gives no category, the kind is "
                    "general knowledge)")
        prefixes, patterns = [], []
        for kind, v in map(split_signature, t["code"]):
            (prefixes if kind == "prefix" else patterns).append(v)
        prefixes = list(dict.fromkeys(prefixes))
        hosts = []
        for n in t["network"]:
            h = host_of(n)
            # Exodus's network signatures are mostly whole domains ("mapbox.com"): as a catalogue
            # host that is vendor-level ("*."), weak evidence, since the vendor's other products
            # and web pages share it; a longer host names the tracker's own endpoint.
            if h and h.count(".") == 1:
                h = "*." + h
            if h and not any(covers(x, h.lstrip("*.")) for x in hosts):
                hosts.append(h)
        out_entries.append({"id": sid, "t": t, "category": category, "prefixes": prefixes,
                            "patterns": patterns, "hosts": hosts, "pi": pi,
                            "pi_source": DERIVED.format(what=what), "related": []})

    # Overlapping prefixes must name each other (docs/knowledge.md): new entries name the
    # catalogue entries (and earlier new entries) they nest with; patched entries name theirs.
    everything = list(all_prefixes)
    for eid, patch in patches.items():
        everything += [(p, eid) for p in patch["prefixes"]]
    for ne in out_entries:
        everything += [(p, ne["id"]) for p in ne["prefixes"]]
    related_of = {eid: set(cat[eid].get("related") or []) for eid in cat}
    for ne in out_entries:
        related_of[ne["id"]] = set()

    def need(a, b):
        if a == b or b in related_of[a] or a in related_of[b]:
            return
        if a in cat and b not in cat:
            a, b = b, a  # the new entry carries it
        related_of[a].add(b)

    for i, (p, a) in enumerate(everything):
        for p2, b in everything[i + 1:]:
            if a != b and nests(p, p2):
                need(a, b)
    for eid in patches:
        extra = sorted(related_of[eid] - set(cat[eid].get("related") or []))
        patches[eid]["related"] = extra
    for eid in cat:
        if eid not in patches and related_of[eid] - set(cat[eid].get("related") or []):
            patches[eid] = {"prefixes": [], "patterns": [], "hosts": [],
                            "related": sorted(related_of[eid] - set(cat[eid].get("related") or []))}
    for ne in out_entries:
        ne["related"] = sorted(related_of[ne["id"]])

    changed = write_patches(cat, patches, args.check)
    changed |= write_new(args.data, out_entries, args.check)
    print("trackers with a code signature: %d; merged into %d existing entries (%d trackers); "
          "new entries: %d" % (len(trackers), len(merged), sum(map(len, merged.values())),
                               len(out_entries)))
    if args.check and changed:
        print("data differs from what import_exodus.py produces", file=sys.stderr)
        return 1
    return 0


def write_patches(cat, patches, check):
    changed = False
    by_file = {}
    for eid, p in patches.items():
        by_file.setdefault(cat[eid]["_file"], []).append(eid)
    for f, ids in by_file.items():
        lines = open(f, encoding="utf-8").read().split("\n")
        for eid in ids:
            p = patches[eid]
            start = lines.index("  - id: " + eid)
            end = start + 1
            while end < len(lines) and not lines[end].startswith("  - id: ") and \
                    (lines[end].startswith("    ") or lines[end] == ""):
                end += 1
            while lines[end - 1] == "":
                end -= 1
            block = lines[start:end]

            def find(key):
                for i, l in enumerate(block):
                    if l.startswith("    " + key + ":"):
                        return i
                return None

            if p["prefixes"]:
                i = find("prefixes")
                j = i + 1
                while j < len(block) and block[j].startswith("      - "):
                    j += 1
                block[j:j] = ["      - " + q(x) for x in p["prefixes"]]
            before = find("policy_names")
            inserts = []
            if p["patterns"]:
                inserts.append("    class_patterns: " + flow(p["patterns"]))
            if p["hosts"]:
                i = find("hosts")
                if i is None:
                    inserts.append("    hosts: " + flow(p["hosts"]))
                else:
                    cur = yaml.safe_load(block[i][len("    hosts:"):])
                    cur = [cur] if isinstance(cur, str) else cur
                    block[i] = "    hosts: " + flow(cur + p["hosts"])
            if "pi" in p:
                pi, src = p["pi"]
                inserts.append("    pi: " + flow(pi))
                inserts.append("    pi_source: " + q(src) if q(src).startswith('"')
                               else '    pi_source: "' + src + '"')
            if p.get("website"):
                inserts.append("    website: " + q(p["website"]))
            before = find("policy_names")
            block[before:before] = inserts
            if p["related"]:
                i = find("related")
                if i is None:
                    block.insert(find("source"), "    related: " + flow(p["related"]))
                else:
                    cur = yaml.safe_load(block[i][len("    related:"):])
                    block[i] = "    related: " + flow(list(cur) + p["related"])
            if p.get("source"):
                i = find("source")
                cur = yaml.safe_load(block[i][len("    source:"):])
                block[i] = "    source: " + q(cur + "; " + p["source"])
            lines[start:end] = block
        text = "\n".join(lines)
        if text != open(f, encoding="utf-8").read():
            changed = True
            if not check:
                open(f, "w", encoding="utf-8").write(text)
    return changed



# Exodus names that are also common English words: alone in a policy ("Split the bill", a Button,
# a Radar chart, a Batch of orders) they name no SDK, so the policy must say "<name> SDK".
GENERIC_NAMES = {"Batch", "Bolts", "Button", "Heap", "Keen", "Placed", "Placer", "Radar", "Smart",
                 "Split", "Swirl", "Tune", "Verve"}


def policy_name(name):
    return name + " SDK" if name in GENERIC_NAMES else name

def write_new(data, entries, check):
    out = ["# SDK catalogue: Exodus Privacy trackers that no other file of data/sdks/ describes.",
           "# GENERATED by scripts/knowledge/import_exodus.py from shared/docs/peer-catalogues.md",
           "# (the Exodus signatures as vendored by MobSF, mobsf/signatures/exodus_trackers);",
           "# edit the script's tables and run it again rather than editing entries by hand.",
           "# Prefixes and hosts are Exodus's (code and network signatures); a signature that is",
           "# not a package name is a weak class_patterns entry. Exodus records no provider, policy",
           "# or PI: `pi` is derived from the Exodus categories (or, for uncategorised trackers, from",
           "# the kind of product) and says so in pi_source. Format: docs/knowledge.md#sdksyaml.",
           "version: 2026.12.7",
           "sources:",
           "  - shared/docs/peer-catalogues.md, Exodus tracker signatures (ETIP, via MobSF)",
           "sdks:"]
    for e in entries:
        t = e["t"]
        out.append("  - id: " + e["id"])
        out.append("    zh: " + q(t["name"]))
        out.append("    en: " + q(t["name"]))
        out.append("    provider: \"(not recorded by Exodus)\"")
        out.append("    category: " + e["category"])
        if e["prefixes"]:
            out.append("    prefixes:")
            out += ["      - " + q(p) for p in e["prefixes"]]
        if e["patterns"]:
            out.append("    class_patterns: " + flow(e["patterns"]))
        if e["hosts"]:
            out.append("    hosts: " + flow(e["hosts"]))
        out.append("    pi: " + flow(e["pi"]))
        out.append('    pi_source: "' + e["pi_source"] + '"')
        if re.match(r"https?://", t["website"]):
            out.append("    website: " + q(t["website"]))
        out.append("    policy_names: " + flow([policy_name(t["name"])]))
        if e["related"]:
            out.append("    related: " + flow(e["related"]))
        cats = ", ".join(t["categories"]) or "none"
        out.append("    source: " + q("Exodus %s (%s; categories: %s)" % (t["id"], t["name"], cats)))
    text = "\n".join(out) + "\n"
    path = os.path.join(data, "sdks", "exodus.yaml")
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if text == old:
        return False
    if not check:
        open(path, "w", encoding="utf-8").write(text)
    return True


if __name__ == "__main__":
    sys.exit(main())
