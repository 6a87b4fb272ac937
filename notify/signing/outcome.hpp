#pragma once
// What a failed send means for the outbox: retry now, retry after a window, never retry, or find
// out first. Shared by the Tencent and Aliyun classifiers (tencent_tc3.hpp, aliyun_rpc.hpp); the
// classes follow docs/spec sms-providers.md §1.4, §3.4 and §6.2.
#include <chrono>
#include <optional>
#include <string_view>

namespace kayou::notify::signing {

enum class FailureClass {
    ok,                   // accepted by the provider
    transient,            // retry with exponential backoff + jitter, re-signing each attempt
    clock,                // our clock is off: alert, re-sign with a fresh timestamp, do not loop
    window_limited,       // a frequency window is full: retry at retry_not_before, not earlier
    time_of_day,          // only allowed in certain hours: defer to retry_not_before
    permanent,            // configuration or content is wrong: fail fast, alert
    permanent_recipient,  // this number cannot get SMS (invalid, blacklisted): mark unreachable
    billing,              // out of balance/quota: alert ops, retry after top-up
    unknown_outcome,      // the request may have been delivered: resolve from receipts or a
                          // status query before any resend, never resend blindly (§6.2)
};

std::string_view to_string(FailureClass c);

struct Classification {
    FailureClass kind = FailureClass::ok;
    // Earliest instant a retry can pass, for window_limited and time_of_day.
    std::optional<std::chrono::sys_seconds> retry_not_before;
    // A person has to act (configuration, credentials, balance, clock, unrecognised code).
    bool alert = false;
    // False when the code is not in our tables; it is then treated as permanent + alert, because
    // retrying something we do not understand risks a duplicate SMS to the driver.
    bool recognized = true;
};

// Failures before any provider answer could be read.
enum class TransportFailure {
    not_sent,          // DNS, connect or TLS failed before the request body left: safe to retry
    sent_no_response,  // timeout or reset after the body was written: may have been delivered
};
Classification classify_transport(TransportFailure failure);

// An HTTP status without a provider error code in the body (a gateway page, a 502 HTML body).
// 2xx is ok here only in the sense "look at the body"; callers classify the body's code instead.
// 5xx is transient, except 504: the gateway gave up waiting on a backend that may
// already have sent the SMS, so its outcome is unknown. 429 is transient. Other 4xx mean we
// built a bad request: permanent + alert.
Classification classify_http_status(int status);

// Helpers for window ends, in Beijing wall-clock windows (UTC+8): both providers count their
// natural minute/hour/day limits on Beijing clock boundaries.
std::chrono::sys_seconds next_beijing_minute(std::chrono::sys_seconds now);
std::chrono::sys_seconds next_beijing_hour(std::chrono::sys_seconds now);
std::chrono::sys_seconds next_beijing_midnight(std::chrono::sys_seconds now);
std::chrono::sys_seconds next_beijing_month(std::chrono::sys_seconds now);
// The first Beijing `hour`:00 at or after `now` (today's if not yet passed, else tomorrow's).
std::chrono::sys_seconds next_beijing_clock_time(std::chrono::sys_seconds now, int hour);

}  // namespace kayou::notify::signing
