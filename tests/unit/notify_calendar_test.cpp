// The working-day calendar (config/calendar/*.yaml) and the "1 working day" deadline clock.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "notify/calendar.hpp"

namespace {

using namespace kayou::notify;
using namespace std::chrono;

const std::string kCalendarDir = std::string(KAYOU_SOURCE_DIR) + "/config/calendar";

const WorkingCalendar& shipped() {
    static const WorkingCalendar calendar = WorkingCalendar::load_directory(kCalendarDir);
    return calendar;
}

// An instant given as Beijing wall-clock time.
sys_seconds bj(year_month_day d, hours h, minutes m = 0min, seconds s = 0s) {
    return from_beijing(local_days{d} + h + m + s);
}

TEST(ShippedCalendar, CoversThePublishedYearsOnly) {
    EXPECT_EQ(shipped().covered_years(), (std::vector<int>{2025, 2026}));
    // 2027's notice is not published: no file, so it is reported missing rather than guessed.
    EXPECT_EQ(shipped().missing_years(2025, 2027), (std::vector<int>{2027}));
    EXPECT_FALSE(shipped().covers(2027));
}

TEST(ShippedCalendar, NationalDay2025WithItsMakeUpDays) {
    const auto& c = shipped();
    EXPECT_TRUE(c.is_working_day(2025y / 9 / 26));   // Friday
    EXPECT_FALSE(c.is_working_day(2025y / 9 / 27));  // Saturday
    EXPECT_TRUE(c.is_working_day(2025y / 9 / 28));   // Sunday, make-up workday
    EXPECT_TRUE(c.is_working_day(2025y / 9 / 30));   // Tuesday
    for (unsigned d = 1; d <= 8; ++d) {              // 国庆节、中秋节 Oct 1-8
        EXPECT_FALSE(c.is_working_day(2025y / 10 / day{d})) << "Oct " << d;
    }
    EXPECT_TRUE(c.is_working_day(2025y / 10 / 9));    // Thursday
    EXPECT_TRUE(c.is_working_day(2025y / 10 / 10));   // Friday
    EXPECT_TRUE(c.is_working_day(2025y / 10 / 11));   // Saturday, make-up workday
    EXPECT_FALSE(c.is_working_day(2025y / 10 / 12));  // Sunday
}

TEST(ShippedCalendar, SpringFestival2025And2026) {
    const auto& c = shipped();
    EXPECT_TRUE(c.is_working_day(2025y / 1 / 26));  // Sunday make-up
    EXPECT_TRUE(c.is_working_day(2025y / 1 / 27));
    EXPECT_FALSE(c.is_working_day(2025y / 1 / 28));  // 除夕
    EXPECT_FALSE(c.is_working_day(2025y / 2 / 4));   // 初七
    EXPECT_TRUE(c.is_working_day(2025y / 2 / 5));
    EXPECT_TRUE(c.is_working_day(2025y / 2 / 8));  // Saturday make-up

    EXPECT_TRUE(c.is_working_day(2026y / 2 / 14));  // Saturday make-up
    EXPECT_FALSE(c.is_working_day(2026y / 2 / 15));
    EXPECT_FALSE(c.is_working_day(2026y / 2 / 23));  // Monday, last day of the break
    EXPECT_TRUE(c.is_working_day(2026y / 2 / 24));
    EXPECT_TRUE(c.is_working_day(2026y / 2 / 28));  // Saturday make-up
}

TEST(ShippedCalendar, OtherHolidays2026) {
    const auto& c = shipped();
    EXPECT_FALSE(c.is_working_day(2026y / 1 / 2));   // 元旦, Friday
    EXPECT_TRUE(c.is_working_day(2026y / 1 / 4));    // Sunday make-up
    EXPECT_FALSE(c.is_working_day(2026y / 4 / 6));   // 清明, Monday
    EXPECT_FALSE(c.is_working_day(2026y / 5 / 5));   // 劳动节, Tuesday
    EXPECT_TRUE(c.is_working_day(2026y / 5 / 9));    // Saturday make-up
    EXPECT_FALSE(c.is_working_day(2026y / 6 / 19));  // 端午, Friday
    EXPECT_FALSE(c.is_working_day(2026y / 9 / 25));  // 中秋, Friday
    EXPECT_TRUE(c.is_working_day(2026y / 9 / 20));   // Sunday make-up
    EXPECT_FALSE(c.is_working_day(2026y / 10 / 7));  // 国庆, Wednesday
    EXPECT_TRUE(c.is_working_day(2026y / 10 / 10));  // Saturday make-up
}

TEST(Deadline, OrdinaryWeekdaySameTimeNextDay) {
    const auto d = shipped().deadline_for(bj(2025y / 6 / 10, 10h, 15min, 30s));  // Tuesday
    EXPECT_EQ(d.at, bj(2025y / 6 / 11, 10h, 15min, 30s));
    EXPECT_TRUE(d.fully_covered());
    EXPECT_EQ(d.warning(), "");
}

TEST(Deadline, FridayEveningIsMondaySameTime) {
    const auto d = shipped().deadline_for(bj(2025y / 6 / 13, 19h, 30min));  // Friday
    EXPECT_EQ(d.at, bj(2025y / 6 / 16, 19h, 30min));                        // Monday
    EXPECT_TRUE(d.fully_covered());
}

TEST(Deadline, SaturdayIsEndOfMonday) {
    const auto d = shipped().deadline_for(bj(2025y / 6 / 14, 10h));  // Saturday
    EXPECT_EQ(d.at, bj(2025y / 6 / 16, 18h));
    const auto sunday_night = shipped().deadline_for(bj(2025y / 6 / 15, 23h, 59min, 59s));
    EXPECT_EQ(sunday_night.at, bj(2025y / 6 / 16, 18h));
}

TEST(Deadline, DayBeforeNationalDayJumpsTheHoliday) {
    // Tuesday 2025-09-30 16:00 -> Thursday 2025-10-09 16:00 (Oct 1-8 are off).
    EXPECT_EQ(shipped().deadline_for(bj(2025y / 9 / 30, 16h)).at, bj(2025y / 10 / 9, 16h));
    // Friday 2025-09-26 -> Sunday 2025-09-28, a make-up working day.
    EXPECT_EQ(shipped().deadline_for(bj(2025y / 9 / 26, 9h)).at, bj(2025y / 9 / 28, 9h));
    // Submitted during the holiday: end of its first working day.
    EXPECT_EQ(shipped().deadline_for(bj(2025y / 10 / 3, 11h)).at, bj(2025y / 10 / 9, 18h));
    // Friday 2025-10-10 -> Saturday 2025-10-11, a make-up working day.
    EXPECT_EQ(shipped().deadline_for(bj(2025y / 10 / 10, 17h)).at, bj(2025y / 10 / 11, 17h));
}

TEST(Deadline, SpringFestivalEve) {
    // Monday 2025-01-27 -> 2025-02-05 (Jan 28 - Feb 4 off).
    EXPECT_EQ(shipped().deadline_for(bj(2025y / 1 / 27, 14h)).at, bj(2025y / 2 / 5, 14h));
    // Friday 2026-02-13 -> Saturday 2026-02-14 make-up day.
    EXPECT_EQ(shipped().deadline_for(bj(2026y / 2 / 13, 14h)).at, bj(2026y / 2 / 14, 14h));
    // Saturday 2026-02-14 (working) -> 2026-02-24 (Feb 15-23 off).
    EXPECT_EQ(shipped().deadline_for(bj(2026y / 2 / 14, 14h)).at, bj(2026y / 2 / 24, 14h));
}

TEST(Deadline, UsesBeijingDateNotUtcDate) {
    // 2025-06-13 16:30 UTC is already Saturday 00:30 in Beijing: a weekend submission.
    const sys_seconds t = sys_days{2025y / 6 / 13} + 16h + 30min;
    EXPECT_EQ(shipped().deadline_for(t).at, bj(2025y / 6 / 16, 18h));
}

TEST(Deadline, IndependentOfProcessTimeZone) {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    setenv("TZ", "America/Los_Angeles", 1);
    tzset();
    const auto d = shipped().deadline_for(bj(2025y / 6 / 13, 19h, 30min));
    if (old) {
        setenv("TZ", saved.c_str(), 1);
    } else {
        unsetenv("TZ");
    }
    tzset();
    EXPECT_EQ(d.at, bj(2025y / 6 / 16, 19h, 30min));
}

TEST(Deadline, ConfigurableEndOfWorkingDay) {
    WorkingCalendar c = shipped();
    EXPECT_EQ(c.end_of_working_day(), 18h);
    c.set_end_of_working_day(17h + 30min);
    EXPECT_EQ(c.deadline_for(bj(2025y / 6 / 14, 10h)).at, bj(2025y / 6 / 16, 17h, 30min));
    EXPECT_THROW(c.set_end_of_working_day(25h), std::invalid_argument);
    EXPECT_THROW(c.set_end_of_working_day(-1min), std::invalid_argument);
}

TEST(Deadline, UncoveredYearIsFlaggedAndUsesWeekdays) {
    // Friday 2027-01-01: 元旦 in reality, but 2027 has no data. The weekday rule gives Monday
    // 2027-01-04, and the result says the year was guessed.
    const auto d = shipped().deadline_for(bj(2027y / 1 / 1, 10h));
    EXPECT_EQ(d.at, bj(2027y / 1 / 4, 10h));
    EXPECT_FALSE(d.fully_covered());
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2027}));
    EXPECT_NE(d.warning().find("2027"), std::string::npos);
}

