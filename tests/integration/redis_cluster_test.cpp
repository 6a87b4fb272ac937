// redis::Client's cluster mode (Config::cluster_nodes, redis/cluster_router.hpp) against a Redis
// Cluster of three primaries on loopback (tests/support/redis_server.hpp): keys spread over the
// nodes, a slot moved under the client's feet (-MOVED), a slot in migration (-ASK), a script whose
// keys span two slots (-CROSSSLOT). Every test runs under io_context::run_for: nothing may hang.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "redis/client.hpp"
#include "redis/cluster_slots.hpp"
#include "redis/script.hpp"
#include "tests/support/redis_run.hpp"
#include "tests/support/redis_server.hpp"

// g++ 12 warns about Asio's own awaitable frame allocator here (a known false positive).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// One cluster for the suite: forming it costs about a second.
class RedisClusterTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        RedisServer::Options options;
        options.primaries = 3;
        cluster_ = new RedisServer(options);
    }
    static void TearDownTestSuite() {
        delete cluster_;
        cluster_ = nullptr;
    }

    // Runs `body` with a connected cluster client on a fresh io_context, under a deadline.
    static void run(
        const std::function<asio::awaitable<void>(std::shared_ptr<redis::Client>)>& body) {
        asio::io_context ioc;
        auto client = redis::Client::create(ioc.get_executor(), cluster_->client_config());
        client->start();
        bool done = false;
        std::exception_ptr error;
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                const bool up = co_await client->wait_connected(5s);
                EXPECT_TRUE(up) << client->last_error();
                if (up) co_await body(client);
            },
            [&](std::exception_ptr e) {
                done = true;
                error = e;
                client->stop();
            });
        ioc.run_for(20s);
        ASSERT_TRUE(done) << "the test coroutine did not finish before its deadline (a hang)";
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                FAIL() << "threw: " << e.what();
            }
        }
    }

    // The port of the node that serves `key` now (the one that does not redirect a GET).
    static std::uint16_t owner_of(const std::string& key) {
        for (const auto port : cluster_->cluster_ports()) {
            const auto reply = RedisServer::command_at(port, "GET " + key);
            if (reply.rfind("-MOVED", 0) != 0 && reply.rfind("-ASK", 0) != 0) return port;
        }
        return 0;
    }

    static std::uint16_t other_than(std::uint16_t port) {
        for (const auto other : cluster_->cluster_ports())
            if (other != port) return other;
        return 0;
    }

    static std::string node_id(std::uint16_t port) {
        const auto reply = RedisServer::command_at(port, "CLUSTER MYID");  // "$40\r\n<id>\r\n"
        const auto start = reply.find("\r\n") + 2;
        return reply.substr(start, reply.find("\r\n", start) - start);
    }

    // Starts moving `key`'s slot from `from` to `to` the way redis-cli --cluster reshard does
    // (IMPORTING, MIGRATING) and migrates the key itself; the slot stays MIGRATING on `from`.
    static void migrate_key(const std::string& key, std::uint16_t from, std::uint16_t to) {
        const auto slot = std::to_string(redis::key_hash_slot(key));
        RedisServer::command_at(to, "CLUSTER SETSLOT " + slot + " IMPORTING " + node_id(from));
        RedisServer::command_at(from, "CLUSTER SETSLOT " + slot + " MIGRATING " + node_id(to));
        EXPECT_EQ(RedisServer::command_at(
                      from, "MIGRATE 127.0.0.1 " + std::to_string(to) + " " + key + " 0 5000"),
                  "+OK\r\n");
    }

    // Ends a migrate_key(): every node learns that `to` owns the slot now.
    static void finish_migration(const std::string& key, std::uint16_t to) {
        const auto slot = std::to_string(redis::key_hash_slot(key));
        for (const auto port : cluster_->cluster_ports())
            RedisServer::command_at(port, "CLUSTER SETSLOT " + slot + " NODE " + node_id(to));
        EXPECT_EQ(owner_of(key), to);
    }

    static RedisServer* cluster_;
};

