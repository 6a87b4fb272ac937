#pragma once
// Pure rules of the review console (members/review_store.hpp does the I/O): date ranges for
// stats, what a rejection reason or a union name may contain, batch labels for reminder SMS, the
// on-time rate. Tested in tests/unit/members_review_test.cpp.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::members {

class WorkingCalendar;

// Half-open interval of instants [from, to).
struct TimeRange {
    std::int64_t from = 0;
    std::int64_t to = 0;
};
// Beijing calendar dates "YYYY-MM-DD", both inclusive: from 00:00 of `from` to 24:00 of `to`.
// nullopt with `error` set when a date is malformed, to < from, or the range exceeds 366 days.
std::optional<TimeRange> beijing_date_range(std::string_view from, std::string_view to,
                                            std::string* error);

// A rejection reason goes into an SMS template variable: 1-30 characters, no line breaks,
// no links (providers refuse URLs in variables). Returns the problem, or "" when fine.
inline constexpr std::size_t kMaxRejectReasonChars = 30;  // the rejection template's {2}
std::string reject_reason_problem(std::string_view reason);
// The same check in the reviewers' words, for the console (bot/admin/console.js shows it).
std::string reject_reason_message(std::string_view reason);
// A grassroots union's name for a transfer: 2-50 characters, one line.
std::string union_name_problem(std::string_view name);

// "RH20261122000042" for one application, "RH20261122000042等12件" for a batch (fits the
// 20-character template variable).
std::string batch_label(const std::vector<std::string>& ids);

// The application an SMS idempotency key is about: "approval:RH…" / "rejection:RH…" /
// "progress:RH…:<status>:<window>" -> "RH…"; "" for anything else (codes, reminders).
std::string application_of_sms_key(std::string_view key);

// decided on time / decided; nullopt when nothing was decided.
std::optional<double> on_time_rate(std::int64_t decided, std::int64_t late);

// Applications a sweep step found for one district (members/review_store.hpp).
struct SweepBatch {
    std::vector<std::string> ids;         // by deadline
    std::vector<std::int64_t> deadlines;  // parallel to ids
};

// Of `candidates` (pending, not yet reminded), those whose reminder is due at `now`: the
// calendar's reminder_time(deadline, lead) — `lead` before the deadline, moved back into working
// hours when that falls on a non-working day — has come.
SweepBatch due_reminders(const SweepBatch& candidates, std::int64_t now, std::chrono::minutes lead,
                         const members::WorkingCalendar& calendar);

}  // namespace kayou::members