TEST(Deadline, CrossingIntoAnUncoveredYearIsFlagged) {
    // Thursday 2026-12-31 (covered) -> Friday 2027-01-01 (not covered): flagged.
    const auto d = shipped().deadline_for(bj(2026y / 12 / 31, 9h));
    EXPECT_EQ(d.at, bj(2027y / 1 / 1, 9h));
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2027}));
    // Wednesday 2026-12-30 -> Thursday 2026-12-31: never looks at 2027, not flagged.
    EXPECT_TRUE(shipped().deadline_for(bj(2026y / 12 / 30, 9h)).fully_covered());
}

TEST(Deadline, EmptyCalendarFlagsEverything) {
    const WorkingCalendar empty;
    const auto d = empty.deadline_for(bj(2025y / 10 / 1, 9h));  // a Wednesday, weekday rule
    EXPECT_EQ(d.at, bj(2025y / 10 / 2, 9h));
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2025}));
}

TEST(Reminder, LeadBeforeDeadlineOnWorkingDays) {
    const auto& c = shipped();
    EXPECT_EQ(c.reminder_time(bj(2025y / 6 / 16, 18h), 2h), bj(2025y / 6 / 16, 16h));
    // Monday 01:00 - 2 h is Sunday 23:00: moved back to the end of Friday.
    EXPECT_EQ(c.reminder_time(bj(2025y / 6 / 16, 1h), 2h), bj(2025y / 6 / 13, 18h));
    // Into a holiday: the deadline 2025-10-09 09:00 minus 12 h is Oct 8 (off) -> Sep 30 18:00.
    EXPECT_EQ(c.reminder_time(bj(2025y / 10 / 9, 9h), 12h), bj(2025y / 9 / 30, 18h));
}

