#include "notify/redis_outbox.hpp"

#include <nlohmann/json.hpp>

#include "crypto/random.hpp"
#include "redis/client.hpp"
#include "redis/stream_entries.hpp"
#include "text/masks.hpp"

namespace kayou::notify {

namespace asio = boost::asio;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string phone_ad(std::string_view id) { return "sms:" + std::string(id) + ":phone"; }
std::string params_ad(std::string_view id) { return "sms:" + std::string(id) + ":params"; }

// The state ranks of docs/sms.md: the one table behind sms_state_rank() and kayou_sms_rank.
struct StateRank {
    std::string_view state;
    int rank;
};
constexpr StateRank kStateRanks[] = {
    {"queued", 0}, {"retry", 0},     {"sending", 1}, {"unknown", 2},
    {"sent", 3},   {"delivered", 4}, {"failed", 4},  {"suppressed", 4},
};

std::string rank_lua() {
    std::string lua = "local kayou_sms_ranks = {";
    for (const auto& [state, rank] : kStateRanks)
        lua += std::string(state) + " = " + std::to_string(rank) + ", ";
    lua += "}\nlocal function kayou_sms_rank(s) return kayou_sms_ranks[s] or -1 end\n";
    return lua;
}

// KEYS: msg key, alerts stream. ARGV: new state (delivered|failed), reason, now ms, provider.
// A late "delivered" may still replace a failure we declared ourselves because the outcome was
// unknown (the receipt is the better evidence); every other terminal state is final.
const redis::Script& receipt_script() {
    static const redis::Script script(RedisSmsOutbox::lua_library() + R"lua(
local cur = redis.call('HGET', KEYS[1], 'state')
if not cur then return false end
local new = ARGV[1]
local advance = kayou_sms_rank(new) > kayou_sms_rank(cur)
if not advance and cur == 'failed' and new == 'delivered' and
   redis.call('HGET', KEYS[1], 'reason') == 'unknown_outcome_unresolved' then advance = true end
if not advance then return cur end
redis.call('HSET', KEYS[1], 'state', new, 'reason', ARGV[2], 'updated_ms', ARGV[3])
if new == 'failed' then
  kayou_sms_alert(KEYS[1], KEYS[2], redis.call('HGET', KEYS[1], 'id'), ARGV[2], ARGV[4])
end
return new
)lua");
    return script;
}

// What the untagged layout (before {sms}) named "P sms:<rest>"; only these are the outbox's.
constexpr std::string_view kUntaggedParts[] = {"idem:", "msg:",     "stream",  "delayed", "unknown",
                                               "watch", "receipt:", "optout:", "rl:",     "alerts"};

}  // namespace

std::string_view to_string(SmsMessage::Kind kind) {
    switch (kind) {
        case SmsMessage::Kind::notification:
            return "notification";
        case SmsMessage::Kind::verification:
            return "verification";
        case SmsMessage::Kind::reminder:
            return "reminder";
    }
    return "notification";
}

std::optional<SmsMessage::Kind> parse_kind(std::string_view text) {
    if (text == "notification") return SmsMessage::Kind::notification;
    if (text == "verification") return SmsMessage::Kind::verification;
    if (text == "reminder") return SmsMessage::Kind::reminder;
    return std::nullopt;
}

int sms_state_rank(std::string_view s) {
    for (const auto& [state, rank] : kStateRanks)
        if (state == s) return rank;
    return -1;
}

