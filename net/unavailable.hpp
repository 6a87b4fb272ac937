#pragma once
// "Not now, try again shortly": a condition that is not a bug and not the client's fault — a
// conversation busy with another delivery, a lease lost to another process, a store that is
// restarting. The HTTP layer answers it with 503 and Retry-After (bot/http_errors.hpp), so
// platforms and browsers retry instead of treating it as a failure of ours. Lives in net/
// because every library (dialogs, members, faq, notify, bot) may throw it.
#include <chrono>
#include <stdexcept>
#include <string>

namespace kayou::net {

class Unavailable : public std::runtime_error {
public:
    // `reason` goes into the 503 body: a short phrase, never personal data.
    explicit Unavailable(const std::string& reason,
                         std::chrono::seconds retry_after = std::chrono::seconds(1))
        : std::runtime_error(reason), retry_after_(retry_after) {}
    std::chrono::seconds retry_after() const { return retry_after_; }

private:
    std::chrono::seconds retry_after_;
};

}  // namespace kayou::net
