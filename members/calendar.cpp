#include "members/calendar.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace kayou::members {
namespace {

using namespace std::chrono;

// A holiday range longer than this is a typo (the longest official break is 9 days).
constexpr days kMaxHolidayLength{31};
// deadline_for and reminder_time walk day by day; no real calendar has a run of non-working
// days anywhere near this long, so hitting it means the data is broken.
constexpr int kMaxDayWalk = 366;

int line_of(const YAML::Node& node) {
    const int line = node.Mark().line;
    return line < 0 ? 0 : line + 1;
}

// Parses and validates one year file; commits nothing, so a bad file leaves the calendar as it
// was.
class YearParser {
public:
    YearParser(const std::string& origin, int expected_year)
        : origin_(origin), expected_year_(expected_year) {}

    struct Parsed {
        int year = 0;
        std::vector<std::pair<sys_days, int>> holidays;  // day, line
        std::vector<std::pair<sys_days, int>> workdays;
    };

    Parsed parse(std::string_view text) {
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& e) {
            fail(e.mark.line < 0 ? 0 : e.mark.line + 1, "YAML syntax: " + e.msg);
        }
        if (!root.IsMap()) fail(0, "expected a mapping with year, source, holidays, workdays");
        check_keys(root, {"year", "source", "holidays", "workdays"});

        Parsed out;
        const YAML::Node year_node = root["year"];
        if (!year_node) fail(0, "missing key 'year'");
        out.year = parse_int(year_node, "year");
        if (out.year < 2000 || out.year > 2100) fail(line_of(year_node), "year out of range");
        if (expected_year_ != 0 && out.year != expected_year_) {
            fail(line_of(year_node), "year " + std::to_string(out.year) +
                                         " does not match the file name (" +
                                         std::to_string(expected_year_) + ")");
        }
        year_ = out.year;

        const YAML::Node source = root["source"];
        if (!source || !source.IsScalar() || source.Scalar().empty()) {
            fail(source ? line_of(source) : 0,
                 "missing 'source': name the official notice the dates come from");
        }

        const YAML::Node holidays = root["holidays"];
        if (!holidays || !holidays.IsSequence() || holidays.size() == 0) {
            fail(holidays ? line_of(holidays) : 0, "'holidays' must be a non-empty list");
        }
        std::map<sys_days, int> seen;  // day -> line, to reject overlapping ranges
        for (const YAML::Node& h : holidays) {
            if (!h.IsMap()) fail(line_of(h), "a holiday must be a mapping {name, from, to}");
            check_keys(h, {"name", "from", "to"});
            const YAML::Node name = h["name"];
            if (!name || !name.IsScalar() || name.Scalar().empty()) {
                fail(line_of(h), "holiday without a name");
            }
            const sys_days from = date_field(h["from"], h, "from");
            const sys_days to = date_field(h["to"], h, "to");
            if (from > to) fail(line_of(h), "holiday '" + name.Scalar() + "': from is after to");
            if (to - from >= kMaxHolidayLength) {
                fail(line_of(h), "holiday '" + name.Scalar() + "' is longer than 31 days");
            }
            for (sys_days d = from; d <= to; d += days{1}) {
                if (auto it = seen.find(d); it != seen.end()) {
                    fail(line_of(h), "holiday '" + name.Scalar() + "' overlaps the one on line " +
                                         std::to_string(it->second));
                }
                seen.emplace(d, line_of(h));
                out.holidays.emplace_back(d, line_of(h));
            }
        }

        if (const YAML::Node workdays = root["workdays"]) {
            if (!workdays.IsSequence()) fail(line_of(workdays), "'workdays' must be a list");
            for (const YAML::Node& w : workdays) {
                if (!w.IsMap()) fail(line_of(w), "a make-up workday must be a mapping {date, for}");
                check_keys(w, {"date", "for"});
                const sys_days d = date_field(w["date"], w, "date");
                const weekday wd{d};
                if (wd != Saturday && wd != Sunday) {
                    fail(line_of(w), "make-up workday " + text::format_date(year_month_day{d}) +
                                         " is not a Saturday or Sunday");
                }
                if (auto it = seen.find(d); it != seen.end()) {
                    fail(line_of(w), "make-up workday " + text::format_date(year_month_day{d}) +
                                         " is inside the holiday on line " +
                                         std::to_string(it->second));
                }
                out.workdays.emplace_back(d, line_of(w));
            }
        }
        return out;
    }

