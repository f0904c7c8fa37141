"""exec --ec2-server end to end in a private network namespace: the privileged proxy on
169.254.169.254:80, the credential server on 127.0.0.1:9099, the AWS CLI and raw HTTP clients as
the child, moto as STS (spec §6.1 step 8, §6.3, §6.5, §2.10).

Usage: ec2_netns.py <aws-vault binary>
Run as root with the Python that has moto and boto3 (the pyenv python3); `unshare`, `ip` and the
AWS CLI (`aws`, awscli v1) must be on PATH. Fails loudly when any is missing. The script re-runs
itself under `unshare -n`, so nothing touches the host's network: inside, it only brings `lo` up;
the proxy adds 169.254.169.254 itself.

1. moto starts inside the namespace (tests/support/moto_server.py); `add --env base` stores the
   user's keys in a file store; the served profile is `role` (AssumeRole of admin).
2. `exec --ec2-server role -- <this script> --child <out>` runs the checks below as the child and
   exits 7; exec must exit 7 too. The child:
   a. reads the credentials through IMDSv1 (GET), and through IMDSv2 (PUT a token, GET with it);
      a wrong IMDSv2 token gets 401;
   b. runs `aws sts get-caller-identity` against moto with no credentials in its environment:
      moto names the admin role, and `aws configure list` shows the key came from `iam-role`
      (the metadata provider) and ends like the one the endpoint serves;
   c. a wrong Host header gets 401 (`Access denied for host`);
   d. a client whose source is a non-loopback address of this host (10.99.0.1 on a veth; the
      kernel here has no dummy interfaces) gets 401 `Access denied from non-localhost address`;
   e. a direct connection to 127.0.0.1:9099 without the proxy's preamble gets no reply at all;
   f. the proxy secret is a 0600 file in a 0700 directory under $TMPDIR.
3. After exec: 169.254.169.254 is gone from lo, port 80 refuses, 9099 refuses, the secret
   directory is removed; `proxy --stop` with nothing running exits 0.
4. With something already listening on 169.254.169.254:80, exec refuses to start.
5. `proxy` refuses a missing, group/other-readable, malformed, symlinked or foreign-owned secret
   file before adding the address; SIGTERM stops a running proxy, which removes the address.
"""
import glob
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
MOTO_SERVER = os.path.join(HERE, "..", "support", "moto_server.py")
ACCOUNT = "123456789012"
PASSPHRASE = "interop passphrase"
IMDS = "169.254.169.254"
CREDS_PATH = "/latest/meta-data/iam/security-credentials/"


def fail(message):
    sys.exit("FAIL: " + message)


# ---------------------------------------------------------------- the child (runs under exec)

