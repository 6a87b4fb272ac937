#pragma once
// The working-day calendar and the deadline clock behind the union's promise: every online
// application is settled within 1 working day (1个工作日内办结).
//
// Working days are data (config/calendar/<year>.yaml, one file per year, copied from the State
// Council's yearly 部分节假日安排 notice): public holidays as named date ranges, and make-up
// working days (调休上班) on weekends. A day is a working day when it is a make-up workday, or
// when it is Monday-Friday and not inside a holiday range.
//
// All times are Beijing time as a fixed UTC+8 offset (China has had one zone and no DST since
// 1991), computed arithmetically so neither the host's TZ nor its tzdata can move a deadline.
//
// The deadline rule (deadline_for):
//   - submitted on a working day  -> the same Beijing clock time on the next working day
//     (Friday 19:30 -> Monday 19:30; the day before a holiday -> the first day after it);
//   - submitted on a non-working day -> the end of the first working day after it
//     (Saturday 10:00 -> Monday at end_of_working_day(), 18:00 by default). "End of the working
//     day" is a setting because districts keep different office hours; 18:00 is the common close
//     of Chinese government offices.
// A year without a calendar file falls back to the plain weekday rule (Monday-Friday), and every
// result says which years it had to guess for, so the caller can warn loudly: a missing file
// silently ignoring 春节 would break the promise for thousands of applications at once.
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::notify {

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

// "2025-10-01".
std::string format_date(std::chrono::year_month_day date);
// Strict "YYYY-MM-DD" (digits only, a real date); nullopt otherwise.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);

// Bad calendar data. file() and line() point at the offending entry (line is 1-based; 0 when the
// problem is the file as a whole, e.g. a missing year key or an unreadable file).
class CalendarError : public std::runtime_error {
public:
    CalendarError(std::string file, int line, const std::string& message);
    const std::string& file() const { return file_; }
    int line() const { return line_; }

private:
    std::string file_;
    int line_;
};

struct Deadline {
    std::chrono::sys_seconds at;
    // Years the computation touched that have no calendar file, ascending. Non-empty means the
    // weekday rule was used for them: log warning() and alert, never drop it.
    std::vector<int> uncovered_years;

    bool fully_covered() const { return uncovered_years.empty(); }
    // "" when fully covered, else a sentence naming the missing years.
    std::string warning() const;
};

class WorkingCalendar {
public:
    static constexpr std::chrono::minutes kDefaultEndOfWorkingDay{18 * 60};

    // An empty calendar: covers no year, so every answer uses the weekday rule and is flagged.
    WorkingCalendar() = default;

    // Loads every <year>.yaml in `dir` (other files are ignored). Throws CalendarError with the
    // file and line of the first bad entry; std::filesystem errors if `dir` cannot be read.
    static WorkingCalendar load_directory(const std::filesystem::path& dir);

    // Adds one year's data from YAML text; `origin` names the source in errors (a file path).
    // When expected_year is non-zero, the file's `year:` must equal it (it comes from the file
    // name, so 2026.yaml cannot silently hold 2025's data). Throws CalendarError.
    void add_year(std::string_view yaml_text, const std::string& origin, int expected_year = 0);

    bool is_working_day(std::chrono::year_month_day date) const;
    bool covers(int year) const { return years_.contains(year); }
    std::vector<int> covered_years() const { return {years_.begin(), years_.end()}; }
    // Years in [from, to] without data, ascending.
    std::vector<int> missing_years(int from, int to) const;

    // Beijing clock time that ends a working day for deadlines of non-working-day submissions.
    std::chrono::minutes end_of_working_day() const { return end_of_working_day_; }
    // Throws std::invalid_argument outside [00:00, 24:00].
    void set_end_of_working_day(std::chrono::minutes since_midnight);

    Deadline deadline_for(std::chrono::sys_seconds submitted) const;

    // When to remind reviewers: `lead` before the deadline, but if that instant falls on a
    // non-working day it moves back to the end of the last working day before it, so the
    // reminder reaches reviewers while they are at work and never after the deadline. The
    // caller clamps it to "now" when the result is already past.
    std::chrono::sys_seconds reminder_time(std::chrono::sys_seconds deadline,
                                           std::chrono::seconds lead) const;

private:
    // Working-day test that also records years without data into `uncovered`.
    bool is_working_day_noting(std::chrono::sys_days day, std::set<int>& uncovered) const;
    // The first working day strictly after `day`.
    std::chrono::sys_days next_working_day(std::chrono::sys_days day,
                                           std::set<int>& uncovered) const;

    std::set<int> years_;
    std::set<std::chrono::sys_days> holidays_;
    std::set<std::chrono::sys_days> workdays_;
    std::chrono::minutes end_of_working_day_ = kDefaultEndOfWorkingDay;
};

}  // namespace kayou::notify
