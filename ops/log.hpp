#pragma once
// JSON-lines logs on stderr, one write per line. Callers pass event names and ids, never message
// text or personal data: log fields are for operators, and an ID number must not reach a log.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace kayou::ops {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

struct LogField {
    std::string_view key;
    std::variant<std::string_view, std::int64_t, double, bool> value;
    LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
    LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    LogField(std::string_view k, std::int64_t v) : key(k), value(v) {}
    LogField(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
    LogField(std::string_view k, std::uint64_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
    LogField(std::string_view k, unsigned v) : key(k), value(std::int64_t{v}) {}
    LogField(std::string_view k, double v) : key(k), value(v) {}
    LogField(std::string_view k, bool v) : key(k), value(v) {}
};

void set_log_level(LogLevel level);
LogLevel log_level();
bool parse_log_level(std::string_view text, LogLevel& level);

// Formats one line (exposed for tests): {"ts":"...","level":"info","event":"...",...}
std::string format_log_line(LogLevel level, std::string_view event,
                            std::initializer_list<LogField> fields, std::int64_t unix_millis);

void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

}  // namespace kayou::ops