def imds(method, path, headers=None, host=IMDS):
    req = urllib.request.Request(f"http://{host}{path}", method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def raw_request(request, source=None, address=IMDS, port=80):
    """Sends raw bytes (optionally from a chosen source address) and returns the whole reply."""
    with socket.socket() as s:
        s.settimeout(10)
        if source:
            s.bind((source, 0))
        s.connect((address, port))
        try:
            s.sendall(request)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # a server that refuses may have closed already: its reply is still readable
        out = b""
        while True:
            try:
                chunk = s.recv(4096)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
        return out


def child_checks():
    results = {}
    status, name = imds("GET", CREDS_PATH)
    results["v1_list"] = [status, name]
    status, body = imds("GET", CREDS_PATH + name)
    results["v1_creds"] = [status, json.loads(body) if status == 200 else body]
    status, token = imds("PUT", "/latest/api/token",
                         {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    results["v2_token"] = [status, len(token)]
    results["v2_creds"] = list(imds("GET", CREDS_PATH + name,
                                    {"X-aws-ec2-metadata-token": token}))[:1]
    results["v2_wrong"] = list(imds("GET", CREDS_PATH + name,
                                    {"X-aws-ec2-metadata-token": "A" * len(token)}))
    aws = [shutil.which("aws"), "--output", "json"]
    cli = subprocess.run(aws + ["sts", "get-caller-identity", "--endpoint-url",
                                os.environ["AV_MOTO_URL"]],
                         capture_output=True, text=True, timeout=120, check=False)
    results["cli"] = [cli.returncode, cli.stdout, cli.stderr[-2000:]]
    listing = subprocess.run([shutil.which("aws"), "configure", "list"], capture_output=True,
                             text=True, timeout=120, check=False)
    results["configure_list"] = listing.stdout
    results["child_env_keys"] = sorted(k for k in os.environ if k.startswith("AWS_"))
    results["wrong_host"] = raw_request(
        b"GET " + CREDS_PATH.encode() + b" HTTP/1.1\r\nHost: evil.example\r\n"
        b"Connection: close\r\n\r\n").decode(errors="replace")
    subprocess.run(["ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"], check=True)
    subprocess.run(["ip", "addr", "add", "10.99.0.1/24", "dev", "v0"], check=True)
    subprocess.run(["ip", "link", "set", "v0", "up"], check=True)
    subprocess.run(["ip", "link", "set", "v1", "up"], check=True)
    results["non_local"] = raw_request(
        b"GET " + CREDS_PATH.encode() + b" HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n",
        source="10.99.0.1").decode(errors="replace")
    results["direct"] = raw_request(
        b"GET " + CREDS_PATH.encode() + b" HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n",
        address="127.0.0.1", port=9099).decode(errors="replace")
    secrets = glob.glob(os.path.join(os.environ["TMPDIR"], "aws-vault-ec2-*", "proxy-secret"))
    results["secret_files"] = [[oct(stat.S_IMODE(os.stat(p).st_mode)),
                                oct(stat.S_IMODE(os.stat(os.path.dirname(p)).st_mode))]
                               for p in secrets]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)
    sys.exit(7)


# ---------------------------------------------------------------- the test (in the namespace)

def run(binary, args, env, expect=0, timeout=180):
    out = subprocess.run([binary] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if out.returncode != expect:
        fail(f"aws-vault {' '.join(args)} exited {out.returncode} (want {expect}):\n"
             f"--- stdout ---\n{out.stdout}--- stderr ---\n{out.stderr}")
    return out


def accepts(address, port):
    try:
        with socket.create_connection((address, port), timeout=1):
            return True
    except OSError:
        return False


def lo_has_imds():
    out = subprocess.run(["ip", "-o", "addr", "show", "dev", "lo"], capture_output=True,
                         text=True, check=True).stdout
    return (IMDS + "/") in out


def check_child(results, err):
    def expect(cond, what):
        if not cond:
            fail(f"{what}: {json.dumps(results, indent=1)}\n--- aws-vault stderr ---\n{err}")

    expect(results["v1_list"] == [200, "local-credentials"], "IMDSv1 role listing")
    status, creds = results["v1_creds"]
    expect(status == 200 and creds.get("Code") == "Success" and creds.get("AccessKeyId"),
           "IMDSv1 credentials")
    expect(results["v2_token"][0] == 200 and results["v2_token"][1] > 0, "IMDSv2 token")
    expect(results["v2_creds"] == [200], "IMDSv2 credentials with the token")
    expect(results["v2_wrong"][0] == 401, "IMDSv2 with a wrong token must get 401")
    code, out, cli_err = results["cli"]
    expect(code == 0 and json.loads(out)["Arn"].startswith(
        f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/"), "aws sts get-caller-identity")
    row = [line.split() for line in results["configure_list"].splitlines()
           if line.split()[:1] == ["access_key"]]
    expect(row and row[0][2] == "iam-role" and row[0][1][-4:] == creds["AccessKeyId"][-4:],
           "aws configure list: the key must come from the metadata endpoint (iam-role)")
    expect(not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
           & set(results["child_env_keys"]), "credentials in the child's environment")
    expect(results["wrong_host"].startswith("HTTP/1.1 401") and
           "Access denied for host 'evil.example'" in results["wrong_host"], "wrong Host")
    expect(results["non_local"].startswith("HTTP/1.1 401") and
           "Access denied from non-localhost address" in results["non_local"],
           "a client with a non-loopback source address")
    expect(results["direct"] == "", "a direct connection to 9099 without the preamble")
    expect(results["secret_files"] == [["0o600", "0o700"]],
           "the proxy secret: one 0600 file in a 0700 directory")


def check_exec(binary, env, tmp):
    out_path = os.path.join(tmp, "child.json")
    out = run(binary, ["--debug", "exec", "--ec2-server", "role", "--", sys.executable,
                       os.path.abspath(__file__), "--child", out_path], env, expect=7)
    with open(out_path, encoding="utf-8") as f:
        check_child(json.load(f), out.stderr)
    if lo_has_imds():
        fail("after exec: 169.254.169.254 is still on lo")
    if accepts(IMDS, 80):
        fail("after exec: something still answers on 169.254.169.254:80")
    if accepts("127.0.0.1", 9099):
        fail("after exec: the credential server still listens on 9099")
    if glob.glob(os.path.join(tmp, "aws-vault-ec2-*")):
        fail("after exec: the proxy secret directory is still there")
    for line in ("proxy: 10.99.0.1:", "refused: not a local address",
                 "proxy: stopped by request"):
        if line not in out.stderr:  # the proxy itself refused the non-local client, and stopped
            fail(f"the debug log lacks {line!r}:\n{out.stderr}")
    run(binary, ["proxy", "--stop"], env)  # nothing running: still exit 0


def check_busy(binary, env):
    subprocess.run(["ip", "addr", "add", IMDS + "/32", "dev", "lo"], check=True)
    try:
        with socket.socket() as squatter:
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # proxy's TIME_WAITs
            squatter.bind((IMDS, 80))
            squatter.listen()
            out = run(binary, ["exec", "--ec2-server", "role", "--", "true"], env, expect=1)
            if "Another process is already bound to 169.254.169.254:80" not in out.stderr:
                fail(f"exec with port 80 taken: {out.stderr}")
    finally:
        subprocess.run(["ip", "addr", "del", IMDS + "/32", "dev", "lo"], check=True)


def check_proxy_refusals(binary, env, tmp):
    """`proxy` checks its secret file before it touches the network: no alias is added."""
    good = "A" * 43
    cases = [("none", None, 0o600, {}, "--token-file is required"),
             ("open", good, 0o644, {}, "group or others may access it"),
             ("junk", "not a secret", 0o600, {}, "not a proxy secret"),
             ("newline", good + "\n", 0o600, {}, "not a proxy secret"),
             ("owner", good, 0o600, {"SUDO_UID": "4242", "SUDO_GID": "4242"},
              "owned by uid 0, not uid 4242"),
             ("link", good, 0o600, {}, "too many levels of symbolic links")]
    for name, content, mode, extra, message in cases:
        args = ["proxy"]
        if content is not None:
            path = os.path.join(tmp, "secret-" + name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
            os.chmod(path, mode)
            if name == "link":
                os.symlink(path, path + ".link")
                path += ".link"
            args += ["--token-file", path]
        out = run(binary, args, dict(env, **extra), expect=1)
        if message not in out.stderr:
            fail(f"proxy with a bad secret file ({name}): {out.stderr}")
        if lo_has_imds():
            fail(f"proxy with a bad secret file ({name}) added the address")


def check_proxy_sigterm(binary, env, tmp):
    """SIGTERM to a running proxy: the unprivileged child stops, the parent removes the
    address and exits 0."""
    path = os.path.join(tmp, "secret-term")
    with open(path, "w", encoding="utf-8") as f:
        f.write("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
    os.chmod(path, 0o600)
    proc = subprocess.Popen([binary, "proxy", "--token-file", path], env=env,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not accepts(IMDS, 80):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            fail("the proxy did not start listening")
        time.sleep(0.05)
    proc.terminate()
    code = proc.wait(timeout=30)
    if code != 0 or lo_has_imds():
        fail(f"proxy after SIGTERM: exit {code}, address still there: {lo_has_imds()}")


def in_namespace(binary):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # (moto's request log on stderr is dropped: the failures below print what matters)
    moto = subprocess.Popen([sys.executable, MOTO_SERVER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(moto.stdout.readline() or "null")
        if not info:
            fail("moto did not start")
        moto_url = f"http://127.0.0.1:{info['port']}"
        with tempfile.TemporaryDirectory(prefix="av-ec2-") as tmp:
            store = os.path.join(tmp, "store")
            os.mkdir(store, 0o700)
            config = os.path.join(tmp, "config")
            with open(config, "w", encoding="utf-8") as f:
                f.write(f"[profile base]\nregion = us-east-1\n\n[profile role]\n"
                        f"source_profile = base\nrole_arn = arn:aws:iam::{ACCOUNT}:role/admin\n"
                        f"region = us-east-1\n")
            env = {"HOME": tmp, "TMPDIR": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                   "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                   "AWS_ENDPOINT_URL_STS": moto_url, "AV_MOTO_URL": moto_url,
                   "AWS_VAULT_DISABLE_HELP_MESSAGE": "1",
                   "PYENV_ROOT": os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))}
            run(binary, ["add", "--env", "base"],
                dict(env, AWS_ACCESS_KEY_ID=info["access_key_id"],
                     AWS_SECRET_ACCESS_KEY=info["secret_access_key"]))
            check_exec(binary, env, tmp)
            check_busy(binary, env)
            check_proxy_refusals(binary, env, tmp)
            check_proxy_sigterm(binary, env, tmp)
    finally:
        moto.stdin.close()
        moto.wait(timeout=30)
    print("ok: exec --ec2-server served IMDSv1/v2 and the AWS CLI through the proxy; wrong "
          "host, non-local and unauthenticated clients refused; everything cleaned up; bad "
          "secret files refused")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child_checks()
    if len(sys.argv) != 2:
        fail("usage: ec2_netns.py <aws-vault binary>")
    binary = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        fail("needs root (unshare -n, ip addr, port 80)")
    for tool in ("unshare", "ip", "aws"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not on PATH")
    if os.environ.get("AV_EC2_NETNS") != "1":
        code = subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(__file__),
                               binary], env=dict(os.environ, AV_EC2_NETNS="1"),
                              check=False).returncode
        sys.exit(code)
    in_namespace(binary)


if __name__ == "__main__":
    main()