// ---- loading and validation

constexpr std::string_view kGood = R"(year: 2030
source: "test"
holidays:
  - {name: A, from: 2030-10-01, to: 2030-10-03}
workdays:
  - {date: 2030-09-29, for: A}
)";

TEST(Loading, AddsAYearFromText) {
    WorkingCalendar c;
    c.add_year(kGood, "mem.yaml");
    EXPECT_TRUE(c.covers(2030));
    EXPECT_FALSE(c.is_working_day(2030y / 10 / 2));
    EXPECT_TRUE(c.is_working_day(2030y / 9 / 29));  // Sunday make-up
    EXPECT_THROW(c.add_year(kGood, "again.yaml"), CalendarError);
}

// The CalendarError thrown when loading `yaml`.
CalendarError load_error(std::string_view yaml, int expected_year = 0) {
    try {
        WorkingCalendar c;
        c.add_year(yaml, "config/calendar/bad.yaml", expected_year);
    } catch (const CalendarError& e) {
        return e;
    }
    ADD_FAILURE() << "no CalendarError for:\n" << yaml;
    return CalendarError("", -1, "");
}

TEST(Loading, MalformedYamlNamesFileAndLine) {
    const auto e = load_error("year: 2030\nsource: x\nholidays:\n  - {name: A, from: 2030-10-01\n");
    EXPECT_EQ(e.file(), "config/calendar/bad.yaml");
    EXPECT_EQ(e.line(), 5);
    EXPECT_TRUE(std::string(e.what()).starts_with("config/calendar/bad.yaml:5: YAML syntax"))
        << e.what();
}