    [[noreturn]] void fail(int line, const std::string& message) const {
        throw CalendarError(origin_, line, message);
    }

private:
    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed) {
        for (const auto& kv : map) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                // Strict: a misspelt key ("workday:") would otherwise drop data silently.
                fail(line_of(kv.first), "unknown key '" + key + "'");
            }
        }
    }

    int parse_int(const YAML::Node& node, std::string_view what) {
        const std::string s = node.IsScalar() ? node.Scalar() : std::string();
        int value = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
            fail(line_of(node), std::string(what) + " must be an integer");
        }
        return value;
    }

    sys_days date_field(const YAML::Node& node, const YAML::Node& parent, std::string_view key) {
        if (!node) fail(line_of(parent), "missing '" + std::string(key) + "'");
        const std::string s = node.IsScalar() ? node.Scalar() : std::string();
        const std::optional<year_month_day> ymd = text::parse_date(s);
        if (!ymd) fail(line_of(node), std::string(key) + " is not a date YYYY-MM-DD: " + s);
        const int y = static_cast<int>(ymd->year());
        // A notice may reach into the neighbouring year (a 元旦 break starting Dec 30), but a
        // date further away is a typo in the year digits.
        if (std::abs(y - year_) > 1) {
            fail(line_of(node), s + " is not in or next to year " + std::to_string(year_));
        }
        return sys_days{*ymd};
    }

    const std::string& origin_;
    int expected_year_;
    int year_ = 0;
};

}  // namespace

CalendarError::CalendarError(std::string file, int line, const std::string& message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line) {}

std::string Deadline::warning() const {
    if (uncovered_years.empty()) return {};
    std::string years;
    for (int y : uncovered_years) {
        if (!years.empty()) years += ", ";
        years += std::to_string(y);
    }
    return "no working-day calendar for " + years +
           ": deadline computed with Monday-Friday only, public holidays ignored; add "
           "config/calendar/<year>.yaml from the State Council notice";
}

WorkingCalendar WorkingCalendar::load_directory(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());  // deterministic order, so errors are reproducible

    WorkingCalendar calendar;
    for (const auto& file : files) {
        const std::string origin = file.string();
        const std::string stem = file.stem().string();
        int year = 0;
        const auto [end, ec] = std::from_chars(stem.data(), stem.data() + stem.size(), year);
        if (ec != std::errc{} || end != stem.data() + stem.size()) {
            throw CalendarError(origin, 0, "calendar files must be named <year>.yaml");
        }
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) throw CalendarError(origin, 0, "cannot read file");
        calendar.add_year(text.str(), origin, year);
    }
    return calendar;
}

void WorkingCalendar::add_year(std::string_view yaml_text, const std::string& origin,
                               int expected_year) {
    YearParser parser(origin, expected_year);
    const YearParser::Parsed parsed = parser.parse(yaml_text);
    if (years_.contains(parsed.year)) {
        parser.fail(0, "year " + std::to_string(parsed.year) + " is already loaded");
    }
    // Cross-file conflicts: a neighbouring year's file may list days of this one.
    for (const auto& [d, line] : parsed.workdays) {
        if (holidays_.contains(d)) {
            parser.fail(line, "make-up workday is a holiday in another calendar file");
        }
    }
    for (const auto& [d, line] : parsed.holidays) {
        if (workdays_.contains(d)) {
            parser.fail(line, "holiday is a make-up workday in another calendar file");
        }
    }
    years_.insert(parsed.year);
    for (const auto& [d, line] : parsed.holidays) holidays_.insert(d);
    for (const auto& [d, line] : parsed.workdays) workdays_.insert(d);
}

bool WorkingCalendar::is_working_day(year_month_day date) const {
    const sys_days d{date};
    if (workdays_.contains(d)) return true;
    if (holidays_.contains(d)) return false;
    const weekday wd{d};
    return wd != Saturday && wd != Sunday;
}

std::vector<int> WorkingCalendar::missing_years(int from, int to) const {
    std::vector<int> out;
    for (int y = from; y <= to; ++y) {
        if (!covers(y)) out.push_back(y);
    }
    return out;
}

void WorkingCalendar::set_end_of_working_day(minutes since_midnight) {
    set_office_hours(
        OfficeHours{std::min(office_.open, since_midnight - minutes{1}), since_midnight});
}

void WorkingCalendar::set_office_hours(OfficeHours office) {
    if (office.open < minutes{0} || office.close > hours{24} || office.open >= office.close) {
        throw std::invalid_argument("office hours must be HH:MM-HH:MM within 00:00-24:00");
    }
    office_ = office;
}

