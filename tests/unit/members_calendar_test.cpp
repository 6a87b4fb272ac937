// The working-day calendar (config/calendar/*.yaml) and the "1 working day" deadline clock.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "members/calendar.hpp"

namespace {

using namespace kayou::members;
using namespace std::chrono;

const std::string kCalendarDir = std::string(KAYOU_SOURCE_DIR) + "/config/calendar";

const WorkingCalendar& shipped() {
    static const WorkingCalendar calendar = WorkingCalendar::load_directory(kCalendarDir);
    return calendar;
}

// An instant given as Beijing wall-clock time.
sys_seconds bj(year_month_day d, hours h, minutes m = 0min, seconds s = 0s) {
    return kayou::text::from_beijing(local_days{d} + h + m + s);
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

// The rule (members/calendar.hpp): the clock starts at submission inside office hours (08:30-17:30
// on working days), else at the next opening; the deadline is the close of office hours on the
// working day after the one the clock started on.
TEST(Deadline, OfficeHoursTable) {
    struct Row {
        const char* what;
        sys_seconds submitted;
        sys_seconds start;
        sys_seconds deadline;
    };
    const std::vector<Row> rows{
        {"Tuesday morning: Wednesday's close", bj(2025y / 6 / 10, 10h, 15min, 30s),
         bj(2025y / 6 / 10, 10h, 15min, 30s), bj(2025y / 6 / 11, 17h, 30min)},
        {"03:46 on a Tuesday: counts from 08:30, Wednesday's close (the night reminder bug)",
         bj(2025y / 6 / 10, 3h, 46min), bj(2025y / 6 / 10, 8h, 30min),
         bj(2025y / 6 / 11, 17h, 30min)},
        {"at the opening minute", bj(2025y / 6 / 10, 8h, 30min), bj(2025y / 6 / 10, 8h, 30min),
         bj(2025y / 6 / 11, 17h, 30min)},
        {"at the close: already after hours", bj(2025y / 6 / 10, 17h, 30min),
         bj(2025y / 6 / 11, 8h, 30min), bj(2025y / 6 / 12, 17h, 30min)},
        {"Friday evening: Monday 08:30, Tuesday's close", bj(2025y / 6 / 13, 19h, 30min),
         bj(2025y / 6 / 16, 8h, 30min), bj(2025y / 6 / 17, 17h, 30min)},
        {"Saturday: Monday 08:30, Tuesday's close", bj(2025y / 6 / 14, 10h),
         bj(2025y / 6 / 16, 8h, 30min), bj(2025y / 6 / 17, 17h, 30min)},
        {"Sunday just before midnight", bj(2025y / 6 / 15, 23h, 59min, 59s),
         bj(2025y / 6 / 16, 8h, 30min), bj(2025y / 6 / 17, 17h, 30min)},
        {"day before National Day: jumps Oct 1-8", bj(2025y / 9 / 30, 16h), bj(2025y / 9 / 30, 16h),
         bj(2025y / 10 / 9, 17h, 30min)},
        {"Friday -> Sunday 2025-09-28, a make-up working day", bj(2025y / 9 / 26, 9h),
         bj(2025y / 9 / 26, 9h), bj(2025y / 9 / 28, 17h, 30min)},
        {"during the holiday: counts from Oct 9, due Oct 10", bj(2025y / 10 / 3, 11h),
         bj(2025y / 10 / 9, 8h, 30min), bj(2025y / 10 / 10, 17h, 30min)},
        {"Friday 2025-10-10 -> Saturday make-up day", bj(2025y / 10 / 10, 17h),
         bj(2025y / 10 / 10, 17h), bj(2025y / 10 / 11, 17h, 30min)},
        {"Spring Festival eve 2025", bj(2025y / 1 / 27, 14h), bj(2025y / 1 / 27, 14h),
         bj(2025y / 2 / 5, 17h, 30min)},
        {"Friday 2026-02-13 -> Saturday make-up day", bj(2026y / 2 / 13, 14h),
         bj(2026y / 2 / 13, 14h), bj(2026y / 2 / 14, 17h, 30min)},
        {"Saturday make-up 2026-02-14 -> Feb 24", bj(2026y / 2 / 14, 14h), bj(2026y / 2 / 14, 14h),
         bj(2026y / 2 / 24, 17h, 30min)},
        {"16:30 UTC Friday is Saturday 00:30 in Beijing", sys_days{2025y / 6 / 13} + 16h + 30min,
         bj(2025y / 6 / 16, 8h, 30min), bj(2025y / 6 / 17, 17h, 30min)},
    };
    for (const auto& r : rows) {
        EXPECT_EQ(shipped().counting_start(r.submitted), r.start) << r.what;
        const auto d = shipped().deadline_for(r.submitted);
        EXPECT_EQ(d.at, r.deadline) << r.what;
        EXPECT_TRUE(d.fully_covered()) << r.what;
        EXPECT_EQ(d.warning(), "") << r.what;
    }
}

TEST(Deadline, InOfficeHours) {
    const auto& c = shipped();
    EXPECT_TRUE(c.in_office_hours(bj(2025y / 6 / 10, 8h, 30min)));
    EXPECT_TRUE(c.in_office_hours(bj(2025y / 6 / 10, 17h, 29min, 59s)));
    EXPECT_FALSE(c.in_office_hours(bj(2025y / 6 / 10, 17h, 30min)));
    EXPECT_FALSE(c.in_office_hours(bj(2025y / 6 / 10, 3h, 46min)));
    EXPECT_FALSE(c.in_office_hours(bj(2025y / 6 / 14, 10h)));  // Saturday
    EXPECT_FALSE(c.in_office_hours(bj(2025y / 10 / 3, 10h)));  // National Day
    EXPECT_TRUE(c.in_office_hours(bj(2025y / 9 / 28, 10h)));   // make-up Sunday
    EXPECT_EQ(c.next_office_time(bj(2025y / 6 / 10, 18h)), bj(2025y / 6 / 11, 8h, 30min));
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
    EXPECT_EQ(d.at, bj(2025y / 6 / 17, 17h, 30min));
}

TEST(Deadline, ConfigurableOfficeHours) {
    WorkingCalendar c = shipped();
    EXPECT_EQ(c.end_of_working_day(), 17h + 30min);
    EXPECT_EQ(format_office_hours(c.office_hours()), "08:30-17:30");
    c.set_office_hours(*parse_office_hours("09:00-18:00"));
    EXPECT_EQ(c.deadline_for(bj(2025y / 6 / 14, 10h)).at, bj(2025y / 6 / 17, 18h));
    EXPECT_EQ(c.counting_start(bj(2025y / 6 / 10, 8h, 45min)), bj(2025y / 6 / 10, 9h));
    c.set_end_of_working_day(17h);
    EXPECT_EQ(format_office_hours(c.office_hours()), "09:00-17:00");
    EXPECT_THROW(c.set_end_of_working_day(25h), std::invalid_argument);
    EXPECT_THROW(c.set_office_hours({18h, 9h}), std::invalid_argument);
    for (const char* bad : {"", "8:30-17:30", "08:30", "17:30-08:30", "08:30-24:01", "08:60-17:30",
                            "08:30-17:30x", "aa:bb-cc:dd"})
        EXPECT_FALSE(parse_office_hours(bad)) << bad;
    EXPECT_TRUE(parse_office_hours("00:00-24:00"));
}

TEST(Deadline, UncoveredYearIsFlaggedAndUsesWeekdays) {
    // Friday 2027-01-01: 元旦 in reality, but 2027 has no data. The weekday rule gives Monday
    // 2027-01-04, and the result says the year was guessed.
    const auto d = shipped().deadline_for(bj(2027y / 1 / 1, 10h));
    EXPECT_EQ(d.at, bj(2027y / 1 / 4, 17h, 30min));
    EXPECT_FALSE(d.fully_covered());
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2027}));
    EXPECT_NE(d.warning().find("2027"), std::string::npos);
}

