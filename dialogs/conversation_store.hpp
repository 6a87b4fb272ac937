#pragma once
// Conversation state in Redis: the chat session (idle TTL), the join draft (days), and the
// per-conversation lease lock that makes one conversation's turns run one at a time across any
// number of kayou processes (chatbot-anchors §7 pain points 2 and 3).
//
// Identity model: a conversation is (channel, chat, sender). In a 1:1 chat its id is
// "<channel>:<sender>"; in a group "<channel>:g:<chat>:<sender>" (each member has his own group
// conversation, and no personal data ever flows there). The driver id is "<channel>:<sender>":
// an OA openid and a bridge wxid are different drivers unless a signed join link carries one
// identity into the other channel. The draft belongs to the driver, so it is keyed by the driver
// id and shares the 1:1 conversation's hash tag.
//
// Keys (prefix "kayou:"):
//   conv:{<conversation>}:lock     lease lock: random token, PX lease
//   conv:{<conversation>}:session  JSON {"flow","version","legal_choices","legal_misses",
//                                  "grievance_pending","sealed_question"}, where
//                                  "sealed_question" = SealedBox(last_question,
//                                  "session:<conversation>"); PX session_ttl (refreshed each turn)
//   conv:{<driver>}:draft          JSON {"step","failures","choices","return_to","sealed"}, where
//                                  "sealed" = SealedBox(JSON {slots, verified_mobile},
//                                  "draft:<driver>"); PX draft_ttl, refreshed each turn
//
// Locking: SET NX PX with a unique token (random per-store prefix + counter); waiters poll with a
// short jittered backoff up to lock_wait. Every state write is a Lua script that first checks the
// token is still the holder's (a fencing check), so a turn whose lease ran out can never overwrite
// a newer turn's state; the shell renews the lease before each effect it runs. Release is a Lua
// compare-and-delete.
//
// A turn's hot path is two round trips: lock_and_load() (SET NX + GET session + GET draft in one
// pipeline) and save_and_unlock() (the fenced write and the release in one Lua call).
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/sealed_box.hpp"
#include "dialogs/dialog.hpp"
#include "dialogs/join_engine.hpp"
#include "dialogs/message.hpp"

namespace kayou::redis {
class Client;
class Script;
struct Reply;
}  // namespace kayou::redis

namespace kayou::dialogs {

struct LockedState {
    std::string token;  // the lock token, for renew / save / unlock
    ConversationState state;
    // The integer answer to lock_and_load's count_query; nullopt when none was asked or the
    // answer was not an integer.
    std::optional<long long> count;
};

struct ConversationTiming {
    std::chrono::milliseconds session_ttl{30 * 60 * 1000};
    std::chrono::milliseconds draft_ttl{7 * 24 * 3600 * 1000LL};
    std::chrono::milliseconds lock_lease{15000};
    std::chrono::milliseconds lock_wait{20000};
};

std::string conversation_id(const Message& message);
std::string driver_id(const Message& message);

class ConversationStore {
public:
    ConversationStore(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                      std::string key_prefix = "kayou:", ConversationTiming timing = {});

    // A lock token, or nullopt when the lock could not be had within lock_wait.
    boost::asio::awaitable<std::optional<std::string>> lock(std::string conversation);
    // Pushes the lease out again; false when the token no longer holds the lock.
    boost::asio::awaitable<bool> renew(std::string conversation, std::string token);
    boost::asio::awaitable<void> unlock(std::string conversation, std::string token);

    // driver "": the session only (a group conversation, which never reads the draft).
    boost::asio::awaitable<ConversationState> load(std::string conversation, std::string driver);
    // Writes the session (version + 1) and the draft (or deletes it when `state.draft` is empty
    // and `delete_draft`) only while `token` holds the lock; false when it does not. driver "":
    // the session only (the script then names no key outside the conversation's hash tag).
    boost::asio::awaitable<bool> save(std::string conversation, std::string driver,
                                      std::string token, ConversationState state,
                                      bool delete_draft);

    // lock() then load(), one round trip per attempt: the lock and the state read under it, or
    // nullopt when the lock could not be had within lock_wait (nothing was read). When it throws
    // (Redis timeout or disconnect) the lock may have been taken; it then lasts for its lease.
    // count_query: an optional read command answering an integer (e.g. LLEN of another
    // service's list), sent in the same pipeline so that looking costs no extra round trip.
    // claim: a delivery's dedupe claim, sent first in the first attempt's pipeline only; its
    // answer goes to claim->state. When the claim is theirs the wait for the lock stops, a lock
    // taken in that same pipeline is released, and the result is nullopt.
    boost::asio::awaitable<std::optional<LockedState>> lock_and_load(
        std::string conversation, std::string driver, std::vector<std::string> count_query = {},
        DedupeClaim* claim = nullptr);
    // save() then unlock() in one atomic step. True: written and released. False: the token no
    // longer holds the lock; nothing was written and the lock (someone else's) is left alone.
    // On an exception the outcome is unknown: call unlock() (a no-op if already released).
    boost::asio::awaitable<bool> save_and_unlock(std::string conversation, std::string driver,
                                                 std::string token, ConversationState state,
                                                 bool delete_draft);

    std::string session_key(const std::string& conversation) const;
    std::string draft_key(const std::string& driver) const;
    std::string lock_key(const std::string& conversation) const;

    const ConversationTiming& timing() const { return timing_; }

    // Serialization, exposed for unit tests.
    std::string encode_draft(const DraftState& draft, const std::string& driver) const;
    std::optional<DraftState> decode_draft(const std::string& stored,
                                           const std::string& driver) const;
    // The session as saved after this turn (version + 1); last_question sealed.
    std::string encode_session(const SessionState& session, const std::string& conversation) const;
    SessionState decode_session(const std::string& stored, const std::string& conversation) const;

private:
    // Retries `attempt` (one SET NX try; a reply that says whether it got the lock) with short
    // jittered waits until it succeeds or lock_wait has passed.
    template <class Attempt>
    boost::asio::awaitable<bool> acquire(Attempt attempt);
    ConversationState decode_state(const redis::Reply& session, const redis::Reply& draft,
                                   const std::string& conversation,
                                   const std::string& driver) const;
    boost::asio::awaitable<bool> write(const redis::Script& script, std::string conversation,
                                       std::string driver, std::string token,
                                       ConversationState state, bool delete_draft);

    std::string new_token();

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    std::string prefix_;
    ConversationTiming timing_;
    std::string token_prefix_;
    std::atomic<std::uint64_t> token_counter_{0};
};

}  // namespace kayou::dialogs
