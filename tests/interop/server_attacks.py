"""Attacks on the real ECS credential server (spec §6.4; the event loop of server/http_server.h).

Usage: server_attacks.py <aws-vault binary>
Run with the Python that has moto and boto3 (the pyenv python3). Fails loudly when moto is missing.

1. moto starts (tests/support/moto_server.py) with an IAM user and the role admin; `add --env
   base` stores the user's keys in a file store (temp HOME, AWS_VAULT_BACKEND=file); STS goes to
   moto through AWS_ENDPOINT_URL_STS. The served profile is `role` (AssumeRole of admin).
2. `aws-vault exec --ecs-server role -- <this python> <this script> --child` runs the attacks
   below from inside the child, against AWS_CONTAINER_CREDENTIALS_FULL_URI with
   AWS_CONTAINER_AUTHORIZATION_TOKEN, and after each one checks that a valid request still gets
   200 with the credentials JSON:
   no token, a wrong token of the same and of another length, a "Bearer" token (403 each);
   garbage bytes (400), HTTP/2 and HTTP/1.2 (505), chunked bodies (501), a large body (413),
   a 1 MiB header (431, then the close); pipelined and half-closed requests (answered);
   a slowloris client sending one byte per 0.5 s or so (cut at the 10 s head timeout, while other
   clients are served meanwhile); 500 concurrent connections (more than the server's 256 slots).
   The child's exit status is aws-vault's.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MOTO_SERVER = os.path.join(HERE, "..", "support", "moto_server.py")
ACCOUNT = "123456789012"
PASSPHRASE = "interop passphrase"


def fail(message):
    sys.exit("FAIL: " + message)


# --- the child: attacks ------------------------------------------------------------------------

class Target:
    def __init__(self):
        uri = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
        self.token = os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN", "")
        if not uri.startswith("http://127.0.0.1:") or len(self.token) != 40:
            fail(f"child environment lacks the ECS endpoint or token: {uri!r}")
        self.port = int(uri.rsplit(":", 1)[1].split("/")[0])
        self.host = f"127.0.0.1:{self.port}"

    def connect(self, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.settimeout(timeout)
        return s

    def request_bytes(self, token=None, path="/", close=True, extra=""):
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}"]
        if token is not None:
            lines.append(f"Authorization: {token}")
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def read_all(s, limit=1 << 22):
    """Reads until the server closes (or resets); returns the bytes."""
    data = b""
    try:
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    return data


def split_responses(data):
    """Splits raw bytes into (status, headers, body) responses using Content-Length."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            raise ValueError(f"incomplete response head: {data[:80]!r}")
        head = data[:end].decode("latin-1")
        status = int(head.split(" ", 2)[1])
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = data[end + 4:end + 4 + length]
        out.append((status, head, body))
        data = data[end + 4 + length:]
    return out


def exchange(target, payload, timeout=15):
    s = target.connect(timeout)
    try:
        s.sendall(payload)
        return split_responses(read_all(s))
    finally:
        s.close()


def expect_credentials(target, what):
    responses = exchange(target, target.request_bytes(target.token))
    if len(responses) != 1 or responses[0][0] != 200:
        fail(f"after {what}: a valid request got {[(r[0], r[2][:200]) for r in responses]}")
    doc = json.loads(responses[0][2])
    if list(doc) != ["AccessKeyId", "Expiration", "SecretAccessKey", "Token"]:
        fail(f"after {what}: credentials JSON has keys {list(doc)}")
    if not doc["AccessKeyId"] or not doc["SecretAccessKey"] or not doc["Token"]:
        fail(f"after {what}: empty credentials")
    return doc


def expect_status(target, payload, status, what):
    responses = exchange(target, payload)
    if not responses or responses[0][0] != status:
        fail(f"{what}: expected {status}, got {[(r[0], r[2][:200]) for r in responses]}")
    return responses[0]


