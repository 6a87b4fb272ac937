#include "members/review_store.hpp"

#include <cstdlib>

#include "redis/client.hpp"
#include "redis/script.hpp"
#include "redis/stream_entries.hpp"

namespace kayou::members {
namespace asio = boost::asio;

namespace {

// A decision is three steps on three hash tags (docs/DESIGN.md "Keys and hash tags"): the record
// (this script, {<application>}), the district's indexes (kIndexDecision, {<district>}) and the
// SMS (the outbox, {sms}). The intent written before them ({review}:decisions) is what completes
// them after a crash (ReviewStore::recover_decisions); every step may run twice.
// KEYS: 1 app. ARGV: 1 new status, 2 reason, 3 reviewer, 4 now
// Returns {outcome, status (conflict) | decided_at}
const redis::Script kDecideRecord(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found', ''} end
if status == ARGV[1] then return {'unchanged', redis.call('HGET', KEYS[1], 'decided_at') or ARGV[4]} end
if status ~= 'received' then return {'conflict', status} end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'reason', ARGV[2], 'decided_by', ARGV[3],
           'decided_at', ARGV[4])
return {'done', ARGV[4]}
)lua");

// KEYS: 1 pending, 2 pool, 3 approved|rejected, 4 late (one district)
// ARGV: 1 id, 2 new status, 3 decided_at, 4 deadline
const redis::Script kIndexDecision(R"lua(
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] == 'rejected' then redis.call('ZREM', KEYS[2], ARGV[1]) end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
if tonumber(ARGV[3]) > tonumber(ARGV[4]) then redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1]) end
return 1
)lua");

// A move and a transfer are two steps: the record (the step that decides, {<application>}) and
// the district's sets ({<district>}), which follow from the record and are written again by the
// same request repeated ("unchanged" repeats them): a crash between the steps leaves the sets
// behind until the reviewer's retry. (Not chained through {review}:decisions like a decision:
// nothing is sent to anyone, and the record is already right.)
// KEYS: 1 app. ARGV: 1 new district, 2 reviewer, 3 now, 4 the district the reviewer saw
// Returns {outcome, district before}
const redis::Script kMoveRecord(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found', ''} end
local district = redis.call('HGET', KEYS[1], 'district')
if district == ARGV[1] then
  return {'unchanged', redis.call('HGET', KEYS[1], 'moved_from') or ''}
end
if status ~= 'received' or district ~= ARGV[4] then return {'conflict', district} end
redis.call('HSET', KEYS[1], 'district', ARGV[1], 'moved_from', district, 'moved_by', ARGV[2],
           'moved_at', ARGV[3])
return {'done', district}
)lua");

// KEYS: 1 app. ARGV: 1 union, 2 reviewer, 3 now
const redis::Script kTransferRecord(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'not_found' end
local done = redis.call('HGET', KEYS[1], 'transferred_to')
if done and done ~= '' then
  if done == ARGV[1] then return 'unchanged' end
  return 'conflict'
end
if status ~= 'approved' or redis.call('HGET', KEYS[1], 'turnover_pool') ~= '1' then
  return 'conflict'
end
redis.call('HSET', KEYS[1], 'transferred_to', ARGV[1], 'transferred_by', ARGV[2],
           'transferred_at', ARGV[3])
return 'done'
)lua");

