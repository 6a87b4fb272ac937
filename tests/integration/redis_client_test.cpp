// kayou::redis::Client against real redis-servers (tests/support/redis_server.hpp). Every test runs
// its coroutine under io_context::run_for and fails if it did not finish: nothing may hang.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "redis/client.hpp"
#include "tests/support/redis_server.hpp"

// g++ 12 warns about Asio's own awaitable frame allocator here (a known false positive).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using kayou::redis::Client;
using kayou::redis::Config;
using kayou::redis::Error;
using kayou::redis::Reply;
using kayou::redis::Script;
using kayou::test::RedisServer;

// ASSERT_* cannot be used in a coroutine (it `return`s); this one ends the test coroutine.
#define CO_ASSERT_TRUE(cond)                             \
    do {                                                 \
        if (!(cond)) {                                   \
            ADD_FAILURE() << "assertion failed: " #cond; \
            co_return;                                   \
        }                                                \
    } while (0)

// Runs `body` as a coroutine on a fresh io_context with a hard deadline.
void run(const std::function<asio::awaitable<void>(asio::io_context&)>& body,
         std::chrono::steady_clock::duration deadline = 20s) {
    asio::io_context ioc;
    bool done = false;
    std::exception_ptr error;
    asio::co_spawn(ioc, body(ioc), [&](std::exception_ptr e) {
        done = true;
        error = e;
    });
    ioc.run_for(deadline);
    ASSERT_TRUE(done) << "the test coroutine did not finish before its deadline (a hang)";
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            FAIL() << "test coroutine threw: " << e.what();
        }
    }
}

Config config_for(const RedisServer& server) {
    Config config;
    config.host = server.host();
    config.port = server.port();
    config.command_timeout = 5s;
    config.reconnect_min = 10ms;
    config.reconnect_max = 200ms;
    return config;
}

// A started client that is connected; stops it when the test coroutine ends.
struct Connected {
    std::shared_ptr<Client> client;
    ~Connected() {
        if (client) {
            client->stop();
        }
    }
};

asio::awaitable<std::shared_ptr<Client>> connect(asio::io_context& ioc, Config config) {
    auto client = Client::create(ioc.get_executor(), std::move(config));
    client->start();
    if (!co_await client->wait_connected(5s)) {
        throw std::runtime_error("client did not connect: " + client->last_error());
    }
    co_return client;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

// Yields until `condition` holds or `limit` passes (checks every 5 ms); returns the condition.
asio::awaitable<bool> eventually(const std::function<bool()>& condition,
                                 std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > end) {
            co_return false;
        }
        co_await sleep_for(5ms);
    }
    co_return true;
}

std::string test_key(const std::string& name) { return "kayou:test:redis_client:" + name; }

TEST(RedisClient, SetGetRoundTrip) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto client = co_await connect(ioc, config_for(server));
        Connected c{client};
        const std::string key = test_key("setget");
        Reply set = co_await c.client->exec("SET", key, "hello");
        EXPECT_TRUE(set.is_status("OK"));
        Reply get = co_await c.client->exec("GET", key);
        EXPECT_EQ(get.type, Reply::Type::string);
        EXPECT_EQ(get.str, "hello");
        Reply missing = co_await c.client->exec("GET", test_key("no-such-key"));
        EXPECT_TRUE(missing.is_nil());
        EXPECT_TRUE(missing.ok());
        Reply wrong = co_await c.client->exec("LPUSH", key, "x");  // WRONGTYPE: a reply
        EXPECT_TRUE(wrong.is_error());
        EXPECT_EQ(wrong.str.rfind("WRONGTYPE", 0), 0u) << wrong.str;
        Reply incr = co_await c.client->exec("INCRBY", test_key("counter"), "-7");
        EXPECT_TRUE(incr.is_integer());
        co_await c.client->exec("DEL", key, test_key("counter"));
        EXPECT_GE(c.client->stats().commands, 6u);
        EXPECT_EQ(c.client->stats().error_replies, 1u);
        EXPECT_EQ(c.client->stats().errors, 0u);
    });
}

