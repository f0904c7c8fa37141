"""exec and export end to end against moto, and `export --format=json` as the AWS CLI's
credential_process (spec §2.5, §2.6, §6.1, §4.2).

Usage: exec_export_moto.py <aws-vault binary>
Run with the Python that has moto and boto3 (the pyenv python3); the AWS CLI (`aws`, awscli v1)
must be on PATH. Fails loudly when either is missing.

1. moto starts (tests/support/moto_server.py) with an IAM user and the roles admin and second;
   `add --env base` stores the user's keys in a file store; STS calls go to moto through
   AWS_ENDPOINT_URL_STS.
2. export --format=json: --no-session gives the stored keys (no token, no expiry); the default
   gives GetSessionToken credentials (moto does not accept those for signing, so they are checked
   for shape only); a role profile gives AssumeRole credentials, a second
   role sourced from it chained ones; --mfa-token passes an MFA code through; a second export
   of the session re-uses the cached one (spec §4.4). The stored keys and the role credentials are checked
   with sts:GetCallerIdentity (boto3) against moto.
3. exec -- env: the child gets AWS_VAULT, the region, the role's keys, token and expiry, and
   none of the inherited credential variables.
4. The AWS CLI runs `aws sts get-caller-identity` with a profile whose credential_process is
   `<binary> export --format=json role`, and under `exec --no-session base --`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
MOTO_SERVER = os.path.join(HERE, "..", "support", "moto_server.py")
ACCOUNT = "123456789012"
PASSPHRASE = "interop passphrase"

try:
    import boto3
except ImportError:
    sys.exit("FAIL: boto3 is not installed in " + sys.executable + " (use the python with moto)")


def fail(message):
    sys.exit("FAIL: " + message)


def run_full(args, env, expect=0):
    out = subprocess.run([BINARY] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=120)
    if out.returncode != expect:
        fail(f"aws-vault {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out


def run(args, env, expect=0):
    return run_full(args, env, expect).stdout


def caller_arn(port, creds):
    sts = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=creds["AccessKeyId"],
                       aws_secret_access_key=creds["SecretAccessKey"],
                       aws_session_token=creds.get("SessionToken"))
    return sts.get_caller_identity()["Arn"]


def export_json(args, env, log=None):
    out = run_full(["--debug", "export", "--format=json"] + args, env)
    doc = json.loads(out.stdout)
    if doc.get("Version") != 1 or not doc.get("AccessKeyId") or not doc.get("SecretAccessKey"):
        fail(f"bad credential_process document for {args}: {sorted(doc)}")
    if log is not None and log not in out.stderr:
        fail(f"export {args}: debug log lacks {log!r}:\n{out.stderr}")
    return doc


def check_exports(port, moto_key, env):
    stored = export_json(["--no-session", "base"], env)
    if stored["AccessKeyId"] != moto_key or "SessionToken" in stored or "Expiration" in stored:
        fail(f"--no-session should print the stored keys only: {sorted(stored)}")
    expect_arn(caller_arn(port, stored), f"arn:aws:iam::{ACCOUNT}:user/av-test", "--no-session")
    session = export_json(["base"], env, "Generated credentials")
    if not session.get("SessionToken") or not session.get("Expiration"):
        fail("GetSessionToken credentials need a token and an expiry")
    if session["AccessKeyId"] == moto_key:
        fail("GetSessionToken should issue a new access key id")
    again = export_json(["base"], env, "Re-using cached credentials")
    if again["SessionToken"] != session["SessionToken"]:
        fail("a second export should re-use the cached GetSessionToken session")
    # (moto 5.2.1 does not accept GetSessionToken credentials when it checks signatures, so
    # they are not used to call moto; role credentials are)
    role = export_json(["role"], env)
    expect_arn(caller_arn(port, role), f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/", "role")
    chained = export_json(["chained"], env)
    expect_arn(caller_arn(port, chained), f"arn:aws:sts::{ACCOUNT}:assumed-role/second/",
               "chained role")
    mfa = export_json(["--mfa-token", "123456", "mfa"], env,
                      "profile mfa: using GetSessionToken (with MFA)")
    if not mfa.get("SessionToken"):
        fail("the MFA profile should get a GetSessionToken session")


def expect_arn(arn, prefix, what):
    if not arn.startswith(prefix):
        fail(f"{what}: caller {arn!r} does not start with {prefix!r}")


def check_exec_env(port, env):
    inherited = dict(env, AWS_ACCESS_KEY_ID="AKIAOLD", AWS_SECRET_ACCESS_KEY="old",
                     AWS_SESSION_TOKEN="old", AWS_PROFILE="old")
    lines = run(["exec", "role", "--", "env"], inherited).splitlines()
    child = dict(line.split("=", 1) for line in lines if "=" in line)
    for name, value in (("AWS_VAULT", "role"), ("AWS_REGION", "us-east-1"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        if child.get(name) != value:
            fail(f"exec: {name}={child.get(name)!r}, expected {value!r}")
    if "AWS_PROFILE" in child or child.get("AWS_ACCESS_KEY_ID") == "AKIAOLD":
        fail("exec: inherited credential variables reached the child")
    if not child.get("AWS_CREDENTIAL_EXPIRATION", "").endswith("Z"):
        fail("exec: AWS_CREDENTIAL_EXPIRATION missing for session credentials")
    creds = {"AccessKeyId": child["AWS_ACCESS_KEY_ID"],
             "SecretAccessKey": child["AWS_SECRET_ACCESS_KEY"],
             "SessionToken": child["AWS_SESSION_TOKEN"]}
    expect_arn(caller_arn(port, creds), f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/", "exec")


def check_aws_cli(port, env):
    aws = shutil.which("aws", path=env["PATH"])
    if aws is None:
        fail("the AWS CLI (aws) is not on PATH")
    url = f"http://127.0.0.1:{port}"
    cli = [aws, "sts", "get-caller-identity", "--endpoint-url", url, "--output", "json"]
    out = subprocess.run(cli + ["--profile", "cli"], env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    if out.returncode != 0:
        fail(f"aws with credential_process exited {out.returncode}: {out.stderr}")
    expect_arn(json.loads(out.stdout)["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/",
               "AWS CLI credential_process")
    out = subprocess.run([BINARY, "exec", "--no-session", "base", "--"] + cli, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    if out.returncode != 0:
        fail(f"aws under exec exited {out.returncode}: {out.stderr}")
    expect_arn(json.loads(out.stdout)["Arn"], f"arn:aws:iam::{ACCOUNT}:user/av-test",
               "AWS CLI under exec")


def check_single_flight(tmp, env):
    """30 concurrent exports of an MFA profile with no cached session: exactly one process calls
    STS (GetSessionToken) and runs mfa_process; the other 29 wait and re-use its session."""
    counter = os.path.join(tmp, "mfa-calls")
    script = os.path.join(tmp, "mfa.sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write(f"#!/bin/sh\necho called >> '{counter}'\nsleep 0.5\necho 123456\n")
    os.chmod(script, 0o700)
    with open(env["AWS_CONFIG_FILE"], "a", encoding="utf-8") as f:
        f.write(f"\n[profile flight]\nsource_profile = base\nregion = us-east-1\n"
                f"mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/av-test\nmfa_process = {script}\n")
    procs = [subprocess.Popen([BINARY, "--debug", "export", "--format=json", "flight"], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(30)]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, results):
        if proc.returncode != 0 or json.loads(out).get("Version") != 1:
            fail(f"single flight: an export failed ({proc.returncode}): {err}")
    generated = sum("using GetSessionToken, expires in" in err for _, err in results)
    reused = sum("Re-using cached credentials" in err for _, err in results)
    with open(counter, encoding="utf-8") as f:
        mfa_calls = len(f.read().splitlines())
    if (generated, mfa_calls, reused) != (1, 1, 29):
        fail(f"single flight: {generated} GetSessionToken calls, {mfa_calls} mfa_process runs, "
             f"{reused} cache re-uses (want 1, 1, 29)")


def write_config(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""[profile base]
region = us-east-1

[profile role]
source_profile = base
role_arn = arn:aws:iam::{ACCOUNT}:role/admin
region = us-east-1

[profile chained]
source_profile = role
role_arn = arn:aws:iam::{ACCOUNT}:role/second
region = us-east-1

[profile mfa]
source_profile = base
mfa_serial = arn:aws:iam::{ACCOUNT}:mfa/av-test
region = us-east-1

[profile cli]
region = us-east-1
credential_process = {BINARY} export --format=json role
""")


