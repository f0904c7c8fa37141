#!/usr/bin/env python3
"""check_banned.py: reject the banned APIs of STYLE.md rule 27 in project code.

Usage: check_banned.py [SRC_DIR]   (default: src/ beside this script)
Comments and string literals are blanked before matching, so prose may name a banned function.
Exit 0 when clean, 1 with one line per finding. Standard library only.
"""
import pathlib
import re
import sys

# (pattern, message, path prefixes where it is allowed)
RULES = [
    (r"\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol|atoll|atof|rand|srand|tmpnam|mktemp)\s*\(",
     "banned C function", ()),
    (r"(?<![\w:.])system\s*\(", "system() runs a shell", ()),
    (r"\bpopen\s*\(", "popen() runs a shell", ()),
    (r"\bassert\s*\(", "assert() is banned: use AV_CHECK for invariants, Result for input", ()),
    (r"\bstd::sto(i|l|ul|ll|ull|f|d|ld)\b", "std::sto* throws: use std::from_chars with a maximum", ()),
    (r"\bstd::regex\b|#\s*include\s*<regex>", "std::regex is banned (unbounded, throws)", ()),
    (r"\bgetenv\s*\(", "getenv outside platform/: take an Environment", ("platform/",)),
    (r"\breinterpret_cast\b", "reinterpret_cast outside base/bytes.h", ("base/bytes.h",)),
    (r"\bmemset\s*\(", "memset in secure/ or crypto/: wipe with sodium_memzero / mbedtls_platform_zeroize",
     "ONLY:secure/,crypto/"),
    (r"\bthrow\b", "project code does not throw (errors are values)", ()),
]

LITERAL_OR_COMMENT = re.compile(
    r'//[^\n]*|/\*.*?\*/|R"(?P<d>[^(]*)\(.*?\)(?P=d)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
    re.S)


def blank(match: re.Match) -> str:
    # Keep newlines so line numbers stay right.
    return re.sub(r"[^\n]", " ", match.group(0))


def applies(rule_scope, rel: str) -> bool:
    if isinstance(rule_scope, str) and rule_scope.startswith("ONLY:"):
        return rel.startswith(tuple(rule_scope[5:].split(",")))
    return not rel.startswith(tuple(rule_scope)) if rule_scope else True


def main() -> int:
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "src")
    files = sorted(p for p in src.rglob("*") if p.suffix in {".h", ".cpp"} and p.is_file())
    if not files:
        print(f"check_banned: no sources under {src}", file=sys.stderr)
        return 1
    findings = []
    for path in files:
        rel = path.relative_to(src).as_posix()
        text = LITERAL_OR_COMMENT.sub(blank, path.read_text(encoding="utf-8", errors="replace"))
        lines = text.splitlines()
        for pattern, message, scope in RULES:
            if not applies(scope, rel):
                continue
            rx = re.compile(pattern)
            for lineno, line in enumerate(lines, 1):
                if rx.search(line):
                    findings.append(f"src/{rel}:{lineno}: {message}")
    for f in findings:
        print(f)
    print(f"check_banned: {len(files)} files, {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
