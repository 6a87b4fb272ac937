#include "notify/sender.hpp"

#include <unistd.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <random>

#include "crypto/random.hpp"
#include "ops/log.hpp"
#include "redis/client.hpp"

namespace kayou::notify {

namespace asio = boost::asio;
using signing::FailureClass;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Claim: queued|retry -> sending, with the opt-out and per-phone limits in the same step. The
// provider about to be used and the attempt's start are recorded with the claim, so a sender
// that dies mid-send leaves enough behind for the status query that settles it.
// KEYS: msg, optout, rl_template, rl_hour, rl_day, stream, delayed, unknown
// ARGV: now_ms, consumer, entry_id, group, id, template_interval_ms, per_hour, per_day,
//       unknown_due_ms, code ("1" for a verification code), code_max_age_ms, provider
// Returns {"claimed"} | {"limited", wait_ms} | {"unknown"} | {"suppressed", reason} |
//         {"skip", state}
const redis::Script& claim_script() {
    static const redis::Script script(R"lua(
local function ack()
  redis.call('XACK', KEYS[6], ARGV[4], ARGV[3])
  redis.call('XDEL', KEYS[6], ARGV[3])
end
local st = redis.call('HGET', KEYS[1], 'state')
if not st then ack() return {'skip', 'gone'} end
if st == 'sending' then
  -- The sender that claimed it is gone (or too slow): the request may have left. Never resend.
  redis.call('HSET', KEYS[1], 'state', 'unknown', 'reason', 'sender_lost', 'updated_ms', ARGV[1])
  redis.call('ZADD', KEYS[8], ARGV[9], ARGV[5])
  ack() return {'unknown'}
end
if st ~= 'queued' and st ~= 'retry' then ack() return {'skip', st} end
local function suppress(reason)
  redis.call('HSET', KEYS[1], 'state', 'suppressed', 'reason', reason, 'updated_ms', ARGV[1])
  ack() return {'suppressed', reason}
end
if redis.call('HGET', KEYS[1], 'kind') == 'reminder' and redis.call('EXISTS', KEYS[2]) == 1 then
  return suppress('opted_out')
end
local code = ARGV[10] == '1'
-- A code past its validity is worth nothing to the driver: not sent, not paid for.
if code and tonumber(ARGV[1]) - tonumber(redis.call('HGET', KEYS[1], 'created_ms') or '0') >
    tonumber(ARGV[11]) then
  return suppress('code_expired')
end
local function hold(wait)
  -- A code held until a limit's window ends would arrive too late to be used.
  if code then return suppress('phone_limit') end
  if wait < 1000 then wait = 1000 end
  redis.call('ZADD', KEYS[7], tonumber(ARGV[1]) + wait, ARGV[5])
  ack() return {'limited', tostring(wait)}
end
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[5] then return hold(redis.call('PTTL', KEYS[3])) end
local first = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0') == 0
if first then
  local h = tonumber(redis.call('GET', KEYS[4]) or '0')
  if h >= tonumber(ARGV[7]) then return hold(redis.call('PTTL', KEYS[4])) end
  local d = tonumber(redis.call('GET', KEYS[5]) or '0')
  if d >= tonumber(ARGV[8]) then return hold(redis.call('PTTL', KEYS[5])) end
  if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], 3600000) end
  if redis.call('INCR', KEYS[5]) == 1 then redis.call('PEXPIRE', KEYS[5], 86400000) end
end
if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6]) end
redis.call('HSET', KEYS[1], 'state', 'sending', 'owner', ARGV[2], 'updated_ms', ARGV[1],
           'provider', ARGV[12], 'attempt_ms', ARGV[1], 'checks', '0')
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {'claimed'}
)lua");
    return script;
}