// KEYS: 1 received, 2 approved, 3 rejected, 4 late, 5 pending, 6 reminded, 7 escalated
// ARGV: 1 from, 2 to (exclusive), 3 now
const redis::Script kStats(R"lua(
local from, to, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local upper = '(' .. ARGV[2]
local out = {}
for i, key in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7]}) do
  out[#out + 1] = redis.call('ZCOUNT', key, ARGV[1], upper)
end
local pending, overdue = 0, 0
local queue = redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES')
for i = 1, #queue, 2 do
  local submitted = tonumber(redis.call('ZSCORE', KEYS[1], queue[i]) or '-1')
  if submitted >= from and submitted < to then
    pending = pending + 1
    if tonumber(queue[i + 1]) < now then overdue = overdue + 1 end
  end
end
out[#out + 1] = pending
out[#out + 1] = overdue
return out
)lua");

// KEYS: 1 pending, 2 reminded|escalated. ARGV: 1 min (exclusive or -inf), 2 max, 3 limit
const redis::Script kNotYetMarked(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', 0,
                       tonumber(ARGV[3]))
local out = {}
for i = 1, #due, 2 do
  if not redis.call('ZSCORE', KEYS[2], due[i]) then
    out[#out + 1] = due[i]
    out[#out + 1] = due[i + 1]
  end
end
return out
)lua");

ReviewOutcome outcome_from(std::string_view text) {
    if (text == "done") return ReviewOutcome::done;
    if (text == "unchanged") return ReviewOutcome::unchanged;
    if (text == "conflict") return ReviewOutcome::conflict;
    return ReviewOutcome::not_found;
}

void append(std::vector<std::string>& to, std::vector<std::string> from) {
    for (auto& item : from) to.push_back(std::move(item));
}

std::int64_t integer_at(const redis::Reply& reply, std::size_t i) {
    return i < reply.elements.size() ? reply.elements[i].integer : 0;
}

SweepBatch batch_from(const redis::Reply& reply) {
    SweepBatch batch;
    for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        batch.ids.push_back(reply.elements[i].str);
        batch.deadlines.push_back(std::stoll(reply.elements[i + 1].str));
    }
    return batch;
}

// How many candidates one sweep step looks at per district; the rest wait for the next step.
constexpr int kSweepLimit = 500;

}  // namespace

ReviewStore::ReviewStore(std::shared_ptr<redis::Client> redis, ApplicationStore& applications,
                         notify::RedisSmsOutbox& outbox)
    : redis_(std::move(redis)),
      applications_(applications),
      outbox_(outbox),
      prefix_(applications.prefix()) {}

std::string ReviewStore::district_key(std::string_view district, std::string_view what) const {
    return prefix_ + "district:{" + std::string(district) + "}:" + std::string(what);
}

asio::awaitable<QueuePage> ReviewStore::page(std::string key, std::int64_t offset,
                                             std::int64_t limit) {
    std::vector<std::vector<std::string>> commands{
        {"ZCARD", key},
        {"ZRANGE", key, std::to_string(offset), std::to_string(offset + limit - 1)}};
    const auto replies = co_await redis_->pipeline(std::move(commands));
    QueuePage page;
    page.total = replies.at(0).integer;
    std::vector<std::string> ids;
    for (const auto& element : replies.at(1).elements) ids.push_back(element.str);
    page.items = co_await applications_.get_many(std::move(ids));
    co_return page;
}

asio::awaitable<QueuePage> ReviewStore::queue(std::string district, std::int64_t offset,
                                              std::int64_t limit) {
    co_return co_await page(district_key(district, "pending"), offset, limit);
}

asio::awaitable<QueuePage> ReviewStore::pool(std::string district, std::int64_t offset,
                                             std::int64_t limit) {
    co_return co_await page(district_key(district, "pool"), offset, limit);
}

asio::awaitable<DecisionResult> ReviewStore::decide(const Application& a, bool approve,
                                                    std::string reason, std::string reviewer,
                                                    std::int64_t now) {
    DecisionIntent intent;
    intent.application_id = a.id;
    intent.status = approve ? "approved" : "rejected";
    intent.reason = std::move(reason);
    intent.reviewer = std::move(reviewer);
    intent.now = now;
    auto begun = co_await begin_decision(std::move(intent));
    co_return co_await finish_decision(std::move(begun), a);
}

std::string ReviewStore::decisions_key() const { return prefix_ + "{review}:decisions"; }

asio::awaitable<ReviewStore::BegunDecision> ReviewStore::begin_decision(DecisionIntent intent) {
    std::vector<std::string> add{"XADD",
                                 decisions_key(),
                                 "*",
                                 "app",
                                 intent.application_id,
                                 "status",
                                 intent.status,
                                 "reason",
                                 intent.reason,
                                 "reviewer",
                                 intent.reviewer,
                                 "now",
                                 std::to_string(intent.now)};
    const auto added = co_await redis_->exec(std::move(add));
    if (!added.is_string())
        throw redis::Error(redis::Error::Kind::protocol, "review intent: " + added.str);
    BegunDecision begun;
    begun.entry = added.str;
    std::vector<std::string> keys{applications_.app_key(intent.application_id)};
    std::vector<std::string> args{intent.status, intent.reason, intent.reviewer,
                                  std::to_string(intent.now)};
    const auto reply = co_await redis_->eval(kDecideRecord, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.size() < 2)
        throw redis::Error(redis::Error::Kind::protocol, "review decide: " + reply.str);
    begun.outcome = outcome_from(reply.elements[0].str);
    if (begun.outcome == ReviewOutcome::conflict) {
        begun.status = reply.elements[1].str;
    } else {
        begun.status = intent.status;
        begun.decided_at = std::atoll(reply.elements[1].str.c_str());
    }
    begun.intent = std::move(intent);
    co_return begun;
}

asio::awaitable<DecisionResult> ReviewStore::finish_decision(BegunDecision begun,
                                                             const Application& a) {
    DecisionResult result;
    result.outcome = begun.outcome;
    result.status = begun.status;
    if (begun.outcome == ReviewOutcome::done || begun.outcome == ReviewOutcome::unchanged) {
        const bool approve = begun.status == "approved";
        std::vector<std::string> keys{
            district_key(a.district, "pending"), district_key(a.district, "pool"),
            district_key(a.district, begun.status), district_key(a.district, "late")};
        std::vector<std::string> args{a.id, begun.status, std::to_string(begun.decided_at),
                                      std::to_string(a.deadline)};
        const auto indexed =
            co_await redis_->eval(kIndexDecision, std::move(keys), std::move(args));
        if (indexed.is_error())
            throw redis::Error(redis::Error::Kind::protocol, "review index: " + indexed.str);

        notify::SmsMessage sms;
        sms.phone = a.mobile;
        sms.template_name = approve ? "approval" : "rejection";
        sms.params.push_back(a.id);
        if (!approve) sms.params.push_back(begun.intent.reason);
        // One key per application and decision: a step run again enqueues nothing new.
        sms.idempotency_key = sms.template_name + ":" + a.id;
        sms.kind = notify::SmsMessage::Kind::notification;
        // The promise is the application's deadline: the sender keeps trying until shortly
        // before it.
        sms.settle_by_ms = a.deadline * 1000;
        result.sms_id = co_await outbox_.enqueue_id(std::move(sms));
        std::vector<std::string> remember{"HSET", applications_.app_key(a.id), "sms_id",
                                          result.sms_id};
        co_await redis_->exec(std::move(remember));
    }
    std::vector<std::string> done{"XDEL", decisions_key(), begun.entry};
    co_await redis_->exec(std::move(done));
    // Sentinel: the decision and its SMS in the outbox are acknowledged only once a replica has
    // them (docs/DESIGN.md "Redis Sentinel"); a repeated decision waits again, so the reviewer's
    // retry after a 503 is acknowledged only when it is replicated too.
    if (result.outcome != ReviewOutcome::conflict && result.outcome != ReviewOutcome::not_found &&
        redis_->waits_for_replicas())
        co_await redis_->wait_for_replicas();
    co_return result;
}

asio::awaitable<std::size_t> ReviewStore::recover_unfinished(std::chrono::milliseconds older_than) {
    const std::size_t submits = co_await applications_.recover_submits(older_than);
    const std::size_t decisions = co_await recover_decisions(older_than);
    co_return submits + decisions;
}

asio::awaitable<std::size_t> ReviewStore::recover_decisions(std::chrono::milliseconds older_than) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::vector<std::string> range{"XRANGE", decisions_key(),
                                   "-",      std::to_string(now_ms - older_than.count()),
                                   "COUNT",  "100"};
    const auto entries = co_await redis_->exec(std::move(range));
    std::size_t completed = 0;
    const auto read = redis::stream_entries(entries);
    for (const auto& entry : read) {
        DecisionIntent intent;
        intent.application_id = entry.field("app");
        intent.status = entry.field("status");
        intent.reason = entry.field("reason");
        intent.reviewer = entry.field("reviewer");
        intent.now = std::atoll(entry.field("now").c_str());
        // Step 1 again: "unchanged" when it had happened, "done" when the crash came before it.
        std::vector<std::string> keys{applications_.app_key(intent.application_id)};
        std::vector<std::string> args{intent.status, intent.reason, intent.reviewer,
                                      std::to_string(intent.now)};
        const auto reply = co_await redis_->eval(kDecideRecord, std::move(keys), std::move(args));
        if (!reply.is_array() || reply.elements.size() < 2)
            throw redis::Error(redis::Error::Kind::protocol, "review recover: " + reply.str);
        BegunDecision begun;
        begun.entry = entry.id;
        begun.outcome = outcome_from(reply.elements[0].str);
        begun.status = intent.status;
        if (begun.outcome == ReviewOutcome::conflict) begun.status = reply.elements[1].str;
        begun.decided_at = std::atoll(reply.elements[1].str.c_str());
        begun.intent = std::move(intent);
        auto application = co_await applications_.get(begun.intent.application_id);
        if (!application) {
            begun.outcome = ReviewOutcome::not_found;
            application.emplace();
        }
        try {
            co_await finish_decision(std::move(begun), *application);
        } catch (const std::exception&) {
            // One that cannot be finished now must hold up neither the others nor the sweep: it
            // stays in the stream and is tried again on the next pass.
            continue;
        }
        ++completed;
    }
    co_return completed;
}

