#!/usr/bin/env python3
"""The client side of bench/service_load.sh (issue 16's load benchmark), python3 stdlib only.

  service_browse.py upload URL NAME PASSWORD [--store S] [--developer D] APK...
      logs in through the API and uploads each APK (POST /api/v1/apps); prints the scan ids.
  service_browse.py wait URL NAME PASSWORD [--seconds S]
      waits until no visible scan is queued or running (a worker drained the queue).
  service_browse.py browse URL --account NAME:PASSWORD... [--users 50] [--seconds 30]
      USERS threads, each a person with a browser: logs in on the login page (session cookie,
      CSRF field) and through the API (token), then for SECONDS browses without pause: the
      dashboard, the app list, an app's page, a scan's page, a report's HTML page and its JSON.
      Prints requests/s, p50/p95/p99 per page kind and the errors (non-2xx/3xx answers and
      failed connections); exits 1 when there was an error.

A browser reopens a keep-alive connection the server closed between two requests and sends the
request again; so does this client (counted as "reconnects", not errors). Latency is measured
from the first attempt. The client is Python (one interpreter lock for 50 threads): on a small
machine it may be a limit itself, so its CPU share is printed beside the figures.
"""
import argparse
import http.client
import json
import math
import random
import re
import sys
import threading
import time
import urllib.parse
import uuid

TIMEOUT = 60


class Browser:
    """One person: a keep-alive connection, cookies, an API token."""

    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None
        self.cookies = {}
        self.token = ""
        self.reconnects = 0

    def _connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def request(self, method, path, body=None, headers=None, api=False):
        """(status, body bytes, response headers); the time is the caller's to take."""
        h = dict(headers or {})
        if api and self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookies and not api:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.CannotSendRequest, http.client.BadStatusLine):
                # The server closed a kept-alive connection: reopen and send again, as browsers do.
                self.conn = None
                if fresh or attempt == 1:
                    raise
                self.reconnects += 1
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if (r.getheader("Connection") or "").lower() == "close":
            self.conn.close()
            self.conn = None
        return r.status, data, r.headers

    def api_login(self, name, password):
        status, data, _ = self.request("POST", "/api/v1/login",
                                       json.dumps({"name": name, "password": password}),
                                       {"Content-Type": "application/json"}, api=True)
        if status != 200:
            raise RuntimeError(f"API login {name}: HTTP {status} {data[:200]!r}")
        self.token = json.loads(data)["token"]

    def page_login(self, name, password):
        """GET /login (the CSRF cookie and field), POST /login: the session cookie. Two requests."""
        status, data, _ = self.request("GET", "/login")
        if status != 200:
            return status
        m = re.search(rb'name="csrf" value="([0-9a-f]+)"', data)
        form = urllib.parse.urlencode({"name": name, "password": password,
                                       "csrf": m.group(1).decode() if m else ""})
        status, _, _ = self.request("POST", "/login", form,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        return status


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   f"{value}\r\n".encode())
    for name, (filename, data) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                   f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                   .encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def cmd_upload(a):
    b = Browser(a.url)
    b.api_login(a.name, a.password)
    fields = {k: v for k, v in (("store", a.store), ("developer", a.developer)) if v}
    for path in a.apks:
        with open(path, "rb") as f:
            body, ctype = multipart(fields, {"apk": (path.rsplit("/", 1)[-1], f.read())})
        status, data, _ = b.request("POST", "/api/v1/apps", body, {"Content-Type": ctype}, api=True)
        if status not in (200, 201):
            sys.exit(f"upload {path}: HTTP {status} {data[:200]!r}")
        print(json.loads(data)["scan_id"])


def visible_scans(b):
    status, data, _ = b.request("GET", "/api/v1/scans", api=True)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/scans: HTTP {status}")
    return json.loads(data)["scans"]


def cmd_wait(a):
    b = Browser(a.url)
    b.api_login(a.name, a.password)
    stop = time.monotonic() + a.seconds
    while time.monotonic() < stop:
        scans = visible_scans(b)
        if all(s["status"] in ("done", "failed") for s in scans):
            done = sum(s["status"] == "done" for s in scans)
            print(f"{done} of {len(scans)} scans done")
            return
        time.sleep(0.5)
    sys.exit(f"scans still queued or running after {a.seconds} s")


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))]


