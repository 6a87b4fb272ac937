// Beijing time is UTC+8 by arithmetic (text/beijing_time.hpp): the date flips at 16:00 UTC.
#include "text/beijing_time.hpp"

#include <gtest/gtest.h>

namespace kayou::text {
namespace {

using namespace std::chrono;

TEST(BeijingTime, FormatsWallClockTimeAcrossMidnight) {
    struct Case {
        std::int64_t unix_seconds;
        const char* format;
        const char* expected;
    };
    const Case cases[] = {
        {0, "%Y%m%d", "19700101"},
        {1699977599, "%Y%m%d", "20231114"},  // 15:59:59 UTC = 23:59:59 in Beijing
        {1699977600, "%Y%m%d", "20231115"},  // 16:00:00 UTC = 00:00 next day in Beijing
        {1699977600, "%Y%m%d%H", "2023111500"},
        {1795365000, "%Y-%m-%d %H:%M", "2026-11-23 00:30"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(format_beijing(sys_seconds(seconds(c.unix_seconds)), c.format), c.expected)
            << c.unix_seconds << " " << c.format;
}

TEST(BeijingTime, ConvertsBothWaysAndNamesTheDate) {
    const sys_seconds utc_evening = sys_days{2025y / October / 1} + hours{17};
    EXPECT_EQ(beijing_date(utc_evening), 2025y / October / 2);
    EXPECT_EQ(from_beijing(to_beijing(utc_evening)), utc_evening);
}

TEST(BeijingTime, ParsesOnlyRealDatesAndFormatsThem) {
    EXPECT_EQ(parse_date("2025-10-01"), std::optional(2025y / October / 1));
    EXPECT_FALSE(parse_date("2025-02-30"));
    EXPECT_FALSE(parse_date("2030--1-01"));
    EXPECT_FALSE(parse_date("2025/10/01"));
    EXPECT_EQ(format_date(2025y / October / 1), "2025-10-01");
}

}  // namespace
}  // namespace kayou::text