asio::awaitable<ReviewOutcome> ReviewStore::move(const Application& a, std::string to_district,
                                                 std::string reviewer, std::int64_t now) {
    std::vector<std::string> keys{applications_.app_key(a.id)};
    std::vector<std::string> args{to_district, reviewer, std::to_string(now), a.district};
    const auto reply = co_await redis_->eval(kMoveRecord, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.size() < 2)
        throw redis::Error(redis::Error::Kind::protocol, "review move: " + reply.str);
    const auto outcome = outcome_from(reply.elements[0].str);
    const std::string from = reply.elements[1].str;
    if ((outcome == ReviewOutcome::done || outcome == ReviewOutcome::unchanged) && !from.empty() &&
        from != to_district) {
        // Into the new district first, then out of the old one: in between, the application is
        // in both queues, never in none.
        const auto added = co_await applications_.enter_district_queues(
            a.id, to_district, a.deadline, a.submitted_at, a.turnover_pool);
        if (added.is_error())
            throw redis::Error(redis::Error::Kind::protocol, "review move: " + added.str);
        std::vector<std::vector<std::string>> out_of{
            {"ZREM", district_key(from, "pending"), a.id},
            {"ZREM", district_key(from, "pool"), a.id},
            {"ZREM", district_key(from, "received"), a.id}};
        co_await redis_->pipeline(std::move(out_of));
    }
    co_return outcome;
}

