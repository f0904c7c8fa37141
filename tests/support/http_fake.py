#!/usr/bin/python3
"""http_fake.py: a loopback HTTP/HTTPS server and CONNECT proxy for the net unit tests.

Standard library only (run with /usr/bin/python3). The C++ test starts it as a child process with
a pipe on stdin; the server prints "PORT <n>" on stdout once it listens on 127.0.0.1 and exits
when stdin reaches EOF (so it never outlives the test).

  http_fake.py http                          plain HTTP server (routes below)
  http_fake.py tls --dir D [--cert-name N]   the same over TLS with a certificate for DNS:N
                                             (default localhost) signed by a throwaway CA
  http_fake.py proxy [--auth user:pass]      forward proxy: CONNECT tunnels to 127.0.0.1, and
                                             absolute-form requests answered by the proxy itself

In tls mode the certificates are made with `openssl` in D on first use: ca.pem (the CA that
signed the server certificates), wrong_ca.pem (an unrelated CA), server-<N>.pem/.key.

Routes: /ok /echo /chunked /500 /redirect /close /stall /stall-body /truncated
        /oversized?n=N /oversized-chunked?n=N
        POST / (an STS endpoint): with --throttle N the first N requests get a 400 Throttling
        error document, every later one a GetCallerIdentity reply
"""

import argparse
import base64
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

MAX_HEAD = 64 * 1024