// Finish an attempt and acknowledge the stream entry in one step, so a crash cannot lose the
// message between "recorded" and "acknowledged".
// KEYS: msg, stream, delayed, unknown, alerts, receipt
// ARGV: entry_id, group, new_state, now_ms, reason, provider, serial, due_ms, ttl_s, id,
//       next_provider ('' = unchanged), refused ('' = unchanged)
const redis::Script& finish_script() {
    static const redis::Script script(RedisSmsOutbox::lua_library() + R"lua(
local cur = redis.call('HGET', KEYS[1], 'state')
local new = ARGV[3]
local apply = cur and ((cur == 'sending' and new == 'retry') or
                       kayou_sms_rank(new) > kayou_sms_rank(cur))
if apply then
  redis.call('HSET', KEYS[1], 'state', new, 'reason', ARGV[5], 'provider', ARGV[6],
             'updated_ms', ARGV[4])
  if ARGV[11] ~= '' then redis.call('HSET', KEYS[1], 'next_provider', ARGV[11]) end
  if ARGV[12] ~= '' then redis.call('HSET', KEYS[1], 'refused', ARGV[12]) end
  if new == 'sent' and ARGV[7] ~= '' then
    redis.call('HSET', KEYS[1], 'serial', ARGV[7])
    redis.call('SET', KEYS[6], ARGV[10], 'EX', ARGV[9])
  end
  if new == 'retry' then redis.call('ZADD', KEYS[3], ARGV[8], ARGV[10]) end
  if new == 'unknown' then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[10]) end
  if new == 'failed' then kayou_sms_alert(KEYS[1], KEYS[5], ARGV[10], ARGV[5], ARGV[6]) end
end
if ARGV[1] ~= '' then
  redis.call('XACK', KEYS[2], ARGV[2], ARGV[1])
  redis.call('XDEL', KEYS[2], ARGV[1])
end
return cur or false
)lua");
    return script;
}

// Due ids from the delayed set back into their stream (codes: ids starting with 'c'); ZREM first
// so two processes never both move the same id. KEYS: delayed, stream, code stream. ARGV: ids.
const redis::Script& promote_script() {
    static const redis::Script script(R"lua(
local moved = 0
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    local stream = KEYS[2]
    if string.sub(ARGV[i], 1, 1) == 'c' then stream = KEYS[3] end
    redis.call('XADD', stream, '*', 'id', ARGV[i])
    moved = moved + 1
  end
end
return moved
)lua");
    return script;
}

// Takes the next status query of an unknown outcome: only one process asks the provider at a
// time (the due time moves `lease` ahead). KEYS: unknown. ARGV: id, now_ms, lease_ms.
const redis::Script& lease_unknown_script() {
    static const redis::Script script(R"lua(
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
return 1
)lua");
    return script;
}

// What a status query established about an unknown outcome (notify/sms_schedule.hpp
// CheckStep), applied only while the message is still unknown (a receipt may have come first).
// KEYS: msg, unknown, delayed, alerts, receipt
// ARGV: id, now_ms, action, reason, due_ms, serial, ttl_s, next_provider, provider
const redis::Script& resolve_script() {
    static const redis::Script script(RedisSmsOutbox::lua_library() + R"lua(
local st = redis.call('HGET', KEYS[1], 'state')
if st ~= 'unknown' then redis.call('ZREM', KEYS[2], ARGV[1]) return st or false end
local action = ARGV[3]
if action == 'check_again' then
  redis.call('HINCRBY', KEYS[1], 'checks', 1)
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
  return 'unknown'
end
redis.call('ZREM', KEYS[2], ARGV[1])
if action == 'delivered' or action == 'sent' then
  redis.call('HSET', KEYS[1], 'state', action, 'reason', 'status_query', 'updated_ms', ARGV[2])
  if ARGV[6] ~= '' then
    redis.call('HSET', KEYS[1], 'serial', ARGV[6])
    redis.call('SET', KEYS[5], ARGV[1], 'EX', ARGV[7])
  end
  return action
end
if action == 'resend' then
  -- The one move down in rank: the provider confirmed it never took the request.
  redis.call('HSET', KEYS[1], 'state', 'retry', 'reason', 'not_sent_confirmed',
             'next_provider', ARGV[8], 'updated_ms', ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
  return 'retry'
end
redis.call('HSET', KEYS[1], 'state', 'failed', 'reason', ARGV[4], 'updated_ms', ARGV[2])
kayou_sms_alert(KEYS[1], KEYS[4], ARGV[1], ARGV[4], ARGV[9])
return 'failed'
)lua");
    return script;
}

// A notification still not accepted by a provider alert_after after it was enqueued: tell the
// reviewers now (the sender keeps trying). Once per message; codes and reminders are not
// reported (a code is useless by then, a reminder repeats).
// KEYS: msg, watch, alerts. ARGV: id, now_ms.
const redis::Script& watch_script() {
    static const redis::Script script(RedisSmsOutbox::lua_library() + R"lua(
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
local st = redis.call('HGET', KEYS[1], 'state')
if not st or redis.call('HGET', KEYS[1], 'kind') ~= 'notification' then return 0 end
if st == 'sent' or st == 'delivered' or st == 'failed' or st == 'suppressed' then return 0 end
redis.call('HSET', KEYS[1], 'late_alert_ms', ARGV[2])
kayou_sms_alert(KEYS[1], KEYS[3], ARGV[1], 'not_delivered_in_time',
                redis.call('HGET', KEYS[1], 'provider') or '', st)
return 1
)lua");
    return script;
}

struct Entry {
    std::string entry_id;
    std::string message_id;
    bool code = false;  // from the verification-code lane ({sms}:stream:code)
};

// [[id, [field, value, ...]], ...] -> entries (nil entries of deleted messages are skipped).
void collect_entries(const redis::Reply& list, bool code, std::vector<Entry>& out) {
    if (!list.is_array()) return;
    for (const auto& item : list.elements) {
        if (!item.is_array() || item.elements.size() < 2) continue;
        Entry entry{item.elements[0].str, {}, code};
        const auto& fields = item.elements[1].elements;
        for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
            if (fields[i].str == "id") entry.message_id = fields[i + 1].str;
        out.push_back(std::move(entry));
    }
}

}  // namespace

