#!/usr/bin/env python3
r"""Run one CLI scenario file against the built aws-vault binary (STYLE.md rule 29).

Usage: run_scenario.py <aws-vault binary> <scenario.txt>

Scenario format (one case per file; lines starting with '#' before the first key are comments):

    # description
    args: exec --help              argv after the program name, split like a POSIX shell (shlex)
    args-c: '\x1b[31m'           as args:, then C escapes (\xNN \n \t \a) decoded per token
    env: NAME=value                zero or more; the child starts from an EMPTY environment plus
                                   HOME, TMPDIR and PWD set to a fresh temporary directory
    file: name=content             zero or more; creates <tmp>/name with content (\\n escapes ok)
    stdin: text                    optional; \\n escapes allowed (default: empty stdin)
    exit: 0                        expected exit status (required)
    stdout: <<EOF                  exact text block up to a line 'EOF' (a final newline is
    ...                            included unless the block ends with a line '\\no-newline')
    EOF
    stdout: text                   exact one-line text plus "\\n"
    stdout-empty:                  stdout must be empty (same for stderr-empty:)
    stdout-re: regex               re.fullmatch over the whole stream (DOTALL)
    stdout-contains: text          substring (repeatable); stderr-contains likewise
    stdout-not-contains: text      substring that must be absent (repeatable)

The same keys exist for stderr. '{tmp}' in args/env/file values is replaced by the temp dir.
Only the Python standard library is used.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile


def unescape(text):
    return text.replace("\\n", "\n").replace("\\t", "\t")


def parse(path):
    case = {"env": [], "files": [], "checks": [], "args": None, "exit": None, "stdin": ""}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise SystemExit(f"{path}:{i}: expected 'key: value', got {line!r}")
        key = key.strip()
        value = value[1:] if value.startswith(" ") else value
        if value == "<<EOF":
            block = []
            while i < len(lines) and lines[i] != "EOF":
                block.append(lines[i])
                i += 1
            i += 1
            if block and block[-1] == "\\no-newline":
                value = "\n".join(block[:-1])
            else:
                value = "\n".join(block) + "\n"
        elif key in ("stdout", "stderr"):
            value = value + "\n"
        if key in ("args", "args-c"):
            case["args"] = value
            case["c_escapes"] = key == "args-c"
        elif key == "env":
            case["env"].append(value)
        elif key == "file":
            case["files"].append(value)
        elif key == "stdin":
            case["stdin"] = unescape(value)
        elif key == "exit":
            case["exit"] = int(value)
        else:
            case["checks"].append((key, value))
    if case["args"] is None or case["exit"] is None:
        raise SystemExit(f"{path}: 'args:' and 'exit:' are required")
    return case


def check(stream_name, actual, key, expected):
    kind = key[len(stream_name):]
    if kind == "":
        return actual == expected, f"exactly:\n{expected!r}"
    if kind == "-empty":
        return actual == "", "to be empty"
    if kind == "-re":
        return re.fullmatch(expected, actual, re.DOTALL) is not None, f"to match /{expected}/"
    if kind == "-contains":
        return expected in actual, f"to contain {expected!r}"
    if kind == "-not-contains":
        return expected not in actual, f"not to contain {expected!r}"
    raise SystemExit(f"unknown key {key!r}")


def main():
    binary, scenario = sys.argv[1], sys.argv[2]
    case = parse(scenario)
    with tempfile.TemporaryDirectory(prefix="av-cli-") as tmp:
        env = {"HOME": tmp, "TMPDIR": tmp, "PWD": tmp}
        for item in case["env"]:
            name, _, value = item.partition("=")
            env[name] = value.replace("{tmp}", tmp)
        for item in case["files"]:
            name, _, content = item.partition("=")
            full = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(unescape(content.replace("{tmp}", tmp)))
        words = shlex.split(case["args"].replace("{tmp}", tmp))
        if case.get("c_escapes"):
            words = [w.encode("latin-1").decode("unicode_escape") for w in words]
        argv = [binary] + words
        proc = subprocess.run(argv, input=case["stdin"].encode(), capture_output=True, env=env,
                              cwd=tmp, timeout=60)
    out = proc.stdout.decode("utf-8", "backslashreplace")
    err = proc.stderr.decode("utf-8", "backslashreplace")
    failures = []
    if proc.returncode != case["exit"]:
        failures.append(f"exit status {proc.returncode}, expected {case['exit']}")
    for key, expected in case["checks"]:
        stream = "stdout" if key.startswith("stdout") else "stderr"
        ok, what = check(stream, out if stream == "stdout" else err, key, expected)
        if not ok:
            failures.append(f"{stream} expected {what}")
    if failures:
        print(f"FAIL {scenario}")
        for f in failures:
            print("  " + f)
        print(f"--- stdout ---\n{out}--- stderr ---\n{err}--- end ---")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
