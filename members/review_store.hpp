#pragma once
// The review side of membership applications (issue 4): district queues by deadline, approve and
// reject (each atomically with its SMS in the outbox), moving an application between districts,
// the turnover pool (周转池) and its transfer to a grassroots union (会籍接转), per-district stats,
// and the reminder/escalation sweep behind the 1-working-day promise.
//
// Keys, besides those of application_store.hpp (prefix "kayou:", all per-district keys share the
// district's hash tag):
//   district:{<d>}:approved | :rejected   sorted sets: id -> decided_at
//   district:{<d>}:late                   sorted set: id -> decided_at, decided after the deadline
//   district:{<d>}:reminded | :escalated  sorted sets: id -> when the reviewers were reminded /
//                                         the city admins were told it is overdue
//   review:sweep:lease                    string: the process running the sweep now
//   {review}:decisions                    stream: decisions begun and not yet finished
// Every script touches one hash tag (docs/DESIGN.md "Keys and hash tags"). The step that decides
// (a decision's status change, a batch's mark) is one script that re-checks the status it
// depends on, so two reviewers clicking at once, or two kayou processes sweeping at once, cannot
// both act; the steps on other tags after it are idempotent and are completed after a crash.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "members/application_store.hpp"
#include "members/review_rules.hpp"
#include "notify/redis_outbox.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::members {

struct QueuePage {
    std::int64_t total = 0;
    std::vector<Application> items;
};

enum class ReviewOutcome {
    done,       // the change happened
    unchanged,  // it had happened already (same decision, same district): nothing changed
    conflict,   // the application is in a state that forbids it (e.g. rejected, then approve)
    not_found,
};

struct DecisionResult {
    ReviewOutcome outcome = ReviewOutcome::not_found;
    std::string status;  // the application's status afterwards
    std::string sms_id;  // the SMS that tells the driver ("" when none)
};

// A failed SMS (the outbox's alerts stream, newest first), with the application it was about
// when its idempotency key names one ("approval:<id>", "rejection:<id>", "progress:<id>:…").
struct SmsAlert {
    std::string message_id;
    std::string template_name;
    std::string reason;
    std::string provider;
    std::int64_t at_ms = 0;
    std::string application_id;  // "" when not about an application (reminders, codes)
};

struct DistrictStats {
    std::string district;
    std::int64_t received = 0;      // submitted in the range
    std::int64_t approved = 0;      // decided in the range
    std::int64_t rejected = 0;      // decided in the range
    std::int64_t decided_late = 0;  // decided in the range, after their deadline
    std::int64_t pending = 0;       // submitted in the range, not decided yet
    std::int64_t overdue = 0;       // of those pending, past the deadline now
    std::int64_t reminded = 0;      // reminders sent in the range (applications)
    std::int64_t escalated = 0;     // escalations sent in the range (applications)
    std::optional<double> on_time_rate;
};

class ReviewStore {
public:
    ReviewStore(std::shared_ptr<redis::Client> redis, ApplicationStore& applications,
                notify::RedisSmsOutbox& outbox);

    // Pending applications of a district, by deadline (earliest first).
    boost::asio::awaitable<QueuePage> queue(std::string district, std::int64_t offset,
                                            std::int64_t limit);
    // The district's turnover pool (no employer), oldest first; approved and pending alike.
    boost::asio::awaitable<QueuePage> pool(std::string district, std::int64_t offset,
                                           std::int64_t limit);

    // approve: received -> approved, "approval" SMS; reject: received -> rejected with `reason`,
    // "rejection" SMS. Steps: the intent into {review}:decisions, the record's status (the one
    // that decides, atomic with its check), the district's indexes, the SMS (idempotent by
    // "approval:<id>" / "rejection:<id>"), the record's sms_id, the intent's removal. A crash
    // after the intent is completed by recover_decisions(): the SMS goes out exactly once.
    boost::asio::awaitable<DecisionResult> decide(const Application& application, bool approve,
                                                  std::string reason, std::string reviewer,
                                                  std::int64_t now);

