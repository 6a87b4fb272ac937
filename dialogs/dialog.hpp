#pragma once
// A dialog answers one normalized message. It may read and write session state in Redis, so a
// turn is a coroutine; deduplication of platform retries happens before it is called.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dialogs/message.hpp"

namespace kayou::dialogs {

// The dedupe claim of a platform delivery (a Redis SET NX of the message's dedupe key), for a
// dialog that sends it in its own first pipeline instead of in a round trip of its own.
struct DedupeClaim {
    std::vector<std::string> command;
    enum class State { unknown, ours, theirs } state = State::unknown;
};

class Dialog {
public:
    virtual ~Dialog() = default;
    virtual boost::asio::awaitable<Reply> handle(const Message& message) = 0;

    // True when handle_claiming() can carry the claim for this message.
    virtual bool claims_inline(const Message&) const { return false; }
    // handle(), with `claim.command` sent before anything is read or changed. nullopt when the
    // claim belongs to another delivery (nothing was changed). claim.state says what Redis
    // answered, also when this throws: only a claim that is ours may be released.
    virtual boost::asio::awaitable<std::optional<Reply>> handle_claiming(const Message&,
                                                                         DedupeClaim&) {
        throw std::logic_error("handle_claiming without claims_inline");
    }
};

}  // namespace kayou::dialogs
