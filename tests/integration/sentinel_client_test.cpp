// Sentinel support against real redis-server processes (redis/sentinel_locator.hpp, the locator
// hooks of redis/client.hpp): sentinels asked in order with a dead one skipped, a server whose
// ROLE is not master refused, a demoted primary left for the new one on READONLY. The whole
// failover with kayou processes is tests/integration/sentinel_failover_test.cpp.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "redis/client.hpp"
#include "redis/sentinel_locator.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Runs `work` on `io` in this thread; fails the test after `deadline`.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> work, std::chrono::milliseconds deadline = 10s) {
    auto future = asio::co_spawn(io, std::move(work), asio::use_future);
    io.restart();
    const auto until = Clock::now() + deadline;
    while (future.wait_for(0ms) != std::future_status::ready && Clock::now() < until)
        io.run_for(5ms);
    if (future.wait_for(0ms) != std::future_status::ready)
        throw std::runtime_error("did not finish in time");
    return future.get();
}

// Runs `io` until `done` holds or `deadline` passes.
template <class Predicate>
bool run_until(asio::io_context& io, std::chrono::milliseconds deadline, Predicate done) {
    const auto until = Clock::now() + deadline;
    io.restart();
    while (!done() && Clock::now() < until) io.run_for(10ms);
    return done();
}

// A locator that names whatever the test says.
class FixedLocator : public redis::PrimaryLocator {
public:
    explicit FixedLocator(asio::io_context& io) : io_(io) {}
    void locate(Located located) override {
        asio::post(io_, [located = std::move(located), primary = primary] { located(primary); });
    }
    void follow(const std::shared_ptr<redis::Client>& client) override {
        followers.push_back(client);
    }
    void not_primary(const redis::Endpoint&) override { ++not_primary_reports; }

    std::optional<redis::Endpoint> primary;
    std::vector<std::weak_ptr<redis::Client>> followers;
    int not_primary_reports = 0;

private:
    asio::io_context& io_;
};

redis::Endpoint endpoint_of(const RedisServer& server) {
    return redis::Endpoint{"127.0.0.1", server.port()};
}

// Diskless sync without its default 5 s delay: a replica is in sync at once.
std::vector<std::string> fast_sync() { return {"--repl-diskless-sync-delay", "0"}; }

std::vector<std::string> replica_of(const RedisServer& primary) {
    auto args = fast_sync();
    for (std::string arg :
         {std::string("--replicaof"), std::string("127.0.0.1"), std::to_string(primary.port())})
        args.push_back(arg);
    return args;
}

TEST(SentinelClient, AsksTheSentinelsInOrderSkippingOneThatIsDown) {
    RedisServer primary;
    RedisServer sentinel({.sentinel_config = "sentinel monitor kayou 127.0.0.1 " +
                                             std::to_string(primary.port()) + " 1\n"});
    asio::io_context io;
    redis::SentinelOptions options;
    options.master = "kayou";
    // Nothing listens on the first: it is skipped after skip_after.
    options.nodes = {redis::Endpoint{"127.0.0.1", RedisServer::free_port()}, endpoint_of(sentinel)};
    options.skip_after = 100ms;
    auto locator = redis::SentinelLocator::create(io.get_executor(), options);
    std::vector<redis::SentinelEvent> events;
    locator->set_observer([&](const redis::SentinelEvent& event) { events.push_back(event); });
    locator->start();
    const auto found = run(io, locator->ask());
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, endpoint_of(primary));
    EXPECT_EQ(locator->primary(), endpoint_of(primary));
    EXPECT_EQ(locator->failovers(), 0u);
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[0].kind, redis::SentinelEvent::Kind::sentinel_down);
    EXPECT_EQ(events[0].sentinel, options.nodes[0]);
    EXPECT_EQ(events.back().kind, redis::SentinelEvent::Kind::primary_found);

    // A master the sentinels do not monitor: no primary, said once per ask.
    options.master = "unknown";
    auto stranger = redis::SentinelLocator::create(io.get_executor(), options);
    stranger->start();
    EXPECT_FALSE(run(io, stranger->ask()));
    stranger->stop();
    locator->stop();
    run_until(io, 200ms, [] { return false; });
}