    struct DecisionIntent {
        std::string application_id;
        std::string status;  // approved | rejected
        std::string reason;
        std::string reviewer;
        std::int64_t now = 0;
    };
    struct BegunDecision {
        std::string entry;  // in {review}:decisions
        ReviewOutcome outcome = ReviewOutcome::not_found;
        std::string status;  // afterwards
        std::int64_t decided_at = 0;
        DecisionIntent intent;
    };
    // decide() in two halves, public so that a test can stop between them (a crash): the intent
    // and the record's status change; then the indexes, the SMS and the intent's removal.
    boost::asio::awaitable<BegunDecision> begin_decision(DecisionIntent intent);
    boost::asio::awaitable<DecisionResult> finish_decision(BegunDecision begun,
                                                           const Application& application);
    // Completes decisions begun more than `older_than` ago and never finished (a process died
    // between the steps); run by the review sweep. Returns how many it completed.
    boost::asio::awaitable<std::size_t> recover_decisions(std::chrono::milliseconds older_than);
    // Submits (ApplicationStore::recover_submits) and decisions left unfinished, in that order.
    boost::asio::awaitable<std::size_t> recover_unfinished(std::chrono::milliseconds older_than);
    std::string decisions_key() const;
    // Only a received (undecided) application moves; its deadline stays (the promise was made
    // when the driver submitted).
    boost::asio::awaitable<ReviewOutcome> move(const Application& application,
                                               std::string to_district, std::string reviewer,
                                               std::int64_t now);
    // An approved turnover-pool member to a grassroots union: leaves the pool.
    boost::asio::awaitable<ReviewOutcome> transfer(const Application& application,
                                                   std::string union_name, std::string reviewer,
                                                   std::int64_t now);

    struct QueueCounts {
        std::int64_t pending = 0;
        std::int64_t overdue = 0;  // pending with the deadline passed
        std::int64_t pool = 0;     // in the turnover pool (周转池), pending and approved
    };
    boost::asio::awaitable<QueueCounts> queue_counts(std::string district, std::int64_t now);

    boost::asio::awaitable<DistrictStats> stats(std::string district, TimeRange range,
                                                std::int64_t now);

    boost::asio::awaitable<std::vector<SmsAlert>> sms_alerts(std::int64_t limit);

    // ---- Sweep (reminders before the deadline, escalation at it) ----
    // Takes the sweep lease for `ttl` when free or already ours; false when another process has it.
    boost::asio::awaitable<bool> acquire_sweep_lease(std::string owner, std::chrono::seconds ttl);
    // Pending applications with a deadline in (now, now + horizon] not yet reminded (the caller
    // decides which are due: the reminder time depends on the working-day calendar).
    boost::asio::awaitable<SweepBatch> not_yet_reminded(std::string district, std::int64_t now,
                                                        std::int64_t horizon_seconds);
    // Pending applications past their deadline not yet escalated.
    boost::asio::awaitable<SweepBatch> not_yet_escalated(std::string district, std::int64_t now);
    // Enqueues the SMS, then marks the batch reminded/escalated (each application, then the
    // district's set). `messages` may be empty (nobody to tell): the batch is still marked, so
    // stats show it and it is not retried. Give the SMS idempotency keys that the same batch
    // gets again: after a crash before the district's mark the next sweep repeats the batch.
    boost::asio::awaitable<void> mark_batch(std::string district, bool escalation,
                                            const SweepBatch& batch, std::int64_t now,
                                            std::vector<notify::SmsMessage> messages);

    std::string district_key(std::string_view district, std::string_view what) const;

private:
    std::shared_ptr<redis::Client> redis_;
    ApplicationStore& applications_;
    notify::RedisSmsOutbox& outbox_;
    std::string prefix_;

    boost::asio::awaitable<QueuePage> page(std::string key, std::int64_t offset,
                                           std::int64_t limit);
};

}  // namespace kayou::members
