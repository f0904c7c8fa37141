#!/usr/bin/env python3
"""check_layering.py: hold the module graph of docs/design/ARCHITECTURE.md and the third-party
quarantine of STYLE.md rules 1, 4 and 27.

Usage: check_layering.py [SRC_DIR]   (default: src/ beside this script)
Exit 0 when every #include respects the layering, 1 with one line per violation otherwise.
Standard library only.
"""
import pathlib
import re
import sys

# module -> modules it may include (besides itself). Keep in sync with ARCHITECTURE.md.
LOWER = {
    "base": set(),
    "secure": {"base"},
    "crypto": {"base", "secure"},
    "codec": {"base", "secure", "crypto"},
    "platform": {"base", "secure"},
}
MIDDLE = {"base", "secure", "crypto", "codec", "platform"}
ALLOWED = dict(LOWER)
ALLOWED.update({
    "jose": {"base", "secure", "crypto", "codec"},
    "dbus": MIDDLE,
    "net": MIDDLE,
})
SERVICES = MIDDLE | {"jose", "dbus", "net"}
for m in ("aws", "keyring", "config", "prompt"):
    ALLOWED[m] = SERVICES
ALLOWED["vault"] = SERVICES | {"aws", "keyring", "config", "prompt"}
ALLOWED["server"] = SERVICES | {"aws", "keyring", "config", "prompt", "vault"}
ALLOWED["cli"] = set(ALLOWED) - {"cli"}
ALLOWED["main.cpp"] = {"base", "platform", "cli"}

# Third-party and OS headers: which modules (or path prefixes under src/) may include them.
QUARANTINE = [
    (re.compile(r"^(mbedtls|psa)/"), ("crypto/", "net/tls")),
    (re.compile(r"^sodium"), ("crypto/", "secure/")),
    (re.compile(r"^toml\+\+/"), ("codec/toml",)),
    (re.compile(r"^curl/"), ("net/curl",)),
    (re.compile(r"^(unistd|fcntl|termios|spawn|pwd|grp|dlfcn|poll|dirent|syslog|netdb|ifaddrs|"
                r"windows|winsock2|ws2tcpip|wincred|io|direct|errno|signal|pthread)\.h$|"
                r"^(sys|netinet|arpa|linux|mach|mach-o|Security|CoreFoundation|keyutils)/"),
     ("platform/",)),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_of(rel: str) -> str:
    return rel if "/" not in rel else rel.split("/", 1)[0]


def check_file(path: pathlib.Path, src: pathlib.Path) -> list:
    rel = path.relative_to(src).as_posix()
    mod = module_of(rel)
    problems = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, target = m.groups()
        where = f"src/{rel}:{lineno}"
        if kind == '"':
            dep = module_of(target)
            if "/" not in target:
                problems.append(f"{where}: include \"{target}\" must name its module folder")
                continue
            if dep != mod and dep not in ALLOWED.get(mod, set()):
                problems.append(f"{where}: module '{mod}' may not include '{target}' (layer '{dep}')")
        for pattern, owners in QUARANTINE:
            if pattern.search(target) and not rel.startswith(owners):
                problems.append(f"{where}: <{target}> is only allowed in {', '.join(owners)}")
    if mod not in ALLOWED:
        problems.append(f"src/{rel}: unknown module '{mod}' (add it to tools/check_layering.py and ARCHITECTURE.md)")
    return problems


def main() -> int:
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent / "src")
    files = sorted(p for p in src.rglob("*") if p.suffix in {".h", ".cpp", ".in"} and p.is_file())
    if not files:
        print(f"check_layering: no sources under {src}", file=sys.stderr)
        return 1
    problems = [p for f in files for p in check_file(f, src)]
    for p in problems:
        print(p)
    print(f"check_layering: {len(files)} files, {len(problems)} violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
