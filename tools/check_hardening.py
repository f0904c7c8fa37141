#!/usr/bin/env python3
"""check_hardening.py BINARY: verify the hardening STYLE.md §3.9 asks of a release build, from the
ELF itself (readelf, binutils): PIE, full RELRO (GNU_RELRO + BIND_NOW), non-executable stack,
stack protector (__stack_chk_fail) and FORTIFY (__*_chk functions). Prints one line per property;
exit 1 if any is missing. `--static` checks a static binary (no PIE/BIND_NOW expected, and symbols
read from .symtab when present).
"""
import re
import subprocess
import sys


def readelf(*args: str) -> str:
    return subprocess.run(["readelf", "-W", *args], check=True, capture_output=True, text=True).stdout


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    static = "--static" in sys.argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    binary = args[0]
    header = readelf("-h", binary)
    phdrs = readelf("-l", binary)
    dynamic = "" if static else readelf("-d", binary)
    symbols = readelf("--dyn-syms", binary) + (readelf("-s", binary) if static else "")

    stack = re.search(r"GNU_STACK\s+(?:\S+\s+){5}(\S+)", phdrs)
    chk = sorted(set(re.findall(r"\b(__\w+_chk)\b", symbols)) - {"__stack_chk_fail", "__stack_chk_guard"})
    results = {
        "non-executable stack": bool(stack) and "E" not in stack.group(1),
        "stack protector": "__stack_chk_fail" in symbols or "__stack_chk_guard" in symbols,
        "FORTIFY_SOURCE": bool(chk),
    }
    if not static:
        results["PIE"] = bool(re.search(r"Type:\s+DYN", header))
        results["full RELRO"] = "GNU_RELRO" in phdrs and bool(re.search(r"\(FLAGS\)[^\n]*BIND_NOW|\(FLAGS_1\)[^\n]*NOW", dynamic))
    failed = [k for k, ok in results.items() if not ok]
    for k, ok in sorted(results.items()):
        print(f"{'ok  ' if ok else 'FAIL'} {k}")
    if chk:
        print(f"     fortified calls: {', '.join(chk[:8])}{' ...' if len(chk) > 8 else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