struct SmsSender::Impl : std::enable_shared_from_this<SmsSender::Impl> {
    asio::any_io_executor executor;
    RedisSmsOutbox& outbox;
    std::shared_ptr<redis::Client> reader;
    std::vector<SmsProvider*> providers;
    SenderOptions options;
    SenderStats stats;
    bool running = false;
    bool untagged_keys_migrated = false;
    // Per lane (index 0: notifications and reminders, 1: verification codes): entries being
    // processed, and a token bucket for the request rate.
    struct Lane {
        std::size_t in_flight = 0;
        double rate = 1;
        double tokens = 1;
        std::chrono::steady_clock::time_point refilled = std::chrono::steady_clock::now();
    };
    std::array<Lane, 2> lanes;
    // Status queries of unknown outcomes in progress: bounded apart from the lanes, so a hanging
    // status API never takes a slot an approval SMS needs.
    std::size_t status_in_flight = 0;
    std::mt19937_64 rng{std::random_device{}()};

    Impl(asio::any_io_executor e, RedisSmsOutbox& o, std::shared_ptr<redis::Client> r,
         std::vector<SmsProvider*> p, SenderOptions opt)
        : executor(std::move(e)),
          outbox(o),
          reader(std::move(r)),
          providers(std::move(p)),
          options(std::move(opt)) {
        if (options.consumer.empty()) {
            char host[64] = {};
            ::gethostname(host, sizeof host - 1);
            options.consumer = std::string(host) + "-" + std::to_string(::getpid()) + "-" +
                               crypto::random_alnum(6);
        }
        lanes[0].rate = options.rate_per_second;
        lanes[1].rate = options.code_rate_per_second;
        for (auto& lane : lanes) lane.tokens = std::max(1.0, lane.rate / 10);
    }

    Lane& lane_of(const Entry& entry) { return lanes[entry.code ? 1 : 0]; }
    std::string stream_of(const Entry& entry) const {
        return entry.code ? outbox.code_stream_key() : outbox.stream_key();
    }
    std::size_t free_slots(const Lane& lane) const {
        return lane.in_flight >= options.max_in_flight ? 0 : options.max_in_flight - lane.in_flight;
    }

    redis::Client& redis() { return *outbox.redis(); }

    asio::awaitable<void> pause(std::chrono::milliseconds d) {
        asio::steady_timer timer(executor, d);
        co_await timer.async_wait(asio::use_awaitable);
    }