// Outside the coroutine: a char-array literal with NULs (docs/coroutines.md).
std::string binary_key() { return std::string("bin\0key", 7); }
std::string binary_value() { return std::string("a\0b\r\n\xff\x00z", 8) + std::string(1000, '\0'); }

TEST(RedisClient, BinarySafeArguments) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key(binary_key());
        const std::string value = binary_value();
        EXPECT_TRUE((co_await c.client->exec("SET", key, value)).is_status("OK"));
        Reply get = co_await c.client->exec("GET", key);
        EXPECT_EQ(get.str.size(), value.size());
        EXPECT_EQ(get.str, value);
        Reply len = co_await c.client->exec("STRLEN", key);
        EXPECT_EQ(len.integer, static_cast<long long>(value.size()));
        co_await c.client->exec("DEL", key);
    });
}

// The client writes the RESP itself (not hiredis' formatter): many arguments, empty ones, a
// large one (past the reused format buffer's keep limit), and a small command right after it.
TEST(RedisClient, ManyEmptyAndLargeArgumentsAreSentIntact) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key("many_args");
        std::vector<std::string> push{"RPUSH", key};
        // if, not ?: (docs/coroutines.md)
        std::vector<std::string> expected;
        for (int i = 0; i < 40; ++i) {
            std::string arg;
            if (i % 3 != 0) arg = std::to_string(i);
            expected.push_back(arg);
            push.push_back(arg);
        }
        push.push_back(std::string(200 * 1024, 'x'));
        Reply pushed = co_await c.client->exec(std::move(push));
        EXPECT_EQ(pushed.integer, 41);
        std::vector<std::string> range{"LRANGE", key, "0", "-1"};
        Reply items = co_await c.client->exec(std::move(range));
        EXPECT_EQ(items.elements.size(), 41u);
        if (items.elements.size() == 41u) {
            for (std::size_t i = 0; i < expected.size(); ++i)
                EXPECT_EQ(items.elements[i].str, expected[i]);
            EXPECT_EQ(items.elements[40].str, std::string(200 * 1024, 'x'));
        }
        const std::string small = key + ":small";
        Reply set = co_await c.client->exec("SET", small, "v");
        EXPECT_TRUE(set.is_status("OK"));
        Reply get = co_await c.client->exec("GET", small);
        EXPECT_EQ(get.str, "v");
        co_await c.client->exec("DEL", key, small);
    });
}

// Regression: a reply larger than hiredis' 16 KiB read chunk must be read completely (an
// edge-triggered loop that reads once per wakeup hangs here).
TEST(RedisClient, ReplyLargerThanReadChunk) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key("large");
        std::string value(1 << 20, 'x');
        for (std::size_t i = 0; i < value.size(); i += 4093) {
            value[i] = static_cast<char>('a' + i % 26);
        }
        EXPECT_TRUE((co_await c.client->exec("SET", key, value)).is_status("OK"));
        Reply get = co_await c.client->exec("GET", key);
        EXPECT_EQ(get.str.size(), value.size());
        EXPECT_TRUE(get.str == value);
        co_await c.client->exec("DEL", key);
    });
}

TEST(RedisClient, ArrayReplyWithTenThousandElements) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key("list");
        co_await c.client->exec("DEL", key);
        std::vector<std::string> rpush = {"RPUSH", key};  // one command with 10,002 arguments
        for (int i = 0; i < 10000; ++i) {
            rpush.push_back("element-" + std::to_string(i));
        }
        Reply pushed = co_await c.client->exec(rpush);
        EXPECT_EQ(pushed.integer, 10000);
        Reply range = co_await c.client->exec("LRANGE", key, "0", "-1");
        CO_ASSERT_TRUE(range.is_array());
        CO_ASSERT_TRUE(range.elements.size() == 10000u);
        for (int i = 0; i < 10000; ++i) {
            if (range.elements[i].str != "element-" + std::to_string(i)) {
                ADD_FAILURE() << "element " << i << " is " << range.elements[i].str;
                break;
            }
        }
        co_await c.client->exec("DEL", key);
    });
}

