#pragma once
// The working-day calendar and the deadline clock behind the union's promise: every online
// application is settled within 1 working day (1个工作日内办结).
//
// Working days are data (config/calendar/<year>.yaml, one file per year, copied from the State
// Council's yearly 部分节假日安排 notice): public holidays as named date ranges, and make-up
// working days (调休上班) on weekends. A day is a working day when it is a make-up workday, or
// when it is Monday-Friday and not inside a holiday range.
//
// All times are Beijing time (text/beijing_time.hpp).
//
// The deadline rule (deadline_for), inside office hours (08:30-17:30 Beijing time on working
// days by default; set_office_hours):
//   - the clock starts at submission when that is inside office hours on a working day, else at
//     the next opening (a 03:46 submission counts from 08:30 that day, a Friday 19:30 one from
//     Monday 08:30, a holiday one from the first working day after it);
//   - the deadline is the close of office hours on the working day after the one the clock
//     started on (Monday 10:00 -> Tuesday 17:30; Monday 03:46 -> Tuesday 17:30; Friday 19:30 ->
//     Tuesday 17:30).
// So a deadline, and the reminder before it, never falls in the night: reminders and escalations
// go out only in office hours (in_office_hours, next_office_time).
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

#include "text/beijing_time.hpp"

namespace kayou::members {

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

// Beijing clock times of opening and closing on working days, [open, close).
struct OfficeHours {
    std::chrono::minutes open{8 * 60 + 30};
    std::chrono::minutes close{17 * 60 + 30};
    friend bool operator==(const OfficeHours&, const OfficeHours&) = default;
};
// "08:30-17:30" -> OfficeHours; nullopt unless HH:MM-HH:MM with open < close <= 24:00.
std::optional<OfficeHours> parse_office_hours(std::string_view text);
// "08:30-17:30".
std::string format_office_hours(const OfficeHours& hours);

class WorkingCalendar {
public:
    static constexpr std::chrono::minutes kDefaultEndOfWorkingDay{17 * 60 + 30};

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

    // Beijing clock time that ends a working day: the close of office hours.
    std::chrono::minutes end_of_working_day() const { return office_.close; }
    // Moves the close of office hours; throws std::invalid_argument outside (open, 24:00].
    void set_end_of_working_day(std::chrono::minutes since_midnight);
    const OfficeHours& office_hours() const { return office_; }
    // Throws std::invalid_argument unless 00:00 <= open < close <= 24:00.
    void set_office_hours(OfficeHours office);

    // Inside office hours on a working day.
    bool in_office_hours(std::chrono::sys_seconds t) const;
    // `t` itself when in office hours, else the next opening on a working day.
    std::chrono::sys_seconds next_office_time(std::chrono::sys_seconds t) const;
    // When an application submitted at `submitted` starts counting (= next_office_time).
    std::chrono::sys_seconds counting_start(std::chrono::sys_seconds submitted) const;

    Deadline deadline_for(std::chrono::sys_seconds submitted) const;

    // When to remind reviewers: `lead` before the deadline, but if that instant falls outside
    // office hours it moves back to the last minute of the office hours before it, so the
    // reminder reaches reviewers while they are at work and never after the deadline. The
    // caller clamps it to "now" when the result is already past, and sends only in office
    // hours.
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
    OfficeHours office_;
};

}  // namespace kayou::members
