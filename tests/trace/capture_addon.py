"""mitmproxy addon for capture_test.sh.

Sends every upstream connection to the local test server (PIAUDIT_CAPTURE_UPSTREAM=host:port), so
requests to SDK host names reach 127.0.0.1 without DNS and nothing leaves the machine; the flows
keep their SDK host names. With --set piaudit_har=FILE it also writes HAR 1.2 itself, for a
mitmproxy installed without Debian's example exporter (examples/contrib/har_dump.py).
"""
import base64
import json
import os
from datetime import datetime, timezone

from mitmproxy import ctx

UPSTREAM = os.environ.get("PIAUDIT_CAPTURE_UPSTREAM", "127.0.0.1:8080")
ENTRIES = []


def load(loader):
    loader.add_option("piaudit_har", str, "", "Write a HAR 1.2 file of all flows here.")


def server_connect(data):
    host, port = UPSTREAM.rsplit(":", 1)
    data.server.address = (host, int(port))


def response(flow):
    if not ctx.options.piaudit_har:
        return
    request = flow.request
    entry = {
        "startedDateTime": datetime.fromtimestamp(request.timestamp_start, timezone.utc).isoformat(),
        "time": 0,
        "request": {
            "method": request.method,
            "url": request.url,
            "httpVersion": request.http_version,
            "headers": [{"name": k, "value": v} for k, v in request.headers.items(multi=True)],
            "queryString": [{"name": k, "value": v} for k, v in request.query.items(multi=True)],
            "headersSize": -1,
            "bodySize": len(request.raw_content or b""),
        },
        "response": {"status": flow.response.status_code, "headers": [], "content": {"size": 0}},
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }
    if request.raw_content:
        text = request.get_text(strict=False)
        post = {"mimeType": request.headers.get("content-type", "")}
        if text is None:
            post.update(text=base64.b64encode(request.raw_content).decode(), encoding="base64")
        else:
            post["text"] = text
        entry["request"]["postData"] = post
    if flow.server_conn and flow.server_conn.peername:
        entry["serverIPAddress"] = str(flow.server_conn.peername[0])
    ENTRIES.append(entry)


def done():
    if ctx.options.piaudit_har:
        har = {"log": {"version": "1.2", "creator": {"name": "piaudit capture_addon", "version": "1"},
                       "entries": ENTRIES}}
        with open(ctx.options.piaudit_har, "w") as f:
            json.dump(har, f, indent=1)
