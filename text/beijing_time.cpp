#include "text/beijing_time.hpp"

#include <cstdio>
#include <ctime>

namespace kayou::text {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

std::optional<year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    // Digits only: from_chars would also take a sign ("2030--1-01").
    auto number = [&](std::size_t pos, std::size_t width) {
        int value = 0;
        for (std::size_t i = pos; i < pos + width; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

std::string format_date(year_month_day date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

std::string format_beijing(std::chrono::sys_seconds t, const char* format) {
    const auto shifted = static_cast<std::time_t>(to_beijing(t).time_since_epoch().count());
    std::tm parts{};
    gmtime_r(&shifted, &parts);
    char text[64] = {};
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

}  // namespace kayou::text
