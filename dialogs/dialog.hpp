#pragma once
// A dialog answers one normalized message. It may read and write session state in Redis, so a
// turn is a coroutine; deduplication of platform retries happens before it is called.
#include <boost/asio/awaitable.hpp>

#include "dialogs/message.hpp"

namespace kayou::dialogs {

class Dialog {
public:
    virtual ~Dialog() = default;
    virtual boost::asio::awaitable<Reply> handle(const Message& message) = 0;
};

}  // namespace kayou::dialogs
