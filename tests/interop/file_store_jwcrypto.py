#!/usr/bin/python3
"""The file backend as written by the aws-vault binary, read by an independent JOSE library.

Usage: file_store_jwcrypto.py <aws-vault binary>

1. jwcrypto writes an item the way the Go tool does (p2c 8192) into an empty store. `add` checks
   the passphrase against an existing item before its first write, so the binary must decrypt
   that foreign item: a wrong passphrase is refused and writes nothing.
2. `aws-vault --backend=file add --env dev` with the right passphrase writes <dir>/dev;
   python3-jwcrypto decrypts it and the plaintext must be the Go tool's Item JSON (Key, Data =
   base64 of the credential JSON, Label, Description, KeychainNotTrustApplication,
   KeychainNotSynchronizable) with 600,000 PBES2 iterations, the header fields in jose2go's
   order. `list --credentials` then shows both items.
Fails loudly when jwcrypto is missing (tools/deps.sh installs python3-jwcrypto).
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

try:
    from jwcrypto import jwe, jwk
except ImportError:
    sys.exit("FAIL: python3-jwcrypto is not installed (run tools/deps.sh)")

BINARY = sys.argv[1]
PASSPHRASE = "correct horse battery staple"


def run(args, env, expect=0):
    out = subprocess.run([BINARY] + args, env=env, capture_output=True, text=True, check=False,
                         stdin=subprocess.DEVNULL, timeout=120)
    if out.returncode != expect:
        sys.exit(f"FAIL: aws-vault {' '.join(args)} exited {out.returncode}: {out.stderr}")
    return out.stdout


def check_written_item(store, env):
    env = dict(env, AWS_ACCESS_KEY_ID="AKIAINTEROPEXAMPLE", AWS_SECRET_ACCESS_KEY="s3cr3t/+=")
    run(["--backend=file", "add", "--env", "dev"], env)
    with open(os.path.join(store, "dev"), encoding="ascii") as f:
        token = f.read()
    obj = jwe.JWE()
    obj.deserialize(token, jwk.JWK.from_password(PASSPHRASE))
    header = json.loads(obj.objects["protected"])
    assert list(header) == ["alg", "enc", "p2c", "p2s"], header
    assert header["alg"] == "PBES2-HS256+A128KW" and header["enc"] == "A256GCM", header
    assert header["p2c"] == 600000, header
    item = json.loads(obj.payload)
    assert list(item) == ["Key", "Data", "Label", "Description", "KeychainNotTrustApplication",
                          "KeychainNotSynchronizable"], item
    assert item["Key"] == "dev" and item["Label"] == "aws-vault (dev)", item
    creds = json.loads(base64.b64decode(item["Data"]))
    assert creds["AccessKeyID"] == "AKIAINTEROPEXAMPLE", creds
    assert creds["SecretAccessKey"] == "s3cr3t/+=", "secret differs"


def check_foreign_item(store, env):
    data = json.dumps({"AccessKeyID": "AKIAFROMGO", "SecretAccessKey": "x"}).encode()
    item = {"Key": "from-go", "Data": base64.b64encode(data).decode(), "Label": "",
            "Description": "", "KeychainNotTrustApplication": False,
            "KeychainNotSynchronizable": False}
    token = jwe.JWE(json.dumps(item).encode(),
                    json.dumps({"alg": "PBES2-HS256+A128KW", "enc": "A256GCM"}))
    token.add_recipient(jwk.JWK.from_password(PASSPHRASE))
    with open(os.path.join(store, "from-go"), "w", encoding="ascii") as f:
        f.write(token.serialize(compact=True))
    wrong = dict(env, AWS_VAULT_FILE_PASSPHRASE="wrong", AWS_ACCESS_KEY_ID="AKIAX",
                 AWS_SECRET_ACCESS_KEY="x")
    run(["--backend=file", "add", "--env", "other"], wrong, expect=1)
    assert sorted(os.listdir(store)) == ["from-go"], os.listdir(store)


def main():
    with tempfile.TemporaryDirectory(prefix="av-jwcrypto-") as tmp:
        store = os.path.join(tmp, "keys")
        env = {"HOME": tmp, "PATH": "/usr/bin:/bin", "AWS_VAULT_FILE_DIR": store,
               "AWS_VAULT_FILE_PASSPHRASE": PASSPHRASE,
               "AWS_CONFIG_FILE": os.path.join(tmp, "config")}
        os.makedirs(store, mode=0o700)
        check_foreign_item(store, env)
        check_written_item(store, env)
        listed = run(["--backend=file", "list", "--credentials"], env).split()
        assert listed == ["dev", "from-go"], listed
    print("ok: the file store interoperates with jwcrypto both ways")


if __name__ == "__main__":
    main()
