#pragma once
// The durable SMS outbox in Redis (Streams + a consumer group). Key layout and state machine are
// described in docs/sms.md; in short, with prefix P = "kayou:", every key of the outbox under the
// one hash tag {sms}, so that every outbox script runs on one Redis Cluster slot (docs/DESIGN.md
// "Keys and hash tags"):
//
//   P{sms}:idem:<idempotency key>   string -> message id (SET NX: the same key enqueues once)
//   P{sms}:msg:<id>                 hash: state, attempts, template, kind, sealed phone and
//                                   params, phone_hash, phone_mask, provider, serial, reason, times
//   P{sms}:stream                   stream of {id}: notifications and reminders; group "senders"
//   P{sms}:stream:code              stream of {id}: verification codes (ids start with 'c'), a
//                                   lane of their own so that codes never delay an approval
//   P{sms}:delayed                  zset id -> due ms (retries, rate-limit windows)
//   P{sms}:unknown                  zset id -> ms of the next status query of an unknown outcome
//   P{sms}:watch                    zset id -> enqueue ms: notifications not sent within
//                                   SenderOptions::alert_after raise an alert
//   P{sms}:receipt:<provider>:<serial>  string -> id (receipts join on the provider's serial)
//   P{sms}:optout:<phone_hash>      hash: the driver replied TD/退订/R
//   P{sms}:rl:<phone_hash>:...      per-phone rate-limit counters
//   P{sms}:alerts                   stream of permanent failures for the reviewer's console
//
// Versions before the tag wrote the same names without it (P sms:...): migrate_untagged_keys()
// renames them once at start (bot/app.cpp), on the single Redis those versions ran on.
//
// States: queued -> sending -> sent -> delivered | failed; sending -> retry -> sending ...;
// sending -> unknown -> sent | delivered | failed (status query, receipt or give-up), and
// unknown -> retry only when the provider confirmed it never took the request; queued ->
// suppressed (opt-out).
// A state never moves to a lower rank (receipts arriving twice or out of order are harmless):
// sms_state_rank() and its Lua twin in lua_library() are built from one table.
//
// The one way to enqueue is enqueue()/enqueue_id(). Scripts of the outbox itself (and only
// they: another module's keys are in another slot) compose lua_library()'s kayou_sms_enqueue.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sealed_box.hpp"
#include "notify/sms_outbox.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::notify {

inline constexpr const char* kSenderGroup = "senders";

std::string_view to_string(SmsMessage::Kind kind);
std::optional<SmsMessage::Kind> parse_kind(std::string_view text);

// Rank of a delivery state; a transition must increase it (docs/sms.md). -1: not a state.
int sms_state_rank(std::string_view state);

// A permanent failure or a late notification, as the outbox's alerts stream keeps it (newest
// first from RedisSmsOutbox::alerts()).
struct SmsAlertEntry {
    std::string message_id;
    std::string idempotency_key;  // what the enqueuer named it by, e.g. "approval:<application>"
    std::string template_name;
    std::string reason;
    std::string provider;
    std::int64_t at_ms = 0;
};

struct SmsRecord {
    std::string id;
    std::string idempotency_key;
    std::string template_name;
    std::vector<std::string> params;  // opened
    SmsMessage::Kind kind = SmsMessage::Kind::notification;
    std::string phone;  // opened; never log it
    std::string phone_hash;
    std::string phone_mask;
    std::string state;
    int attempts = 0;
    std::string provider;
    std::string serial;
    std::string reason;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    std::int64_t settle_by_ms = 0;  // as enqueued; 0 = none
    std::string next_provider;      // the provider of the next attempt ("" = the primary)
    std::string refused;            // providers that answered with a permanent error, ','-joined
    std::int64_t attempt_ms = 0;    // when the latest attempt was claimed
    int checks = 0;                 // status queries made for the current unknown outcome
};

struct OutboxOptions {
    std::string prefix = "kayou:";
    // How long message records and idempotency keys live: a second enqueue with the same key
    // within this time is a no-op.
    std::chrono::seconds retention{std::chrono::hours(24 * 30)};
    // The same for verification codes: a code is worth nothing after its 5 minutes, so its
    // message goes soon after (at most a day; docs/sms.md).
    std::chrono::seconds verification_retention{std::chrono::hours(1)};
};

// Verification-code messages have ids starting with 'c' and live in their own stream.
inline bool is_code_message(std::string_view id) { return !id.empty() && id.front() == 'c'; }