def read_head(conn):
    """Reads up to and including the blank line; returns (head bytes, extra bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > MAX_HEAD:
            return None, b""
    head, _, rest = data.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", rest


def parse_head(head):
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return method, target, headers


def read_body(conn, headers, extra):
    length = int(headers.get("content-length", "0"))
    body = extra
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return body[:length]


def send(conn, status, body=b"", headers=()):
    out = "HTTP/1.1 %s\r\n" % status
    for name, value in headers:
        out += "%s: %s\r\n" % (name, value)
    if not any(name.lower() in ("content-length", "transfer-encoding") for name, _ in headers):
        out += "Content-Length: %d\r\n" % len(body)
    out += "Connection: close\r\n\r\n"
    conn.sendall(out.encode("latin-1") + body)


def query_int(target, name, default):
    _, _, query = target.partition("?")
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == name:
            return int(value)
    return default


def stream_bytes(conn, total, chunked):
    sent = 0
    block = b"a" * 65536
    try:
        while sent < total:
            piece = block[: min(len(block), total - sent)]
            if chunked:
                conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            else:
                conn.sendall(piece)
            sent += len(piece)
        if chunked:
            conn.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the client gave up at its limit


STS_STATE = {"throttle": 0, "lock": threading.Lock()}
STS_THROTTLED = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                 b"<Message>Rate exceeded</Message></Error><RequestId>t-1</RequestId>"
                 b"</ErrorResponse>")
STS_IDENTITY = (b"<GetCallerIdentityResponse><GetCallerIdentityResult>"
                b"<Arn>arn:aws:iam::123456789012:user/fake</Arn><UserId>AIDAFAKE</UserId>"
                b"<Account>123456789012</Account></GetCallerIdentityResult>"
                b"</GetCallerIdentityResponse>")


def route_sts(conn):
    with STS_STATE["lock"]:
        throttled = STS_STATE["throttle"] > 0
        STS_STATE["throttle"] -= 1 if throttled else 0
    if throttled:
        send(conn, "400 Bad Request", STS_THROTTLED, [("Content-Type", "text/xml")])
    else:
        send(conn, "200 OK", STS_IDENTITY, [("Content-Type", "text/xml")])


def route(conn, method, target, headers, head, body):
    path = target.partition("?")[0]
    if path == "/" and method == "POST":
        route_sts(conn)
    elif path == "/ok":
        send(conn, "200 OK", b"hello", [("Content-Type", "text/plain")])
    elif path == "/echo":
        send(conn, "200 OK", head + body)
    elif path == "/chunked":
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                     b"3\r\nhel\r\n3;ext=1\r\nlo \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n")
    elif path == "/500":
        send(conn, "500 Internal Server Error", b"boom")
    elif path == "/redirect":
        send(conn, "302 Found", b"", [("Location", "/ok")])
    elif path == "/close":
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close")
    elif path == "/stall":
        time.sleep(30)
    elif path == "/stall-body":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345")
        time.sleep(30)
    elif path == "/truncated":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
    elif path == "/oversized":
        n = query_int(target, "n", 2 * 1024 * 1024)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % n)
        stream_bytes(conn, n, False)
    elif path == "/oversized-chunked":
        n = query_int(target, "n", 2 * 1024 * 1024)
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        stream_bytes(conn, n, True)
    else:
        send(conn, "404 Not Found", b"no route")


def serve_http(conn, tls_context):
    try:
        if tls_context is not None:
            conn.settimeout(10)
            conn = tls_context.wrap_socket(conn, server_side=True)
            conn.settimeout(None)
        head, extra = read_head(conn)
        if head is None:
            return
        method, target, headers = parse_head(head)
        body = read_body(conn, headers, extra)
        route(conn, method, target, headers, head, body)
    except (OSError, ValueError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def relay(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve_proxy(conn, auth):
    try:
        head, extra = read_head(conn)
        if head is None:
            return
        method, target, headers = parse_head(head)
        if auth is not None:
            expected = "Basic " + base64.b64encode(auth.encode()).decode()
            if headers.get("proxy-authorization") != expected:
                send(conn, "407 Proxy Authentication Required", b"auth please",
                     [("Proxy-Authenticate", 'Basic realm="fake"')])
                return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
            upstream.settimeout(None)
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if extra:
                upstream.sendall(extra)
            t = threading.Thread(target=relay, args=(upstream, conn), daemon=True)
            t.start()
            relay(conn, upstream)
            t.join()
            upstream.close()
        else:
            body = read_body(conn, headers, extra)
            send(conn, "200 OK", ("proxied %s %s" % (method, target)).encode() +
                 (b" auth" if "proxy-authorization" in headers else b"") + b"\n" + body)
    except (OSError, ValueError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_ca(directory, name):
    key = os.path.join(directory, name + ".key")
    pem = os.path.join(directory, name + ".pem")
    if not os.path.exists(pem):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key, "-out", pem + ".tmp", "-days", "2",
                "-subj", "/CN=aws-vault test " + name)
        os.rename(pem + ".tmp", pem)
    return key, pem


def make_server_cert(directory, cert_name):
    ca_key, ca_pem = make_ca(directory, "ca")
    make_ca(directory, "wrong_ca")
    key = os.path.join(directory, "server-%s.key" % cert_name)
    pem = os.path.join(directory, "server-%s.pem" % cert_name)
    if os.path.exists(pem):
        return pem, key
    csr = os.path.join(directory, "server-%s.csr" % cert_name)
    ext = os.path.join(directory, "server-%s.ext" % cert_name)
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" % cert_name)
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=" + cert_name)
    openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-set_serial",
            str(int(time.time() * 1000)), "-days", "2", "-extfile", ext, "-out", pem + ".tmp")
    os.rename(pem + ".tmp", pem)
    return pem, key


def exit_on_stdin_eof():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["http", "tls", "proxy"])
    parser.add_argument("--dir")
    parser.add_argument("--cert-name", default="localhost")
    parser.add_argument("--auth")
    parser.add_argument("--throttle", type=int, default=0)
    args = parser.parse_args()
    STS_STATE["throttle"] = args.throttle

    tls_context = None
    if args.mode == "tls":
        pem, key = make_server_cert(args.dir, args.cert_name)
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(pem, key)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
    print("PORT %d" % listener.getsockname()[1], flush=True)

    while True:
        conn, _ = listener.accept()
        if args.mode == "proxy":
            target, extra = serve_proxy, (args.auth,)
        else:
            target, extra = serve_http, (tls_context,)
        threading.Thread(target=target, args=(conn,) + extra, daemon=True).start()


if __name__ == "__main__":
    main()
