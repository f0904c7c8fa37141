#!/usr/bin/python3
"""Interop check of jose::encrypt_jwe / decrypt_jwe against python3-jwcrypto (Debian package).

Usage: jwcrypto_interop.py <path to av_jose_interop_tool>
Fails loudly (exit 1) when jwcrypto is missing: install it with tools/deps.sh.
"""
import json
import subprocess
import sys

try:
    from jwcrypto import jwe, jwk
except ImportError:
    sys.exit("FAIL: python3-jwcrypto is not installed (run tools/deps.sh or "
             "apt-get install python3-jwcrypto)")

TOOL = sys.argv[1]
PASSPHRASE = "interop: ünïcode passphrase"
PAYLOAD = '{"Key":"dev","Data":"c2VjcmV0"}'


def run(args, stdin):
    out = subprocess.run([TOOL] + args, input=stdin.encode(), capture_output=True, check=False)
    if out.returncode != 0:
        sys.exit(f"FAIL: tool {args[0]} exited {out.returncode}: {out.stderr.decode()}")
    return out.stdout.decode()


def ours_to_jwcrypto():
    for p2c in ("1000", "8192", "600000"):
        token = run(["encrypt", PASSPHRASE, p2c], PAYLOAD)
        obj = jwe.JWE()
        obj.deserialize(token, jwk.JWK.from_password(PASSPHRASE))
        assert obj.payload.decode() == PAYLOAD, "jwcrypto decrypted a different payload"
        header = json.loads(obj.objects["protected"])
        assert list(header) == ["alg", "enc", "p2c", "p2s"], header
        assert header["p2c"] == int(p2c), header


def jwcrypto_to_ours():
    obj = jwe.JWE(PAYLOAD.encode(),
                  protected=json.dumps({"alg": "PBES2-HS256+A128KW", "enc": "A256GCM"}))
    obj.add_recipient(jwk.JWK.from_password(PASSPHRASE))
    token = obj.serialize(compact=True)
    assert run(["decrypt", PASSPHRASE], token) == PAYLOAD, "we decrypted a different payload"
    bad = subprocess.run([TOOL, "decrypt", "wrong"], input=token.encode(), capture_output=True)
    assert bad.returncode == 1 and b"auth-failed" in bad.stderr, bad.stderr


ours_to_jwcrypto()
jwcrypto_to_ours()
print("jwcrypto interop: ok")
