#include "notify/signing/wire.hpp"

#include <cstdio>

#include "text/beijing_time.hpp"

namespace kayou::notify::signing {
namespace {

using namespace std::chrono;

// Reads exactly `width` ASCII digits at `pos`; false on anything else.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

}  // namespace

std::string utc_date(std::int64_t unix_seconds) {
    const sys_seconds t{seconds{unix_seconds}};
    return text::format_date(year_month_day{floor<days>(t)});
}

std::string iso8601_utc(sys_seconds t) {
    const auto day = floor<days>(t);
    const hh_mm_ss tod{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ",
                  text::format_date(year_month_day{day}).c_str(),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()));
    return buf;
}

std::optional<sys_seconds> parse_beijing_datetime(std::string_view text) {
    // "YYYY-MM-DD hh:mm:ss" is exactly 19 characters.
    if (text.size() != 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    const std::optional<year_month_day> date = text::parse_date(text.substr(0, 10));
    int h = 0, mi = 0, s = 0;
    if (!date || !read_digits(text, 11, 2, h) || !read_digits(text, 14, 2, mi) ||
        !read_digits(text, 17, 2, s) || h > 23 || mi > 59 || s > 59) {
        return std::nullopt;
    }
    return text::from_beijing(local_days{*date} + hours{h} + minutes{mi} + seconds{s});
}

}  // namespace kayou::notify::signing