asio::awaitable<ReviewOutcome> ReviewStore::transfer(const Application& a, std::string union_name,
                                                     std::string reviewer, std::int64_t now) {
    std::vector<std::string> keys{applications_.app_key(a.id)};
    std::vector<std::string> args{union_name, reviewer, std::to_string(now)};
    const auto reply = co_await redis_->eval(kTransferRecord, std::move(keys), std::move(args));
    const auto outcome = outcome_from(reply.str);
    if (outcome == ReviewOutcome::done || outcome == ReviewOutcome::unchanged) {
        std::vector<std::string> leave{"ZREM", district_key(a.district, "pool"), a.id};
        co_await redis_->exec(std::move(leave));
    }
    co_return outcome;
}

asio::awaitable<DistrictStats> ReviewStore::stats(std::string district, TimeRange range,
                                                  std::int64_t now) {
    static constexpr const char* kKeys[] = {"received", "approved", "rejected", "late",
                                            "pending",  "reminded", "escalated"};
    std::vector<std::string> keys;
    for (const char* what : kKeys) keys.push_back(district_key(district, what));
    std::vector<std::string> args{std::to_string(range.from), std::to_string(range.to),
                                  std::to_string(now)};
    const auto reply = co_await redis_->eval(kStats, std::move(keys), std::move(args));
    if (!reply.is_array() || reply.elements.size() < 8)
        throw redis::Error(redis::Error::Kind::protocol, "review stats: " + reply.str);
    DistrictStats s;
    s.district = district;
    s.received = integer_at(reply, 0);
    s.approved = integer_at(reply, 1);
    s.rejected = integer_at(reply, 2);
    s.decided_late = integer_at(reply, 3);
    s.reminded = integer_at(reply, 4);
    s.escalated = integer_at(reply, 5);
    s.pending = integer_at(reply, 6);
    s.overdue = integer_at(reply, 7);
    s.on_time_rate = on_time_rate(s.approved + s.rejected, s.decided_late);
    co_return s;
}

