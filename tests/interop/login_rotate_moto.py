"""login and rotate end to end: the built binary against moto (IAM and STS, signature checking
on, so a rotated key really has to work) and tests/support/signin_fake.py as the console
federation endpoint (moto has none) (spec §2.4, §2.8, §7, §8; quirks A.17, A.20).

Usage: login_rotate_moto.py <aws-vault binary>
Run with the Python that has moto and boto3 (the pyenv python3). Fails loudly when missing.

Redirection: AWS_ENDPOINT_URL sends STS and IAM to moto; AWS_ENDPOINT_URL_SIGNIN (ours, see
src/aws/signin.h) sends the getSigninToken request and the login/logout URLs to the fake.

1. `add --env base` stores the moto user's key in a file-backend store under a temporary HOME.
2. login: `--stdout base` (an IAM user: GetFederationToken), `--stdout role` (AssumeRole, used
   as is; the credentials the fake received work against moto), a role session cached once with
   an MFA code and then re-used for each partition's region (cn-, us-gov-, eusc-, commercial)
   and for no region at all (moto keeps one IAM per partition, so only the cache lets the other
   partitions through), --auto-logout, --path, and the browser path with $BROWSER set to a
   recording script. Every URL is taken apart with urllib and checked field by field, and the
   fake's record of each Session document is checked too.
3. rotate: `rotate -n base`, `rotate role` (a session from a role sourced from base) and
   `rotate -n borrow` (a profile borrowing base's keys: quirk A.17 fixed) each leave a new stored
   key that works in moto while the old key is gone from IAM. Then a failure after the new key
   exists: STS goes to a second moto that has never heard of the new key, so the new key never
   verifies (InvalidClientTokenId, as while IAM propagates a key); after the bounded wait the old
   key is stored again, still works, and the new key is deleted from IAM.
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse

BINARY = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.join(HERE, "..", "support")
MOTO_SERVER = os.path.join(SUPPORT, "moto_server.py")
SIGNIN_FAKE = os.path.join(SUPPORT, "signin_fake.py")
ACCOUNT = "123456789012"
PASSPHRASE = "interop passphrase"
FAKE_TOKEN = "fake-signin+token/with=chars&more %done"
MOTO_FEDERATED_KEY = "AKIAIOSFODNN7EXAMPLE"

try:
    import boto3
    import botocore.exceptions
except ImportError:
    sys.exit("FAIL: boto3 is not installed in " + sys.executable + " (use the python with moto)")


def fail(message):
    sys.exit("FAIL: " + message)


def run_full(args, env, expect=0, timeout=120):
    out = subprocess.run([BINARY] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if out.returncode != expect:
        fail(f"aws-vault {' '.join(args)} exited {out.returncode} (want {expect}): "
             f"{out.stdout}{out.stderr}")
    return out


class Server:
    """A child server that prints one line (JSON for moto, "PORT n" for the fake) and serves
    until its stdin closes."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.line = self.proc.stdout.readline()
        if not self.line:
            fail(f"{argv[1]} did not start")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def sts_client(port, creds):
    return boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id=creds["id"], aws_secret_access_key=creds["secret"],
                        aws_session_token=creds.get("token") or None)


def caller_arn(port, creds):
    try:
        return sts_client(port, creds).get_caller_identity()["Arn"]
    except botocore.exceptions.ClientError as e:
        return "error:" + e.response["Error"]["Code"]


def iam_key_ids(port, creds):
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=creds["id"], aws_secret_access_key=creds["secret"])
    keys = iam.list_access_keys(UserName="av-test")["AccessKeyMetadata"]
    return sorted(k["AccessKeyId"] for k in keys)


def stored_key(env, profile="base"):
    doc = json.loads(run_full(["export", "--no-session", "--format=json", profile], env).stdout)
    return {"id": doc["AccessKeyId"], "secret": doc["SecretAccessKey"]}


# --- login -------------------------------------------------------------------------------------

def split(url):
    parts = urllib.parse.urlsplit(url)
    if parts.fragment:
        fail(f"unexpected fragment in {url!r}")
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", params


