#pragma once
// What the SMS sender does next: pure decisions, no I/O, no clock, no randomness (the caller
// passes `now` and a jitter draw), so every branch is a row in tests/unit/notify_schedule_test.cpp.
//
// The promise is "every online application settled within 1 working day", and provider incidents
// last minutes to hours, so a message is not given up after a handful of quick retries: it is
// retried with exponential backoff (jittered, capped at SchedulePolicy::backoff_cap, 30 min by
// default) until its settle-by time — the application's deadline minus a margin, so that a
// person still has time to phone the driver — alternating between the primary and the fallback
// provider. Only a permanent error (a bad number, an unapproved template at every provider)
// stops it at once.
//
// A send whose answer was lost (timeout or reset after the request was written, 504, a crashed
// sender) may have reached the provider: resending could text the driver twice. Such a message
// waits in state "unknown" and the sender asks the provider (Tencent
// PullSmsSendStatusByPhoneNumber, Aliyun QuerySendDetails) a few minutes later; only a confirmed
// "not sent" is resent (docs/sms.md, "Unknown outcome").
#include <chrono>
#include <cstdint>
#include <string>

#include "notify/signing/outcome.hpp"
#include "notify/sms_outbox.hpp"

namespace kayou::notify {

struct SchedulePolicy {
    // Retries: base·2^(round-1), at most backoff_cap, each drawn from [d/2, d].
    std::chrono::milliseconds backoff_base{1000};
    std::chrono::milliseconds backoff_cap{std::chrono::minutes(30)};
    // 0 = no count limit: the settle-by time decides. A positive value is an extra cap.
    int max_attempts = 0;
    // Retries stop this long before the message's settle-by time (an application's deadline),
    // so the failure alert reaches a reviewer while there is still time to phone the driver.
    std::chrono::milliseconds settle_margin{std::chrono::minutes(30)};
    // Every message is tried for at least this long after it was enqueued, even when its
    // settle-by time is closer or already past (a late decision still deserves its SMS).
    std::chrono::milliseconds min_window{std::chrono::hours(2)};
    // Without a settle-by time: notifications and reminders, and one-time codes (useless once
    // expired; see the join flow's code lifetime).
    std::chrono::milliseconds default_window{std::chrono::hours(24)};
    std::chrono::milliseconds verification_window{std::chrono::minutes(15)};
    // Unknown outcomes: the first status query this long after the send (receipts and the
    // provider's records need a moment), then every status_check_interval.
    std::chrono::milliseconds status_check_after{std::chrono::minutes(2)};
    std::chrono::milliseconds status_check_interval{std::chrono::minutes(1)};
    // A query that finds no record of the send counts as "not sent" only this long after the
    // send: Tencent lists a send only once its receipt is in, which can take minutes.
    std::chrono::milliseconds status_absent_after{std::chrono::minutes(5)};
    // An unknown outcome is queried for at least this long before it is given up (failed +
    // alert) at its settle-by time.
    std::chrono::milliseconds unknown_wait{std::chrono::minutes(30)};
};

// The instant retries stop for a message enqueued at created_ms. settle_by_ms is what the
// enqueuer asked for (an application's deadline, 0 = none): minus settle_margin, but never
// earlier than created_ms + min_window. Without one: created + the window of the kind.
std::int64_t settle_deadline_ms(std::int64_t created_ms, std::int64_t settle_by_ms,
                                SmsMessage::Kind kind, const SchedulePolicy& policy);

// The wait before retry round `round` (1 = the first retry), drawn from [d/2, d] with
// d = min(cap, base·2^(round-1)); jitter in [0, 1] picks the point.
std::int64_t backoff_ms(int round, double jitter, const SchedulePolicy& policy);

// Whether a failure is the provider's (or our account's with it) rather than the recipient's:
// then the other provider may well succeed.
bool provider_level(const signing::Classification& c);

// ---- After a send attempt ----

struct AttemptFacts {
    signing::Classification classification;
    int attempts = 1;           // attempts so far, this one included
    std::size_t provider = 0;   // index of the provider this attempt used
    std::size_t providers = 1;  // how many are configured (1 or 2)
    // The other provider already answered this message with a permanent error of its own (a
    // template not approved there, our account): switching to it cannot help.
    bool other_refused = false;
    std::int64_t now_ms = 0;       // when the answer came
    std::int64_t deadline_ms = 0;  // settle_deadline_ms of the message
    double jitter = 0.5;           // a uniform draw in [0, 1]
};

struct Step {
    enum class Kind {
        sent,     // accepted: wait for the receipt
        retry,    // send again at due_ms through next_provider
        unknown,  // may have been sent: ask the provider at due_ms, never resend blindly
        failed,   // give up: alert a reviewer (reason says why)
    };
    Kind kind = Kind::failed;
    std::int64_t due_ms = 0;
    std::size_t next_provider = 0;
    std::string reason;  // failed: "retries_exhausted" | "" (the provider's code is used)
};

Step next_step(const AttemptFacts& facts, const SchedulePolicy& policy);

// ---- After a status query for an unknown outcome ----

enum class StatusFinding {
    delivered,    // the provider has our send and a delivery receipt
    accepted,     // the provider has our send, no final receipt yet
    failed,       // the provider has our send and the carrier reported it undelivered
    absent,       // the provider has no record of our send
    error,        // the query itself failed (transport, 5xx, unreadable): we know nothing new
    unsupported,  // the provider offers no query (local sink): wait for a receipt
};

struct CheckFacts {
    StatusFinding finding = StatusFinding::error;
    std::int64_t now_ms = 0;
    std::int64_t attempt_ms = 0;   // when the send in question was started
    std::int64_t deadline_ms = 0;  // settle_deadline_ms of the message
    int checks = 0;                // queries made before this one
    std::size_t provider = 0;      // the provider that may have it
    std::size_t providers = 1;
    double jitter = 0.5;
};

struct CheckStep {
    enum class Kind {
        delivered,    // settle as delivered
        sent,         // settle as sent (accepted; the receipt may follow)
        failed,       // the carrier failed it: failed + alert (reason "undelivered")
        resend,       // confirmed not sent: send again at once through next_provider
        check_again,  // ask again at due_ms
        give_up,      // failed "unknown_outcome_unresolved" + alert: a person decides
    };
    Kind kind = Kind::check_again;
    std::int64_t due_ms = 0;
    std::size_t next_provider = 0;
    std::string reason;  // failed: "undelivered" | "retries_exhausted"
};

CheckStep next_check_step(const CheckFacts& facts, const SchedulePolicy& policy);

// When an unknown outcome is given up: its settle-by time, but not before unknown_wait of
// querying has passed.
std::int64_t unknown_give_up_ms(std::int64_t attempt_ms, std::int64_t deadline_ms,
                                const SchedulePolicy& policy);

}  // namespace kayou::notify
