#!/usr/bin/env python3
"""Loopback load on a running `piaudit serve`: C keep-alive clients for S seconds on one path;
prints requests/s, median and p99 latency, and the count of non-200 answers.
Usage: service_load.py URL PATH [--token T] [--clients 8] [--seconds 5]
(the client is Python: on a small machine it, not the server, may be the limit)."""
import argparse, http.client, statistics, threading, time, urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("path")
    ap.add_argument("--token", default="")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    headers = {"Authorization": "Bearer " + a.token} if a.token else {}
    lat, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + a.seconds

    def client():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            conn.request("GET", a.path, headers=headers)
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t0)
            if r.status != 200:
                bad += 1
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        with lock:
            lat.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    lat.sort()
    print(f"{a.path}: {len(lat) / took:.0f} req/s, median {statistics.median(lat) * 1000:.2f} ms, "
          f"p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.2f} ms, {len(lat)} requests, "
          f"{errors[0]} not 200, {a.clients} clients")


if __name__ == "__main__":
    main()