TEST(Deadline, CrossingIntoAnUncoveredYearIsFlagged) {
    // Thursday 2026-12-31 (covered) -> Friday 2027-01-01 (not covered): flagged.
    const auto d = shipped().deadline_for(bj(2026y / 12 / 31, 9h));
    EXPECT_EQ(d.at, bj(2027y / 1 / 1, 17h, 30min));
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2027}));
    // Wednesday 2026-12-30 -> Thursday 2026-12-31: never looks at 2027, not flagged.
    EXPECT_TRUE(shipped().deadline_for(bj(2026y / 12 / 30, 9h)).fully_covered());
}

TEST(Deadline, EmptyCalendarFlagsEverything) {
    const WorkingCalendar empty;
    const auto d = empty.deadline_for(bj(2025y / 10 / 1, 9h));  // a Wednesday, weekday rule
    EXPECT_EQ(d.at, bj(2025y / 10 / 2, 17h, 30min));
    EXPECT_EQ(d.uncovered_years, (std::vector<int>{2025}));
}

TEST(Reminder, LeadBeforeDeadlineInOfficeHours) {
    const auto& c = shipped();
    EXPECT_EQ(c.reminder_time(bj(2025y / 6 / 16, 17h, 30min), 2h), bj(2025y / 6 / 16, 15h, 30min));
    // Monday 10:00 - 2 h is 08:00, before opening: moved back to Friday's last office minute.
    EXPECT_EQ(c.reminder_time(bj(2025y / 6 / 16, 10h), 2h), bj(2025y / 6 / 13, 17h, 29min));
    // After closing on a working day: that day's last office minute.
    EXPECT_EQ(c.reminder_time(bj(2025y / 6 / 17, 8h, 30min), 12h), bj(2025y / 6 / 16, 17h, 29min));
    // Into a holiday: 2025-10-09 17:30 minus 48 h is Oct 7 (off) -> Sep 30 17:29.
    EXPECT_EQ(c.reminder_time(bj(2025y / 10 / 9, 17h, 30min), 48h), bj(2025y / 9 / 30, 17h, 29min));
    // Whatever the lead, a reminder time is sendable: inside office hours.
    for (int lead_h = 0; lead_h < 72; lead_h += 5)
        EXPECT_TRUE(
            c.in_office_hours(c.reminder_time(bj(2025y / 6 / 18, 17h, 30min), hours{lead_h})))
            << lead_h;
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
