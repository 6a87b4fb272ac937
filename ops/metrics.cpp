#include "ops/metrics.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kayou::ops {

void Histogram::observe(std::chrono::nanoseconds duration) {
    const double seconds = std::chrono::duration<double>(duration).count();
    std::size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_nanos_.fetch_add(static_cast<std::uint64_t>(duration.count()), std::memory_order_relaxed);
}

namespace {
std::string join_labels(const std::string& labels, const std::string& extra) {
    if (labels.empty()) return "{" + extra + "}";
    return "{" + labels + "," + extra + "}";
}
// Bucket bounds: fixed constants, written as people write them ("0.0005").
std::string format_bound(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}
// Sample values keep every digit: "%.6g" turned a start time of 1795412345 s into 1.79541e+09
// and large counts lost their last digits. Whole numbers print as integers, the rest as the
// shortest text that reads back as the same double.
std::string format_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, error == std::errc() ? end : buffer);
}
}  // namespace

std::string Histogram::render(const std::string& name, const std::string& labels) const {
    std::string out;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        out += name + "_bucket" + join_labels(labels, "le=\"" + format_bound(kBounds[i]) + "\"") +
               " " + std::to_string(cumulative) + "\n";
    }
    cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
    out += name + "_bucket" + join_labels(labels, "le=\"+Inf\"") + " " +
           std::to_string(cumulative) + "\n";
    const std::string plain = labels.empty() ? "" : "{" + labels + "}";
    out += name + "_sum" + plain + " " +
           format_value(static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9) +
           "\n";
    out += name + "_count" + plain + " " + std::to_string(count_.load(std::memory_order_relaxed)) +
           "\n";
    return out;
}

Counter& Metrics::counter(const std::string& name, const std::string& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = counters_[name][labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = histograms_[name][labels];
    if (!slot) slot = std::make_unique<Histogram>();
    return *slot;
}

void Metrics::gauge(const std::string& name, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    gauges_[name] = std::move(read);
}

void Metrics::info(const std::string& name, std::function<std::string()> labels) {
    std::lock_guard lock(mutex_);
    infos_[name] = std::move(labels);
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
    std::lock_guard lock(mutex_);
    help_[name] = {type, help};
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    auto header = [&](const std::string& name, const char* fallback_type) {
        const auto found = help_.find(name);
        if (found != help_.end()) {
            out += "# HELP " + name + " " + found->second.second + "\n";
            out += "# TYPE " + name + " " + found->second.first + "\n";
        } else {
            out += "# TYPE " + name + " " + fallback_type + "\n";
        }
    };
    for (const auto& [name, series] : counters_) {
        header(name, "counter");
        for (const auto& [labels, counter] : series)
            out += name + (labels.empty() ? "" : "{" + labels + "}") + " " +
                   std::to_string(counter->value()) + "\n";
    }
    for (const auto& [name, series] : histograms_) {
        header(name, "histogram");
        for (const auto& [labels, histogram] : series) out += histogram->render(name, labels);
    }
    for (const auto& [name, read] : gauges_) {
        header(name, "gauge");
        out += name + " " + format_value(read()) + "\n";
    }
    for (const auto& [name, labels] : infos_) {
        header(name, "gauge");
        const std::string rendered = labels();
        if (!rendered.empty()) out += name + "{" + rendered + "} 1\n";
    }
    return out;
}

std::string label_value(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

}  // namespace kayou::ops
