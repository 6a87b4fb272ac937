#pragma once
// Percentiles for the benchmarks' latency samples (milliseconds, sorted ascending).
#include <algorithm>
#include <vector>

namespace kayou::bench {

inline double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
}

}  // namespace kayou::bench
