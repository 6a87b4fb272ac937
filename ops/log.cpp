#include "ops/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace kayou::ops {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};

constexpr std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warn:
            return "warn";
        case LogLevel::error:
            return "error";
    }
    return "info";
}

// A JSON string literal, escaped by nlohmann::json; bytes that are not UTF-8 become U+FFFD
// instead of breaking the line.
void append_json_string(std::string& out, std::string_view text) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void set_log_level(LogLevel level) { g_level.store(level); }
LogLevel log_level() { return g_level.load(); }

bool parse_log_level(std::string_view text, LogLevel& level) {
    for (auto candidate : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
        if (text == level_name(candidate)) {
            level = candidate;
            return true;
        }
    }
    return false;
}

std::string format_log_line(LogLevel level, std::string_view event,
                            std::initializer_list<LogField> fields, std::int64_t unix_millis) {
    std::string line;
    line.reserve(160);
    const std::time_t seconds = unix_millis / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[64];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(unix_millis % 1000));
    line += "{\"ts\":\"";
    line += stamp;
    line += "\",\"level\":\"";
    line += level_name(level);
    line += "\",\"event\":";
    append_json_string(line, event);
    for (const auto& field : fields) {
        line.push_back(',');
        append_json_string(line, field.key);
        line.push_back(':');
        std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::string_view>) {
                    append_json_string(line, value);
                } else if constexpr (std::is_same_v<T, bool>) {
                    line += value ? "true" : "false";
                } else if constexpr (std::is_same_v<T, double>) {
                    char buffer[32];
                    std::snprintf(buffer, sizeof buffer, "%.3f", value);
                    line += buffer;
                } else {
                    line += std::to_string(value);
                }
            },
            field.value);
    }
    line += "}\n";
    return line;
}

void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
    if (level < g_level.load(std::memory_order_relaxed)) return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string line = format_log_line(level, event, fields, now);
    // One write() per line keeps lines whole when several processes share a log file.
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace kayou::ops