TEST(RedisClient, TenThousandCommandsInFlight) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        constexpr int n = 10000;
        int completed = 0;
        int wrong = 0;
        int max_in_flight = 0;
        int in_flight = 0;
        auto one = [&](int i) -> asio::awaitable<void> {
            const std::string key = test_key("inflight:" + std::to_string(i));
            ++in_flight;
            max_in_flight = std::max(max_in_flight, in_flight);
            Reply set = co_await c.client->exec("SET", key, std::to_string(i * 7));
            --in_flight;
            Reply get = co_await c.client->exec("GET", key);
            if (!set.is_status("OK") || get.str != std::to_string(i * 7)) {
                ++wrong;
            }
            co_await c.client->exec("DEL", key);
            ++completed;
        };
        for (int i = 0; i < n; ++i) {
            asio::co_spawn(ioc, one(i), asio::detached);
        }
        EXPECT_TRUE(co_await eventually([&] { return completed == n; }, 15s));
        EXPECT_EQ(completed, n);
        EXPECT_EQ(wrong, 0);
        EXPECT_EQ(max_in_flight, n);  // all SETs were issued before the first reply came back
        EXPECT_EQ(c.client->stats().errors, 0u);
    });
}

TEST(RedisClient, RefusedCommandsFailWithoutDisturbingTheConnection) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto client = co_await connect(ioc, config_for(server));
        Connected c{client};
        int refused = 0;
        for (const char* name : {"SUBSCRIBE", "psubscribe", "MONITOR"}) {
            try {
                co_await c.client->exec(name, "x");
            } catch (const Error& e) {
                refused += e.kind() == Error::Kind::protocol;
            }
        }
        EXPECT_EQ(refused, 3);
        bool empty_refused = false;
        try {
            co_await c.client->exec(std::vector<std::string>{});
        } catch (const Error& e) {
            empty_refused = e.kind() == Error::Kind::protocol;
        }
        EXPECT_TRUE(empty_refused);
        EXPECT_TRUE((co_await c.client->exec("PING")).is_status("PONG"));
        EXPECT_EQ(c.client->stats().errors, 4u);
    });
}

TEST(RedisClient, PipelineRepliesInOrder) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key("pipeline");
        std::vector<std::vector<std::string>> batch = {
            {"SET", key, "1"}, {"INCR", key},           {"INCRBY", key, "40"},
            {"GET", key},      {"HSET", key, "f", "v"},  // WRONGTYPE error reply in the middle
            {"DEL", key},
        };
        std::vector<Reply> replies = co_await c.client->pipeline(std::move(batch));
        CO_ASSERT_TRUE(replies.size() == 6u);
        EXPECT_TRUE(replies[0].is_status("OK"));
        EXPECT_EQ(replies[1].integer, 2);
        EXPECT_EQ(replies[2].integer, 42);
        EXPECT_EQ(replies[3].str, "42");
        EXPECT_TRUE(replies[4].is_error());
        EXPECT_EQ(replies[5].integer, 1);
        EXPECT_TRUE((co_await c.client->pipeline(std::vector<std::vector<std::string>>())).empty());
        EXPECT_EQ(c.client->stats().commands, 6u);
    });
}

