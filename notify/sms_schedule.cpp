#include "notify/sms_schedule.hpp"

#include <algorithm>

namespace kayou::notify {

using signing::FailureClass;

namespace {

std::int64_t ms(std::chrono::milliseconds d) { return d.count(); }

std::size_t other(std::size_t provider, std::size_t providers) {
    return providers > 1 ? (provider + 1) % providers : provider;
}

}  // namespace

std::int64_t settle_deadline_ms(std::int64_t created_ms, std::int64_t settle_by_ms,
                                SmsMessage::Kind kind, const SchedulePolicy& policy) {
    const std::int64_t floor = created_ms + ms(policy.min_window);
    if (settle_by_ms > 0) return std::max(settle_by_ms - ms(policy.settle_margin), floor);
    if (kind == SmsMessage::Kind::verification) return created_ms + ms(policy.verification_window);
    return std::max(created_ms + ms(policy.default_window), floor);
}

std::int64_t backoff_ms(int round, double jitter, const SchedulePolicy& policy) {
    const std::int64_t cap = std::max<std::int64_t>(1, ms(policy.backoff_cap));
    std::int64_t d = std::max<std::int64_t>(1, ms(policy.backoff_base));
    for (int i = 1; i < round && d < cap; ++i) d *= 2;
    d = std::min(d, cap);
    jitter = std::clamp(jitter, 0.0, 1.0);
    return d / 2 + static_cast<std::int64_t>(jitter * static_cast<double>(d - d / 2));
}

bool provider_level(const signing::Classification& c) {
    switch (c.kind) {
        case FailureClass::transient:
        case FailureClass::clock:
        case FailureClass::billing:
            return true;
        case FailureClass::permanent:
            return c.alert;  // our account or template, not the number
        default:
            return false;
    }
}

Step next_step(const AttemptFacts& f, const SchedulePolicy& policy) {
    Step step;
    step.next_provider = f.provider;
    const auto& c = f.classification;
    switch (c.kind) {
        case FailureClass::ok:
            step.kind = Step::Kind::sent;
            return step;
        case FailureClass::unknown_outcome:
            // Asked of the provider that may have it, whatever the deadline: a give-up is the
            // status check's decision (next_check_step).
            step.kind = Step::Kind::unknown;
            step.due_ms = f.now_ms + ms(policy.status_check_after);
            return step;
        case FailureClass::permanent_recipient:
            step.kind = Step::Kind::failed;
            return step;
        default:
            break;
    }
    const bool can_switch = f.providers > 1 && !f.other_refused;
    if (c.kind == FailureClass::permanent && !(c.alert && can_switch)) {
        // The number, the content, or our account at every provider: no retry can help.
        step.kind = Step::Kind::failed;
        return step;
    }
    if (f.now_ms >= f.deadline_ms ||
        (policy.max_attempts > 0 && f.attempts >= policy.max_attempts)) {
        step.kind = Step::Kind::failed;
        step.reason = "retries_exhausted";
        return step;
    }
    step.kind = Step::Kind::retry;
    if (c.kind == FailureClass::window_limited || c.kind == FailureClass::time_of_day) {
        // The provider said when: not earlier. If that is past the deadline, the other
        // provider's windows are its own.
        std::int64_t due = f.now_ms + backoff_ms(1, f.jitter, policy);
        if (c.retry_not_before)
            due = std::chrono::duration_cast<std::chrono::milliseconds>(
                      c.retry_not_before->time_since_epoch())
                      .count() +
                  static_cast<std::int64_t>(f.jitter * 1000);
        if (due > f.deadline_ms && can_switch) {
            step.next_provider = other(f.provider, f.providers);
            due = f.now_ms;
        }
        step.due_ms = std::min(due, f.deadline_ms);
        return step;
    }
    // Provider-level failures (5xx, connect, throttling, clock, billing, a template not approved
    // there): the next attempt goes to the other provider. A failed primary hands over at once;
    // a failed fallback waits out the backoff of this round before the primary is tried again.
    std::int64_t due = 0;
    if (can_switch) {
        step.next_provider = other(f.provider, f.providers);
        const int round = (f.attempts + 1) / 2;
        due = f.provider == 0 || c.kind == FailureClass::permanent
                  ? f.now_ms
                  : f.now_ms + backoff_ms(round, f.jitter, policy);
    } else {
        due = f.now_ms + backoff_ms(f.attempts, f.jitter, policy);
    }
    step.due_ms = std::min(due, f.deadline_ms);
    return step;
}

std::int64_t unknown_give_up_ms(std::int64_t attempt_ms, std::int64_t deadline_ms,
                                const SchedulePolicy& policy) {
    return std::max(deadline_ms, attempt_ms + ms(policy.unknown_wait));
}

CheckStep next_check_step(const CheckFacts& f, const SchedulePolicy& policy) {
    CheckStep step;
    step.next_provider = f.provider;
    const std::int64_t give_up = unknown_give_up_ms(f.attempt_ms, f.deadline_ms, policy);
    switch (f.finding) {
        case StatusFinding::delivered:
            step.kind = CheckStep::Kind::delivered;
            return step;
        case StatusFinding::accepted:
            step.kind = CheckStep::Kind::sent;
            return step;
        case StatusFinding::failed:
            step.kind = CheckStep::Kind::failed;
            step.reason = "undelivered";
            return step;
        case StatusFinding::absent: {
            const std::int64_t conclusive_at = f.attempt_ms + ms(policy.status_absent_after);
            if (f.now_ms >= conclusive_at) {
                if (f.now_ms >= f.deadline_ms) {
                    // Confirmed not sent, but the time for retries is over: a person phones.
                    step.kind = CheckStep::Kind::failed;
                    step.reason = "retries_exhausted";
                    return step;
                }
                step.kind = CheckStep::Kind::resend;
                step.next_provider = f.providers > 1 ? (f.provider + 1) % f.providers : f.provider;
                step.due_ms = f.now_ms;
                return step;
            }
            // Not yet conclusive (a receipt may still be on its way): ask again, at the latest
            // when absence starts to count.
            step.kind = CheckStep::Kind::check_again;
            step.due_ms =
                std::max(f.now_ms + 1000,
                         std::min(f.now_ms + ms(policy.status_check_interval), conclusive_at));
            return step;
        }
        case StatusFinding::error: {
            if (f.now_ms >= give_up) {
                step.kind = CheckStep::Kind::give_up;
                return step;
            }
            // The status API is down too: ask less and less often, never past the give-up time.
            SchedulePolicy spacing = policy;
            spacing.backoff_base = policy.status_check_interval;
            const std::int64_t due = f.now_ms + backoff_ms(f.checks + 1, f.jitter, spacing);
            step.kind = CheckStep::Kind::check_again;
            step.due_ms = std::min(due, give_up);
            return step;
        }
        case StatusFinding::unsupported:
            if (f.now_ms >= give_up) {
                step.kind = CheckStep::Kind::give_up;
                return step;
            }
            // Only a receipt can settle it; look again when waiting for one is over.
            step.kind = CheckStep::Kind::check_again;
            step.due_ms = give_up;
            return step;
    }
    return step;
}

}  // namespace kayou::notify
