"""Start moto (the AWS emulator preinstalled in the pyenv Python) on a free loopback port for
one test, with SigV4 checking switched on after its own setup calls.

Run with the Python that has moto. Prints one JSON line on stdout, then serves until stdin closes:
  {"port": 43121, "access_key_id": "AKIA...", "secret_access_key": "...", "user": "av-test"}
The access key belongs to an IAM user created here, with the roles "admin" and "second" (both
allowed everything); every later request must be signed with it
(INITIAL_NO_AUTH_ACTION_COUNT: moto verifies signatures once that many requests have been seen).

With --no-auth signatures are not checked. moto 5.2.1 answers an unsigned request (such as
AssumeRoleWithWebIdentity, which AWS requires to be unsigned) with a 500 when checking is on.
"""
import json
import os
import socket
import sys

ROLES = ("admin", "second")
# CreateUser, PutUserPolicy, CreateAccessKey, then CreateRole and PutRolePolicy per role
SETUP_CALLS = 3 + 2 * len(ROLES)
if "--no-auth" not in sys.argv[1:]:
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_CALLS)
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402  (moto reads the variables above at import time)
from moto.server import ThreadedMotoServer  # noqa: E402


ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="av-test")
    # moto enforces IAM policies once signatures are checked: the test user may do anything
    iam.put_user_policy(UserName="av-test", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="av-test")["AccessKey"]
    # Roles must exist (and allow everything) for moto to accept their temporary credentials.
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": "sts:AssumeRole"}]}
    for role in ROLES:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
        iam.put_role_policy(RoleName=role, PolicyName="all", PolicyDocument=ALLOW_ALL)
    print(json.dumps({"port": port, "access_key_id": key["AccessKeyId"],
                      "secret_access_key": key["SecretAccessKey"], "user": "av-test"}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