TEST(RedisClient, MultiExecThroughPipeline) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const std::string key = test_key("multi");
        const std::string outbox = test_key("multi:outbox");
        std::vector<std::vector<std::string>> transaction = {
            {"MULTI"},
            {"SET", key, "approved"},
            {"RPUSH", outbox, "sms:1"},
            {"EXEC"},
        };
        std::vector<Reply> replies = co_await c.client->pipeline(std::move(transaction));
        CO_ASSERT_TRUE(replies.size() == 4u);
        EXPECT_TRUE(replies[0].is_status("OK"));
        EXPECT_TRUE(replies[1].is_status("QUEUED"));
        EXPECT_TRUE(replies[2].is_status("QUEUED"));
        CO_ASSERT_TRUE(replies[3].is_array());
        CO_ASSERT_TRUE(replies[3].elements.size() == 2u);
        EXPECT_TRUE(replies[3].elements[0].is_status("OK"));
        EXPECT_EQ(replies[3].elements[1].integer, 1);
        co_await c.client->exec("DEL", key, outbox);
    });
}

TEST(RedisClient, ScriptFallsBackToEvalAfterScriptFlush) {
    RedisServer server;  // SCRIPT FLUSH must not disturb anyone else
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        Reply loaded = co_await c.client->exec("SCRIPT", "LOAD", script.source());
        EXPECT_EQ(loaded.str, script.sha1());  // our SHA1 names the script like Redis does

        co_await c.client->exec("SCRIPT", "FLUSH");
        std::vector<std::string> keys{"k"}, five{"5"}, ten{"10"}, none;
        Reply first = co_await c.client->eval(script, keys, five);  // NOSCRIPT -> EVAL
        EXPECT_EQ(first.integer, 5);
        EXPECT_EQ(c.client->stats().error_replies, 1u);  // the NOSCRIPT reply
        Reply exists = co_await c.client->exec("SCRIPT", "EXISTS", script.sha1());
        CO_ASSERT_TRUE(exists.elements.size() == 1u);
        EXPECT_EQ(exists.elements[0].integer, 1);
        Reply second = co_await c.client->eval(script, keys, ten);  // EVALSHA hit
        EXPECT_EQ(second.integer, 15);
        EXPECT_EQ(c.client->stats().error_replies, 1u);

        const Script failing("return redis.error_reply('NOPE no')");
        Reply error = co_await c.client->eval(failing, none, none);
        EXPECT_TRUE(error.is_error());
        EXPECT_EQ(error.str, "NOPE no");
    });
}

TEST(RedisClient, CommandTimeoutThenRecovers) {
    RedisServer server;  // DEBUG SLEEP stalls the whole server
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config fast = config_for(server);
        fast.command_timeout = 100ms;
        auto a_client = co_await connect(ioc, fast);
        Connected a{a_client};
        auto b_client = co_await connect(ioc, config_for(server));
        Connected b{b_client};

        bool slept = false;
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                co_await b.client->exec("DEBUG", "SLEEP", "0.5");
                slept = true;
            },
            asio::detached);
        co_await sleep_for(20ms);  // let the DEBUG SLEEP reach the server first

        const auto started = std::chrono::steady_clock::now();
        bool timed_out = false;
        try {
            co_await a.client->exec("GET", test_key("timeout"));
        } catch (const Error& e) {
            timed_out = e.kind() == Error::Kind::timeout;
        }
        const auto waited = std::chrono::steady_clock::now() - started;
        EXPECT_TRUE(timed_out);
        EXPECT_GE(waited, 90ms);
        EXPECT_LT(waited, 400ms);
        EXPECT_EQ(a.client->stats().timeouts, 1u);
        EXPECT_EQ(a.client->stats().errors, 1u);

        // Nothing came back for a whole command_timeout: the connection counts as stalled and is
        // re-established; once Redis wakes up the client works again.
        CO_ASSERT_TRUE(co_await eventually([&] { return slept; }, 3s));
        CO_ASSERT_TRUE(co_await a.client->wait_connected(3s));
        Reply pong = co_await a.client->exec("PING");
        EXPECT_TRUE(pong.is_status("PONG"));
        EXPECT_GE(a.client->stats().reconnects, 1u);
    });
}

