"""exec --ecs-server end to end: the AWS CLI and curl as the child, moto as STS (spec §6.1 step 8,
§6.3, §6.4).

Usage: ecs_awscli_moto.py <aws-vault binary>
Run with the Python that has moto and boto3 (the pyenv python3); the AWS CLI (`aws`, awscli v1)
and curl must be on PATH. Fails loudly when any is missing.

1. moto starts (tests/support/moto_server.py, signatures checked) with an IAM user and the roles
   admin and second; `add --env base` stores the user's keys in a file store; aws-vault's STS
   calls go to moto through AWS_ENDPOINT_URL_STS. The served profile is `role` (AssumeRole of
   admin): moto 5.2.1 refuses to verify signatures made with GetSessionToken credentials.
2. `exec --ecs-server role -- <wrapper> aws sts get-caller-identity`: the wrapper records the
   child's environment (the endpoint and a 40-character token, no key variables), the AWS CLI
   gets its credentials from our endpoint and moto names the admin role.
3. /role-arn/<arn> (raw and percent-encoded) fetched with curl gives credentials of the role
   `second` (AssumeRole with the base credentials); a wrong token gets 403.
4. --ecs-token-file: the AWS CLI (botocore reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) works
   with the token in a 0600 file, which is gone once aws-vault exits.
5. --lazy: the debug log shows no credential retrieval before the child starts; without --lazy
   it comes first.
6. The child's exit status is ours (7), and SIGTERM sent to aws-vault reaches the child.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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


def run(args, env, expect=0, timeout=180):
    out = subprocess.run([BINARY] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=timeout)
    if out.returncode != expect:
        fail(f"aws-vault {' '.join(args)} exited {out.returncode} (want {expect}):\n"
             f"--- stdout ---\n{out.stdout}--- stderr ---\n{out.stderr}")
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def env_file(path):
    return dict(line.split("=", 1) for line in read(path).splitlines() if "=" in line)


def expect_arn(arn, prefix, what):
    if not arn.startswith(prefix):
        fail(f"{what}: caller {arn!r} does not start with {prefix!r}")


def caller_arn(port, served):
    """Calls moto's GetCallerIdentity with credentials as the ECS endpoint serves them."""
    sts = boto3.client("sts", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=served["AccessKeyId"],
                       aws_secret_access_key=served["SecretAccessKey"],
                       aws_session_token=served["Token"])
    return sts.get_caller_identity()["Arn"]


def write_files(tmp):
    config = os.path.join(tmp, "config")
    with open(config, "w", encoding="utf-8") as f:
        f.write(f"""[profile base]
region = us-east-1

[profile role]
source_profile = base
role_arn = arn:aws:iam::{ACCOUNT}:role/admin
region = us-east-1
""")
    wrapper = os.path.join(tmp, "wrapper.sh")
    with open(wrapper, "w", encoding="utf-8") as f:
        f.write('#!/bin/sh\n'
                'env > "$ENV_OUT"\n'
                'F="$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"\n'
                'if [ -n "$F" ]; then\n'
                '  printf %s "$F" > "$ENV_OUT.path"\n'
                '  stat -c %a "$F" > "$ENV_OUT.mode"\n'
                '  stat -c %a "$(dirname "$F")" > "$ENV_OUT.dirmode"\n'
                'fi\n'
                'exec "$@"\n')
    os.chmod(wrapper, 0o700)
    return config, wrapper


def aws_cli(port, env):
    aws = shutil.which("aws", path=env["PATH"])
    if aws is None:
        fail("the AWS CLI (aws) is not on PATH")
    return [aws, "sts", "get-caller-identity", "--endpoint-url", f"http://127.0.0.1:{port}",
            "--output", "json"]


