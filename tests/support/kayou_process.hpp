#pragma once
// Runs the real kayou binary as a child process with a generated config, for end-to-end tests
// over loopback HTTP.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kayou::test {

class KayouProcess {
public:
    struct Options {
        std::uint16_t redis_port = 0;  // 0 = let kayou start its embedded redis-server
        std::string extra_yaml;        // appended to the generated config (channels, dedupe, ...)
        std::string log_level = "info";
        int read_timeout_ms = 0;  // 0 = kayou's default
        std::uint16_t port = 0;   // 0 = a free loopback port
        bool reuse_port = false;  // server.reuse_port, for several processes on one port
        std::vector<std::string> extra_args;  // after --config FILE
        // More embedded_redis keys (redis_port 0 only), each line indented by two spaces, e.g.
        // "  port: 6400\n  maxmemory_mb: 64\n".
        std::string embedded_redis_yaml;
    };

    // Starts kayou and waits (bounded) until /healthz answers 200; throws on failure with the
    // child's log in the message.
    explicit KayouProcess(Options options);
    ~KayouProcess();
    KayouProcess(const KayouProcess&) = delete;
    KayouProcess& operator=(const KayouProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::string& work_dir() const { return work_dir_; }

    // Waits until /readyz answers 200 (Redis reachable); false on deadline.
    bool wait_ready(std::chrono::milliseconds deadline = std::chrono::seconds(10));
    // SIGTERM and wait for the exit status (-1 on deadline; then it is killed).
    int terminate(std::chrono::milliseconds deadline = std::chrono::seconds(10));
    void kill9();
    std::string log() const;  // everything kayou wrote to stderr

private:
    Options options_;
    std::string work_dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace kayou::test
