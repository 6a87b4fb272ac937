#pragma once
// When no Redis address is configured, kayou runs its own redis-server child: AOF on, maxmemory
// (embedded_redis.maxmemory_mb) with the noeviction policy, data under
// a directory of ours, stopped when kayou stops (and, through PR_SET_PDEATHSIG, sent SIGTERM if
// kayou dies without stopping it, so it still flushes its AOF).
//
// What keeps it safe and alive:
//  - It listens on a Unix socket in the data directory (no TCP port at all), so no other process
//    can take "its" port between a restart of kayou and the start of the child. Only when the
//    path would be too long for a socket address does it fall back to a loopback TCP port (a
//    fresh one, retried if taken, unless embedded_redis.port fixes it).
//  - A lock on <data_dir>/kayou.lock (flock) is held by kayou and inherited by the child, so two
//    servers never write one AOF directory: a second kayou on the same data_dir exits with an
//    error, and a kayou restarted right after a kill -9 waits (lock_wait) until the previous
//    child has flushed and exited.
//  - start() returns only once the child answers PING (Redis' -LOADING while it reads a large
//    AOF counts as "not yet"); a child that cannot come up makes start() throw, and kayou exits
//    non-zero instead of serving 503 forever.
//  - supervise(), called every ~100 ms by the app, restarts a child that died (same data_dir,
//    same socket: the Redis client reconnects by itself) with a growing delay when it keeps
//    dying. /readyz says 503 while it is down (its PING fails).
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "bot/config.hpp"

namespace kayou::bot {

// The wait before restart number `failures` (1 = the first restart after a death): at once, then
// 250 ms doubling up to 5 s. A child that stayed up for a minute starts again from the first.
std::chrono::milliseconds embedded_redis_restart_delay(int failures);

class EmbeddedRedis {
public:
    explicit EmbeddedRedis(EmbeddedRedisConfig config);
    ~EmbeddedRedis();
    EmbeddedRedis(const EmbeddedRedis&) = delete;
    EmbeddedRedis& operator=(const EmbeddedRedis&) = delete;

    // Takes the data directory's lock, starts the child and waits until it answers PING (within
    // config.start_timeout). Throws std::runtime_error saying why it could not (lock held,
    // binary missing, the child exited — with the last lines of its log — or no answer).
    void start();
    // SIGTERM, then SIGKILL after `grace_ms`; blocks (used only at shutdown). Releases the lock.
    void stop(int grace_ms = 5000);
    bool running();

    // What supervise() did (a death and the restart after it may come in one call).
    struct Supervision {
        bool died = false;
        bool restarted = false;
        bool restart_failed = false;
        std::string died_how;  // "killed by signal 9", "exited with status 1"
        std::string why;       // restart_failed: the error
        int failures = 0;      // consecutive deaths without a minute of uptime in between
    };
    // Non-blocking: reaps a dead child and, once its restart delay has passed, starts a new one
    // on the same data directory and address (readiness is the Redis client's business).
    Supervision supervise(std::chrono::steady_clock::time_point now);

    // Where it listens: a Unix socket path, or "" and port() on 127.0.0.1.
    const std::string& unix_socket() const { return unix_socket_; }
    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    void spawn();                                           // fork + exec; throws if exec fails
    bool answers_ping(std::chrono::milliseconds deadline);  // blocking, start() only
    std::string log_tail() const;
    void write_port_file() const;  // TCP on a free port: <data_dir>/redis.port

    EmbeddedRedisConfig config_;
    std::string data_dir_;
    std::string unix_socket_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    int lock_fd_ = -1;
    // Supervision state.
    bool dead_ = false;
    int failures_ = 0;
    std::chrono::steady_clock::time_point died_at_{};
    std::chrono::steady_clock::time_point started_at_{};
};

// Where the embedded Redis of `config` listens, decided as start() decides it: the Unix socket
// <data_dir>/redis.sock, or loopback TCP on embedded_redis.port, or on the free port a running
// kayou picked (start() writes it to <data_dir>/redis.port). For `kayou --print-redis` and so
// scripts/redis-cli.sh: one source of truth for operators' tools. port is 0 when the port is a
// free one and no kayou has written it yet.
struct EmbeddedRedisAddress {
    std::string unix_socket;  // absolute; "" = TCP on 127.0.0.1
    std::uint16_t port = 0;
};
EmbeddedRedisAddress embedded_redis_address(const EmbeddedRedisConfig& config);

// A free TCP port on 127.0.0.1 (bind to port 0, read it, close).
std::uint16_t pick_free_loopback_port();

}  // namespace kayou::bot