// A late reply to a timed-out command must be dropped, not handed to the next caller, and a
// connection that keeps answering is not torn down for one slow command.
TEST(RedisClient, LateReplyAfterTimeoutIsDiscarded) {
    RedisServer server;
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config = config_for(server);
        config.command_timeout = 300ms;
        auto c_client = co_await connect(ioc, config);
        Connected c{c_client};
        const std::string key = test_key("late");
        co_await c.client->exec("SET", key, "value");

        // E: answered at ~200 ms, i.e. while X below is waiting, so the connection is alive.
        bool first_ok = false;
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                Reply r = co_await c.client->exec("DEBUG", "SLEEP", "0.2");
                first_ok = r.is_status("OK");
            },
            asio::detached);
        co_await sleep_for(50ms);  // E is being executed by now; X arrives in a later read
        const auto sent = std::chrono::steady_clock::now();
        bool timed_out = false;
        try {
            co_await c.client->exec("DEBUG", "SLEEP", "0.3");  // X: answered at ~500 ms
        } catch (const Error& e) {
            timed_out = e.kind() == Error::Kind::timeout;
        }
        EXPECT_TRUE(timed_out);
        EXPECT_LT(std::chrono::steady_clock::now() - sent, 450ms);
        EXPECT_TRUE(first_ok);
        // The next command on the same connection gets its own reply, not X's late "+OK".
        Reply get = co_await c.client->exec("GET", key);
        EXPECT_EQ(get.type, Reply::Type::string);
        EXPECT_EQ(get.str, "value");
        Reply pong = co_await c.client->exec("PING");
        EXPECT_TRUE(pong.is_status("PONG"));
        EXPECT_EQ(c.client->stats().connects, 1u);
        EXPECT_EQ(c.client->stats().timeouts, 1u);
    });
}

TEST(RedisClient, ServerDownAtStartThenComesUp) {
    RedisServer server({.start = false});
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config = config_for(server);
        config.reconnect_max = 50ms;
        auto client = Client::create(ioc.get_executor(), config);
        Connected c{client};
        client->start();
        EXPECT_FALSE(client->connected());

        const auto started = std::chrono::steady_clock::now();
        bool refused = false;
        try {
            co_await client->exec("PING");
        } catch (const Error& e) {
            refused =
                e.kind() == Error::Kind::not_connected || e.kind() == Error::Kind::disconnected;
        }
        EXPECT_TRUE(refused);
        EXPECT_LT(std::chrono::steady_clock::now() - started, 50ms);
        EXPECT_FALSE(co_await client->wait_connected(200ms));
        EXPECT_FALSE(client->last_error().empty());

        server.start();  // blocks this thread briefly: fine in a test
        CO_ASSERT_TRUE(co_await client->wait_connected(5s));
        Reply pong = co_await client->exec("PING");
        EXPECT_TRUE(pong.is_status("PONG"));
        EXPECT_EQ(client->stats().connects, 1u);
        EXPECT_EQ(client->stats().reconnects, 0u);
    });
}

