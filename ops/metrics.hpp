#pragma once
// Prometheus text-format metrics. kayou runs one io_context thread, but admin threads may read,
// so values are atomics; label sets are created on first use under a mutex.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::ops {

class Counter {
public:
    void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Histogram {
public:
    // Upper bounds in seconds: 0.5 ms .. 10 s, enough to see both the p99 < 10 ms target and
    // WeChat's 5 s deadline.
    static constexpr std::array<double, 14> kBounds = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    void observe(std::chrono::nanoseconds duration);
    std::string render(const std::string& name, const std::string& labels) const;

private:
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_nanos_{0};
};

class Metrics {
public:
    // `labels` is the rendered label set, e.g. route="/wx/oa",status="200" (may be empty).
    Counter& counter(const std::string& name, const std::string& labels = {});
    Histogram& histogram(const std::string& name, const std::string& labels = {});
    // A value computed at scrape time (connections open, Redis connected, ...).
    void gauge(const std::string& name, std::function<double()> read);
    // An "info" gauge: `name{<labels>} 1`, the label set computed at scrape time (e.g. the current
    // Redis primary's address); nothing is rendered while it is empty.
    void info(const std::string& name, std::function<std::string()> labels);
    void describe(const std::string& name, const std::string& type, const std::string& help);

    std::string render() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::map<std::string, std::unique_ptr<Counter>>> counters_;
    std::map<std::string, std::map<std::string, std::unique_ptr<Histogram>>> histograms_;
    std::map<std::string, std::function<double()>> gauges_;
    std::map<std::string, std::function<std::string()>> infos_;
    std::map<std::string, std::pair<std::string, std::string>> help_;
};

// Escapes a label value for the text format.
std::string label_value(std::string_view value);

}  // namespace kayou::ops
