// bench.h: a minimal benchmark harness for `make bench`. Each benchmark runs a callable many
// times, reports the median, and a ratio against a baseline measured in the same run (the
// machine is shared and noisy, so only ratios from one run are comparable). Benchmarks print;
// they never pass or fail on timing.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace av::bench {

// median_ns runs `fn` `runs` times (after `warmup` untimed runs) and returns the median in ns.
template <class Fn>
double median_ns(Fn&& fn, int runs, int warmup = 3) {
  for (int i = 0; i < warmup; ++i) fn();
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto end = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration<double, std::nano>(end - start).count());
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

inline std::string human(double ns) {
  char buf[32];
  if (ns >= 1e6) std::snprintf(buf, sizeof buf, "%.2f ms", ns / 1e6);
  else if (ns >= 1e3) std::snprintf(buf, sizeof buf, "%.2f us", ns / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f ns", ns);
  return buf;
}

// report prints one row of the table tools/bench.sh heads.
inline void report(const std::string& name, double median, double baseline) {
  std::printf("%-48s %12s %12s %10.2f\n", name.c_str(), human(median).c_str(),
              human(baseline).c_str(), baseline > 0 ? median / baseline : 0.0);
}

}  // namespace av::bench