def attack_tokens(target):
    first = expect_credentials(target, "start")
    forbidden = b'{"Message":"invalid Authorization token"}\n'
    wrong_same = ("A" if target.token[0] != "A" else "B") + target.token[1:]
    for name, token in (("no token", None), ("wrong token, same length", wrong_same),
                        ("wrong token, other length", target.token[:-1]),
                        ("bearer scheme", "Bearer " + target.token)):
        _, head, body = expect_status(target, target.request_bytes(token), 403, name)
        if body != forbidden or "application/json" not in head:
            fail(f"{name}: 403 body {body!r}")
        again = expect_credentials(target, name)
        if again["AccessKeyId"] != first["AccessKeyId"]:
            fail("credentials changed between requests (the in-memory cache should hold them)")
    print("ok: missing and wrong tokens get 403")


def attack_malformed(target):
    cases = [
        ("garbage", bytes((i * 131 + 7) & 0xFF for i in range(2000)), 400),
        ("tls hello", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 64, 400),
        ("http/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
        ("http/1.2", f"GET / HTTP/1.2\r\nHost: {target.host}\r\n\r\n".encode(), 505),
        ("chunked", f"POST / HTTP/1.1\r\nHost: {target.host}\r\nTransfer-Encoding: chunked\r\n"
                    f"Authorization: {target.token}\r\n\r\n5\r\nhello\r\n0\r\n\r\n".encode(), 501),
        ("large body", f"POST / HTTP/1.1\r\nHost: {target.host}\r\nContent-Length: 1000000\r\n"
                       f"Authorization: {target.token}\r\n\r\n".encode() + b"x" * 100000, 413),
        ("no host", b"GET / HTTP/1.1\r\n\r\n", 400),
        ("absolute form", f"GET http://{target.host}/ HTTP/1.1\r\nHost: {target.host}\r\n\r\n"
                          .encode(), 400),
    ]
    for name, payload, status in cases:
        expect_status(target, payload, status, name)
        expect_credentials(target, name)
    print("ok: malformed requests get 400/413/501/505 and the server keeps serving")


def attack_huge_header(target):
    payload = target.request_bytes(target.token, extra="X-Big: " + "a" * (1 << 20) + "\r\n")
    start = time.monotonic()
    status, head, _ = expect_status(target, payload, 431, "1 MiB header")
    if "Connection: close" not in head:
        fail("431 reply does not announce the close")
    if time.monotonic() - start > 30:
        fail("the 1 MiB header took more than 30 s to refuse")
    expect_credentials(target, "1 MiB header")
    print("ok: a 1 MiB header gets 431 and the close")


def attack_keep_alive(target):
    one = target.request_bytes(target.token, close=False)
    last = target.request_bytes(target.token, close=True)
    responses = exchange(target, one + one + last)
    if [r[0] for r in responses] != [200, 200, 200]:
        fail(f"pipelined requests: {[r[0] for r in responses]}")
    s = target.connect()
    s.sendall(target.request_bytes(target.token, close=False))
    s.shutdown(socket.SHUT_WR)
    responses = split_responses(read_all(s))
    s.close()
    if [r[0] for r in responses] != [200]:
        fail(f"half-closed client: {[r[0] for r in responses]}")
    print("ok: pipelined and half-closed requests are answered")


def attack_slowloris(target):
    s = target.connect(timeout=0.5)
    head = f"GET / HTTP/1.1\r\nHost: {target.host}\r\nX-Slow: ".encode()
    s.sendall(head)
    start = time.monotonic()
    cut = None
    served_meanwhile = 0
    while time.monotonic() - start < 25:
        try:
            s.sendall(b"a")
            data = s.recv(4096)
            if data:
                fail(f"slowloris got a reply: {data[:100]!r}")
            cut = time.monotonic() - start
            break
        except socket.timeout:
            pass  # nothing came back within 0.5 s: send the next byte
        except (BrokenPipeError, ConnectionResetError):
            cut = time.monotonic() - start
            break
        if served_meanwhile < 3:
            expect_credentials(target, "a request during slowloris")
            served_meanwhile += 1
    s.close()
    if cut is None:
        fail("a slowloris client was not cut within 25 s (head timeout is 10 s)")
    expect_credentials(target, "slowloris")
    print(f"ok: a slowloris client is cut after {cut:.1f} s; others are served meanwhile")


def attack_flood(target, count=500):
    socks = []
    for _ in range(count):
        try:
            socks.append(target.connect(timeout=10))
        except OSError:
            pass  # a full backlog may refuse a few; the point is the server's state afterwards
    if len(socks) < count // 2:
        fail(f"only {len(socks)} of {count} connections could be opened")
    payload = target.request_bytes(target.token)
    for s in socks:
        try:
            s.sendall(payload)
        except OSError:
            pass  # closed by the server: over max_connections
    served = 0
    lock = threading.Lock()

    def collect(chunk):
        nonlocal served
        for s in chunk:
            try:
                responses = split_responses(read_all(s))
            except (OSError, ValueError):
                responses = []
            if responses and responses[0][0] == 200:
                with lock:
                    served += 1
            s.close()

    threads = [threading.Thread(target=collect, args=(socks[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if served == 0:
        fail("no connection of the flood was served")
    deadline = time.monotonic() + 10
    while True:
        try:
            expect_credentials(target, f"{count} concurrent connections")
            break
        except SystemExit:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    print(f"ok: {len(socks)} concurrent connections, {served} served, the server keeps serving")


def child():
    target = Target()
    attack_tokens(target)
    attack_malformed(target)
    attack_huge_header(target)
    attack_keep_alive(target)
    attack_flood(target)
    attack_slowloris(target)
    print("ok: all attacks done")


# --- the parent: moto, a file store, exec --ecs-server -----------------------------------------

def run(binary, args, env, expect=0, timeout=180):
    out = subprocess.run([binary] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if out.returncode != expect:
        fail(f"aws-vault {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
    return out


def parent(binary):
    try:
        import boto3  # noqa: F401  (moto_server.py needs it; fail here with a clear message)
    except ImportError:
        fail("boto3 is not installed in " + sys.executable + " (use the python with moto)")
    moto = subprocess.Popen([sys.executable, MOTO_SERVER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(moto.stdout.readline() or "null")
        if not info:
            fail("moto did not start")
        with tempfile.TemporaryDirectory(prefix="av-attacks-") as tmp:
            store = os.path.join(tmp, "store")
            os.mkdir(store, 0o700)
            config = os.path.join(tmp, "config")
            with open(config, "w", encoding="utf-8") as f:
                f.write(f"[profile base]\nregion = us-east-1\n\n[profile role]\n"
                        f"source_profile = base\nrole_arn = arn:aws:iam::{ACCOUNT}:role/admin\n"
                        f"region = us-east-1\n")
            env = {"HOME": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                   "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                   "AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{info['port']}"}
            run(binary, ["add", "--env", "base"],
                dict(env, AWS_ACCESS_KEY_ID=info["access_key_id"],
                     AWS_SECRET_ACCESS_KEY=info["secret_access_key"]))
            out = run(binary, ["exec", "--ecs-server", "role", "--", sys.executable,
                               os.path.abspath(__file__), "--child"], env, timeout=400)
            sys.stdout.write(out.stdout)
            if "ok: all attacks done" not in out.stdout:
                fail(f"the child did not finish:\n{out.stdout}\n{out.stderr}")
    finally:
        moto.stdin.close()
        moto.wait(timeout=30)
    print("ok: the ECS server survived every attack")


def main():
    if sys.argv[1:] == ["--child"]:
        child()
    elif len(sys.argv) == 2:
        parent(os.path.abspath(sys.argv[1]))
    else:
        sys.exit("usage: server_attacks.py <aws-vault binary>")


if __name__ == "__main__":
    main()