RedisServer* RedisClusterTest::cluster_ = nullptr;

TEST_F(RedisClusterTest, FormsThreePrimariesThatShareTheSlots) {
    const auto ports = cluster_->cluster_ports();
    ASSERT_EQ(ports.size(), 3u);
    for (const auto port : ports) {
        EXPECT_NE(RedisServer::command_at(port, "CLUSTER INFO").find("cluster_state:ok"),
                  std::string::npos);
        EXPECT_NE(RedisServer::command_at(port, "CLUSTER INFO").find("cluster_size:3"),
                  std::string::npos);
    }
}

TEST_F(RedisClusterTest, KeysOfDifferentSlotsLandOnDifferentNodesAndReadBack) {
    run([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        EXPECT_TRUE(client->cluster());
        const std::string prefix = unique_name("spread:") + ":";
        std::set<std::uint16_t> owners;
        for (int i = 0; i < 30; ++i) {
            const std::string key = prefix + std::to_string(i);
            const auto set = co_await client->exec("SET", key, "v" + std::to_string(i));
            EXPECT_TRUE(set.is_status("OK")) << set.str;
            owners.insert(owner_of(key));
        }
        EXPECT_EQ(owners.size(), 3u);  // 30 keys: every node serves some
        for (int i = 0; i < 30; ++i) {
            const auto got = co_await client->exec("GET", prefix + std::to_string(i));
            EXPECT_EQ(got.str, "v" + std::to_string(i));
        }
        // Each key is on its node only: the nodes' own KEYS add up to the 30.
        const auto keys = co_await keys_on_every_primary(client, prefix + "*");
        EXPECT_EQ(keys.size(), 30u);
        EXPECT_EQ(client->primaries().size(), 3u);

        // A MULTI under one hash tag, and a script, run on the tag's node.
        std::vector<std::vector<std::string>> transaction;
        transaction.push_back({"MULTI"});
        transaction.push_back({"SET", prefix + "{t}:a", "1"});
        transaction.push_back({"INCR", prefix + "{t}:a"});
        transaction.push_back({"EXEC"});
        const auto replies = co_await client->pipeline(std::move(transaction));
        EXPECT_EQ(replies.back().elements.size(), 2u);
        const redis::Script script("return redis.call('GET', KEYS[1])");
        std::vector<std::string> script_keys;
        script_keys.push_back(prefix + "{t}:a");
        const auto value = co_await client->eval(script, std::move(script_keys), {});
        EXPECT_EQ(value.str, "2");
        // A command without a key goes to any node.
        EXPECT_TRUE((co_await client->exec("PING")).is_status("PONG"));

        // A batch over keys of every node (not a MULTI): split by node, replies in order.
        std::vector<std::vector<std::string>> reads;
        for (int i = 29; i >= 0; --i) {
            reads.push_back({"GET", prefix + std::to_string(i)});
            if (i == 15) reads.push_back({"PING"});
        }
        const auto read = co_await client->pipeline(std::move(reads));
        EXPECT_EQ(read.size(), 31u);
        for (std::size_t i = 0; i < read.size(); ++i) {
            std::string expected = "v" + std::to_string(29 - static_cast<int>(i));
            if (i == 15) expected = "PONG";
            if (i > 15) expected = "v" + std::to_string(30 - static_cast<int>(i));
            EXPECT_EQ(read[i].str, expected) << i;
        }
    });
}

// The client's table says the old node; the slot moved: -MOVED, followed, and the table updated.
TEST_F(RedisClusterTest, FollowsMovedAfterTheSlotMoved) {
    run([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string key = unique_name("moved:");
        EXPECT_TRUE((co_await client->exec("SET", key, "before")).is_status("OK"));
        const auto from = owner_of(key);
        const auto to = other_than(from);
        migrate_key(key, from, to);
        finish_migration(key, to);

        const auto redirects_before = client->stats().error_replies;
        const auto got = co_await client->exec("GET", key);
        EXPECT_EQ(got.str, "before");
        EXPECT_EQ(client->stats().error_replies, redirects_before + 1);  // the one -MOVED
        // The table knows now: no second redirection.
        EXPECT_TRUE((co_await client->exec("SET", key, "after")).is_status("OK"));
        EXPECT_EQ(client->stats().error_replies, redirects_before + 1);
        EXPECT_EQ(RedisServer::command_at(to, "GET " + key), "$5\r\nafter\r\n");
    });
}

