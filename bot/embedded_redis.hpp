#pragma once
// When no Redis address is configured, kayou runs its own redis-server child: loopback only,
// AOF on, maxmemory (embedded_redis.maxmemory_mb) with the noeviction policy, data under a
// directory of ours, stopped when kayou stops (and, through
// PR_SET_PDEATHSIG, sent SIGTERM if kayou dies without stopping it, so it still flushes its AOF).
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "bot/config.hpp"

namespace kayou::bot {

class EmbeddedRedis {
public:
    explicit EmbeddedRedis(EmbeddedRedisConfig config);
    ~EmbeddedRedis();
    EmbeddedRedis(const EmbeddedRedis&) = delete;
    EmbeddedRedis& operator=(const EmbeddedRedis&) = delete;

    // Starts the child; throws std::runtime_error if the binary cannot be started. Readiness is
    // the Redis client's job (it retries the connection).
    void start();
    // SIGTERM, then SIGKILL after `grace_ms`; blocks (used only at shutdown).
    void stop(int grace_ms = 5000);
    bool running();

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }

private:
    EmbeddedRedisConfig config_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 (bind to port 0, read it, close).
std::uint16_t pick_free_loopback_port();

}  // namespace kayou::bot