asio::awaitable<ReviewStore::QueueCounts> ReviewStore::queue_counts(std::string district,
                                                                    std::int64_t now) {
    const auto key = district_key(district, "pending");
    std::vector<std::vector<std::string>> commands{
        {"ZCARD", key},
        {"ZCOUNT", key, "-inf", "(" + std::to_string(now)},
        {"ZCARD", district_key(district, "pool")}};
    const auto replies = co_await redis_->pipeline(std::move(commands));
    QueueCounts counts;
    counts.pending = replies.at(0).integer;
    counts.overdue = replies.at(1).integer;
    counts.pool = replies.at(2).integer;
    co_return counts;
}

asio::awaitable<std::vector<SmsAlert>> ReviewStore::sms_alerts(std::int64_t limit) {
    std::vector<SmsAlert> alerts;
    auto entries = co_await outbox_.alerts(limit);
    for (auto& entry : entries) {
        SmsAlert alert;
        alert.message_id = std::move(entry.message_id);
        alert.template_name = std::move(entry.template_name);
        alert.reason = std::move(entry.reason);
        alert.provider = std::move(entry.provider);
        alert.at_ms = entry.at_ms;
        alert.application_id = application_of_sms_key(entry.idempotency_key);
        alerts.push_back(std::move(alert));
    }
    co_return alerts;
}

asio::awaitable<bool> ReviewStore::acquire_sweep_lease(std::string owner,
                                                       std::chrono::seconds ttl) {
    static const redis::Script lease(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
)lua");
    std::vector<std::string> keys{prefix_ + "review:sweep:lease"};
    std::vector<std::string> args{std::move(owner), std::to_string(ttl.count())};
    const auto reply = co_await redis_->eval(lease, std::move(keys), std::move(args));
    co_return reply.integer == 1;
}

asio::awaitable<SweepBatch> ReviewStore::not_yet_reminded(std::string district, std::int64_t now,
                                                          std::int64_t horizon_seconds) {
    std::vector<std::string> keys{district_key(district, "pending"),
                                  district_key(district, "reminded")};
    std::vector<std::string> args{"(" + std::to_string(now), std::to_string(now + horizon_seconds),
                                  std::to_string(kSweepLimit)};
    const auto reply = co_await redis_->eval(kNotYetMarked, std::move(keys), std::move(args));
    co_return batch_from(reply);
}

asio::awaitable<SweepBatch> ReviewStore::not_yet_escalated(std::string district, std::int64_t now) {
    std::vector<std::string> keys{district_key(district, "pending"),
                                  district_key(district, "escalated")};
    std::vector<std::string> args{"-inf", std::to_string(now), std::to_string(kSweepLimit)};
    const auto reply = co_await redis_->eval(kNotYetMarked, std::move(keys), std::move(args));
    co_return batch_from(reply);
}

asio::awaitable<void> ReviewStore::mark_batch(std::string district, bool escalation,
                                              const SweepBatch& batch, std::int64_t now,
                                              std::vector<notify::SmsMessage> messages) {
    if (batch.ids.empty()) co_return;
    // Three steps on three hash tags, in the order that loses nothing: the SMS first (their
    // idempotency keys make a repeat enqueue nothing), the applications' fields, and last the
    // district's set, which is what makes the next sweep skip the batch. A crash before the
    // last step means the next sweep does the batch again, sending nothing twice.
    for (auto& message : messages) co_await outbox_.enqueue(std::move(message));
    const std::string field = escalation ? "escalated_at" : "reminded_at";
    const std::string stamp = std::to_string(now);
    std::vector<std::vector<std::string>> fields;
    std::vector<std::string> mark{
        "ZADD", district_key(district, escalation ? "escalated" : "reminded"), "NX"};
    for (const auto& id : batch.ids) {
        fields.push_back({"HSET", applications_.app_key(id), field, stamp});
        mark.push_back(stamp);
        mark.push_back(id);
    }
    const auto written = co_await redis_->pipeline(std::move(fields));
    for (const auto& reply : written)
        if (reply.is_error())
            throw redis::Error(redis::Error::Kind::protocol, "review mark: " + reply.str);
    const auto marked = co_await redis_->exec(std::move(mark));
    if (marked.is_error())
        throw redis::Error(redis::Error::Kind::protocol, "review mark: " + marked.str);
}

}  // namespace kayou::members
