// The sender's decisions (notify/sms_schedule.hpp) as tables: what follows an attempt, what
// follows a status query, how long retries go on.
#include <gtest/gtest.h>

#include <vector>

#include "notify/sms_schedule.hpp"

namespace kayou::notify {
namespace {

using signing::Classification;
using signing::FailureClass;
using namespace std::chrono;
using namespace std::chrono_literals;

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kHour = 60 * kMin;

Classification cls(FailureClass kind, bool alert = false) { return {kind, std::nullopt, alert}; }

TEST(SmsSchedule, SettleDeadline) {
    const SchedulePolicy p;
    struct Row {
        const char* what;
        std::int64_t created, settle_by;
        SmsMessage::Kind kind;
        std::int64_t expected;
    };
    const std::int64_t t = 1'000 * kHour;
    const std::vector<Row> rows{
        {"deadline a day away: minus the 30 min margin", t, t + 24 * kHour,
         SmsMessage::Kind::notification, t + 24 * kHour - 30 * kMin},
        {"deadline in 1 h: still 2 h of tries", t, t + kHour, SmsMessage::Kind::notification,
         t + 2 * kHour},
        {"decided after the deadline: 2 h of tries", t, t - 5 * kHour,
         SmsMessage::Kind::notification, t + 2 * kHour},
        {"no deadline: a day", t, 0, SmsMessage::Kind::notification, t + 24 * kHour},
        {"reminder without deadline: a day", t, 0, SmsMessage::Kind::reminder, t + 24 * kHour},
        {"a code is useless after 15 min", t, 0, SmsMessage::Kind::verification, t + 15 * kMin},
    };
    for (const auto& r : rows)
        EXPECT_EQ(settle_deadline_ms(r.created, r.settle_by, r.kind, p), r.expected) << r.what;
}

TEST(SmsSchedule, BackoffDoublesWithJitterUpToThirtyMinutes) {
    const SchedulePolicy p;
    struct Row {
        int round;
        double jitter;
        std::int64_t expected;
    };
    const std::vector<Row> rows{
        {1, 0.0, 500},        {1, 1.0, 1000},
        {2, 0.0, 1000},       {2, 1.0, 2000},
        {5, 0.5, 12'000},     {11, 1.0, 1'024'000},
        {12, 1.0, 30 * kMin}, {12, 0.0, 15 * kMin},
        {40, 1.0, 30 * kMin}, {1000, 0.25, 15 * kMin + 225'000},
    };
    for (const auto& r : rows)
        EXPECT_EQ(backoff_ms(r.round, r.jitter, p), r.expected)
            << "round " << r.round << " jitter " << r.jitter;
}

TEST(SmsSchedule, NextStepAfterAnAttempt) {
    const SchedulePolicy p;
    const std::int64_t now = 100 * kHour;
    const std::int64_t deadline = now + 10 * kHour;
    const auto window_end = sys_seconds(seconds((now + 30'000) / 1000));
    struct Row {
        const char* what;
        Classification c;
        int attempts;
        std::size_t provider, providers;
        bool other_refused;
        std::int64_t now, deadline;
        Step::Kind kind;
        std::int64_t due;  // -1: not checked
        std::size_t next;
        const char* reason;
    };
    using K = Step::Kind;
    const std::vector<Row> rows{
        {"ok", cls(FailureClass::ok), 1, 0, 2, false, now, deadline, K::sent, -1, 0, ""},
        {"read then drop: ask the same provider in 2 min", cls(FailureClass::unknown_outcome), 1, 1,
         2, false, now, deadline, K::unknown, now + 2 * kMin, 1, ""},
        {"unknown even past the deadline is queried, not failed",
         cls(FailureClass::unknown_outcome), 9, 0, 1, false, deadline + 1, deadline, K::unknown,
         deadline + 1 + 2 * kMin, 0, ""},
        {"bad number stops at once", cls(FailureClass::permanent_recipient), 1, 0, 2, false, now,
         deadline, K::failed, -1, 0, ""},
        {"template refused at primary: the fallback now", cls(FailureClass::permanent, true), 1, 0,
         2, false, now, deadline, K::retry, now, 1, ""},
        {"template refused at both: failed", cls(FailureClass::permanent, true), 2, 1, 2, true, now,
         deadline, K::failed, -1, 1, ""},
        {"sensitive content with one provider: failed", cls(FailureClass::permanent, true), 1, 0, 1,
         false, now, deadline, K::failed, -1, 0, ""},
        {"primary 500: fallback at once", cls(FailureClass::transient), 1, 0, 2, false, now,
         deadline, K::retry, now, 1, ""},
        {"fallback 500 too: primary after round 1's backoff", cls(FailureClass::transient), 2, 1, 2,
         false, now, deadline, K::retry, now + 750, 0, ""},
        {"fallback 500 in round 12: 30 min cap", cls(FailureClass::transient), 24, 1, 2, false, now,
         deadline, K::retry, now + 15 * kMin + 7 * kMin + 30'000, 0, ""},
        {"only fallback left (primary refused): backoff on it", cls(FailureClass::transient), 3, 1,
         2, true, now, deadline, K::retry, now + 3'000, 1, ""},
        {"one provider: backoff by attempt", cls(FailureClass::transient), 3, 0, 1, false, now,
         deadline, K::retry, now + 3'000, 0, ""},
        {"billing switches too", cls(FailureClass::billing, true), 1, 0, 2, false, now, deadline,
         K::retry, now, 1, ""},
        {"a retry never lands after the deadline", cls(FailureClass::transient), 30, 0, 1, false,
         deadline - 1000, deadline, K::retry, deadline, 0, ""},
        {"at the deadline: failed, retries exhausted", cls(FailureClass::transient), 30, 0, 1,
         false, deadline, deadline, K::failed, -1, 0, "retries_exhausted"},
        {"window: not before its end",
         {FailureClass::window_limited, window_end, false},
         1,
         0,
         2,
         false,
         now,
         deadline,
         K::retry,
         now + 30'000 + 500,
         0,
         ""},
        {"window past the deadline: the other provider now",
         {FailureClass::window_limited, sys_seconds(seconds((deadline + kHour) / 1000)), false},
         1,
         0,
         2,
         false,
         now,
         deadline,
         K::retry,
         now,
         1,
         ""},
        {"window past the deadline, one provider: at the deadline",
         {FailureClass::window_limited, sys_seconds(seconds((deadline + kHour) / 1000)), false},
         1,
         0,
         1,
         false,
         now,
         deadline,
         K::retry,
         deadline,
         0,
         ""},
    };
    for (const auto& r : rows) {
        AttemptFacts f;
        f.classification = r.c;
        f.attempts = r.attempts;
        f.provider = r.provider;
        f.providers = r.providers;
        f.other_refused = r.other_refused;
        f.now_ms = r.now;
        f.deadline_ms = r.deadline;
        f.jitter = 0.5;
        const auto step = next_step(f, p);
        EXPECT_EQ(step.kind, r.kind) << r.what;
        if (r.due >= 0) EXPECT_EQ(step.due_ms, r.due) << r.what;
        EXPECT_EQ(step.next_provider, r.next) << r.what;
        EXPECT_EQ(step.reason, r.reason) << r.what;
    }
}

TEST(SmsSchedule, MaxAttemptsIsAnExtraCap) {
    SchedulePolicy p;
    p.max_attempts = 5;
    AttemptFacts f;
    f.classification = cls(FailureClass::transient);
    f.now_ms = 0;
    f.deadline_ms = kHour;
    f.attempts = 4;
    EXPECT_EQ(next_step(f, p).kind, Step::Kind::retry);
    f.attempts = 5;
    EXPECT_EQ(next_step(f, p).kind, Step::Kind::failed);
}

// Both providers down for two minutes: the message is still being retried afterwards, and the
// waits grow but stay under the cap; the old 5 x 1 s·2^n gave up after ~15 s.
TEST(SmsSchedule, TwoMinuteOutageOfBothProvidersIsRiddenOut) {
    SchedulePolicy p;
    const std::int64_t created = 0;
    const std::int64_t deadline =
        settle_deadline_ms(created, 24 * kHour, SmsMessage::Kind::notification, p);
    std::int64_t now = created;
    std::size_t provider = 0;
    int attempts = 0;
    while (now < 2 * kMin) {
        ++attempts;
        AttemptFacts f;
        f.classification = cls(FailureClass::transient);
        f.attempts = attempts;
        f.provider = provider;
        f.providers = 2;
        f.now_ms = now;
        f.deadline_ms = deadline;
        f.jitter = 1.0;
        const auto step = next_step(f, p);
        ASSERT_EQ(step.kind, Step::Kind::retry) << "attempt " << attempts;
        ASSERT_LE(step.due_ms - now, 30 * kMin);
        EXPECT_NE(step.next_provider, provider) << "alternates";
        provider = step.next_provider;
        now = step.due_ms;
    }
    EXPECT_GE(attempts, 10);
    EXPECT_LT(now, 5 * kMin) << "the first try after the outage comes soon after it";
}

TEST(SmsSchedule, NextStepAfterAStatusQuery) {
    const SchedulePolicy p;
    const std::int64_t sent = 100 * kHour;
    const std::int64_t deadline = sent + 10 * kHour;
    struct Row {
        const char* what;
        StatusFinding finding;
        std::int64_t now, deadline;
        int checks;
        std::size_t providers;
        CheckStep::Kind kind;
        std::int64_t due;  // -1: not checked
        std::size_t next;
    };
    using K = CheckStep::Kind;
    using S = StatusFinding;
    const std::vector<Row> rows{
        {"found delivered", S::delivered, sent + 2 * kMin, deadline, 0, 2, K::delivered, -1, 0},
        {"found, receipt pending", S::accepted, sent + 2 * kMin, deadline, 0, 2, K::sent, -1, 0},
        {"found, carrier failed it", S::failed, sent + 2 * kMin, deadline, 0, 2, K::failed, -1, 0},
        {"absent at 2 min: again at 3 min", S::absent, sent + 2 * kMin, deadline, 0, 2,
         K::check_again, sent + 3 * kMin, 0},
        {"absent at 4.5 min: again when absence counts", S::absent, sent + 4 * kMin + 30'000,
         deadline, 2, 2, K::check_again, sent + 5 * kMin, 0},
        {"absent at 5 min: confirmed not sent, resend via the other", S::absent, sent + 5 * kMin,
         deadline, 3, 2, K::resend, sent + 5 * kMin, 1},
        {"absent, one provider: resend via it", S::absent, sent + 6 * kMin, deadline, 3, 1,
         K::resend, sent + 6 * kMin, 0},
        {"absent after the deadline: failed", S::absent, deadline + 1, deadline, 3, 2, K::failed,
         -1, 0},
        {"query failed: again after 1 min-ish", S::error, sent + 2 * kMin, deadline, 0, 2,
         K::check_again, sent + 2 * kMin + 45'000, 0},
        {"query failed 3 times: spaced out", S::error, sent + 10 * kMin, deadline, 3, 2,
         K::check_again, sent + 10 * kMin + 6 * kMin, 0},
        {"query failing at the deadline: give up", S::error, deadline, deadline, 20, 2, K::give_up,
         -1, 0},
        {"deadline close: still 30 min of queries", S::error, sent + 20 * kMin, sent + 5 * kMin, 5,
         2, K::check_again, -1, 0},
        {"no query at this provider: wait for the receipt until give-up", S::unsupported,
         sent + 2 * kMin, deadline, 0, 1, K::check_again, deadline, 0},
        {"no query, time is up", S::unsupported, deadline, deadline, 1, 1, K::give_up, -1, 0},
    };
    for (const auto& r : rows) {
        CheckFacts f;
        f.finding = r.finding;
        f.now_ms = r.now;
        f.attempt_ms = sent;
        f.deadline_ms = r.deadline;
        f.checks = r.checks;
        f.provider = 0;
        f.providers = r.providers;
        f.jitter = 0.5;
        const auto step = next_check_step(f, p);
        EXPECT_EQ(step.kind, r.kind) << r.what;
        if (r.due >= 0) EXPECT_EQ(step.due_ms, r.due) << r.what;
        EXPECT_EQ(step.next_provider, r.next) << r.what;
    }
}

TEST(SmsSchedule, ProviderLevelFailures) {
    EXPECT_TRUE(provider_level(cls(FailureClass::transient)));
    EXPECT_TRUE(provider_level(cls(FailureClass::clock, true)));
    EXPECT_TRUE(provider_level(cls(FailureClass::billing, true)));
    EXPECT_TRUE(provider_level(cls(FailureClass::permanent, true)));
    EXPECT_FALSE(provider_level(cls(FailureClass::permanent, false)));
    EXPECT_FALSE(provider_level(cls(FailureClass::permanent_recipient)));
    EXPECT_FALSE(provider_level(cls(FailureClass::unknown_outcome)));
    EXPECT_FALSE(provider_level(cls(FailureClass::ok)));
}

}  // namespace
}  // namespace kayou::notify
