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
//   kayou::test::RedisServer three({.primaries = 3});     // a Redis Cluster of 3 primaries
//
// A one-node cluster owns all 16384 slots, so a client that knows nothing of MOVED works, while
// Redis still refuses every script, MULTI or command whose keys hash to two slots (CROSSSLOT,
// "Script attempted to access keys that do not hash to the same slot").
//
// Three primaries: this server and two more (peers, started and stopped with it), joined with
// `redis-cli --cluster create` and the slots split between them. port() is the first node's;
// command() follows -MOVED; client_config() lists the three nodes as cluster seeds, and
// cluster_ports_of(port()) lets helpers that only have the port (KayouProcess, redis_cli) find
// the others. stop(), kill9(), start() and restart() act on all three nodes. Env
// KAYOU_TEST_REDIS_CLUSTER=1 starts every plain RedisServer of the test process
// that way: that is how the cluster_keys tests (tests/CMakeLists.txt) run every script against
// three primaries through the client's cluster mode.
//
// Not thread-safe; meant for gtest's single test thread. The child gets PR_SET_PDEATHSIG so a
// crashed test does not leave servers behind.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "redis/client.hpp"

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
        bool cluster = false;  // one-node Redis Cluster
        // 3: a Redis Cluster of three primaries (also: env KAYOU_TEST_REDIS_CLUSTER=1 for a
        // server without sentinel_config, cluster or cluster_member).
        int primaries = 1;
        bool cluster_member = false;  // --cluster-enabled, no slots: a peer of a 3-primary one
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
    // A bulk reply is read whole; on a cluster of three a -MOVED reply is followed once.
    std::string command(const std::string& inline_command, int timeout_ms = 2000) const;

    // command() on the node at `port` (on loopback), following no redirection.
    static std::string command_at(std::uint16_t port, const std::string& inline_command,
                                  int timeout_ms = 2000);

    // A client config for this server: its port, or the three nodes as cluster seeds.
    redis::Config client_config() const;
    // Three primaries: the port of each node, this one first; empty otherwise.
    std::vector<std::uint16_t> cluster_ports() const;
    // The nodes of the 3-primary cluster whose first node listens on `port` (a live RedisServer
    // of this process); empty for any other port.
    static std::vector<std::uint16_t> cluster_ports_of(std::uint16_t port);

    // One server per test process: the one on env KAYOU_TEST_REDIS_PORT if set (started by the
    // test script; never stopped from here; ignored when KAYOU_TEST_REDIS_CLUSTER=1), otherwise
    // started on first use.
    static RedisServer& shared();
    // A currently free loopback TCP port (bind port 0, read it back, close), at most 55535 so that
    // a cluster node can take it (its bus port is 10,000 higher).
    static std::uint16_t free_port();

private:
    struct External {};
    RedisServer(External, std::uint16_t port);
    bool wait_ready(int timeout_ms) const;
    bool cluster() const;
    bool three_primaries() const;
    void claim_all_slots();
    void form_cluster();
    std::string log_tail() const;

    Options options_;
    std::uint16_t port_ = 0;
    std::string dir_;
    pid_t pid_ = -1;
    bool external_ = false;
    bool ever_started_ = false;
    int port_retries_ = 0;
    std::vector<std::unique_ptr<RedisServer>> peers_;  // the other primaries of a cluster of 3
    bool formed_ = false;
};

}  // namespace kayou::test