TEST(Loading, BadDataNamesTheLine) {
    struct Case {
        std::string yaml;
        int line;
        std::string message;
    };
    const std::string head = "year: 2030\nsource: x\nholidays:\n";
    const Case cases[] = {
        {head + "  - {name: A, from: 2030-10-01, to: 2030-10-32}\n", 4,
         "to is not a date YYYY-MM-DD: 2030-10-32"},
        {head + "  - {name: A, from: 2030-10-05, to: 2030-10-01}\n", 4,
         "holiday 'A': from is after to"},
        {head + "  - {name: A, from: 2030/10/01, to: 2030-10-01}\n", 4,
         "from is not a date YYYY-MM-DD: 2030/10/01"},
        {head + "  - {name: A, from: 2030-10-01}\n", 4, "missing 'to'"},
        {head + "  - {name: A, from: 2030-10-01, to: 2030-10-01, note: x}\n", 4,
         "unknown key 'note'"},
        {head + "  - {name: A, from: 2030-10-01, to: 2030-10-03}\n  - {name: B, from: 2030-10-03, "
                "to: 2030-10-04}\n",
         5, "holiday 'B' overlaps the one on line 4"},
        {head +
             "  - {name: A, from: 2030-10-01, to: 2030-10-01}\nworkdays:\n  - {date: 2030-10-02, "
             "for: A}\n",
         6, "make-up workday 2030-10-02 is not a Saturday or Sunday"},
        {head +
             "  - {name: A, from: 2030-10-01, to: 2030-10-06}\nworkdays:\n  - {date: 2030-10-05, "
             "for: A}\n",
         6, "make-up workday 2030-10-05 is inside the holiday on line 4"},
        {head + "  - {name: A, from: 2033-10-01, to: 2033-10-01}\n", 4,
         "2033-10-01 is not in or next to year 2030"},
        {"year: 2030\nholidays:\n  - {name: A, from: 2030-10-01, to: 2030-10-01}\n", 0,
         "missing 'source': name the official notice the dates come from"},
        {"year: 20x0\nsource: x\n", 1, "year must be an integer"},
        {"source: x\nholidays: []\n", 0, "missing key 'year'"},
        {"year: 2030\nsource: x\nholidays: []\n", 3, "'holidays' must be a non-empty list"},
        {"year: 2030\nsource: x\nholiday: []\n", 3, "unknown key 'holiday'"},
        {"- 1\n- 2\n", 0, "expected a mapping with year, source, holidays, workdays"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.yaml);
        const auto e = load_error(c.yaml);
        EXPECT_EQ(e.line(), c.line);
        EXPECT_EQ(std::string(e.what()),
                  "config/calendar/bad.yaml:" + std::to_string(c.line) + ": " + c.message);
    }
}

TEST(Loading, FileNameMustMatchYear) {
    const auto e = load_error(kGood, 2031);
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(std::string(e.what()),
              "config/calendar/bad.yaml:1: year 2030 does not match the file name (2031)");
}

TEST(Loading, FailedLoadLeavesCalendarUnchanged) {
    WorkingCalendar c;
    const std::string bad = std::string(kGood) + "  - {date: 2030-10-01, for: A}\n";
    EXPECT_THROW(c.add_year(bad, "bad.yaml"), CalendarError);
    EXPECT_FALSE(c.covers(2030));
    EXPECT_TRUE(c.is_working_day(2030y / 10 / 2));
}

TEST(Loading, MissingDirectoryThrows) {
    EXPECT_ANY_THROW(WorkingCalendar::load_directory(kCalendarDir + "/does-not-exist"));
}

}  // namespace
