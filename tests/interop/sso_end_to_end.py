"""SSO (IAM Identity Center) end to end (spec §10, differences in src/vault/sso.h), against the
loopback fake tests/support/sso_fake.py (moto has no SSO) and moto for the role sourced from an
SSO profile.

Usage: sso_end_to_end.py <aws-vault binary>
Run with the Python that has moto and boto3 (the pyenv python3); fails loudly without them.

The "browser" is a script in the test's directory named by $BROWSER: given an /authorize URL it
fetches it with urllib, which follows the fake's 302 to aws-vault's loopback listener (the
redirect flow with PKCE); given a /device URL it approves the user code. It appends each URL to
a log, so the test counts how often a browser was opened.

1. export (redirect flow): one registration, one authorization; the role credentials are cached;
   another role under the same sso-session re-uses the OIDC token; a role profile sourced from
   the SSO profile gets AssumeRole credentials from moto; exec passes the role credentials.
2. A token the portal rejects (401) is dropped and the sign-in repeated; a token that expired
   is refreshed with the refresh token (no browser); a stale refresh token leads to a new
   sign-in with the cached client registration.
3. --use-device-code: approved through /device; a slow_down storm is waited out; denial,
   expiry and a state mismatch on the redirect fail with clear errors.
4. 30 parallel exports over 10 profiles of a new sso-session: one registration, one
   authorization, one browser tab.
5. exec --profile-env writes the AWS CLI's cache file (~/.aws/sso/cache/<sha1>.json, 0600).
"""
import hashlib
import json
import os
import stat
import subprocess
import sys
import tempfile
import time

BINARY = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.join(HERE, "..", "support")
ACCOUNT = "123456789012"
PASSPHRASE = "interop passphrase"

try:
    import boto3
except ImportError:
    sys.exit("FAIL: boto3 is not installed in " + sys.executable + " (use the python with moto)")


def fail(message):
    sys.exit("FAIL: " + message)


BROWSER_SCRIPT = """#!{python}
# The test's browser: opens one URL the way a user would (see sso_end_to_end.py).
import os, sys, urllib.error, urllib.request
url = sys.argv[1]
with open({log!r}, "a", encoding="utf-8") as f:
    f.write(url + "\\n")
if os.environ.get("FAKE_BROWSER_MODE") == "ignore":
    sys.exit(0)
try:
    urllib.request.urlopen(url, timeout=30).read()
except urllib.error.HTTPError as e:
    e.read()  # aws-vault's refusal page
"""


