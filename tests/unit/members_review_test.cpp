// Pure rules of the review console: stats date ranges, what a rejection reason and a union name
// may be, reminder batch labels, the on-time rate, and when a reminder is due on the calendar.
#include <gtest/gtest.h>

#include <chrono>

#include "members/calendar.hpp"
#include "members/review_rules.hpp"

namespace kayou::members {
namespace {

using namespace std::chrono;

std::int64_t beijing(int y, unsigned m, unsigned d, int hour, int minute = 0) {
    const sys_days date{year{y} / month{m} / std::chrono::day{d}};
    return (date + hours(hour) + minutes(minute) - hours(8)).time_since_epoch() / seconds(1);
}

TEST(ReviewDateRange, CoversWholeBeijingDaysInclusive) {
    std::string error;
    const auto range = beijing_date_range("2026-11-01", "2026-11-30", &error);
    ASSERT_TRUE(range) << error;
    EXPECT_EQ(range->from, beijing(2026, 11, 1, 0));  // 2026-10-31T16:00Z
    EXPECT_EQ(range->from, 1'793'462'400);
    EXPECT_EQ(range->to, beijing(2026, 12, 1, 0));
    const auto one_day = beijing_date_range("2026-11-23", "2026-11-23", &error);
    ASSERT_TRUE(one_day);
    EXPECT_EQ(one_day->to - one_day->from, 86'400);
}

TEST(ReviewDateRange, RejectsBadInput) {
    std::string error;
    EXPECT_FALSE(beijing_date_range("2026-11-31", "2026-12-01", &error));
    EXPECT_NE(error.find("from"), std::string::npos);
    EXPECT_FALSE(beijing_date_range("2026-11-01", "", &error));
    EXPECT_NE(error.find("to"), std::string::npos);
    EXPECT_FALSE(beijing_date_range("2026-11-02", "2026-11-01", &error));
    EXPECT_EQ(error, "to is before from");
    EXPECT_FALSE(beijing_date_range("2025-01-01", "2026-01-02", &error));  // 367 days
    EXPECT_EQ(error, "at most 366 days at once");
    EXPECT_TRUE(beijing_date_range("2025-01-01", "2026-01-01", &error));  // 366 days
    EXPECT_FALSE(beijing_date_range("2026/11/01", "2026-11-02", &error));
}

TEST(ReviewRejectReason, ShortOneLineNoLinks) {
    EXPECT_EQ(reject_reason_problem("身份证照片不清晰"), "");
    EXPECT_EQ(reject_reason_problem(""), "reason is required");
    std::string thirty;
    for (int i = 0; i < 30; ++i) thirty += "字";
    EXPECT_EQ(reject_reason_problem(thirty), "");
    EXPECT_NE(reject_reason_problem(thirty + "多"), "");
    EXPECT_NE(reject_reason_problem("第一行\n第二行"), "");
    EXPECT_NE(reject_reason_problem("请看https://x.cn"), "");
    EXPECT_NE(reject_reason_problem("详见www.example"), "");
    EXPECT_NE(reject_reason_problem("tab\there"), "");
}

TEST(ReviewRejectReason, TheSameCheckInChineseForTheConsole) {
    EXPECT_EQ(reject_reason_message("身份证照片不清晰"), "");
    std::string thirty;
    for (int i = 0; i < 30; ++i) thirty += "字";
    for (const std::string& bad : {std::string(), thirty + "多", std::string("第一行\n第二行"),
                                   std::string("请看https://x.cn")}) {
        EXPECT_NE(reject_reason_problem(bad), "") << bad;
        const auto message = reject_reason_message(bad);
        ASSERT_NE(message, "") << bad;
        for (const char c : message) EXPECT_FALSE(c >= 'a' && c <= 'z') << message;
    }
    EXPECT_NE(reject_reason_message("").find("原因"), std::string::npos);
    EXPECT_NE(reject_reason_message(thirty + "多").find("30"), std::string::npos);
    EXPECT_NE(reject_reason_message("www.x.cn").find("网址"), std::string::npos);
}

TEST(ReviewUnionName, TwoToFiftyCharacters) {
    EXPECT_EQ(union_name_problem("湖塘镇物流行业工会联合会"), "");
    EXPECT_NE(union_name_problem("湖"), "");
    EXPECT_NE(union_name_problem(""), "");
    EXPECT_NE(union_name_problem("工会\r\n"), "");
    std::string long_name;
    for (int i = 0; i < 51; ++i) long_name += "会";
    EXPECT_NE(union_name_problem(long_name), "");
}

TEST(ReviewBatchLabel, OneOrFirstWithCount) {
    EXPECT_EQ(batch_label({}), "");
    EXPECT_EQ(batch_label({"RH20261122000042"}), "RH20261122000042");
    EXPECT_EQ(batch_label({"RH20261122000042", "RH20261122000043", "RH20261122000044"}),
              "RH20261122000042等3件");
}

TEST(ReviewSmsKey, NamesTheApplicationOfDriverMessagesOnly) {
    EXPECT_EQ(application_of_sms_key("approval:RH20261122000042"), "RH20261122000042");
    EXPECT_EQ(application_of_sms_key("rejection:RH20261122000042"), "RH20261122000042");
    EXPECT_EQ(application_of_sms_key("progress:RH20261122000042:received:2944010"),
              "RH20261122000042");
    EXPECT_EQ(application_of_sms_key("reminder:wujin:RH20261122000042:abcd"), "");
    EXPECT_EQ(application_of_sms_key("approval:RH2026"), "");
    EXPECT_EQ(application_of_sms_key("approval:XX20261122000042"), "");
    EXPECT_EQ(application_of_sms_key(""), "");
}

TEST(ReviewOnTimeRate, DecidedOnTimeOverDecided) {
    EXPECT_FALSE(on_time_rate(0, 0));
    EXPECT_DOUBLE_EQ(*on_time_rate(4, 1), 0.75);
    EXPECT_DOUBLE_EQ(*on_time_rate(3, 0), 1.0);
    EXPECT_DOUBLE_EQ(*on_time_rate(2, 5), 0.0);  // more late than decided cannot happen; clamp
}

class ReviewReminders : public ::testing::Test {
protected:
    static members::WorkingCalendar calendar() {
        return members::WorkingCalendar::load_directory(KAYOU_SOURCE_DIR "/config/calendar");
    }
};

TEST_F(ReviewReminders, DueLeadBeforeTheDeadlineOnAWorkingDay) {
    const auto cal = calendar();
    // Deadline Monday 2026-11-23 15:00; lead 2 h -> due from 13:00.
    SweepBatch candidates{{"RH20261120000001"}, {beijing(2026, 11, 23, 15)}};
    EXPECT_TRUE(
        due_reminders(candidates, beijing(2026, 11, 23, 12, 59), minutes(120), cal).ids.empty());
    const auto due = due_reminders(candidates, beijing(2026, 11, 23, 13), minutes(120), cal);
    ASSERT_EQ(due.ids.size(), 1u);
    EXPECT_EQ(due.deadlines.front(), beijing(2026, 11, 23, 15));
}

TEST_F(ReviewReminders, ReminderFallingOnTheWeekendMovesBackToFridayEvening) {
    const auto cal = calendar();
    // Deadline Monday 2026-11-23 01:00: 2 h before is Sunday 23:00, so the reviewers hear about it
    // in the last office minute of Friday (office hours 08:30-17:30 by default) instead.
    SweepBatch candidates{{"RH20261120000002", "RH20261120000003"},
                          {beijing(2026, 11, 23, 1), beijing(2026, 11, 23, 16)}};
    EXPECT_TRUE(
        due_reminders(candidates, beijing(2026, 11, 20, 17, 28), minutes(120), cal).ids.empty());
    const auto due = due_reminders(candidates, beijing(2026, 11, 20, 17, 29), minutes(120), cal);
    ASSERT_EQ(due.ids.size(), 1u);
    EXPECT_EQ(due.ids.front(), "RH20261120000002");
}

TEST_F(ReviewReminders, NationalDayMakeUpSaturdayCountsAsWorking) {
    const auto cal = calendar();
    // 2026: 国庆 1-7 Oct; Sunday 20 Sep and Saturday 10 Oct are make-up working days. A deadline
    // at the close of Saturday 10 Oct with 2 h lead: 15:30 that Saturday is office time -> stays.
    SweepBatch candidates{{"RH20261009000001"}, {beijing(2026, 10, 10, 17, 30)}};
    EXPECT_TRUE(
        due_reminders(candidates, beijing(2026, 10, 10, 15, 29), minutes(120), cal).ids.empty());
    EXPECT_EQ(
        due_reminders(candidates, beijing(2026, 10, 10, 15, 30), minutes(120), cal).ids.size(), 1u);
}

}  // namespace
}  // namespace kayou::members