TEST(RedisClient, RedisKilledAndRestartedMidTraffic) {
    RedisServer server;
    run(
        [&](asio::io_context& ioc) -> asio::awaitable<void> {
            Config config = config_for(server);
            config.command_timeout = 1s;
            auto c_client = co_await connect(ioc, config);
            Connected c{c_client};
            const std::string key = test_key("restart");

            bool stop_traffic = false;
            int issued = 0, ok = 0, failed = 0, loops_done = 0;
            constexpr int loops = 50;  // 50 callers, each a tight loop of INCRs
            auto loop = [&]() -> asio::awaitable<void> {
                while (!stop_traffic) {
                    ++issued;
                    bool error = false;
                    try {
                        Reply r = co_await c.client->exec("INCR", key);
                        r.is_integer() ? ++ok : ++failed;
                    } catch (const Error&) {
                        ++failed;
                        error = true;
                    }
                    if (error) {
                        co_await sleep_for(2ms);  // a failing caller retries, not spins
                    }
                }
                ++loops_done;
            };
            for (int i = 0; i < loops; ++i) {
                asio::co_spawn(ioc, loop(), asio::detached);
            }
            CO_ASSERT_TRUE(co_await eventually([&] { return ok >= 2000; }, 5s));

            server.kill9();  // in-flight commands are lost with the connection
            CO_ASSERT_TRUE(co_await eventually([&] { return !c.client->connected(); }, 3s));
            const int failed_at_kill = failed;
            CO_ASSERT_TRUE(co_await eventually([&] { return failed >= failed_at_kill + 100; }, 3s));
            bool refused = false;
            try {
                co_await c.client->exec("PING");
            } catch (const Error& e) {
                refused = e.kind() == Error::Kind::not_connected;
            }
            EXPECT_TRUE(refused);

            server.start();  // same port: the client finds it by itself
            CO_ASSERT_TRUE(co_await c.client->wait_connected(5s));
            const int ok_after_restart = ok;
            EXPECT_TRUE(co_await eventually([&] { return ok >= ok_after_restart + 2000; }, 5s));
            EXPECT_GE(c.client->stats().reconnects, 1u);

            stop_traffic = true;
            EXPECT_TRUE(co_await eventually([&] { return loops_done == loops; }, 5s));
            EXPECT_EQ(issued, ok + failed);  // every command completed one way or the other
            EXPECT_GT(failed, 0);
        },
        30s);
}

TEST(RedisClient, StopFailsPendingCommands) {
    RedisServer server;
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto blocker_client = co_await connect(ioc, config_for(server));
        Connected blocker{blocker_client};
        auto c_client = co_await connect(ioc, config_for(server));
        Connected c{c_client};
        asio::co_spawn(ioc, blocker.client->exec("DEBUG", "SLEEP", "0.3"), asio::detached);
        co_await sleep_for(20ms);

        int disconnected = 0, other = 0;
        for (int i = 0; i < 100; ++i) {
            asio::co_spawn(
                ioc,
                [&]() -> asio::awaitable<void> {
                    try {
                        co_await c.client->exec("PING");
                        ++other;
                    } catch (const Error& e) {
                        e.kind() == Error::Kind::disconnected ? ++disconnected : ++other;
                    }
                },
                asio::detached);
        }
        co_await asio::post(ioc, asio::use_awaitable);
        c.client->stop();
        EXPECT_FALSE(c.client->connected());
        CO_ASSERT_TRUE(co_await eventually([&] { return disconnected + other == 100; }, 2s));
        EXPECT_EQ(disconnected, 100);
        EXPECT_EQ(c.client->stats().errors, 100u);

        // stop() is final until start(): no reconnect happens behind our back...
        co_await sleep_for(50ms);
        EXPECT_FALSE(c.client->connected());
        // ...and start() brings it back.
        c.client->start();
        CO_ASSERT_TRUE(co_await c.client->wait_connected(5s));
        EXPECT_TRUE((co_await c.client->exec("PING")).is_status("PONG"));
    });
}

