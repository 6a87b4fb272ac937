// Redis Sentinel, the I/O part: finds the primary by asking the sentinels and keeps every Client
// that connects through it on the current one (docs/DESIGN.md "Redis Sentinel").
//
//   auto sentinel = SentinelLocator::create(executor, options);
//   sentinel->start();                       // a connection per sentinel, +switch-master
//   subscribed redis::Config config; config.locator = sentinel;               // host/port ignored:
//   asked before every connect auto client = Client::create(executor, config); client->start();
//
// Asking: SENTINEL get-master-addr-by-name to each sentinel in turn, the one that answered last
// first; a sentinel that is down or does not know the master is skipped. Concurrent asks (several
// clients reconnecting at once) share one round.
// Following: each sentinel's +switch-master channel is subscribed on a connection of its own
// (redis::Client cannot SUBSCRIBE); a switch of our master, a client that reached a server whose
// ROLE is not master, or a READONLY reply makes every following client reconnect to the new
// primary at once. The primary and the number of switches are kept for /readyz and /metrics.
//
// Threading and lifetime as for Client: one executor, call everything from its thread, stop()
// before the io_context stops running.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redis/client.hpp"
#include "redis/sentinel.hpp"

namespace kayou::redis {

struct SentinelOptions {
    std::string master;           // the name the sentinels monitor (`sentinel monitor NAME ...`)
    std::vector<Endpoint> nodes;  // asked in this order
    std::string password;         // the sentinels' own requirepass; "" = none
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    // How long one ask waits for a sentinel that is not connected yet before trying the next.
    std::chrono::milliseconds skip_after{250};
    // Between two attempts to (re)subscribe to a sentinel.
    std::chrono::milliseconds resubscribe_delay{1000};
};

// What happened, for the log (the locator does not log itself).
struct SentinelEvent {
    enum class Kind {
        primary_found,     // the first primary learnt: to
        primary_switched,  // from -> to, learnt `via` a sentinel query or +switch-master
        no_primary,        // no sentinel could name the master
        sentinel_down,     // `sentinel` stopped answering (once per outage)
        sentinel_up,       // `sentinel` answers again
        not_primary,       // a client found `from` is not the primary (ROLE or READONLY)
    };
    Kind kind;
    Endpoint from;
    Endpoint to;
    Endpoint sentinel;
    std::string via;
    std::string detail;  // an error text, never data
};
const char* to_string(SentinelEvent::Kind kind);

class SentinelLocator : public PrimaryLocator,
                        public std::enable_shared_from_this<SentinelLocator> {
public:
    static std::shared_ptr<SentinelLocator> create(boost::asio::any_io_executor executor,
                                                   SentinelOptions options);
    ~SentinelLocator() override;
    SentinelLocator(const SentinelLocator&) = delete;
    SentinelLocator& operator=(const SentinelLocator&) = delete;

    void start();
    void stop();
    void set_observer(std::function<void(const SentinelEvent&)> observer);

    // The primary as last learnt (nullopt before the first answer) and how many times it changed.
    std::optional<Endpoint> primary() const;
    std::uint64_t failovers() const;
    const SentinelOptions& options() const;

    // Asks the sentinels now; the primary, or nullopt when none could say.
    [[nodiscard]] boost::asio::awaitable<std::optional<Endpoint>> ask();

    void locate(Located located) override;
    void follow(const std::shared_ptr<Client>& client) override;
    void not_primary(const Endpoint& endpoint) override;

    struct Impl;

private:
    SentinelLocator(boost::asio::any_io_executor executor, SentinelOptions options);
    std::shared_ptr<Impl> impl_;
};

}  // namespace kayou::redis