def main():
    moto = subprocess.Popen([sys.executable, MOTO_SERVER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(moto.stdout.readline() or "null")
        if not info:
            fail("moto did not start")
        with tempfile.TemporaryDirectory(prefix="av-interop-") as tmp:
            store = os.path.join(tmp, "store")
            os.mkdir(store, 0o700)
            config = os.path.join(tmp, "config")
            write_config(config)
            env = {"HOME": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                   "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                   "AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{info['port']}"}
            # the `aws` on PATH may be a pyenv shim, which finds its Python through PYENV_ROOT
            env["PYENV_ROOT"] = os.environ.get("PYENV_ROOT",
                                               os.path.expanduser("~/.pyenv"))
            run(["add", "--env", "base"], dict(env, AWS_ACCESS_KEY_ID=info["access_key_id"],
                                               AWS_SECRET_ACCESS_KEY=info["secret_access_key"]))
            check_exports(info["port"], info["access_key_id"], env)
            check_exec_env(info["port"], env)
            check_aws_cli(info["port"], env)
            check_single_flight(tmp, env)
    finally:
        moto.stdin.close()
        moto.wait(timeout=30)
    print("ok: exec/export against moto, the AWS CLI's credential_process, and one refresh for "
          "30 parallel exports")


if __name__ == "__main__":
    main()
