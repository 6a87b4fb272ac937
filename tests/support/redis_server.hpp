// A throwaway redis-server for integration tests: a child process on a free loopback port with its
// own data directory, stopped and cleaned up by the destructor.
//
//   kayou::test::RedisServer redis;                       // started, answers PING
//   kayou::redis::Config config; config.port = redis.port();
//   redis.kill9(); redis.restart();                       // same port, same data dir
//   kayou::test::RedisServer aof({.aof = true});          // appendonly yes
//   kayou::test::RedisServer later({.start = false});     // port reserved, start() when wanted
//   kayou::test::RedisServer sentinel({.sentinel_config = lines});  // redis-server --sentinel
//   auto& shared = kayou::test::RedisServer::shared();    // one per test process (or the one the
//                                                         // test script started: env
//                                                         // KAYOU_TEST_REDIS_PORT)
//   kayou::test::RedisServer one({.cluster = true});      // a one-node Redis Cluster
//
// A one-node cluster owns all 16384 slots, so a client that knows nothing of MOVED works, while
// Redis still refuses every script, MULTI or command whose keys hash to two slots (CROSSSLOT,
// "Script attempted to access keys that do not hash to the same slot"). Env
// KAYOU_TEST_REDIS_CLUSTER=1 starts every server of the test process that way: that is how the
// cluster_keys tests (tests/CMakeLists.txt) check that every script keeps to one hash tag.
//
// Not thread-safe; meant for gtest's single test thread. The child gets PR_SET_PDEATHSIG so a
// crashed test does not leave servers behind.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kayou::test {

class RedisServer {
public:
    struct Options {
        bool aof = false;                      // --appendonly yes
        std::string appendfsync = "everysec";  // with aof: always / everysec / no
        bool start = true;                     // start in the constructor
        std::uint16_t port = 0;                // 0: pick a free loopback port
        std::vector<std::string>
            extra_args;        // more redis-server options, e.g. {"--maxmemory", "10mb"}
        bool cluster = false;  // one-node Redis Cluster (also: env KAYOU_TEST_REDIS_CLUSTER=1)
        // Non-empty: run `redis-server <dir>/sentinel.conf --sentinel` instead, the file being
        // port/bind/dir and these lines ("sentinel monitor kayou 127.0.0.1 6380 2\n...").
        std::string sentinel_config;
    };

    RedisServer();
    explicit RedisServer(Options options);
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    // Starts redis-server on port() with dir() and waits (bounded, 10 s) until it answers PING.
    // Throws std::runtime_error with the tail of the server log if it does not come up.
    void start();
    // SIGTERM and wait for exit (SIGKILL after 10 s). No-op when not running.
    void stop();
    // SIGKILL and reap: an abrupt crash, connections reset, nothing flushed.
    void kill9();
    // stop() if running, then start() on the same port and data directory.
    void restart();

    bool running() const { return external_ || pid_ > 0; }
    bool external() const { return external_; }
    std::uint16_t port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    const std::string& dir() const { return dir_; }  // data directory (holds redis.log too)
    pid_t pid() const { return pid_; }

    // Sends one inline command on a fresh blocking connection and returns the raw RESP reply
    // (e.g. "+PONG\r\n"); "" on failure. For test set-up, not for the code under test.
    std::string command(const std::string& inline_command, int timeout_ms = 2000) const;

    // One server per test process: the one on env KAYOU_TEST_REDIS_PORT if set (started by the
    // test script; never stopped from here; ignored when KAYOU_TEST_REDIS_CLUSTER=1), otherwise
    // started on first use.
    static RedisServer& shared();
    // A currently free loopback TCP port (bind port 0, read it back, close).
    static std::uint16_t free_port();

private:
    struct External {};
    RedisServer(External, std::uint16_t port);
    bool wait_ready(int timeout_ms) const;
    bool cluster() const;
    void claim_all_slots();
    std::string log_tail() const;

    Options options_;
    std::uint16_t port_ = 0;
    std::string dir_;
    pid_t pid_ = -1;
    bool external_ = false;
    bool ever_started_ = false;
    int port_retries_ = 0;
};

}  // namespace kayou::test