    asio::awaitable<void> take_token(Lane& lane) {
        const double burst = std::max(1.0, lane.rate / 10);
        for (;;) {
            const auto now = std::chrono::steady_clock::now();
            const double elapsed = std::chrono::duration<double>(now - lane.refilled).count();
            lane.tokens = std::min(burst, lane.tokens + elapsed * lane.rate);
            lane.refilled = now;
            if (lane.tokens >= 1) {
                lane.tokens -= 1;
                co_return;
            }
            const double wait_s = (1 - lane.tokens) / lane.rate;
            co_await pause(
                std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait_s * 1000))));
        }
    }

    // A uniform draw in [0, 1] for the schedule's jitter (it spreads the retries of a burst).
    double jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

    std::int64_t deadline_of(const SmsRecord& record) const {
        return settle_deadline_ms(record.created_ms, record.settle_by_ms, record.kind,
                                  options.schedule);
    }

    std::size_t provider_index(const std::string& name) const {
        for (std::size_t i = 0; i < providers.size(); ++i)
            if (providers[i]->name() == name) return i;
        return 0;  // "" or a provider no longer configured: the primary
    }

    static bool listed(const std::string& csv, const std::string& name) {
        std::size_t start = 0;
        while (start <= csv.size()) {
            const auto comma = csv.find(',', start);
            const auto end = comma == std::string::npos ? csv.size() : comma;
            if (csv.compare(start, end - start, name) == 0) return true;
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        return false;
    }

    // Both connections are still coming up when the sender starts with the process: commands sent
    // before would fail as not_connected and be counted as Redis errors on every clean start.
    asio::awaitable<void> wait_connected() {
        // A connection still down afterwards is retried by the loops.
        auto& main = redis();
        if (!main.connected()) {
            const bool up = co_await main.wait_connected(main.config().connect_timeout);
            (void)up;
        }
        if (reader && !reader->connected()) {
            const bool up = co_await reader->wait_connected(reader->config().connect_timeout);
            (void)up;
        }
    }

    asio::awaitable<void> ensure_group() {
        // Before the group is made under the tagged name: a stream of the untagged layout moves
        // with its group and pending entries (redis_outbox.hpp). Once per sender; both loops
        // doing it at once is harmless.
        if (!untagged_keys_migrated) {
            co_await outbox.migrate_untagged_keys();
            untagged_keys_migrated = true;
        }
        for (int code = 0; code < 2; ++code) {
            // No ?: in a coroutine here (docs/coroutines.md).
            std::string stream = outbox.stream_key();
            if (code) stream = outbox.code_stream_key();
            std::vector<std::string> command{"XGROUP",     "CREATE", stream,
                                             kSenderGroup, "0",      "MKSTREAM"};
            auto reply = co_await redis().exec(std::move(command));
            if (reply.is_error() && reply.str.rfind("BUSYGROUP", 0) != 0)
                throw redis::Error(redis::Error::Kind::protocol, reply.str);
        }
    }

    asio::awaitable<void> read_loop() {
        auto self = shared_from_this();
        bool group_ready = false;
        co_await wait_connected();
        while (running) {
            try {
                if (!group_ready) {
                    co_await ensure_group();
                    group_ready = true;
                }
                // Read only the lanes with free slots: a lane full of codes waiting for tokens
                // never keeps an approval from being read.
                const std::size_t notice_free = free_slots(lanes[0]);
                const std::size_t code_free = free_slots(lanes[1]);
                if (notice_free == 0 && code_free == 0) {
                    co_await pause(std::chrono::milliseconds(5));
                    continue;
                }
                std::size_t count = std::max(notice_free, code_free);
                if (notice_free > 0 && code_free > 0) count = std::min(notice_free, code_free);
                std::vector<std::string> command{
                    "XREADGROUP", "GROUP",
                    kSenderGroup, options.consumer,
                    "COUNT",      std::to_string(count),
                    "BLOCK",      std::to_string(options.block.count()),
                    "STREAMS"};
                if (notice_free > 0) command.push_back(outbox.stream_key());
                if (code_free > 0) command.push_back(outbox.code_stream_key());
                if (notice_free > 0) command.emplace_back(">");
                if (code_free > 0) command.emplace_back(">");
                auto reply = co_await reader->exec(std::move(command));
                if (reply.is_error()) {
                    // NOGROUP after a FLUSHALL or a Redis without persistence: create again.
                    group_ready = false;
                    co_await pause(std::chrono::milliseconds(200));
                    continue;
                }
                std::vector<Entry> entries;
                const std::string code_stream = outbox.code_stream_key();
                if (reply.is_array())
                    for (const auto& stream : reply.elements)
                        if (stream.is_array() && stream.elements.size() == 2)
                            collect_entries(stream.elements[1],
                                            stream.elements[0].str == code_stream, entries);
                for (auto& entry : entries) spawn(std::move(entry));
                continue;
            } catch (const std::exception&) {
            }
            // Redis unreachable: the client reconnects by itself; try again shortly.
            if (!running) break;
            co_await pause(std::chrono::milliseconds(200));
        }
    }

    void spawn(Entry entry) {
        ++lane_of(entry).in_flight;
        asio::co_spawn(
            executor,
            [self = shared_from_this(), entry = std::move(entry)]() -> asio::awaitable<void> {
                try {
                    co_await self->process(entry);
                } catch (const std::exception& error) {
                    // Left pending in the group: XAUTOCLAIM hands it to a sender later.
                    ops::log(ops::LogLevel::warn, "sms_process_error",
                             {{"sms_id", entry.message_id}, {"detail", error.what()}});
                }
                --self->lane_of(entry).in_flight;
            },
            asio::detached);
    }

    asio::awaitable<void> finish(const Entry& entry, const std::string& state,
                                 const std::string& reason, const std::string& provider,
                                 const std::string& serial, std::int64_t due_ms,
                                 std::string next_provider = {}, std::string refused = {}) {
        std::vector<std::string> keys{outbox.msg_key(entry.message_id),
                                      stream_of(entry),
                                      outbox.delayed_key(),
                                      outbox.unknown_key(),
                                      outbox.alerts_key(),
                                      outbox.receipt_key(provider, serial)};
        // A code's receipt key goes with its message (verification_retention).
        auto retention = outbox.options().retention;
        if (entry.code) retention = std::min(retention, outbox.options().verification_retention);
        std::vector<std::string> args{entry.entry_id,
                                      kSenderGroup,
                                      state,
                                      std::to_string(now_ms()),
                                      reason,
                                      provider,
                                      serial,
                                      std::to_string(due_ms),
                                      std::to_string(retention.count()),
                                      entry.message_id,
                                      std::move(next_provider),
                                      std::move(refused)};
        auto reply = co_await redis().eval(finish_script(), std::move(keys), std::move(args));
        if (reply.is_error()) throw redis::Error(redis::Error::Kind::protocol, reply.str);
    }

    // Runs claim_script for one attempt through `provider_name`: "claimed", "limited",
    // "suppressed", "unknown", "skip" (or "" for an answer of another shape).
    asio::awaitable<std::string> claim_attempt(const Entry& entry, const std::string& hash,
                                               const std::string& tpl, std::string provider_name) {
        // Codes count against per-phone counters of their own: a stranger's codes never use up
        // the quota of a driver's approval SMS.
        std::string hour_counter = "h";
        std::string day_counter = "d";
        if (entry.code) {
            hour_counter = "c:h";
            day_counter = "c:d";
        }
        std::vector<std::string> keys{outbox.msg_key(entry.message_id),
                                      outbox.optout_key(hash),
                                      outbox.rate_key(hash, "t:" + tpl),
                                      outbox.rate_key(hash, hour_counter),
                                      outbox.rate_key(hash, day_counter),
                                      stream_of(entry),
                                      outbox.delayed_key(),
                                      outbox.unknown_key()};
        std::string code_flag = "0";
        if (entry.code) code_flag = "1";
        const auto now = now_ms();
        std::vector<std::string> args{
            std::to_string(now),
            options.consumer,
            entry.entry_id,
            kSenderGroup,
            entry.message_id,
            std::to_string(options.same_template_interval.count()),
            std::to_string(options.per_phone_hour),
            std::to_string(options.per_phone_day),
            std::to_string(now + options.schedule.status_check_after.count()),
            code_flag,
            std::to_string(options.code_max_age.count()),
            std::move(provider_name)};
        auto claim = co_await redis().eval(claim_script(), std::move(keys), std::move(args));
        if (claim.is_error()) throw redis::Error(redis::Error::Kind::protocol, claim.str);
        if (!claim.is_array() || claim.elements.empty()) co_return std::string();
        co_return claim.elements[0].str;
    }

    // After a provider answered: next_step (notify/sms_schedule.hpp) decides, this records it.
    asio::awaitable<void> settle_attempt(const Entry& entry, const SmsRecord& record,
                                         std::size_t index, const ProviderResult& result) {
        const auto& c = result.classification;
        const std::string provider = providers[index]->name();

        AttemptFacts facts;
        facts.classification = c;
        facts.attempts = record.attempts + 1;
        facts.provider = index;
        facts.providers = providers.size();
        facts.other_refused =
            providers.size() > 1 &&
            listed(record.refused, providers[(index + 1) % providers.size()]->name());
        facts.now_ms = now_ms();
        facts.deadline_ms = deadline_of(record);
        facts.jitter = jitter();
        const Step step = next_step(facts, options.schedule);
        // A provider that refused this message for good (its template, our account there) is
        // remembered, so the schedule stops switching to it.
        std::string refused;
        if (c.kind == FailureClass::permanent && !listed(record.refused, provider)) {
            refused = record.refused;
            if (!refused.empty()) refused += ",";
            refused += provider;
        }
        std::string next_name = providers[step.next_provider]->name();
        switch (step.kind) {
            case Step::Kind::sent:
                ++stats.sent;
                co_await finish(entry, "sent", "", provider, result.serial, 0);
                break;
            case Step::Kind::unknown:
                ++stats.unknown;
                ops::log(ops::LogLevel::warn, "sms_unknown_outcome",
                         {{"sms_id", record.id}, {"detail", provider + ":" + result.code}});
                co_await finish(entry, "unknown", result.code, provider, "", step.due_ms);
                break;
            case Step::Kind::retry: {
                if (c.kind == FailureClass::window_limited || c.kind == FailureClass::time_of_day)
                    ++stats.deferred;
                else
                    ++stats.retried;
                if (step.next_provider != index)
                    ops::log(ops::LogLevel::warn, "sms_fallback",
                             {{"sms_id", record.id}, {"detail", provider + ":" + result.code}});
                co_await finish(entry, "retry", result.code, provider, "", step.due_ms,
                                std::move(next_name), std::move(refused));
                break;
            }
            case Step::Kind::failed: {
                ++stats.failed;
                // A named reason, not a ?: inside the co_await (docs/coroutines.md).
                std::string reason = step.reason;
                if (reason.empty()) reason = result.code;
                if (reason.empty()) reason = std::string(signing::to_string(c.kind));
                ops::log(ops::LogLevel::error, "sms_failed",
                         {{"sms_id", record.id}, {"detail", provider + ":" + reason}});
                std::string no_next;  // named: docs/coroutines.md
                co_await finish(entry, "failed", std::move(reason), provider, "", 0,
                                std::move(no_next), std::move(refused));
                break;
            }
        }
    }

    asio::awaitable<void> process(const Entry& entry) {
        if (entry.message_id.empty()) {
            std::vector<std::string> ack{"XACK", stream_of(entry), kSenderGroup, entry.entry_id};
            co_await redis().exec(std::move(ack));
            co_return;
        }
        auto record = co_await outbox.find(entry.message_id);
        if (record && record->state != "queued" && record->state != "retry" &&
            record->state != "sending") {
            co_await finish(entry, record->state, record->reason, record->provider, "", 0);
            co_return;
        }
        if (record && (record->state == "queued" || record->state == "retry"))
            co_await take_token(lane_of(entry));
        const std::string hash = record ? record->phone_hash : std::string("none");
        const std::string tpl = record ? record->template_name : std::string();
        // One provider per attempt: the one the schedule chose last time (the primary at first).
        std::size_t index = 0;
        if (record) index = provider_index(record->next_provider);
        SmsProvider* used = providers[index];
        const std::string verdict = co_await claim_attempt(entry, hash, tpl, used->name());
        if (verdict == "limited") {
            ++stats.deferred;
            co_return;
        }
        if (verdict == "suppressed") {
            ++stats.suppressed;
            co_return;
        }
        if (verdict == "unknown") {
            ++stats.unknown;
            ops::log(ops::LogLevel::warn, "sms_unknown_outcome",
                     {{"sms_id", entry.message_id}, {"detail", "sender_lost"}});
            co_return;
        }
        if (verdict != "claimed" || !record) co_return;
        // Sentinel: the claim ("sending") must survive a failover before the provider is asked,
        // so that a new primary sees an unknown outcome to settle, never a message to send again.
        if (redis().waits_for_replicas()) co_await redis().wait_for_replicas();

        ProviderSend send{record->id, record->phone, record->template_name, record->params};
        ++stats.requests;
        const ProviderResult result = co_await used->send(send);
        co_await settle_attempt(entry, *record, index, result);
    }

    asio::awaitable<void> housekeeping_loop() {
        auto self = shared_from_this();
        bool group_ready = false;
        co_await wait_connected();
        while (running) {
            try {
                if (!group_ready) {
                    co_await ensure_group();
                    group_ready = true;
                }
                co_await promote_due();
                co_await take_over();
                co_await settle_unknown();
                co_await report_late();
            } catch (const std::exception&) {
                group_ready = false;
            }
            if (!running) break;
            co_await pause(options.housekeeping);
        }
    }

    // Members of a sorted set with a score up to `until` (ms), at most `limit`.
    asio::awaitable<std::vector<std::string>> due_members(std::string key, int limit,
                                                          std::int64_t until) {
        std::vector<std::string> command{"ZRANGEBYSCORE",       std::move(key), "-inf",
                                         std::to_string(until), "LIMIT",        "0",
                                         std::to_string(limit)};
        auto due = co_await redis().exec(std::move(command));
        std::vector<std::string> ids;
        if (due.is_array())
            for (auto& element : due.elements) ids.push_back(std::move(element.str));
        co_return ids;
    }

    asio::awaitable<void> promote_due() {
        auto ids = co_await due_members(outbox.delayed_key(), 500, now_ms());
        if (ids.empty()) co_return;
        std::vector<std::string> keys{outbox.delayed_key(), outbox.stream_key(),
                                      outbox.code_stream_key()};
        co_await redis().eval(promote_script(), std::move(keys), std::move(ids));
    }

    asio::awaitable<void> take_over() {
        for (int code = 0; code < 2; ++code) {
            if (free_slots(lanes[code]) == 0) continue;
            std::string stream = outbox.stream_key();
            if (code) stream = outbox.code_stream_key();
            std::vector<std::string> command{"XAUTOCLAIM",
                                             stream,
                                             kSenderGroup,
                                             options.consumer,
                                             std::to_string(options.claim_idle.count()),
                                             "0-0",
                                             "COUNT",
                                             "100"};
            auto reply = co_await redis().exec(std::move(command));
            if (!reply.is_array() || reply.elements.size() < 2) continue;
            std::vector<Entry> entries;
            collect_entries(reply.elements[1], code == 1, entries);
            for (auto& entry : entries) {
                ++stats.taken_over;
                spawn(std::move(entry));
            }
        }
    }

    // Unknown outcomes whose status query is due: each is queried on a coroutine of its own
    // (a hanging status API must not hold up the housekeeping), under a lease so one process
    // asks at a time.
    asio::awaitable<void> settle_unknown() {
        const auto now = now_ms();
        const auto due = co_await due_members(outbox.unknown_key(), 50, now);
        for (const auto& id : due) {
            if (status_in_flight >= options.max_in_flight) break;
            const std::int64_t lease = options.status_lease.count();
            std::vector<std::string> keys{outbox.unknown_key()};
            std::vector<std::string> args{id, std::to_string(now), std::to_string(lease)};
            auto leased =
                co_await redis().eval(lease_unknown_script(), std::move(keys), std::move(args));
            if (!leased.is_integer() || leased.integer != 1) continue;
            ++status_in_flight;
            asio::co_spawn(
                executor,
                [self = shared_from_this(), id]() -> asio::awaitable<void> {
                    try {
                        co_await self->check_status(id);
                    } catch (const std::exception& error) {
                        // The lease runs out and the next housekeeping pass asks again.
                        ops::log(ops::LogLevel::warn, "sms_status_error",
                                 {{"sms_id", id}, {"detail", error.what()}});
                    }
                    --self->status_in_flight;
                },
                asio::detached);
        }
    }

    asio::awaitable<void> check_status(std::string id) {
        auto record = co_await outbox.find(id);
        if (!record || record->state != "unknown") {
            std::vector<std::string> command{"ZREM", outbox.unknown_key(), id};
            co_await redis().exec(std::move(command));
            co_return;
        }
        const std::size_t index = provider_index(record->provider);
        SmsProvider* provider = providers[index];
        // The message's provider must be the one asked; one no longer configured cannot be.
        const bool known = provider->name() == record->provider;
        StatusQuery query{record->id, record->phone, record->attempt_ms, now_ms()};
        if (query.attempt_ms == 0) query.attempt_ms = record->updated_ms;
        StatusAnswer answer;
        answer.outcome = StatusFinding::unsupported;
        if (known) {
            ++stats.status_queries;
            answer = co_await provider->query(query);
        }
        StatusFinding finding = answer.outcome;
        std::string serial;
        if (finding == StatusFinding::absent) {
            // Records that do not echo our id are ours only if their serial is not another
            // message's (the receipt index says whose a serial is).
            std::map<std::string, std::string> owners;
            for (const auto& r : answer.records) {
                if (!r.message_id.empty() || r.serial.empty() || owners.contains(r.serial))
                    continue;
                std::vector<std::string> get{"GET", outbox.receipt_key(record->provider, r.serial)};
                auto owner = co_await redis().exec(std::move(get));
                owners[r.serial] = owner.is_string() ? owner.str : std::string();
            }
            auto lookup = [&owners](const std::string& s) {
                const auto found = owners.find(s);
                return found == owners.end() ? std::string() : found->second;
            };
            const auto match = match_status(answer.records, record->id, lookup);
            finding = match.finding;
            serial = match.serial;
        }
        CheckFacts facts;
        facts.finding = finding;
        facts.now_ms = now_ms();
        facts.attempt_ms = query.attempt_ms;
        facts.deadline_ms = deadline_of(*record);
        facts.checks = record->checks;
        facts.provider = index;
        facts.providers = providers.size();
        facts.jitter = jitter();
        const CheckStep step = next_check_step(facts, options.schedule);
        std::string action;
        std::string reason;
        switch (step.kind) {
            case CheckStep::Kind::delivered:
                action = "delivered";
                break;
            case CheckStep::Kind::sent:
                action = "sent";
                break;
            case CheckStep::Kind::failed:
                action = "failed";
                reason = step.reason;
                break;
            case CheckStep::Kind::resend:
                action = "resend";
                break;
            case CheckStep::Kind::check_again:
                action = "check_again";
                break;
            case CheckStep::Kind::give_up:
                action = "failed";
                reason = "unknown_outcome_unresolved";
                break;
        }
        std::vector<std::string> keys{outbox.msg_key(id), outbox.unknown_key(),
                                      outbox.delayed_key(), outbox.alerts_key(),
                                      outbox.receipt_key(record->provider, serial)};
        std::vector<std::string> args{id,
                                      std::to_string(facts.now_ms),
                                      action,
                                      reason,
                                      std::to_string(step.due_ms),
                                      serial,
                                      std::to_string(outbox.options().retention.count()),
                                      providers[step.next_provider]->name(),
                                      record->provider};
        auto reply = co_await redis().eval(resolve_script(), std::move(keys), std::move(args));
        if (reply.is_error()) throw redis::Error(redis::Error::Kind::protocol, reply.str);
        if (action == "check_again") {
            if (!answer.code.empty())
                ops::log(ops::LogLevel::warn, "sms_status_query_failed",
                         {{"sms_id", id}, {"detail", record->provider + ":" + answer.code}});
            co_return;
        }
        std::string detail = record->provider + ":" + action;
        if (!reason.empty()) detail += ":" + reason;
        ops::log(action == "failed" ? ops::LogLevel::error : ops::LogLevel::info,
                 "sms_unknown_settled", {{"sms_id", id}, {"detail", detail}});
        if (action == "resend") ++stats.resent;
        if (action == "failed") ++stats.failed;
    }

    // Notifications enqueued more than alert_after ago that no provider has accepted yet.
    asio::awaitable<void> report_late() {
        const auto now = now_ms();
        const auto due =
            co_await due_members(outbox.watch_key(), 100, now - options.alert_after.count());
        for (const auto& id : due) {
            std::vector<std::string> keys{outbox.msg_key(id), outbox.watch_key(),
                                          outbox.alerts_key()};
            std::vector<std::string> args{id, std::to_string(now)};
            auto reply = co_await redis().eval(watch_script(), std::move(keys), std::move(args));
            if (reply.is_integer() && reply.integer == 1) {
                ++stats.late_alerts;
                ops::log(ops::LogLevel::error, "sms_not_delivered_in_time",
                         {{"sms_id", id}, {"detail", "alert"}});
            }
        }
    }
};

std::shared_ptr<SmsSender> SmsSender::create(asio::any_io_executor executor, RedisSmsOutbox& outbox,
                                             std::shared_ptr<redis::Client> reader,
                                             std::vector<SmsProvider*> providers,
                                             SenderOptions options) {
    if (providers.empty()) throw std::invalid_argument("sms sender: no provider");
    std::shared_ptr<SmsSender> sender(new SmsSender());
    sender->impl_ = std::make_shared<Impl>(std::move(executor), outbox, std::move(reader),
                                           std::move(providers), std::move(options));
    return sender;
}

SmsSender::~SmsSender() {
    if (impl_) impl_->running = false;
}

void SmsSender::start() {
    if (impl_->running) return;
    impl_->running = true;
    asio::co_spawn(impl_->executor, impl_->read_loop(), asio::detached);
    asio::co_spawn(impl_->executor, impl_->housekeeping_loop(), asio::detached);
}

void SmsSender::stop() { impl_->running = false; }

const SenderStats& SmsSender::stats() const { return impl_->stats; }

const std::string& SmsSender::consumer() const { return impl_->options.consumer; }

}  // namespace kayou::notify