std::optional<OfficeHours> parse_office_hours(std::string_view text) {
    auto clock = [](std::string_view t) -> std::optional<minutes> {
        if (t.size() != 5 || t[2] != ':') return std::nullopt;
        int h = 0, m = 0;
        for (const int i : {0, 1, 3, 4})
            if (t[i] < '0' || t[i] > '9') return std::nullopt;
        h = (t[0] - '0') * 10 + (t[1] - '0');
        m = (t[3] - '0') * 10 + (t[4] - '0');
        if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
        return minutes{h * 60 + m};
    };
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto open = clock(text.substr(0, dash));
    const auto close = clock(text.substr(dash + 1));
    if (!open || !close || *open >= *close) return std::nullopt;
    return OfficeHours{*open, *close};
}

std::string format_office_hours(const OfficeHours& h) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d-%02d:%02d", static_cast<int>(h.open.count() / 60),
                  static_cast<int>(h.open.count() % 60), static_cast<int>(h.close.count() / 60),
                  static_cast<int>(h.close.count() % 60));
    return text;
}

bool WorkingCalendar::in_office_hours(sys_seconds t) const {
    const local_seconds local = text::to_beijing(t);
    const local_days local_day = floor<days>(local);
    const seconds time_of_day = local - local_day;
    if (time_of_day < office_.open || time_of_day >= office_.close) return false;
    return is_working_day(year_month_day{sys_days{local_day.time_since_epoch()}});
}

sys_seconds WorkingCalendar::next_office_time(sys_seconds t) const {
    if (in_office_hours(t)) return t;
    const local_seconds local = text::to_beijing(t);
    const local_days local_day = floor<days>(local);
    sys_days day{local_day.time_since_epoch()};
    // Before today's opening on a working day: today; otherwise the next working day.
    if (local - local_day < office_.open && is_working_day(year_month_day{day}))
        return text::from_beijing(local_day + office_.open);
    std::set<int> ignored;
    day = next_working_day(day, ignored);
    return text::from_beijing(local_days{day.time_since_epoch()} + office_.open);
}

sys_seconds WorkingCalendar::counting_start(sys_seconds submitted) const {
    return next_office_time(submitted);
}

bool WorkingCalendar::is_working_day_noting(sys_days day, std::set<int>& uncovered) const {
    const year_month_day ymd{day};
    const int y = static_cast<int>(ymd.year());
    if (!covers(y)) uncovered.insert(y);
    return is_working_day(ymd);
}

sys_days WorkingCalendar::next_working_day(sys_days day, std::set<int>& uncovered) const {
    for (int i = 0; i < kMaxDayWalk; ++i) {
        day += days{1};
        if (is_working_day_noting(day, uncovered)) return day;
    }
    throw std::logic_error("working-day calendar has no working day within a year");
}

Deadline WorkingCalendar::deadline_for(sys_seconds submitted) const {
    std::set<int> uncovered;
    // Years are noted for the submission day and every day walked after it.
    const sys_days submitted_day{floor<days>(text::to_beijing(submitted)).time_since_epoch()};
    is_working_day_noting(submitted_day, uncovered);
    const sys_seconds start = counting_start(submitted);
    sys_days day{floor<days>(text::to_beijing(start)).time_since_epoch()};
    for (sys_days d = submitted_day; d < day;) {
        d += days{1};
        is_working_day_noting(d, uncovered);
    }
    const sys_days next = next_working_day(day, uncovered);

    Deadline out;
    out.at = text::from_beijing(local_days{next.time_since_epoch()} + office_.close);
    out.uncovered_years.assign(uncovered.begin(), uncovered.end());
    return out;
}

sys_seconds WorkingCalendar::reminder_time(sys_seconds deadline, seconds lead) const {
    const sys_seconds candidate = deadline - lead;
    if (in_office_hours(candidate)) return candidate;
    const local_seconds local = text::to_beijing(candidate);
    const local_days local_day = floor<days>(local);
    sys_days day{local_day.time_since_epoch()};
    // After closing on a working day: that day's last office minute; otherwise the last working
    // day's (the reminder must be sendable: in office hours).
    const minutes last_minute = office_.close - minutes{1};
    if (local - local_day >= seconds{office_.close} && is_working_day(year_month_day{day}))
        return text::from_beijing(local_day + last_minute);
    for (int i = 0; i < kMaxDayWalk; ++i) {
        day -= days{1};
        if (is_working_day(year_month_day{day})) {
            return text::from_beijing(local_days{day.time_since_epoch()} + last_minute);
        }
    }
    throw std::logic_error("working-day calendar has no working day within a year");
}

}  // namespace kayou::members
