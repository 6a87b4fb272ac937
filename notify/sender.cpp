#include "notify/sender.hpp"

#include <unistd.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iostream>
#include <random>

#include "crypto/random.hpp"
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

// Logs go to stderr as JSON lines like bot/log (notify/ does not depend on bot/). Only ids,
// template names and provider codes: never the phone or the parameters.
void log_event(const char* level, const std::string& event, const std::string& id,
               const std::string& detail) {
    std::cerr << R"({"level":")" << level << R"(","event":")" << event << R"(","sms_id":")" << id
              << R"(","detail":")" << detail << "\"}\n";
}

// Claim: queued|retry -> sending, with the opt-out and per-phone limits in the same step.
// KEYS: msg, optout, rl_template, rl_hour, rl_day, stream, delayed, unknown
// ARGV: now_ms, consumer, entry_id, group, id, template_interval_ms, per_hour, per_day,
//       unknown_due_ms, code ("1" for a verification code), code_max_age_ms
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
redis.call('HSET', KEYS[1], 'state', 'sending', 'owner', ARGV[2], 'updated_ms', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {'claimed'}
)lua");
    return script;
}

// Finish an attempt and acknowledge the stream entry in one step, so a crash cannot lose the
// message between "recorded" and "acknowledged".
// KEYS: msg, stream, delayed, unknown, alerts, receipt
// ARGV: entry_id, group, new_state, now_ms, reason, provider, serial, due_ms, ttl_s, id
const redis::Script& finish_script() {
    static const redis::Script script(R"lua(
local function rank(s)
  if s == 'queued' or s == 'retry' then return 0 end
  if s == 'sending' then return 1 end
  if s == 'unknown' then return 2 end
  if s == 'sent' then return 3 end
  if s == 'delivered' or s == 'failed' or s == 'suppressed' then return 4 end
  return -1
end
local cur = redis.call('HGET', KEYS[1], 'state')
local new = ARGV[3]
local apply = cur and ((cur == 'sending' and new == 'retry') or rank(new) > rank(cur))
if apply then
  redis.call('HSET', KEYS[1], 'state', new, 'reason', ARGV[5], 'provider', ARGV[6],
             'updated_ms', ARGV[4])
  if new == 'sent' and ARGV[7] ~= '' then
    redis.call('HSET', KEYS[1], 'serial', ARGV[7])
    redis.call('SET', KEYS[6], ARGV[10], 'EX', ARGV[9])
  end
  if new == 'retry' then redis.call('ZADD', KEYS[3], ARGV[8], ARGV[10]) end
  if new == 'unknown' then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[10]) end
  if new == 'failed' then
    redis.call('XADD', KEYS[5], 'MAXLEN', '~', '10000', '*', 'id', ARGV[10],
      'idem', redis.call('HGET', KEYS[1], 'idem') or '', 'template',
      redis.call('HGET', KEYS[1], 'template') or '', 'reason', ARGV[5], 'provider', ARGV[6])
  end
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

// An unknown outcome nobody resolved: fail it and alert; a person decides whether to resend.
// KEYS: msg, unknown, alerts. ARGV: id, now_ms.
const redis::Script& give_up_script() {
    static const redis::Script script(R"lua(
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'unknown' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'failed', 'reason', 'unknown_outcome_unresolved',
           'updated_ms', ARGV[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'id', ARGV[1],
  'idem', redis.call('HGET', KEYS[1], 'idem') or '', 'template',
  redis.call('HGET', KEYS[1], 'template') or '', 'reason', 'unknown_outcome_unresolved',
  'provider', redis.call('HGET', KEYS[1], 'provider') or '')
return 1
)lua");
    return script;
}

bool provider_level(const signing::Classification& c) {
    switch (c.kind) {
        case FailureClass::transient:
        case FailureClass::clock:
        case FailureClass::billing:
            return true;
        case FailureClass::permanent:
            return c.alert;  // our account/template, not the number
        default:
            return false;
    }
}

struct Entry {
    std::string entry_id;
    std::string message_id;
    bool code = false;  // from the verification-code lane (sms:stream:code)
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
    // Per lane (index 0: notifications and reminders, 1: verification codes): entries being
    // processed, and a token bucket for the request rate.
    struct Lane {
        std::size_t in_flight = 0;
        double rate = 1;
        double tokens = 1;
        std::chrono::steady_clock::time_point refilled = std::chrono::steady_clock::now();
    };
    std::array<Lane, 2> lanes;
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

    std::int64_t backoff_ms(int attempts) {
        const auto base = options.backoff_base.count();
        std::int64_t d = base << std::min(attempts > 0 ? attempts - 1 : 0, 20);
        d = std::min<std::int64_t>(d, options.backoff_cap.count());
        // Half fixed, half random: spreads retries of a burst without retrying at once.
        return d / 2 + std::uniform_int_distribution<std::int64_t>(0, d / 2)(rng);
    }

    // Both connections are still coming up when the sender starts with the process: commands sent
    // before would fail as not_connected and be counted as Redis errors on every clean start.
    asio::awaitable<void> wait_connected() {
        // A connection still down afterwards is retried by the loops, as before.
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
        for (int code = 0; code < 2; ++code) {
            // No ?: on strings in a coroutine (g++ 12; see process()).
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
                    log_event("warn", "sms_process_error", entry.message_id, error.what());
                }
                --self->lane_of(entry).in_flight;
            },
            asio::detached);
    }

    asio::awaitable<void> finish(const Entry& entry, const std::string& state,
                                 const std::string& reason, const std::string& provider,
                                 const std::string& serial, std::int64_t due_ms) {
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
                                      entry.message_id};
        auto reply = co_await redis().eval(finish_script(), std::move(keys), std::move(args));
        if (reply.is_error()) throw redis::Error(redis::Error::Kind::protocol, reply.str);
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
        std::vector<std::string> args{std::to_string(now),
                                      options.consumer,
                                      entry.entry_id,
                                      kSenderGroup,
                                      entry.message_id,
                                      std::to_string(options.same_template_interval.count()),
                                      std::to_string(options.per_phone_hour),
                                      std::to_string(options.per_phone_day),
                                      std::to_string(now + options.unknown_wait.count()),
                                      code_flag,
                                      std::to_string(options.code_max_age.count())};
        auto claim = co_await redis().eval(claim_script(), std::move(keys), std::move(args));
        if (claim.is_error()) throw redis::Error(redis::Error::Kind::protocol, claim.str);
        const std::string verdict =
            claim.is_array() && !claim.elements.empty() ? claim.elements[0].str : "";
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
            log_event("warn", "sms_unknown_outcome", entry.message_id, "sender_lost");
            co_return;
        }
        if (verdict != "claimed" || !record) co_return;

        ProviderSend send{record->id, record->phone, record->template_name, record->params};
        ProviderResult result;
        SmsProvider* used = nullptr;
        for (std::size_t i = 0; i < providers.size(); ++i) {
            used = providers[i];
            ++stats.requests;
            result = co_await used->send(send);
            if (!provider_level(result.classification)) break;
            if (i + 1 < providers.size())
                log_event("warn", "sms_fallback", record->id, used->name() + ":" + result.code);
        }
        const auto& c = result.classification;
        const std::string provider = used ? used->name() : "";
        const auto at = now_ms();
        switch (c.kind) {
            case FailureClass::ok:
                ++stats.sent;
                co_await finish(entry, "sent", "", provider, result.serial, 0);
                break;
            case FailureClass::unknown_outcome:
                ++stats.unknown;
                log_event("warn", "sms_unknown_outcome", record->id, provider + ":" + result.code);
                co_await finish(entry, "unknown", result.code, provider, "",
                                at + options.unknown_wait.count());
                break;
            case FailureClass::window_limited:
            case FailureClass::time_of_day: {
                ++stats.deferred;
                std::int64_t due = at + backoff_ms(1);
                if (c.retry_not_before)
                    due = std::chrono::duration_cast<std::chrono::milliseconds>(
                              c.retry_not_before->time_since_epoch())
                              .count() +
                          std::uniform_int_distribution<std::int64_t>(0, 1000)(rng);
                co_await finish(entry, "retry", result.code, provider, "", due);
                break;
            }
            case FailureClass::transient:
            case FailureClass::clock:
            case FailureClass::billing:
                if (record->attempts + 1 < options.max_attempts) {
                    ++stats.retried;
                    co_await finish(entry, "retry", result.code, provider, "",
                                    at + backoff_ms(record->attempts + 1));
                    break;
                }
                [[fallthrough]];
            default:
                ++stats.failed;
                log_event("error", "sms_failed", record->id, provider + ":" + result.code);
                // A named reason, not a ?: inside the co_await: g++ 12 freed that temporary
                // twice ("double free" on every permanent failure; redis/client.hpp).
                std::string reason = result.code;
                if (reason.empty()) reason = std::string(signing::to_string(c.kind));
                co_await finish(entry, "failed", std::move(reason), provider, "", 0);
                break;
        }
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
                co_await give_up_unknown();
            } catch (const std::exception&) {
                group_ready = false;
            }
            if (!running) break;
            co_await pause(options.housekeeping);
        }
    }

    // Members of a due-time sorted set (score = ms) whose time has come, at most `limit`.
    asio::awaitable<std::vector<std::string>> due_members(std::string key, int limit) {
        std::vector<std::string> command{"ZRANGEBYSCORE",          std::move(key), "-inf",
                                         std::to_string(now_ms()), "LIMIT",        "0",
                                         std::to_string(limit)};
        auto due = co_await redis().exec(std::move(command));
        std::vector<std::string> ids;
        if (due.is_array())
            for (auto& element : due.elements) ids.push_back(std::move(element.str));
        co_return ids;
    }

    asio::awaitable<void> promote_due() {
        auto ids = co_await due_members(outbox.delayed_key(), 500);
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

    asio::awaitable<void> give_up_unknown() {
        const auto due = co_await due_members(outbox.unknown_key(), 100);
        for (const auto& id : due) {
            std::vector<std::string> keys{outbox.msg_key(id), outbox.unknown_key(),
                                          outbox.alerts_key()};
            std::vector<std::string> args{id, std::to_string(now_ms())};
            auto reply = co_await redis().eval(give_up_script(), std::move(keys), std::move(args));
            if (reply.is_integer() && reply.integer == 1) {
                ++stats.failed;
                log_event("error", "sms_failed", id, "unknown_outcome_unresolved");
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