const std::string& RedisSmsOutbox::lua_library() {
    // KEYS[ko+1] idem, KEYS[ko+2] msg, KEYS[ko+3] stream, KEYS[ko+4] watch; ARGV[ao+1] = n,
    // then id, ttl and the hash fields as name/value pairs. The SET NX is the idempotency
    // check: a second enqueue with the same key changes nothing and returns the first message's
    // id. The watch entry is how a message still unsent after SenderOptions::alert_after is
    // found and reported, even when no sender ever read it.
    static const std::string lua = std::string(R"lua(
local function kayou_sms_enqueue(ko, ao)
  local idem, msg, stream, watch = KEYS[ko + 1], KEYS[ko + 2], KEYS[ko + 3], KEYS[ko + 4]
  local n = tonumber(ARGV[ao + 1])
  local id, ttl = ARGV[ao + 2], ARGV[ao + 3]
  if not redis.call('SET', idem, id, 'NX', 'EX', ttl) then
    return redis.call('GET', idem)
  end
  local fields, created, kind = {}, 0, ''
  for i = ao + 4, ao + 1 + n do fields[#fields + 1] = ARGV[i] end
  for i = 1, #fields - 1, 2 do
    if fields[i] == 'created_ms' then created = fields[i + 1] end
    if fields[i] == 'kind' then kind = fields[i + 1] end
  end
  redis.call('HSET', msg, unpack(fields))
  redis.call('EXPIRE', msg, ttl)
  redis.call('XADD', stream, '*', 'id', id)
  -- Only approval/rejection SMS are watched for lateness (the sender's watch script).
  if kind == 'notification' then redis.call('ZADD', watch, created, id) end
  return id
end
-- The one shape of an alert entry (RedisSmsOutbox::alerts() reads it); state only for a late
-- notification, which is not final yet.
local function kayou_sms_alert(msg, alerts, id, reason, provider, state)
  local fields = {'id', id, 'idem', redis.call('HGET', msg, 'idem') or '',
                  'template', redis.call('HGET', msg, 'template') or '',
                  'reason', reason, 'provider', provider}
  if state then fields[#fields + 1] = 'state' fields[#fields + 1] = state end
  redis.call('XADD', alerts, 'MAXLEN', '~', '10000', '*', unpack(fields))
end
)lua") + rank_lua();
    return lua;
}

RedisSmsOutbox::RedisSmsOutbox(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                               OutboxOptions options)
    : redis_(std::move(redis)), box_(std::move(box)), options_(std::move(options)) {}

RedisSmsOutbox::~RedisSmsOutbox() = default;

std::string RedisSmsOutbox::msg_key(std::string_view id) const {
    return tagged_key("msg:" + std::string(id));
}
std::string RedisSmsOutbox::idem_key(std::string_view idempotency_key) const {
    return tagged_key("idem:" + std::string(idempotency_key));
}
std::string RedisSmsOutbox::receipt_key(std::string_view provider, std::string_view serial) const {
    return tagged_key("receipt:" + std::string(provider) + ":" + std::string(serial));
}
std::string RedisSmsOutbox::optout_key(std::string_view hash) const {
    return tagged_key("optout:" + std::string(hash));
}
std::string RedisSmsOutbox::rate_key(std::string_view hash, std::string_view what) const {
    return tagged_key("rl:" + std::string(hash) + ":" + std::string(what));
}

std::string RedisSmsOutbox::phone_hash(std::string_view phone) const {
    return box_.lookup_hash(phone);
}

PreparedEnqueue RedisSmsOutbox::prepare_enqueue(const SmsMessage& message) const {
    if (message.phone.empty() || message.template_name.empty() || message.idempotency_key.empty())
        throw std::invalid_argument("sms enqueue: phone, template and idempotency key required");
    PreparedEnqueue prepared;
    const bool code = message.kind == SmsMessage::Kind::verification;
    prepared.id = (code ? "c" : "m") + crypto::random_alnum(20);
    const auto retention =
        code ? std::min(options_.verification_retention, options_.retention) : options_.retention;
    const std::string params_json = nlohmann::json(message.params).dump();
    const auto now = std::to_string(now_ms());
    std::vector<std::string> rest{
        prepared.id,  std::to_string(retention.count()),
        "id",         prepared.id,
        "idem",       message.idempotency_key,
        "phone",      box_.seal(message.phone, phone_ad(prepared.id)),
        "phone_hash", phone_hash(message.phone),
        "phone_mask", text::mask_mobile(message.phone),
        "template",   message.template_name,
        "params",     box_.seal(params_json, params_ad(prepared.id)),
        "kind",       std::string(to_string(message.kind)),
        "state",      "queued",
        "attempts",   "0",
        "created_ms", now,
        "updated_ms", now,
    };
    if (message.settle_by_ms > 0) {
        rest.push_back("settle_by_ms");
        rest.push_back(std::to_string(message.settle_by_ms));
    }
    prepared.keys = {idem_key(message.idempotency_key), msg_key(prepared.id),
                     stream_for(prepared.id), watch_key()};
    prepared.args.reserve(rest.size() + 1);
    prepared.args.push_back(std::to_string(rest.size()));
    for (auto& value : rest) prepared.args.push_back(std::move(value));
    return prepared;
}

asio::awaitable<void> RedisSmsOutbox::enqueue(SmsMessage message) {
    co_await enqueue_id(std::move(message));
}

asio::awaitable<std::string> RedisSmsOutbox::enqueue_id(SmsMessage message) {
    static const redis::Script script(lua_library() + "return kayou_sms_enqueue(0, 0)\n");
    auto prepared = prepare_enqueue(message);
    auto reply = co_await redis_->eval(script, std::move(prepared.keys), std::move(prepared.args));
    if (!reply.is_string())
        throw redis::Error(redis::Error::Kind::protocol, "sms enqueue: " + reply.str);
    co_return reply.str;
}

SmsRecord RedisSmsOutbox::record_from_fields(const std::vector<std::string>& flat) const {
    SmsRecord record;
    std::string sealed_phone, sealed_params, kind;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
        const auto& name = flat[i];
        const auto& value = flat[i + 1];
        if (name == "id")
            record.id = value;
        else if (name == "idem")
            record.idempotency_key = value;
        else if (name == "template")
            record.template_name = value;
        else if (name == "phone")
            sealed_phone = value;
        else if (name == "params")
            sealed_params = value;
        else if (name == "phone_hash")
            record.phone_hash = value;
        else if (name == "phone_mask")
            record.phone_mask = value;
        else if (name == "kind")
            kind = value;
        else if (name == "state")
            record.state = value;
        else if (name == "attempts")
            record.attempts = std::atoi(value.c_str());
        else if (name == "provider")
            record.provider = value;
        else if (name == "serial")
            record.serial = value;
        else if (name == "reason")
            record.reason = value;
        else if (name == "created_ms")
            record.created_ms = std::atoll(value.c_str());
        else if (name == "updated_ms")
            record.updated_ms = std::atoll(value.c_str());
        else if (name == "settle_by_ms")
            record.settle_by_ms = std::atoll(value.c_str());
        else if (name == "next_provider")
            record.next_provider = value;
        else if (name == "refused")
            record.refused = value;
        else if (name == "attempt_ms")
            record.attempt_ms = std::atoll(value.c_str());
        else if (name == "checks")
            record.checks = std::atoi(value.c_str());
    }
    if (auto k = parse_kind(kind)) record.kind = *k;
    if (auto phone = box_.open(sealed_phone, phone_ad(record.id))) record.phone = *phone;
    if (auto params = box_.open(sealed_params, params_ad(record.id))) {
        auto parsed = nlohmann::json::parse(*params, nullptr, false);
        if (parsed.is_array())
            for (const auto& p : parsed)
                if (p.is_string()) record.params.push_back(p.get<std::string>());
    }
    return record;
}

asio::awaitable<std::optional<SmsRecord>> RedisSmsOutbox::find(std::string id) {
    std::vector<std::string> command{"HGETALL", msg_key(id)};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_array() || reply.elements.empty()) co_return std::nullopt;
    std::vector<std::string> flat;
    for (auto& element : reply.elements) flat.push_back(std::move(element.str));
    co_return record_from_fields(flat);
}

asio::awaitable<std::optional<SmsRecord>> RedisSmsOutbox::find_by_key(std::string key) {
    std::vector<std::string> command{"GET", idem_key(key)};
    auto reply = co_await redis_->exec(std::move(command));
    if (!reply.is_string()) co_return std::nullopt;
    co_return co_await find(reply.str);
}

asio::awaitable<std::optional<std::string>> RedisSmsOutbox::apply_receipt(std::string provider,
                                                                          std::string serial,
                                                                          std::string message_id,
                                                                          bool delivered,
                                                                          std::string reason) {
    std::string id;
    if (!serial.empty()) {
        std::vector<std::string> command{"GET", receipt_key(provider, serial)};
        auto reply = co_await redis_->exec(std::move(command));
        if (reply.is_string()) id = reply.str;
    }
    // Our own id comes back as Tencent `ext` / Aliyun `out_id`: it resolves a send whose answer
    // was lost (unknown outcome), which has no serial on record.
    if (id.empty()) id = message_id;
    if (id.empty()) co_return std::nullopt;
    std::vector<std::string> keys{msg_key(id), alerts_key()};
    // Built step by step (docs/coroutines.md).
    std::string state = delivered ? "delivered" : "failed";
    std::string why;
    if (!delivered) why = reason.empty() ? std::string("undelivered") : reason;
    std::vector<std::string> args{std::move(state), std::move(why), std::to_string(now_ms()),
                                  provider};
    auto reply = co_await redis_->eval(receipt_script(), std::move(keys), std::move(args));
    if (reply.is_error()) throw redis::Error(redis::Error::Kind::protocol, reply.str);
    if (!reply.is_string()) co_return std::nullopt;
    co_return reply.str;
}

asio::awaitable<void> RedisSmsOutbox::record_opt_out(std::string phone, std::string source) {
    std::vector<std::string> command{
        "HSET", optout_key(phone_hash(phone)), "at_ms", std::to_string(now_ms()), "source", source};
    auto reply = co_await redis_->exec(std::move(command));
    if (reply.is_error()) throw redis::Error(redis::Error::Kind::protocol, reply.str);
}

asio::awaitable<bool> RedisSmsOutbox::opted_out(std::string phone) {
    std::vector<std::string> command{"EXISTS", optout_key(phone_hash(phone))};
    auto reply = co_await redis_->exec(std::move(command));
    co_return reply.is_integer() && reply.integer == 1;
}

asio::awaitable<std::vector<SmsAlertEntry>> RedisSmsOutbox::alerts(std::int64_t limit) {
    std::vector<std::string> command{"XREVRANGE", alerts_key(), "+",
                                     "-",         "COUNT",      std::to_string(limit)};
    const auto reply = co_await redis_->exec(std::move(command));
    std::vector<SmsAlertEntry> alerts;
    const auto read = redis::stream_entries(reply);
    for (const auto& entry : read) {
        SmsAlertEntry alert;
        alert.at_ms = std::atoll(entry.id.c_str());  // "<ms>-<seq>"
        alert.message_id = entry.field("id");
        alert.idempotency_key = entry.field("idem");
        alert.template_name = entry.field("template");
        alert.reason = entry.field("reason");
        alert.provider = entry.field("provider");
        alerts.push_back(std::move(alert));
    }
    co_return alerts;
}

asio::awaitable<std::size_t> RedisSmsOutbox::migrate_untagged_keys() {
    // Versions without the tag never ran on a Redis Cluster (their scripts would get CROSSSLOT),
    // so a cluster has no such key; and a RENAMENX to the tagged name would cross slots anyway.
    if (redis_->cluster()) co_return 0;
    const std::string untagged = options_.prefix + "sms:";
    std::size_t moved = 0;
    std::string cursor = "0";
    do {
        std::vector<std::string> scan{"SCAN", cursor, "MATCH", untagged + "*", "COUNT", "1000"};
        const auto page = co_await redis_->exec(std::move(scan));
        if (!page.is_array() || page.elements.size() < 2) break;
        cursor = page.elements[0].str;
        for (const auto& element : page.elements[1].elements) {
            const std::string rest = element.str.substr(untagged.size());
            bool ours = false;
            for (const auto part : kUntaggedParts) ours = ours || rest.rfind(part, 0) == 0;
            if (!ours) continue;  // e.g. the development sink (bot/sms_webhooks.cpp)
            std::vector<std::string> rename{"RENAMENX", element.str, tagged_key(rest)};
            const auto renamed = co_await redis_->exec(std::move(rename));
            if (renamed.is_integer() && renamed.integer == 1) {
                ++moved;
                continue;
            }
            if (renamed.is_error()) continue;  // gone meanwhile, or a cluster: nothing to do
            co_await merge_untagged(element.str, tagged_key(rest));
            ++moved;
        }
    } while (cursor != "0");
    co_return moved;
}

// Both names exist: a process of this version enqueued before the rename. Stream entries and
// sorted-set members of the old key join the new one (a message id is in at most one of them:
// ids are random); any other key of the new name is the newer truth.
asio::awaitable<void> RedisSmsOutbox::merge_untagged(std::string from, std::string to) {
    std::vector<std::string> type_command{"TYPE", from};
    const auto type = co_await redis_->exec(std::move(type_command));
    std::vector<std::vector<std::string>> commands;
    if (type.str == "stream") {
        std::vector<std::string> range{"XRANGE", from, "-", "+"};
        const auto entries = co_await redis_->exec(std::move(range));
        for (const auto& entry : entries.elements) {
            if (entry.elements.size() < 2) continue;
            std::vector<std::string> add{"XADD", to, "*"};
            for (const auto& field : entry.elements[1].elements) add.push_back(field.str);
            commands.push_back(std::move(add));
        }
    } else if (type.str == "zset") {
        std::vector<std::string> range{"ZRANGE", from, "0", "-1", "WITHSCORES"};
        const auto members = co_await redis_->exec(std::move(range));
        for (std::size_t i = 0; i + 1 < members.elements.size(); i += 2)
            commands.push_back(
                {"ZADD", to, "NX", members.elements[i + 1].str, members.elements[i].str});
    }
    commands.push_back({"DEL", from});
    co_await redis_->pipeline(std::move(commands));
}

}  // namespace kayou::notify
