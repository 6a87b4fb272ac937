#pragma once
// Runs a dialog turn at most once per platform message. WeChat re-sends a message it got no
// answer for within 5 s (up to 3 more times); each retry must get the first turn's reply, not a
// second turn (chatbot-anchors §7, pain point 1).
//
// The first delivery claims the message's dedupe key (SET NX); later ones find the claim and
// wait for the stored reply. A dialog whose claims_inline() says so sends the claim itself, in
// its first Redis pipeline (1:1 turns: with the conversation lock), saving a round trip.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "dialogs/dialog.hpp"

namespace kayou::redis {
class Client;
}

namespace kayou::crypto {
class SealedBox;
}

namespace kayou::ops {
class Metrics;
class Counter;
}  // namespace kayou::ops

namespace kayou::bot {

struct TurnOutcome {
    dialogs::Reply reply;
    bool duplicate = false;  // answered from the stored reply of an earlier delivery
};

class TurnRunner {
public:
    // `box`: replies are stored sealed under it (they echo what he typed: his name at the join
    // form's summary, his story); without one they are stored as they are (tests).
    TurnRunner(std::shared_ptr<redis::Client> redis, dialogs::Dialog& dialog,
               std::string key_prefix, std::chrono::seconds ttl, ops::Metrics& metrics,
               const crypto::SealedBox* box = nullptr);

    // Throws redis::Error when Redis cannot be reached: the webhook then answers 503 and the
    // platform retries later, which is safe because nothing was recorded.
    boost::asio::awaitable<TurnOutcome> run(const dialogs::Message& message);

    // How long a retry waits for a first delivery that is still running before it gives up
    // and acknowledges without a reply.
    void set_pending_wait(std::chrono::milliseconds wait) { pending_wait_ = wait; }

    static std::string encode_reply(const dialogs::Reply& reply);
    static dialogs::Reply decode_reply(std::string_view stored);

private:
    // What is stored under `key` for a reply, sealed when there is a box, and back.
    std::string stored_reply(const dialogs::Reply& reply, const std::string& key) const;
    dialogs::Reply reply_stored(std::string_view stored, const std::string& key) const;

    std::shared_ptr<redis::Client> redis_;
    dialogs::Dialog& dialog_;
    std::string key_prefix_;
    std::chrono::seconds ttl_;
    std::chrono::milliseconds pending_wait_{4000};
    ops::Counter& turns_;
    ops::Counter& duplicates_;
    const crypto::SealedBox* box_ = nullptr;
};

}  // namespace kayou::bot