// Every event counted in Stats::errors reaches the observer once, with its reason and the number
// of commands (issue 17: kayou logs each counted error).
TEST(RedisClient, EveryCountedErrorIsReportedOnceWithItsReason) {
    RedisServer server;
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        struct Seen {
            Error::Kind kind;
            std::string reason;
            std::uint64_t commands;
        };
        std::vector<Seen> seen;
        auto observe = [&](Error::Kind kind, std::string_view reason, std::uint64_t commands) {
            seen.push_back({kind, std::string(reason), commands});
        };
        // Not started: refused at once.
        auto idle = Client::create(ioc.get_executor(), config_for(server));
        idle->set_error_observer(observe);
        bool refused = false;
        try {
            co_await idle->exec("PING");
        } catch (const Error& e) {
            refused = e.kind() == Error::Kind::not_connected;
        }
        EXPECT_TRUE(refused);
        CO_ASSERT_TRUE(seen.size() == 1);
        EXPECT_EQ(seen[0].kind, Error::Kind::not_connected);
        EXPECT_FALSE(seen[0].reason.empty());
        EXPECT_EQ(seen[0].commands, 1u);

        // A refused command on a live connection, then a pipeline dropped by stop().
        auto client = co_await connect(ioc, config_for(server));
        Connected c{client};
        c.client->set_error_observer(observe);
        try {
            co_await c.client->exec("MONITOR");
        } catch (const Error&) {
        }
        CO_ASSERT_TRUE(seen.size() == 2);
        EXPECT_EQ(seen[1].kind, Error::Kind::protocol);
        EXPECT_NE(seen[1].reason.find("MONITOR"), std::string::npos) << seen[1].reason;
        std::vector<std::vector<std::string>> slow{{"DEBUG", "SLEEP", "0.3"}, {"PING"}, {"PING"}};
        asio::co_spawn(ioc, c.client->pipeline(std::move(slow)), asio::detached);
        co_await sleep_for(20ms);
        c.client->stop();
        CO_ASSERT_TRUE(co_await eventually([&] { return seen.size() == 3; }, 2s));
        EXPECT_EQ(seen[2].kind, Error::Kind::disconnected);
        EXPECT_EQ(seen[2].commands, 3u);
        std::uint64_t reported = 0;
        for (const auto& s : seen) reported += s.commands;
        EXPECT_EQ(reported, idle->stats().errors + c.client->stats().errors);
    });
}

TEST(RedisClient, DestroyingTheClientFailsPendingCommands) {
    RedisServer server;
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        auto blocker_client = co_await connect(ioc, config_for(server));
        Connected blocker{blocker_client};
        auto client = co_await connect(ioc, config_for(server));
        asio::co_spawn(ioc, blocker.client->exec("DEBUG", "SLEEP", "0.3"), asio::detached);
        co_await sleep_for(20ms);
        int disconnected = 0;
        Client* raw = client.get();  // callers that do not own the client
        for (int i = 0; i < 10; ++i) {
            asio::co_spawn(
                ioc,
                [&, raw]() -> asio::awaitable<void> {
                    try {
                        co_await raw->exec("PING");
                    } catch (const Error& e) {
                        disconnected += e.kind() == Error::Kind::disconnected;
                    }
                },
                asio::detached);
        }
        co_await asio::post(ioc, asio::use_awaitable);
        client.reset();
        CO_ASSERT_TRUE(co_await eventually([&] { return disconnected == 10; }, 2s));
    });
}

TEST(RedisClient, AuthAndSelectOnEveryConnect) {
    RedisServer server({.extra_args = {"--requirepass", "s3cret"}});
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config = config_for(server);
        config.password = "s3cret";
        config.database = 3;
        auto c_client = co_await connect(ioc, config);
        Connected c{c_client};
        co_await c.client->exec("SET", "in-db-3", "yes");
        Reply db = co_await c.client->exec("CLIENT", "INFO");
        EXPECT_NE(db.str.find(" db=3 "), std::string::npos) << db.str;

        server.kill9();
        server.start();
        CO_ASSERT_TRUE(co_await eventually([&] { return !c.client->connected(); }, 3s));
        CO_ASSERT_TRUE(co_await c.client->wait_connected(5s));
        Reply again = co_await c.client->exec("CLIENT", "INFO");  // AUTH + SELECT again
        EXPECT_NE(again.str.find(" db=3 "), std::string::npos) << again.str;

        Config wrong = config_for(server);
        wrong.password = "nope";
        auto bad = Client::create(ioc.get_executor(), wrong);
        Connected guard{bad};
        bad->start();
        EXPECT_FALSE(co_await bad->wait_connected(300ms));
        EXPECT_NE(bad->last_error().find("WRONGPASS"), std::string::npos) << bad->last_error();
    });
}

