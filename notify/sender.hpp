#pragma once
// The SMS sender: a coroutine worker that runs in every kayou process and drains the outbox
// (notify/redis_outbox.hpp) into the providers.
//
//  - Work arrives by XREADGROUP (group "senders", consumer = this instance) with a short BLOCK on
//    a dedicated Redis connection, so the blocking read never stalls the commands pipelined on
//    the shared connection. An idle sender picks up a new message within one round trip.
//  - Entries a crashed sender had read are taken over with XAUTOCLAIM after claim_idle.
//  - Two lanes: notifications and reminders ({sms}:stream) and verification codes
//    ({sms}:stream:code), each with its own in-flight slots, its own token bucket and its own
//    per-phone counters, so that a flood of codes never delays an approval SMS nor uses up the
//    driver's quota for it. A code is dropped (state suppressed) rather than sent late: when it
//    is older than code_max_age, or when a per-phone limit would hold it.
//  - Each message is claimed atomically (state queued|retry -> sending) together with the
//    opt-out check and the per-phone limits (same template spacing, per hour, per day), so two
//    senders never both send it and a held message does not use up quota.
//  - A message found in state "sending" when taken over may already have been sent (the sender
//    died between writing the request and recording the answer): it becomes "unknown", never
//    resent blindly. Unknown outcomes (that, a timeout or reset after the request was written,
//    504) are settled by asking the provider a few minutes later (SmsProvider::query: Tencent
//    PullSmsSendStatusByPhoneNumber, Aliyun QuerySendDetails); a receipt joined on our message
//    id (Tencent ext, Aliyun out_id) settles them too. Only a confirmed "not sent" is resent;
//    an outcome nobody can establish is failed with "unknown_outcome_unresolved" and an alert
//    at the message's settle-by time.
//  - Transient failures retry with exponential backoff and jitter until the message's settle-by
//    time (an application's deadline minus a margin), alternating between the primary and the
//    fallback provider; window-limited answers are retried after the window; permanent ones
//    fail and alert the reviewer (kayou:{sms}:alerts). The decisions are pure functions in
//    notify/sms_schedule.hpp.
//  - A notification (approval, rejection) not sent within alert_after raises an alert
//    ("not_delivered_in_time") while the sender keeps trying.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "notify/providers/provider.hpp"
#include "notify/redis_outbox.hpp"
#include "notify/sms_schedule.hpp"

namespace kayou::notify {

struct SenderOptions {
    std::string consumer;  // unique per process; empty = host-pid-random
    std::size_t batch = 100;
    std::size_t max_in_flight = 64;
    std::chrono::milliseconds block{200};  // XREADGROUP BLOCK; below the Redis command timeout
    std::chrono::milliseconds claim_idle{30'000};  // take over entries idle this long
    std::chrono::milliseconds housekeeping{250};   // delayed → stream, take-overs, give-ups
    double rate_per_second = 100;                  // request rate of this process for notifications
    double code_rate_per_second = 50;              // and, separately, for verification codes
    std::chrono::milliseconds code_max_age{300'000};  // a code older than this is not sent
    // Retries, settle-by times and status queries (notify/sms_schedule.hpp).
    SchedulePolicy schedule;
    // A notification not yet accepted by a provider this long after it was enqueued is reported
    // to the reviewers (kayou:{sms}:alerts, reason not_delivered_in_time).
    std::chrono::milliseconds alert_after{std::chrono::minutes(10)};
    // How long one process owns the status query of an unknown outcome before another may ask:
    // longer than a query can take (bot/config.cpp derives it from the HTTP timeouts).
    std::chrono::milliseconds status_lease{120'000};
    // Per-phone limits kept before the provider's own (docs/sms.md).
    std::chrono::milliseconds same_template_interval{30'000};
    int per_phone_hour = 5;
    int per_phone_day = 10;
};

struct SenderStats {
    std::uint64_t requests = 0;  // provider calls made
    std::uint64_t sent = 0;
    std::uint64_t retried = 0;
    std::uint64_t deferred = 0;  // held by a rate limit or a provider window
    std::uint64_t failed = 0;
    std::uint64_t unknown = 0;
    std::uint64_t taken_over = 0;      // entries reclaimed from another consumer
    std::uint64_t suppressed = 0;      // not sent on purpose: opted out, a stale or held code
    std::uint64_t status_queries = 0;  // provider status queries made for unknown outcomes
    std::uint64_t resent = 0;          // unknown outcomes the provider confirmed as not sent
    std::uint64_t late_alerts = 0;     // notifications reported as not delivered in time
};

class SmsSender : public std::enable_shared_from_this<SmsSender> {
public:
    // `reader` must be a Redis connection of its own (it blocks); the outbox's connection is used
    // for everything else. providers[0] is the primary, providers[1] (optional) the fallback;
    // they must outlive the sender.
    static std::shared_ptr<SmsSender> create(boost::asio::any_io_executor executor,
                                             RedisSmsOutbox& outbox,
                                             std::shared_ptr<redis::Client> reader,
                                             std::vector<SmsProvider*> providers,
                                             SenderOptions options);
    ~SmsSender();

    void start();
    void stop();
    const SenderStats& stats() const;
    const std::string& consumer() const;

    struct Impl;

private:
    SmsSender() = default;
    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::notify