class Fake:
    """sso_fake.py as a child process, with its control API."""

    def __init__(self):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(SUPPORT, "sso_fake.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            fail(f"sso_fake.py did not start: {line!r}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"

    def control(self, **settings):
        import urllib.request
        request = urllib.request.Request(self.url + "/_control", method="POST",
                                         data=json.dumps(settings).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
            if reply.status != 200:
                fail(f"fake control {settings} refused")

    def stats(self):
        import urllib.request
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as reply:
            return json.loads(reply.read())

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def token_errors(stats, name):
    return stats.get("token_errors", {}).get(name, 0)


class Run:
    def __init__(self, env, browser_log):
        self.env = env
        self.browser_log = browser_log

    def full(self, args, expect=0, extra=None):
        env = dict(self.env, **(extra or {}))
        out = subprocess.run([BINARY] + args, env=env, capture_output=True, text=True,
                             check=False, stdin=subprocess.DEVNULL, timeout=180)
        if out.returncode != expect:
            fail(f"aws-vault {' '.join(args)} exited {out.returncode} (want {expect}): "
                 f"{out.stderr}")
        return out

    def export(self, profile, *flags, extra=None):
        out = self.full(["--debug", "export", "--format=json"] + list(flags) + [profile],
                        extra=extra)
        doc = json.loads(out.stdout)
        if not doc.get("AccessKeyId") or not doc.get("SessionToken") or not doc.get("Expiration"):
            fail(f"export {profile}: incomplete credentials {sorted(doc)}")
        return doc, out.stderr

    def opened(self):
        if not os.path.exists(self.browser_log):
            return 0
        with open(self.browser_log, encoding="utf-8") as f:
            return len(f.read().splitlines())


def expect(what, got, want):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def check_redirect_flow(run, fake, moto_port):
    doc, err = run.export("sso")
    if not doc["AccessKeyId"].startswith("ASIA"):
        fail(f"export sso: unexpected key id {doc['AccessKeyId']!r}")
    if "Opening the SSO authorization page in your default browser (use Ctrl-C to abort)\n" \
            + fake.url + "/authorize?" not in err:
        fail(f"export sso: no sign-in instructions on stderr:\n{err}")
    stats = fake.stats()
    expect("registrations after the first sign-in", stats["registrations"], 1)
    expect("authorizations after the first sign-in", stats["authorize_calls"], 1)
    expect("authorization-code grants", stats["token_calls"]["authorization_code"], 1)
    expect("browser tabs", run.opened(), 1)
    again, err = run.export("sso")
    expect("cached role credentials", again["AccessKeyId"], doc["AccessKeyId"])
    if "Re-using cached credentials" not in err:
        fail("the second export should re-use the cached role credentials")
    run.export("sso-readonly")
    stats = fake.stats()
    expect("role credential calls", stats["role_credentials_calls"], 2)
    expect("registrations with a cached token", stats["registrations"], 1)
    expect("authorizations with a cached token", stats["authorize_calls"], 1)
    role, _ = run.export("role")
    sts = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{moto_port}",
                       region_name="us-east-1", aws_access_key_id=role["AccessKeyId"],
                       aws_secret_access_key=role["SecretAccessKey"],
                       aws_session_token=role["SessionToken"])
    arn = sts.get_caller_identity()["Arn"]
    if f":assumed-role/admin/" not in arn:
        fail(f"role sourced from SSO: caller {arn!r} is not the assumed role")
    lines = run.full(["exec", "sso", "--", "env"]).stdout.splitlines()
    child = dict(line.split("=", 1) for line in lines if "=" in line)
    expect("exec AWS_VAULT", child.get("AWS_VAULT"), "sso")
    expect("exec AWS_ACCESS_KEY_ID", child.get("AWS_ACCESS_KEY_ID"), doc["AccessKeyId"])
    expect("exec AWS_SESSION_TOKEN", child.get("AWS_SESSION_TOKEN"), doc["SessionToken"])


def check_token_lifecycle(run, fake):
    # Role credentials that live 60 s are never re-used (AWS_MIN_TTL is 5 m): every export
    # below needs the OIDC token.
    fake.control(role_lifetime=60, expire_access_tokens=True, token_lifetime=2)
    _, err = run.export("sso-life")
    if "was rejected (UnauthorizedException), removing it" not in err:
        fail(f"a revoked token should be dropped:\n{err}")
    stats = fake.stats()
    expect("authorizations after a 401", stats["authorize_calls"], 2)
    expect("registrations after a 401", stats["registrations"], 2)
    time.sleep(3)  # the new token (2 s) has expired
    _, err = run.export("sso-life")
    if "Refreshed OIDC access token" not in err:
        fail(f"an expired token should be refreshed:\n{err}")
    stats = fake.stats()
    expect("refresh grants", stats["token_calls"]["refresh_token"], 1)
    expect("authorizations after a refresh", stats["authorize_calls"], 2)
    opened = run.opened()
    fake.control(stale_refresh_tokens=True)
    time.sleep(3)
    _, err = run.export("sso-life")
    if "was refused (InvalidGrantException), signing in again" not in err:
        fail(f"a stale refresh token should lead to a new sign-in:\n{err}")
    stats = fake.stats()
    expect("authorizations after a stale refresh", stats["authorize_calls"], 3)
    expect("registrations after a stale refresh (client re-used)", stats["registrations"], 2)
    expect("browser tabs after a stale refresh", run.opened(), opened + 1)
    fake.control(token_lifetime=28800)


def check_device_flow(run, fake):
    before = fake.stats()
    _, err = run.export("device", "--use-device-code")
    if fake.url + "/device?user_code=" not in err:
        fail(f"device flow: the verification URL was not shown:\n{err}")
    stats = fake.stats()
    expect("device authorizations", stats["device_authorizations"],
           before["device_authorizations"] + 1)
    expect("device grants", stats["token_calls"]["device_code"] > 0, True)
    expect("authorizations in the device flow", stats["authorize_calls"],
           before["authorize_calls"])
    # A slow_down storm: the interval grows by 5 s each time and polling goes on.
    fake.control(slow_down=2)
    _, err = run.export("slow", "--use-device-code",
                        extra={"AWS_VAULT_SSO_DEVICE_CODE": "true"})
    if "SSO-OIDC asked to slow down; polling every 11s" not in err:
        fail(f"slow_down storm: the interval did not grow to 11 s:\n{err}")
    expect("slow_down answers", token_errors(fake.stats(), "SlowDownException"),
           token_errors(before, "SlowDownException") + 2)


def check_refusals(run, fake):
    fake.control(deny_next_authorization=True)
    err = run.full(["export", "denied"], expect=1).stderr
    if "SSO sign-in was denied in the browser (access_denied)" not in err:
        fail(f"a denied redirect sign-in should say so:\n{err}")
    fake.control(deny_next_authorization=True)
    err = run.full(["export", "--use-device-code", "denied"], expect=1).stderr
    if "SSO sign-in was denied: " not in err:
        fail(f"a denied device sign-in should say so:\n{err}")
    fake.control(bad_state=True)
    err = run.full(["export", "denied"], expect=1).stderr
    if "carries a state that does not match this sign-in" not in err:
        fail(f"a redirect with another state must be refused:\n{err}")
    fake.control(device_expires_in=2)
    err = run.full(["export", "--use-device-code", "denied"], expect=1,
                   extra={"FAKE_BROWSER_MODE": "ignore"}).stderr
    if "the SSO device code expired" not in err:
        fail(f"an unapproved device code should expire:\n{err}")
    fake.control(device_expires_in=600)


def check_single_flight(run, fake):
    before = fake.stats()
    opened = run.opened()
    procs = [subprocess.Popen([BINARY, "export", "--format=json", f"flight{i % 10}"],
                              env=run.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(30)]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, results):
        if proc.returncode != 0 or not json.loads(out).get("AccessKeyId"):
            fail(f"single flight: an export failed ({proc.returncode}): {err}")
    stats = fake.stats()
    expect("registrations for 30 parallel exports", stats["registrations"] -
           before["registrations"], 1)
    expect("authorizations for 30 parallel exports", stats["authorize_calls"] -
           before["authorize_calls"], 1)
    expect("browser tabs for 30 parallel exports", run.opened() - opened, 1)


def check_profile_env(run, home):
    # sso-life's role credentials are never re-used, so the OIDC token is refreshed first.
    lines = run.full(["exec", "--profile-env", "sso-life", "--", "env"]).stdout.splitlines()
    child = dict(line.split("=", 1) for line in lines if "=" in line)
    expect("exec --profile-env AWS_PROFILE", child.get("AWS_PROFILE"), "sso-life")
    if "AWS_ACCESS_KEY_ID" in child:
        fail("exec --profile-env must not pass keys")
    cache = os.path.join(home, ".aws", "sso", "cache")
    path = os.path.join(cache, hashlib.sha1(b"corp").hexdigest() + ".json")
    if not os.path.exists(path):
        fail("exec --profile-env did not write the AWS CLI SSO cache " + path +
             " (exec needs cli::sync_aws_cli_sso_cache in its --profile-env path)")
    expect("cache directory mode", stat.S_IMODE(os.stat(cache).st_mode), 0o700)
    expect("cache file mode", stat.S_IMODE(os.stat(path).st_mode), 0o600)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    expect("cache file members", list(doc), ["accessToken", "expiresAt", "refreshToken"])
    if not doc["accessToken"].startswith("fakeaccess-") or not doc["expiresAt"].endswith("Z"):
        fail(f"cache file content: {doc}")


def write_config(path):
    flights = "".join(f"""
[profile flight{i}]
sso_session = flight
sso_account_id = 111122223333
sso_role_name = Role{i}
region = us-east-1
""" for i in range(10))
    sessions = "".join(f"""
[profile {name}]
sso_session = {name}
sso_account_id = 111122223333
sso_role_name = Admin
region = us-east-1

[sso-session {name}]
sso_start_url = https://{name}.awsapps.com/start
sso_region = eu-west-1
""" for name in ("device", "slow", "denied"))
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = us-east-1

[profile sso-readonly]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-east-1

[profile sso-life]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Life
region = us-east-1

[profile role]
source_profile = sso
role_arn = arn:aws:iam::{ACCOUNT}:role/admin
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[sso-session flight]
sso_start_url = https://flight.awsapps.com/start
sso_region = eu-west-1
{flights}{sessions}""")


def main():
    moto = subprocess.Popen([sys.executable, os.path.join(SUPPORT, "moto_server.py"),
                             "--no-auth"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    fake = None
    try:
        info = json.loads(moto.stdout.readline() or "null")
        if not info:
            fail("moto did not start")
        fake = Fake()
        with tempfile.TemporaryDirectory(prefix="av-sso-") as tmp:
            store = os.path.join(tmp, "store")
            os.mkdir(store, 0o700)
            config = os.path.join(tmp, "config")
            write_config(config)
            browser_log = os.path.join(tmp, "browser.log")
            browser = os.path.join(tmp, "browser")
            with open(browser, "w", encoding="utf-8") as f:
                f.write(BROWSER_SCRIPT.format(python=sys.executable, log=browser_log))
            os.chmod(browser, 0o700)
            env = {"HOME": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                   "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                   "AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{info['port']}",
                   "AWS_ENDPOINT_URL_SSO_OIDC": fake.url, "AWS_ENDPOINT_URL_SSO": fake.url,
                   "BROWSER": browser}
            run = Run(env, browser_log)
            check_redirect_flow(run, fake, info["port"])
            check_token_lifecycle(run, fake)
            check_device_flow(run, fake)
            check_refusals(run, fake)
            check_single_flight(run, fake)
            check_profile_env(run, tmp)
    finally:
        if fake is not None:
            fake.stop()
        moto.stdin.close()
        moto.wait(timeout=30)
    print("ok: SSO redirect and device flows, cached/refreshed/replaced tokens, refusals, one "
          "sign-in for 30 parallel exports, and the AWS CLI cache")


if __name__ == "__main__":
    main()