TEST(RedisClient, ResolvesHostnames) {
    auto& server = RedisServer::shared();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config = config_for(server);
        config.host = "localhost";  // may resolve to ::1 first; redis only listens on 127.0.0.1
        auto c_client = co_await connect(ioc, config);
        Connected c{c_client};
        EXPECT_TRUE((co_await c.client->exec("PING")).is_status("PONG"));
    });
}

// A peer that accepts TCP but never answers (the kernel completes the handshake for a listening
// socket that nobody accept()s): AUTH gets no reply, the attempt hits connect_timeout, and the
// client keeps retrying without ever reporting connected.
TEST(RedisClient, ConnectTimeoutOnSilentPeer) {
    boost::asio::io_context listener_context;
    asio::ip::tcp::acceptor silent(listener_context,
                                   asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = silent.local_endpoint().port();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config;
        config.port = port;
        config.password = "x";  // forces a handshake that is never answered
        config.connect_timeout = 100ms;
        config.reconnect_min = 10ms;
        config.reconnect_max = 20ms;
        auto client = Client::create(ioc.get_executor(), config);
        Connected c{client};
        client->start();
        EXPECT_FALSE(co_await client->wait_connected(400ms));
        EXPECT_NE(client->last_error().find("timeout"), std::string::npos) << client->last_error();
        EXPECT_EQ(client->stats().connects, 0u);
    });
}

// Without a handshake the silent peer looks connected; the first command times out with nothing
// received at all, so the connection is declared stalled and replaced.
TEST(RedisClient, StalledConnectionIsReplaced) {
    boost::asio::io_context listener_context;
    asio::ip::tcp::acceptor silent(listener_context,
                                   asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = silent.local_endpoint().port();
    run([&](asio::io_context& ioc) -> asio::awaitable<void> {
        Config config;
        config.port = port;
        config.command_timeout = 100ms;
        config.reconnect_min = 10ms;
        config.reconnect_max = 20ms;
        auto client = co_await connect(ioc, config);
        Connected c{client};
        bool timed_out = false;
        try {
            co_await client->exec("PING");
        } catch (const Error& e) {
            timed_out = e.kind() == Error::Kind::timeout;
        }
        EXPECT_TRUE(timed_out);
        CO_ASSERT_TRUE(co_await eventually([&] { return client->stats().reconnects >= 1; }, 2s));
    });
}

// Not a correctness test: prints SET+GET throughput with 1000 callers in flight. Run with
//   redis_client_test --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
TEST(RedisClient, DISABLED_Throughput) {
    RedisServer server;
    run(
        [&](asio::io_context& ioc) -> asio::awaitable<void> {
            auto c_client = co_await connect(ioc, config_for(server));
            Connected c{c_client};
            constexpr int callers = 1000;
            const auto duration = 3s;
            bool stop = false;
            long long commands = 0;
            int finished = 0;
            auto caller = [&](int id) -> asio::awaitable<void> {
                const std::string key = test_key("tp:" + std::to_string(id));
                while (!stop) {
                    co_await c.client->exec("SET", key, "some value of moderate size");
                    co_await c.client->exec("GET", key);
                    commands += 2;
                }
                ++finished;
            };
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < callers; ++i) {
                asio::co_spawn(ioc, caller(i), asio::detached);
            }
            co_await sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(duration));
            stop = true;
            const auto elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
            co_await eventually([&] { return finished == callers; }, 5s);
            std::cout << "redis throughput: " << commands << " commands in " << elapsed.count()
                      << " s = " << static_cast<long long>(commands / elapsed.count())
                      << " commands/s (" << callers << " callers, SET+GET)\n";
            EXPECT_EQ(c.client->stats().errors, 0u);
        },
        30s);
}

}  // namespace