def cmd_browse(a):
    accounts = [x.split(":", 1) for x in a.account]
    lock = threading.Lock()
    latencies = {}  # kind -> [seconds]
    errors = {}     # kind -> count
    samples = []    # the first error messages
    reconnects = [0]
    ready = threading.Barrier(a.users + 1)
    window = {}
    # The window opens when the last login is answered, for every person at once.
    logged_in = threading.Barrier(
        a.users + 1, action=lambda: open_window())

    def open_window():
        window.update(start=time.monotonic(), stop=time.monotonic() + a.seconds)
        if a.window_file:  # tells service_load.sh to start the workers
            with open(a.window_file, "w") as f:
                f.write("open\n")

    def record(kind, seconds, ok, what=""):
        with lock:
            latencies.setdefault(kind, []).append(seconds)
            if not ok:
                errors[kind] = errors.get(kind, 0) + 1
                if len(samples) < 10:
                    samples.append(f"{kind}: {what}")

    def timed(b, kind, method, path, expect=(200,), **kw):
        t0 = time.perf_counter()
        try:
            status, data, _ = b.request(method, path, **kw)
        except Exception as e:  # a failed connection is an error like a 500
            record(kind, time.perf_counter() - t0, False, f"{path}: {type(e).__name__}: {e}")
            b.conn = None
            return None
        record(kind, time.perf_counter() - t0, status in expect, f"{path}: HTTP {status}")
        return data if status in expect else None

    def user(index):
        try:
            browse_as(index)
        except Exception as e:  # a bug of this client must not pass as a quiet run
            record("client", 0.0, False, f"{type(e).__name__}: {e}")

    def browse_as(index):
        rng = random.Random(index)
        name, password = accounts[index % len(accounts)]
        b = Browser(a.url)
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        # Everyone logs in at once (two Argon2id hashes per person: a phase of its own, measured
        # apart), then everyone browses for the same window.
        t0 = time.perf_counter()
        ok = False
        try:
            status = b.page_login(name, password)
            record("login page", time.perf_counter() - t0, status == 303, f"HTTP {status}")
            t0 = time.perf_counter()
            b.api_login(name, password)
            record("login api", time.perf_counter() - t0, True)
            ok = status == 303
        except Exception as e:
            record("login api", time.perf_counter() - t0, False, f"{type(e).__name__}: {e}")
        try:
            logged_in.wait()
        except threading.BrokenBarrierError:
            return
        if not ok:
            return
        scans, refreshed = [], 0.0
        while time.monotonic() < window["stop"]:
            if time.monotonic() - refreshed > 5:  # what this person may see, now and then
                data = timed(b, "scan list json", "GET", "/api/v1/scans", api=True)
                if data is not None:
                    scans = json.loads(data)["scans"]
                refreshed = time.monotonic()
            done = [s for s in scans if s["status"] == "done"]
            kind = rng.choice(["dashboard", "apps", "app page", "scan page", "report html",
                               "report json"])
            if kind == "dashboard":
                timed(b, kind, "GET", "/")
            elif kind == "apps":
                timed(b, kind, "GET", "/apps")
            elif kind == "scan page" and scans:
                timed(b, kind, "GET", f"/scans/{rng.choice(scans)['scan_id']}")
            elif kind == "app page" and done:
                pkg = rng.choice(done)["package"]
                timed(b, kind, "GET", "/apps/" + urllib.parse.quote(pkg))
            elif kind == "report html" and done:
                timed(b, kind, "GET", f"/scans/{rng.choice(done)['scan_id']}/report.html")
            elif kind == "report json" and done:
                timed(b, kind, "GET", f"/api/v1/scans/{rng.choice(done)['scan_id']}/report",
                      api=True)
        with lock:
            reconnects[0] += b.reconnects

    # Scans finished during the window, as an inspector sees them: the workers were busy.
    watcher = Browser(a.url)
    watcher.api_login(*accounts[0])

    def done_count():
        return sum(s["status"] == "done" for s in visible_scans(watcher))

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(a.users)]
    for t in threads:
        t.start()
    login_start = time.monotonic()
    ready.wait()
    logged_in.wait()  # every login answered (or failed)
    login_took = time.monotonic() - login_start
    cpu0 = time.process_time()
    t_start = window["start"]
    done_before = done_count()
    for t in threads:
        t.join(a.seconds + TIMEOUT + 30)
    took = time.monotonic() - t_start
    cpu = time.process_time() - cpu0
    scanned = done_count() - done_before
    logins = {k: v for k, v in latencies.items() if k.startswith("login")}
    total = sum(len(v) for k, v in latencies.items() if k not in logins)
    total_errors = sum(errors.values())
    print(f"{a.users} users logged in (page and API) in {login_took:.1f} s; then browsed "
          f"{took:.1f} s: {total} requests, {total / took:.0f} requests/s, {total_errors} errors, "
          f"{reconnects[0]} reconnects; client CPU {cpu / took * 100:.0f}% of one core; "
          f"{scanned} scans finished by the workers meanwhile")
    print(f"{'kind':<16}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}{'errors':>7}")
    summary = {"users": a.users, "login_seconds": round(login_took, 1),
               "seconds": round(took, 1), "requests": total,
               "requests_per_second": round(total / took, 1), "errors": total_errors,
               "reconnects": reconnects[0], "scans_finished": scanned, "kinds": {}}
    for kind in sorted(latencies):
        v = sorted(latencies[kind])
        p50, p95, p99 = (percentile(v, q) * 1000 for q in (0.50, 0.95, 0.99))
        rate = len(v) / (login_took if kind in logins else took)
        print(f"{kind:<16}{len(v):>9}{rate:>8.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
              f"{v[-1] * 1000:>9.1f}{errors.get(kind, 0):>7}")
        summary["kinds"][kind] = {"requests": len(v), "p50_ms": round(p50, 2),
                                  "p95_ms": round(p95, 2), "p99_ms": round(p99, 2),
                                  "errors": errors.get(kind, 0)}
    for s in samples:
        print("error:", s)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)
    sys.exit(1 if total_errors else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("upload")
    up.add_argument("url")
    up.add_argument("name")
    up.add_argument("password")
    up.add_argument("--store", default="")
    up.add_argument("--developer", default="")
    up.add_argument("apks", nargs="+")
    wt = sub.add_parser("wait")
    wt.add_argument("url")
    wt.add_argument("name")
    wt.add_argument("password")
    wt.add_argument("--seconds", type=float, default=600)
    br = sub.add_parser("browse")
    br.add_argument("url")
    br.add_argument("--account", action="append", required=True, help="NAME:PASSWORD")
    br.add_argument("--users", type=int, default=50)
    br.add_argument("--seconds", type=float, default=30)
    br.add_argument("--json", default="", help="also write the figures here")
    br.add_argument("--window-file", default="", help="created when the browsing window opens")
    a = ap.parse_args()
    {"upload": cmd_upload, "wait": cmd_wait, "browse": cmd_browse}[a.cmd](a)


if __name__ == "__main__":
    main()