def check_aws_cli(port, env, wrapper, tmp):
    env_out = os.path.join(tmp, "child-env")
    out = run(["exec", "--ecs-server", "role", "--", wrapper] + aws_cli(port, env),
              dict(env, ENV_OUT=env_out, AWS_ACCESS_KEY_ID="AKIAINHERITED",
                   AWS_SECRET_ACCESS_KEY="inherited", AWS_PROFILE="inherited"))
    child = env_file(env_out)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
        if name in child:
            fail(f"ecs: the child's environment has {name}")
    if not child.get("AWS_CONTAINER_CREDENTIALS_FULL_URI", "").startswith("http://127.0.0.1:"):
        fail(f"ecs: AWS_CONTAINER_CREDENTIALS_FULL_URI is "
             f"{child.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')!r}")
    if len(child.get("AWS_CONTAINER_AUTHORIZATION_TOKEN", "")) != 40:
        fail("ecs: the child has no 40-character AWS_CONTAINER_AUTHORIZATION_TOKEN")
    expect_arn(json.loads(out.stdout)["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/",
               "AWS CLI under exec --ecs-server")


def check_role_arn(port, env, tmp):
    role = f"arn:aws:iam::{ACCOUNT}:role/second"
    encoded = role.replace(":", "%3A").replace("/", "%2F")
    script = ('auth="Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN"; '
              'url="$AWS_CONTAINER_CREDENTIALS_FULL_URI"; '
              f'curl -sS -H "$auth" "$url/role-arn/{role}" > "$OUT/raw.json" && '
              f'curl -sS -H "$auth" "$url/role-arn/{encoded}" > "$OUT/encoded.json" && '
              'curl -s -o /dev/null -w "%{http_code}" -H "Authorization: wrong" "$url/" '
              '> "$OUT/forbidden"')
    run(["exec", "--ecs-server", "role", "--", "sh", "-c", script], dict(env, OUT=tmp))
    for name in ("raw.json", "encoded.json"):
        served = json.loads(read(os.path.join(tmp, name)))
        expect_arn(caller_arn(port, served), f"arn:aws:sts::{ACCOUNT}:assumed-role/second/",
                   f"/role-arn/ ({name})")
    if read(os.path.join(tmp, "forbidden")) != "403":
        fail("a request with a wrong token should get 403")


def check_token_file(port, env, wrapper, tmp):
    runtime = os.path.join(tmp, "runtime")
    os.mkdir(runtime, 0o700)
    env_out = os.path.join(tmp, "token-file-env")
    out = run(["exec", "--ecs-server", "--ecs-token-file", "role", "--", wrapper]
              + aws_cli(port, env), dict(env, ENV_OUT=env_out, XDG_RUNTIME_DIR=runtime))
    expect_arn(json.loads(out.stdout)["Arn"], f"arn:aws:sts::{ACCOUNT}:assumed-role/admin/",
               "AWS CLI with --ecs-token-file")
    child = env_file(env_out)
    if "AWS_CONTAINER_AUTHORIZATION_TOKEN" in child:
        fail("--ecs-token-file: the token is in the child's environment")
    path = read(env_out + ".path")
    if child.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") != path or \
            not path.startswith(os.path.join(runtime, "aws-vault") + "/"):
        fail(f"--ecs-token-file: unexpected token file {path!r}")
    if (read(env_out + ".mode"), read(env_out + ".dirmode")) != ("600\n", "700\n"):
        fail("--ecs-token-file: the file must be 0600 in a 0700 directory")
    if os.path.lexists(path):
        fail("--ecs-token-file: the token file outlived aws-vault")
    # the same through the variable AWS_VAULT_ECS_TOKEN_FILE
    run(["exec", "--ecs-server", "role", "--", "sh", "-c",
         'test -n "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" && '
         'test -z "$AWS_CONTAINER_AUTHORIZATION_TOKEN"'],
        dict(env, XDG_RUNTIME_DIR=runtime, AWS_VAULT_ECS_TOKEN_FILE="true"))
    if os.listdir(os.path.join(runtime, "aws-vault")):
        fail("--ecs-token-file: files left in the token directory")


def retrieval_order(args, env):
    """Where the first credential retrieval line of the debug log sits relative to the child's
    start marker: 'before' or 'after'."""
    script = ('echo CHILD-START >&2; '
              'curl -sS -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" '
              '"$AWS_CONTAINER_CREDENTIALS_FULL_URI" > /dev/null')
    err = run(["--debug", "exec", "--ecs-server"] + args + ["role", "--", "sh", "-c", script],
              env).stderr
    start = err.find("CHILD-START")
    fetch = err.find("profile role: using AssumeRole")
    if start < 0 or fetch < 0:
        fail(f"debug log lacks the child marker or the provider selection:\n{err}")
    return "before" if fetch < start else "after"


def check_lazy(env):
    if retrieval_order([], env) != "before":
        fail("without --lazy the credentials must be fetched before the child starts")
    if retrieval_order(["--lazy"], env) != "after":
        fail("with --lazy nothing may be fetched before the child's first request")


def check_exit_and_signals(env, tmp):
    run(["exec", "--ecs-server", "--lazy", "role", "--", "sh", "-c", "exit 7"], env, expect=7)
    ready = os.path.join(tmp, "ready")
    term = os.path.join(tmp, "term")
    script = (f"trap 'echo got > {term}; exit 3' TERM; echo > {ready}; "
              "i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; exit 1")
    proc = subprocess.Popen([BINARY, "exec", "--ecs-server", "--lazy", "role", "--", "sh", "-c",
                             script], env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not os.path.exists(ready):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            fail("the child under exec --ecs-server did not start")
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    if code != 3 or not os.path.exists(term):
        fail(f"SIGTERM to aws-vault: exit {code} (want the child's 3), child trapped it: "
             f"{os.path.exists(term)}")


def main():
    if shutil.which("curl") is None:
        fail("curl is not on PATH")
    moto = subprocess.Popen([sys.executable, MOTO_SERVER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(moto.stdout.readline() or "null")
        if not info:
            fail("moto did not start")
        port = info["port"]
        with tempfile.TemporaryDirectory(prefix="av-ecs-") as tmp:
            store = os.path.join(tmp, "store")
            os.mkdir(store, 0o700)
            config, wrapper = write_files(tmp)
            env = {"HOME": tmp, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                   "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_DIR": store,
                   "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE, "AWS_CONFIG_FILE": config,
                   "AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{port}",
                   "AWS_VAULT_DISABLE_HELP_MESSAGE": "1",
                   # the `aws` on PATH may be a pyenv shim, which finds its Python through
                   # PYENV_ROOT
                   "PYENV_ROOT": os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))}
            run(["add", "--env", "base"], dict(env, AWS_ACCESS_KEY_ID=info["access_key_id"],
                                               AWS_SECRET_ACCESS_KEY=info["secret_access_key"]))
            check_aws_cli(port, env, wrapper, tmp)
            check_role_arn(port, env, tmp)
            check_token_file(port, env, wrapper, tmp)
            check_lazy(env)
            check_exit_and_signals(env, tmp)
    finally:
        moto.stdin.close()
        moto.wait(timeout=30)
    print("ok: exec --ecs-server served the AWS CLI and curl (base, /role-arn/, token file, "
          "--lazy), kept the child's exit status and forwarded SIGTERM")


if __name__ == "__main__":
    main()
