#pragma once
// The durable SMS outbox in Redis (Streams + a consumer group). Key layout and state machine are
// described in docs/sms.md; in short, with prefix P = "kayou:":
//
//   P sms:idem:<idempotency key>   string -> message id (SET NX: the same key enqueues once)
//   P sms:msg:<id>                 hash: state, attempts, template, kind, sealed phone and params,
//                                  phone_hash, phone_mask, provider, serial, reason, times
//   P sms:stream                   stream of {id}: notifications and reminders; group "senders"
//   P sms:stream:code              stream of {id}: verification codes (ids start with 'c'), a
//                                  lane of their own so that codes never delay an approval
//   P sms:delayed                  zset id -> due ms (retries, rate-limit windows)
//   P sms:unknown                  zset id -> ms of the next status query of an unknown outcome
//   P sms:watch                    zset id -> enqueue ms: notifications not sent within
//                                  SenderOptions::alert_after raise an alert
//   P sms:receipt:<provider>:<serial>  string -> id (receipts join on the provider's serial)
//   P sms:optout:<phone_hash>      hash: the driver replied TD/退订/R
//   P sms:rl:<phone_hash>:...      per-phone rate-limit counters
//   P sms:alerts                   stream of permanent failures for the reviewer's console
//
// States: queued -> sending -> sent -> delivered | failed; sending -> retry -> sending ...;
// sending -> unknown -> sent | delivered | failed (status query, receipt or give-up), and
// unknown -> retry only when the provider confirmed it never took the request; queued ->
// suppressed (opt-out).
// A state never moves to a lower rank (receipts arriving twice or out of order are harmless).
//
// Enqueuing atomically with another change (e.g. approving an application): see
// prepare_enqueue() and enqueue_lua_function() below.
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
// "138****5678": what logs and admin lists show.
std::string mask_phone(std::string_view phone);

// Rank of a delivery state; a transition must increase it (docs/sms.md).
int sms_state_rank(std::string_view state);

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

// What another module passes to its own Lua script to enqueue in the same atomic step.
struct PreparedEnqueue {
    std::string id;                 // the new message id (the script returns the existing one
                                    // instead when the idempotency key was already used)
    std::vector<std::string> keys;  // exactly kEnqueueKeyCount keys
    std::vector<std::string> args;  // args[0] is the count of the rest
};
inline constexpr std::size_t kEnqueueKeyCount = 4;

class RedisSmsOutbox : public SmsOutbox {
public:
    RedisSmsOutbox(std::shared_ptr<redis::Client> redis, crypto::SealedBox box,
                   OutboxOptions options = {});
    ~RedisSmsOutbox() override;

    boost::asio::awaitable<void> enqueue(SmsMessage message) override;
    // The same, returning the message id (the earlier one when the key was already used).
    boost::asio::awaitable<std::string> enqueue_id(SmsMessage message);

    // ---- Enqueue inside your own atomic step ----
    // 1. auto prepared = outbox.prepare_enqueue(message);   (seals the phone; no I/O)
    // 2. Your script text = enqueue_lua_function() + your Lua, which calls
    //        local sms_id = kayou_sms_enqueue(key_offset, arg_offset)
    //    where KEYS[key_offset+1 .. key_offset+kEnqueueKeyCount] are prepared.keys and
    //    ARGV[arg_offset+1 ..] are prepared.args (append them after your own KEYS/ARGV). It returns
    //    the message id.
    // 3. Run it with redis::Client::eval. Either both your update and the SMS happen, or neither.
    // The stream entry is what wakes the senders, so nothing else needs to be called.
    PreparedEnqueue prepare_enqueue(const SmsMessage& message) const;
    static const std::string& enqueue_lua_function();

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

    // Key names (docs/sms.md).
    std::string stream_key() const { return options_.prefix + "sms:stream"; }
    std::string code_stream_key() const { return options_.prefix + "sms:stream:code"; }
    // The stream a message id belongs to.
    std::string stream_for(std::string_view id) const {
        return is_code_message(id) ? code_stream_key() : stream_key();
    }
    std::string msg_key(std::string_view id) const;
    std::string idem_key(std::string_view idempotency_key) const;
    std::string delayed_key() const { return options_.prefix + "sms:delayed"; }
    std::string unknown_key() const { return options_.prefix + "sms:unknown"; }
    std::string alerts_key() const { return options_.prefix + "sms:alerts"; }
    std::string watch_key() const { return options_.prefix + "sms:watch"; }
    std::string receipt_key(std::string_view provider, std::string_view serial) const;
    std::string optout_key(std::string_view phone_hash) const;
    std::string rate_key(std::string_view phone_hash, std::string_view what) const;

    SmsRecord record_from_fields(const std::vector<std::string>& flat) const;

private:
    std::shared_ptr<redis::Client> redis_;
    crypto::SealedBox box_;
    OutboxOptions options_;
};

}  // namespace kayou::notify
