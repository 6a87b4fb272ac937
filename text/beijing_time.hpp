#pragma once
// Beijing time as a fixed UTC+8 offset (China has had one zone and no DST since 1991), computed
// arithmetically so neither the host's TZ nor its tzdata can move a deadline, a budget window or
// a date printed for a driver. Every Beijing wall-clock conversion in kayou goes through here.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::text {

inline constexpr std::chrono::hours kBeijingOffset{8};

// Beijing wall-clock time for an instant, and back.
constexpr std::chrono::local_seconds to_beijing(std::chrono::sys_seconds t) {
    return std::chrono::local_seconds{t.time_since_epoch() + kBeijingOffset};
}
constexpr std::chrono::sys_seconds from_beijing(std::chrono::local_seconds t) {
    return std::chrono::sys_seconds{t.time_since_epoch() - kBeijingOffset};
}
// The Beijing calendar date an instant falls on.
constexpr std::chrono::year_month_day beijing_date(std::chrono::sys_seconds t) {
    return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(to_beijing(t))};
}

// The Beijing date an instant falls on as yyyymmdd (20261203): the form the dialogs' and the FAQ's
// pure cores take today in.
constexpr int beijing_yyyymmdd(std::chrono::sys_seconds t) {
    const auto date = beijing_date(t);
    return static_cast<int>(date.year()) * 10000 +
           static_cast<int>(static_cast<unsigned>(date.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(date.day()));
}

// "2025-10-01".
std::string format_date(std::chrono::year_month_day date);
// Strict "YYYY-MM-DD" (digits only, a real date); nullopt otherwise.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// The Beijing wall-clock time of `t` through strftime's `format` ("%Y%m%d", "%Y-%m-%d %H:00").
std::string format_beijing(std::chrono::sys_seconds t, const char* format);

}  // namespace kayou::text