// During a migration the old node answers -ASK for keys it already gave away: the client asks
// the new node with ASKING, and keeps its table.
TEST_F(RedisClusterTest, FollowsAskDuringASlotMigration) {
    run([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const std::string tag = "{" + unique_name("ask:") + "}";
        const std::string key = tag + ":moved";
        EXPECT_TRUE((co_await client->exec("SET", key, "value")).is_status("OK"));
        const auto from = owner_of(key);
        const auto to = other_than(from);
        migrate_key(key, from, to);
        EXPECT_EQ(RedisServer::command_at(from, "GET " + key).rfind("-ASK ", 0), 0u);

        const auto got = co_await client->exec("GET", key);
        EXPECT_EQ(got.str, "value");
        // A transaction on the migrated key: one ASKING in front of MULTI.
        std::vector<std::vector<std::string>> transaction;
        transaction.push_back({"MULTI"});
        transaction.push_back({"APPEND", key, "+"});
        transaction.push_back({"GET", key});
        transaction.push_back({"EXEC"});
        const auto replies = co_await client->pipeline(std::move(transaction));
        EXPECT_EQ(replies.size(), 4u);
        const auto& results = replies.back();
        EXPECT_EQ(results.elements.size(), 2u);
        if (results.elements.size() == 2) EXPECT_EQ(results.elements[1].str, "value+");
        // No table change: the old node still answers -ASK, and the client still follows it.
        EXPECT_EQ((co_await client->exec("GET", key)).str, "value+");

        // Finish the migration so that the other tests see a stable cluster.
        finish_migration(key, to);
    });
}

TEST_F(RedisClusterTest, ScriptWhoseKeysSpanTwoSlotsGetsCrossslot) {
    run([](std::shared_ptr<redis::Client> client) -> asio::awaitable<void> {
        const redis::Script script("return redis.call('MSET', KEYS[1], 1, KEYS[2], 2)");
        std::vector<std::string> keys;
        keys.push_back("{a}:one");
        keys.push_back("{b}:two");
        EXPECT_NE(redis::key_hash_slot(keys[0]), redis::key_hash_slot(keys[1]));
        const auto reply = co_await client->eval(script, std::move(keys), {});
        EXPECT_TRUE(reply.is_error());
        EXPECT_EQ(reply.str.rfind("CROSSSLOT", 0), 0u) << reply.str;
        // The connection is fine afterwards.
        EXPECT_TRUE((co_await client->exec("PING")).is_status("PONG"));
    });
}

TEST(RedisClusterClient, WithoutAReachableSeedCommandsFailAtOnce) {
    asio::io_context ioc;
    redis::Config config;
    config.cluster_nodes.push_back({"127.0.0.1", RedisServer::free_port()});
    config.connect_timeout = 200ms;
    auto client = redis::Client::create(ioc.get_executor(), config);
    client->start();
    bool done = false;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            EXPECT_FALSE(co_await client->wait_connected(300ms));
            EXPECT_FALSE(client->connected());
            bool failed = false;
            try {
                co_await client->exec("GET", "k");
            } catch (const redis::Error& error) {
                failed = error.kind() == redis::Error::Kind::not_connected;
            }
            EXPECT_TRUE(failed);
            EXPECT_EQ(client->stats().errors, 1u);
        },
        [&](std::exception_ptr) {
            done = true;
            client->stop();
        });
    ioc.run_for(10s);
    EXPECT_TRUE(done);
}

}  // namespace
}  // namespace kayou::test
