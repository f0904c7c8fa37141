#!/usr/bin/python3
"""signin_fake.py: a loopback stand-in for the AWS console federation endpoint (moto has none).

Standard library only. Written from AWS's public description of the protocol (IAM User Guide,
"Enable custom identity broker access to the AWS console"):

  GET /federation?Action=getSigninToken&Session=<url-encoded JSON>
      JSON: {"sessionId": "<access key id>", "sessionKey": "<secret key>",
             "sessionToken": "<session token>"}
      (an optional SessionDuration parameter exists; aws-vault does not send it)
  200 application/json {"SigninToken": "<token>"}

The fake is stricter than AWS is known to be, to catch encoding mistakes: the query must hold
exactly Action and Session, each once; Session must be a JSON object with exactly the three keys,
in that order, all strings, sessionId and sessionKey non-empty; and Session must be escaped
exactly as Go's url.QueryEscape escapes it (space as '+', only A-Z a-z 0-9 - _ . ~ unescaped). A request that breaks a rule gets
400 with the reason as text (and is recorded with "error").

  signin_fake.py [--record FILE] [--token TEXT] [--status N] [--body TEXT]

--record FILE  append one JSON line per request: method, path, raw query, parsed query, the
               Session object (test credentials only), and "error" when refused
--token TEXT   the token to hand out (default below: it holds characters that need escaping in
               a URL, which real tokens are not promised never to contain)
--status N     answer every getSigninToken request with status N (and --body, default "")
--body TEXT    with --status 200: this raw body instead of the token document

Prints "PORT <n>" once it listens on 127.0.0.1, serves until stdin reaches EOF.
"""

import argparse
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_TOKEN = "fake-signin+token/with=chars&more %done"
SESSION_KEYS = ["sessionId", "sessionKey", "sessionToken"]


def check_session(query):
    """Returns (session object, None) or (None, reason)."""
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=True,
                                       errors="strict")
    except (ValueError, UnicodeDecodeError) as e:
        return None, f"malformed query: {e}"
    names = [name for name, _ in pairs]
    if sorted(names) != ["Action", "Session"]:
        return None, f"query parameters {names}, expected Action and Session once each"
    params = dict(pairs)
    # canonical form escaping (Go's url.QueryEscape = Python's quote_plus with nothing extra safe)
    raw = dict(part.split("=", 1) for part in query.split("&"))
    if raw.get("Session") != urllib.parse.quote_plus(params["Session"], safe=""):
        return None, "Session is not escaped as url.QueryEscape escapes it"
    if params["Action"] != "getSigninToken":
        return None, f"Action={params['Action']!r}"
    try:
        session = json.loads(params["Session"], object_pairs_hook=list)
    except json.JSONDecodeError as e:
        return None, f"Session is not JSON: {e}"
    if not isinstance(session, list) or [k for k, _ in session] != SESSION_KEYS:
        return None, f"Session keys {[k for k, _ in session] if isinstance(session, list) else session!r}"
    values = dict(session)
    if not all(isinstance(values[k], str) for k in SESSION_KEYS):
        return None, "Session values must be strings"
    if not values["sessionId"] or not values["sessionKey"]:
        return None, "sessionId and sessionKey must not be empty"
    return values, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output quiet
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def record(self, entry):
        if self.server.record_path:
            with self.server.lock, open(self.server.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def do_GET(self):
        path, _, query = self.path.partition("?")
        entry = {"method": "GET", "path": path, "raw_query": query,
                 "query": urllib.parse.parse_qs(query, keep_blank_values=True)}
        if path != "/federation":
            entry["error"] = "unknown path"
            self.record(entry)
            self.reply(404, "not found")
            return
        session, reason = check_session(query)
        entry["session"] = session
        if reason:
            entry["error"] = reason
            self.record(entry)
            self.reply(400, reason)
            return
        self.record(entry)
        opts = self.server.opts
        if opts.status is not None:
            self.reply(opts.status, opts.body or "", "application/json")
            return
        self.reply(200, json.dumps({"SigninToken": opts.token}), "application/json")

    def do_POST(self):
        self.record({"method": "POST", "path": self.path, "error": "POST not expected"})
        self.reply(405, "method not allowed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--status", type=int)
    parser.add_argument("--body")
    opts = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.opts = opts
    server.record_path = opts.record
    server.lock = threading.Lock()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
