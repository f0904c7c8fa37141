// A deliberately unhardened program (built without av_options, no PIE, lazy binding, executable
// stack, no stack protector, no FORTIFY): tools/check_hardening.py must reject it, which proves the
// check can fail.
#include <cstdio>

int main(int argc, char** argv) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s", argc > 1 ? argv[1] : "probe");
  std::puts(buf);
  return 0;
}