// What an outbox script passes to kayou_sms_enqueue (lua_library()).
struct PreparedEnqueue {
    std::string id;                 // the new message id (the script returns the existing one
                                    // instead when the idempotency key was already used)
    std::vector<std::string> keys;  // exactly kEnqueueKeyCount keys, all under {sms}
    std::vector<std::string> args;  // args[0] is the count of the rest
};
inline constexpr std::size_t kEnqueueKeyCount = 4;

class RedisSmsOutbox : public SmsOutbox {
public:
    RedisSmsOutbox(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                   OutboxOptions options = {});
    ~RedisSmsOutbox() override;

    // Durable and idempotent: the same idempotency key enqueues once, however often it is
    // called (a step that may run again after a crash calls it again; docs/DESIGN.md).
    boost::asio::awaitable<void> enqueue(SmsMessage message) override;
    // The same, returning the message id (the earlier one when the key was already used).
    boost::asio::awaitable<std::string> enqueue_id(SmsMessage message);

    // ---- For the outbox's own scripts (notify/) ----
    // Lua functions a script of the outbox composes (prepend the text to the script):
    //   kayou_sms_rank(state)                   the rank of sms_state_rank()
    //   kayou_sms_enqueue(key_offset, arg_offset)  KEYS[ko+1 .. ko+kEnqueueKeyCount] and
    //                                           ARGV[ao+1 ..] are a prepare_enqueue(); returns the
    //                                           message id
    //   kayou_sms_alert(msg_key, alerts_key, id, reason, provider [, state])  one alert entry
    PreparedEnqueue prepare_enqueue(const SmsMessage& message) const;
    static const std::string& lua_library();

    // Alerts (permanent failures, late notifications), newest first.
    boost::asio::awaitable<std::vector<SmsAlertEntry>> alerts(std::int64_t limit);

    // Renames keys of the layout before the {sms} tag (P sms:...) to their tagged names; a
    // stream or sorted set that exists under both names is merged. Idempotent; returns how many
    // keys moved. Run at start, before any sender reads; on a Redis Cluster (redis.cluster) it
    // returns 0 without a SCAN: untagged versions never ran on one, so there is nothing to
    // migrate.
    boost::asio::awaitable<std::size_t> migrate_untagged_keys();

    boost::asio::awaitable<std::optional<SmsRecord>> find(std::string id);
    boost::asio::awaitable<std::optional<SmsRecord>> find_by_key(std::string idempotency_key);

    // A delivery receipt. Looks the message up by provider serial, else by our message id (sent
    // back as Tencent ext / Aliyun out_id). Returns the state after applying (nullopt: no such
    // message). Never moves a state backwards; a failure raises an alert.
    boost::asio::awaitable<std::optional<std::string>> apply_receipt(std::string provider,
                                                                     std::string serial,
                                                                     std::string message_id,
                                                                     bool delivered,
                                                                     std::string reason);

    // Driver replied TD/退订/R: reminders and marketing stop; notifications about his own
    // application still go out.
    boost::asio::awaitable<void> record_opt_out(std::string phone, std::string source);
    boost::asio::awaitable<bool> opted_out(std::string phone);

    std::string phone_hash(std::string_view phone) const;
    const crypto::SealedBox& box() const { return box_; }
    const OutboxOptions& options() const { return options_; }
    const std::shared_ptr<redis::Client>& redis() const { return redis_; }

    // Key names (docs/sms.md), all under the {sms} tag.
    std::string stream_key() const { return tagged_key("stream"); }
    std::string code_stream_key() const { return tagged_key("stream:code"); }
    // The stream a message id belongs to.
    std::string stream_for(std::string_view id) const {
        return is_code_message(id) ? code_stream_key() : stream_key();
    }
    std::string msg_key(std::string_view id) const;
    std::string idem_key(std::string_view idempotency_key) const;
    std::string delayed_key() const { return tagged_key("delayed"); }
    std::string unknown_key() const { return tagged_key("unknown"); }
    std::string alerts_key() const { return tagged_key("alerts"); }
    std::string watch_key() const { return tagged_key("watch"); }
    std::string receipt_key(std::string_view provider, std::string_view serial) const;
    std::string optout_key(std::string_view phone_hash) const;
    std::string rate_key(std::string_view phone_hash, std::string_view what) const;

    SmsRecord record_from_fields(const std::vector<std::string>& flat) const;

private:
    std::string tagged_key(std::string_view rest) const {
        return options_.prefix + "{sms}:" + std::string(rest);
    }
    boost::asio::awaitable<void> merge_untagged(std::string from, std::string to);

    std::shared_ptr<redis::Client> redis_;
    crypto::SealedBox box_;
    OutboxOptions options_;
};

}  // namespace kayou::notify