def check_login_url(url, federation, destination, token=FAKE_TOKEN):
    base, params = split(url)
    want = [("Action", "login"), ("Issuer", "aws-vault"), ("Destination", destination),
            ("SigninToken", token)]
    if base != federation or params != want:
        fail(f"login URL {url!r}:\n  got  {base} {params}\n  want {federation} {want}")


def recorded_sessions(record):
    sessions = []
    if os.path.exists(record):
        with open(record, encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                if "error" in entry:
                    fail(f"signin fake refused a request: {entry['error']}")
                sessions.append(entry["session"])
        os.remove(record)
    return sessions


def login_url(args, env):
    out = run_full(["login"] + args, env).stdout
    if not out.endswith("\n") or out.count("\n") != 1:
        fail(f"login {args}: expected one line, got {out!r}")
    return out[:-1]


def console(region, path="console/home"):
    domains = {"cn-": "console.amazonaws.cn", "us-gov-": "console.amazonaws-us-gov.com",
               "eusc-": "console.amazonaws-eusc.eu"}
    domain = next((d for p, d in domains.items() if region.startswith(p)),
                  "console.aws.amazon.com")
    return f"https://{region}.{domain}/{path}?region={region}"


def check_login(moto_port, fake_url, record, env, tmp):
    federation = fake_url + "/federation"
    # An IAM user's keys become a federated session (moto hands out a fixed key for it).
    check_login_url(login_url(["--stdout", "base"], env), federation, console("us-east-1"))
    sessions = recorded_sessions(record)
    if len(sessions) != 1 or sessions[0]["sessionId"] != MOTO_FEDERATED_KEY:
        fail(f"login base: the fake should have received the federated key: {sessions}")
    # A role's session is used as is, and it works.
    check_login_url(login_url(["-s", "--path", "s3/home", "role"], env), federation,
                    console("us-east-1", "s3/home"))
    (session,) = recorded_sessions(record)
    creds = {"id": session["sessionId"], "secret": session["sessionKey"],
             "token": session["sessionToken"]}
    if not caller_arn(moto_port, creds).startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/"):
        fail(f"login role: the session sent to the fake does not work: {session['sessionId']}")
    # Cache a role session (MFA makes it cacheable), then every partition re-uses it.
    login_url(["-s", "-t", "123456", "--region", "us-east-1", "rolemfa"], env)
    (cached,) = recorded_sessions(record)
    for region in ("cn-north-1", "us-gov-west-1", "eusc-de-east-1", "eu-west-1"):
        check_login_url(login_url(["-s", "--region", region, "rolemfa"], env), federation,
                        console(region))
        if recorded_sessions(record) != [cached]:
            fail(f"login --region {region}: expected the cached role session")
    check_login_url(login_url(["-s", "--path", "s3/home", "rolemfa"], env), federation,
                    "https://console.aws.amazon.com/")
    recorded_sessions(record)
    # --auto-logout: the whole login URL, escaped, is the redirect_uri (quirk A.20 fixed).
    base, params = split(login_url(["-s", "-a", "--region", "eu-west-1", "rolemfa"], env))
    if base != fake_url + "/oauth" or [n for n, _ in params] != ["Action", "redirect_uri"] \
            or params[0][1] != "logout":
        fail(f"--auto-logout URL: {base} {params}")
    check_login_url(params[1][1], federation, console("eu-west-1"))
    recorded_sessions(record)
    check_browser(federation, env, tmp)


def check_browser(federation, env, tmp):
    args_file = os.path.join(tmp, "browser.args")
    script = os.path.join(tmp, "browser.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write(f"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{args_file}'\necho opened\n")
    os.chmod(script, 0o700)
    out = run_full(["login", "--region", "eu-west-1", "rolemfa"], dict(env, BROWSER=script))
    if out.stdout:
        fail(f"login with a browser printed {out.stdout!r} on stdout")
    with open(args_file, "rb") as f:
        args = f.read().split(b"\0")[:-1]
    if len(args) != 1:
        fail(f"the browser got {len(args)} arguments, want the URL alone")
    check_login_url(args[0].decode(), federation, console("eu-west-1"))


# --- rotate ------------------------------------------------------------------------------------

def check_rotated(port, env, before, profile, how, item="base"):
    out = run_full(["rotate"] + profile, env).stdout
    after = stored_key(env)
    if after["id"] == before["id"]:
        fail(f"rotate {profile}: the stored key did not change")
    mask = lambda key: "*" * 16 + key[-4:]  # noqa: E731
    first = (f"Rotating credentials stored for profile '{item}' using {how} "
             "(takes 10-20 seconds)\nCreating a new access key\n"
             f"Created new access key {mask(after['id'])}\n")
    last = (f"Deleting old access key {mask(before['id'])}\nDeleted old access key "
            f"{mask(before['id'])}\nFinished rotating access key\n")
    if not out.startswith(first) or not out.endswith(last):
        fail(f"rotate {profile} printed:\n{out}")
    if caller_arn(port, after) != f"arn:aws:iam::{ACCOUNT}:user/av-test":
        fail(f"rotate {profile}: the new stored key does not work")
    if caller_arn(port, before) != "error:InvalidClientTokenId":
        fail(f"rotate {profile}: the old key still works")
    if iam_key_ids(port, after) != [after["id"]]:
        fail(f"rotate {profile}: IAM should hold the new key only: {iam_key_ids(port, after)}")
    return after


def check_rotate(port, env):
    key = stored_key(env)
    key = check_rotated(port, env, key, ["-n", "base"], "master credentials")
    key = check_rotated(port, env, key, ["role"], "a session from profile 'role'")
    key = check_rotated(port, env, key, ["-n", "borrow"], "master credentials")
    return key


def check_rotate_unverified(port, env, key):
    """The new key never verifies: STS is a second moto that does not know it."""
    other = Server([sys.executable, MOTO_SERVER])
    try:
        other_port = json.loads(other.line)["port"]
        broken = dict(env, AWS_ENDPOINT_URL_STS=f"http://127.0.0.1:{other_port}")
        out = run_full(["rotate", "-n", "base"], broken, expect=1, timeout=300)
    finally:
        other.close()
    mask = "*" * 16 + key["id"][-4:]
    if "Error verifying new access key" not in out.stderr or "InvalidClientTokenId" not in \
            out.stderr or f"the old key {mask} is stored again and active" not in out.stderr \
            or not out.stderr.rstrip().endswith("was deleted"):
        fail(f"unverified rotation reported:\n{out.stderr}")
    if stored_key(env) != key:
        fail("unverified rotation: the old key should be stored again")
    if caller_arn(port, key) != f"arn:aws:iam::{ACCOUNT}:user/av-test" or \
            iam_key_ids(port, key) != [key["id"]]:
        fail("unverified rotation: the old key should work and be the only one in IAM")


def write_config(path):
    role = f"role_arn = arn:aws:iam::{ACCOUNT}:role/admin"
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""[profile base]
region = us-east-1

[profile borrow]
source_profile = base
region = us-east-1

[profile role]
source_profile = base
{role}
region = us-east-1

[profile rolemfa]
source_profile = base
{role}
mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/av-test
""")


def main():
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    moto = Server([sys.executable, MOTO_SERVER])
    try:
        info = json.loads(moto.line)
        with tempfile.TemporaryDirectory(prefix="av-interop-") as tmp:
            record = os.path.join(tmp, "signin.jsonl")
            fake = Server([python, SIGNIN_FAKE, "--record", record])
            try:
                fake_url = "http://127.0.0.1:" + fake.line.split()[1]
                store = os.path.join(tmp, "store")
                os.mkdir(store, 0o700)
                config = os.path.join(tmp, "config")
                write_config(config)
                env = {"HOME": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                       "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                       "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                       "AWS_ENDPOINT_URL": f"http://127.0.0.1:{info['port']}",
                       "AWS_ENDPOINT_URL_SIGNIN": fake_url}
                run_full(["add", "--env", "base"],
                         dict(env, AWS_ACCESS_KEY_ID=info["access_key_id"],
                              AWS_SECRET_ACCESS_KEY=info["secret_access_key"]))
                check_login(info["port"], fake_url, record, env, tmp)
                key = check_rotate(info["port"], env)
                check_rotate_unverified(info["port"], env, key)
            finally:
                fake.close()
    finally:
        moto.close()
    print("ok: login URLs for users, roles and every partition; rotate -n, with a role session, "
          "for a borrowing profile, and undone when the new key never verifies")


if __name__ == "__main__":
    main()