TEST(SentinelClient, AClientRefusesAServerThatIsNotThePrimary) {
    RedisServer primary({.extra_args = fast_sync()});
    RedisServer replica({.extra_args = replica_of(primary)});
    asio::io_context io;
    auto locator = std::make_shared<FixedLocator>(io);
    locator->primary = endpoint_of(replica);  // a sentinel's stale answer
    redis::Config config;
    config.locator = locator;
    config.connect_timeout = 500ms;
    config.reconnect_max = 200ms;
    auto client = redis::Client::create(io.get_executor(), config);
    client->start();
    EXPECT_FALSE(run_until(io, 1000ms, [&] { return client->connected(); }));
    EXPECT_NE(client->last_error().find("ROLE is replica"), std::string::npos)
        << client->last_error();
    EXPECT_GT(locator->not_primary_reports, 0);
    EXPECT_EQ(locator->followers.size(), 1u);

    locator->primary = endpoint_of(primary);
    client->reconnect();
    ASSERT_TRUE(run_until(io, 3000ms, [&] { return client->connected(); }));
    EXPECT_EQ(client->config().port, primary.port());
    client->stop();
}

TEST(SentinelClient, ADemotedPrimaryIsLeftForTheNewOne) {
    RedisServer first({.extra_args = fast_sync()});
    RedisServer second({.extra_args = fast_sync()});
    asio::io_context io;
    auto locator = std::make_shared<FixedLocator>(io);
    locator->primary = endpoint_of(first);
    redis::Config config;
    config.locator = locator;
    config.reconnect_max = 200ms;
    auto client = redis::Client::create(io.get_executor(), config);
    client->start();
    ASSERT_TRUE(run(io, client->wait_connected(3s)));
    auto set = [&](std::string value) -> asio::awaitable<bool> {
        try {
            auto reply = co_await client->exec("SET", "kayou:sentinel:test", value);
            co_return reply.is_status("OK");
        } catch (const redis::Error&) {
            co_return false;  // disconnected / not connected while switching
        }
    };
    ASSERT_TRUE(run(io, set("before")));

    // The switch as the sentinels make it: the old primary replicates the new one.
    ASSERT_NE(first.command("REPLICAOF 127.0.0.1 " + std::to_string(second.port())).find("+OK"),
              std::string::npos);
    locator->primary = endpoint_of(second);
    // Writes fail (READONLY, or a dropped connection) until the client is on the new primary.
    bool written = false;
    const auto until = Clock::now() + 5s;
    while (!written && Clock::now() < until) {
        written = run(io, set("after"));
        if (!written) run_until(io, 20ms, [] { return false; });
    }
    ASSERT_TRUE(written);
    EXPECT_EQ(client->config().port, second.port());
    EXPECT_NE(second.command("GET kayou:sentinel:test").find("after"), std::string::npos);
    client->stop();
}

TEST(SentinelClient, WaitForReplicasCountsTheReplicasThatAcknowledged) {
    RedisServer primary({.extra_args = fast_sync()});
    RedisServer replica({.extra_args = replica_of(primary)});
    const auto until = Clock::now() + 10s;
    while (primary.command("INFO replication").find("state=online") == std::string::npos &&
           Clock::now() < until)
        std::this_thread::sleep_for(20ms);
    asio::io_context io;
    redis::Config config;
    config.port = primary.port();
    config.wait_replicas = 1;
    // Generous: a replica that has just come online may still be loading what it was sent.
    config.wait_timeout = 3000ms;
    config.command_timeout = 5000ms;
    auto client = redis::Client::create(io.get_executor(), config);
    client->start();
    ASSERT_TRUE(run(io, client->wait_connected(3s)));
    EXPECT_TRUE(client->waits_for_replicas());
    run(io, [&]() -> asio::awaitable<void> {
        co_await client->exec("SET", "kayou:wait:test", "1");
        co_await client->wait_for_replicas();  // one replica: acknowledged
    }());
    EXPECT_EQ(client->stats().replica_waits, 1u);

    // Two wanted, one there: the shortfall is an error after wait_timeout.
    config.wait_replicas = 2;
    config.wait_timeout = 300ms;
    auto wanting = redis::Client::create(io.get_executor(), config);
    wanting->start();
    ASSERT_TRUE(run(io, wanting->wait_connected(3s)));
    const auto started = Clock::now();
    EXPECT_THROW(run(io,
                     [&]() -> asio::awaitable<void> {
                         co_await wanting->exec("SET", "kayou:wait:test", "2");
                         co_await wanting->wait_for_replicas();
                     }()),
                 redis::Error);
    EXPECT_GE(Clock::now() - started, 300ms);
    EXPECT_EQ(wanting->stats().replica_waits_short, 1u);

    // Off (no sentinel): no WAIT is sent at all.
    config.wait_replicas = 0;
    auto plain = redis::Client::create(io.get_executor(), config);
    plain->start();
    ASSERT_TRUE(run(io, plain->wait_connected(3s)));
    EXPECT_FALSE(plain->waits_for_replicas());
    run(io, plain->wait_for_replicas());
    EXPECT_EQ(plain->stats().commands, 0u);
    client->stop();
    wanting->stop();
    plain->stop();
}

}  // namespace
}  // namespace kayou::test
