#include "bot/embedded_redis.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace kayou::bot {

std::uint16_t pick_free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind a loopback socket to find a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

EmbeddedRedis::EmbeddedRedis(EmbeddedRedisConfig config) : config_(std::move(config)) {}

EmbeddedRedis::~EmbeddedRedis() { stop(); }

void EmbeddedRedis::start() {
    if (pid_ > 0) return;
    port_ = config_.port ? config_.port : pick_free_loopback_port();
    const auto data_dir = std::filesystem::absolute(config_.data_dir);
    std::filesystem::create_directories(data_dir);

    std::vector<std::string> args = {
        config_.binary, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--protected-mode",
        "yes", "--daemonize", "no", "--dir", data_dir.string(), "--appendonly", "yes",
        "--appendfsync", config_.appendfsync, "--save", "",
        // Durable data (applications, the SMS outbox, the audit
        // log) must never be evicted: at the limit writes fail and
        // kayou_redis_memory_alert has said so before.
        "--maxmemory", std::to_string(config_.maxmemory_mb) + "mb", "--maxmemory-policy",
        "noeviction", "--logfile", (data_dir / "redis.log").string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // A pipe with O_CLOEXEC tells the parent whether exec succeeded: it closes on exec, or
    // carries errno if exec failed.
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::close(status_pipe[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(1);
        ::setpgid(0, 0);  // a Ctrl-C in the terminal reaches kayou, which then stops Redis itself
        ::execvp(argv[0], argv.data());
        const int error = errno;
        [[maybe_unused]] auto n = ::write(status_pipe[1], &error, sizeof error);
        ::_exit(127);
    }
    ::close(status_pipe[1]);
    int exec_error = 0;
    const auto got = ::read(status_pipe[0], &exec_error, sizeof exec_error);
    ::close(status_pipe[0]);
    if (got == sizeof exec_error) {
        ::waitpid(child, nullptr, 0);
        throw std::runtime_error("cannot start " + config_.binary + ": " +
                                 std::strerror(exec_error) +
                                 " (install redis-server, or set redis.host in the config)");
    }
    pid_ = child;
}

bool EmbeddedRedis::running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

void EmbeddedRedis::stop(int grace_ms) {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return;
        }
        // Shutdown path only: Redis needs a moment to rewrite and fsync its AOF.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace kayou::bot
