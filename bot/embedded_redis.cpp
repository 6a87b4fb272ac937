#include "bot/embedded_redis.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace kayou::bot {

namespace {

using Clock = std::chrono::steady_clock;

// Start-up and shutdown only (before the io_context runs / after it stopped): waiting on a child
// process, not synchronising threads.
void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// A blocking connection to the child for the start-up PING, bounded by `timeout` per call.
int connect_to(const std::string& unix_socket, std::uint16_t port) {
    int fd = -1;
    if (!unix_socket.empty()) {
        fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, unix_socket.c_str(), sizeof address.sun_path - 1);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(fd);
            return -1;
        }
    } else {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(fd);
            return -1;
        }
    }
    timeval tv{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

}  // namespace

std::chrono::milliseconds embedded_redis_restart_delay(int failures) {
    if (failures <= 1) return std::chrono::milliseconds(0);
    std::int64_t delay = 250;
    for (int i = 2; i < failures && delay < 5000; ++i) delay *= 2;
    return std::chrono::milliseconds(std::min<std::int64_t>(delay, 5000));
}

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

namespace {
std::filesystem::path port_file_path(const EmbeddedRedisConfig& config) {
    return std::filesystem::absolute(config.data_dir) / "redis.port";
}
}  // namespace

EmbeddedRedisAddress embedded_redis_address(const EmbeddedRedisConfig& config) {
    EmbeddedRedisAddress address;
    // sun_path holds 108 bytes; a longer data_dir falls back to loopback TCP.
    const std::string socket_path =
        (std::filesystem::absolute(config.data_dir) / "redis.sock").string();
    // A port set in the config (embedded_redis.port) means the operator wants TCP.
    if (config.unix_socket && !config.port && socket_path.size() < sizeof(sockaddr_un::sun_path)) {
        address.unix_socket = socket_path;
        return address;
    }
    address.port = config.port;
    if (!address.port) {
        unsigned written = 0;
        std::ifstream file(port_file_path(config));
        if (file >> written && written > 0 && written <= 65535)
            address.port = static_cast<std::uint16_t>(written);
    }
    return address;
}

// A free port changes at every start of kayou: written down for operators' tools, replaced
// atomically (rename) so a reader never sees half a number.
void EmbeddedRedis::write_port_file() const {
    const auto path = port_file_path(config_);
    const auto partial = path.string() + ".new";
    {
        std::ofstream file(partial, std::ios::trunc);
        file << port_ << "\n";
        if (!file) return;  // only a convenience: Redis itself is up
    }
    std::error_code ignored;
    std::filesystem::rename(partial, path, ignored);
}

EmbeddedRedis::EmbeddedRedis(EmbeddedRedisConfig config) : config_(std::move(config)) {}

EmbeddedRedis::~EmbeddedRedis() {
    stop();
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void EmbeddedRedis::start() {
    if (pid_ > 0) return;
    const auto data_dir = std::filesystem::absolute(config_.data_dir);
    std::filesystem::create_directories(data_dir);
    data_dir_ = data_dir.string();

    // One kayou (and its child) per data directory. The descriptor is inherited by the child
    // (spawn() clears close-on-exec there), so the lock outlives a kill -9 of kayou until the
    // child, sent SIGTERM by the kernel, has flushed its AOF and exited.
    if (lock_fd_ < 0) {
        const std::string lock_path = (data_dir / "kayou.lock").string();
        lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (lock_fd_ < 0)
            throw std::runtime_error("cannot open " + lock_path + ": " + std::strerror(errno));
        const auto give_up = Clock::now() + config_.lock_wait;
        while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
            if (errno != EWOULDBLOCK || Clock::now() >= give_up) {
                std::string holder;
                std::ifstream(lock_path) >> holder;
                ::close(lock_fd_);
                lock_fd_ = -1;
                throw std::runtime_error("embedded_redis.data_dir " + data_dir_ +
                                         " is in use by another kayou or its redis-server (pid " +
                                         (holder.empty() ? std::string("?") : holder) +
                                         "); give each kayou its own data_dir, or set redis.host");
            }
            pause_ms(50);
        }
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(lock_fd_, 0) == 0) {
            [[maybe_unused]] auto n = ::pwrite(lock_fd_, pid.data(), pid.size(), 0);
        }
    }

    const auto address = embedded_redis_address(config_);
    const std::string socket_path = address.unix_socket;
    const bool use_socket = !socket_path.empty();
    // A fresh port can be taken between picking and binding it: try a few.
    const int tries = use_socket || config_.port ? 1 : 3;
    std::string why;
    for (int attempt = 0; attempt < tries; ++attempt) {
        if (use_socket) {
            unix_socket_ = socket_path;
            port_ = 0;
            ::unlink(socket_path.c_str());  // a stale one from a crash; we hold the lock
        } else {
            unix_socket_.clear();
            port_ = config_.port ? config_.port : pick_free_loopback_port();
        }
        spawn();
        if (answers_ping(config_.start_timeout)) {
            started_at_ = Clock::now();
            if (!use_socket) write_port_file();
            return;
        }
        why = running() ? "it did not answer PING within " +
                              std::to_string(config_.start_timeout.count()) + " ms"
                        : "it exited";
        stop(2000);
    }
    if (lock_fd_ >= 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
    }
    throw std::runtime_error("embedded redis-server did not start: " + why + ". Last lines of " +
                             data_dir_ + "/redis.log:\n" + log_tail());
}

void EmbeddedRedis::spawn() {
    std::vector<std::string> args = {
        config_.binary, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--protected-mode",
        "yes", "--daemonize", "no", "--dir", data_dir_, "--appendonly", "yes", "--appendfsync",
        config_.appendfsync, "--save", "",
        // Durable data (applications, the SMS outbox, the audit
        // log) must never be evicted: at the limit writes fail, and
        // kayou_redis_memory_alert has said so before.
        "--maxmemory", std::to_string(config_.maxmemory_mb) + "mb", "--maxmemory-policy",
        "noeviction", "--logfile", data_dir_ + "/redis.log"};
    if (!unix_socket_.empty()) {
        args.insert(args.end(), {"--unixsocket", unix_socket_, "--unixsocketperm", "700"});
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // A pipe with O_CLOEXEC tells the parent whether exec succeeded: it closes on exec, or
    // carries errno if exec failed.
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    const pid_t parent = ::getpid();
    const int lock_fd = lock_fd_;
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::close(status_pipe[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(1);
        ::setpgid(0, 0);  // a Ctrl-C in the terminal reaches kayou, which then stops Redis itself
        // Nothing of kayou's but the lock (and the exec status pipe, closed by exec) goes into
        // the child: an inherited listening socket would keep kayou's HTTP port taken while the
        // child outlives a kill -9 of kayou.
        int keep[2] = {lock_fd, status_pipe[1]};
        if (keep[0] > keep[1]) std::swap(keep[0], keep[1]);
        unsigned from = 3;
        for (const int fd : keep) {
            if (fd < static_cast<int>(from)) continue;
            if (fd > static_cast<int>(from)) ::close_range(from, static_cast<unsigned>(fd) - 1, 0);
            from = static_cast<unsigned>(fd) + 1;
        }
        ::close_range(from, ~0U, 0);
        if (lock_fd >= 0) ::fcntl(lock_fd, F_SETFD, 0);  // the child holds the lock too
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
    dead_ = false;
}

bool EmbeddedRedis::answers_ping(std::chrono::milliseconds deadline) {
    const auto give_up = Clock::now() + deadline;
    while (Clock::now() < give_up) {
        if (!running()) return false;
        const int fd = connect_to(unix_socket_, port_);
        if (fd >= 0) {
            static constexpr char kPing[] = "PING\r\n";
            char answer[64] = {};
            bool pong = false;
            if (::send(fd, kPing, sizeof kPing - 1, MSG_NOSIGNAL) == sizeof kPing - 1) {
                const auto n = ::recv(fd, answer, sizeof answer - 1, 0);
                // "+PONG"; "-LOADING ..." while a large AOF is read: not yet.
                pong = n >= 5 && std::strncmp(answer, "+PONG", 5) == 0;
            }
            ::close(fd);
            if (pong) return true;
        }
        pause_ms(20);
    }
    return false;
}

std::string EmbeddedRedis::log_tail() const {
    std::ifstream log(data_dir_ + "/redis.log");
    std::deque<std::string> lines;
    for (std::string line; std::getline(log, line);) {
        lines.push_back(line);
        if (lines.size() > 5) lines.pop_front();
    }
    std::string tail;
    for (const auto& line : lines) tail += "  " + line + "\n";
    return tail.empty() ? "  (empty)\n" : tail;
}

bool EmbeddedRedis::running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

EmbeddedRedis::Supervision EmbeddedRedis::supervise(Clock::time_point now) {
    Supervision result;
    if (!dead_) {
        if (pid_ <= 0) return result;  // not started, or stopped on purpose
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return result;
        pid_ = -1;
        dead_ = true;
        died_at_ = now;
        // A child that had been up for a minute died of something new: start over gently.
        if (now - started_at_ > std::chrono::minutes(1)) failures_ = 0;
        ++failures_;
        result.died = true;
        if (WIFSIGNALED(status))
            result.died_how = "killed by signal " + std::to_string(WTERMSIG(status));
        else
            result.died_how = "exited with status " + std::to_string(WEXITSTATUS(status));
    }
    result.failures = failures_;
    if (now - died_at_ < embedded_redis_restart_delay(failures_)) return result;
    // Same data directory, same address: the Redis client reconnects by itself.
    try {
        if (!unix_socket_.empty()) ::unlink(unix_socket_.c_str());
        spawn();
        started_at_ = now;
        result.restarted = true;
    } catch (const std::exception& error) {
        died_at_ = now;
        ++failures_;
        result.restart_failed = true;
        result.why = error.what();
    }
    result.failures = failures_;
    return result;
}

void EmbeddedRedis::stop(int grace_ms) {
    dead_ = false;
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto deadline = Clock::now() + std::chrono::milliseconds(grace_ms);
        bool exited = false;
        while (Clock::now() < deadline) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                exited = true;
                break;
            }
            // Shutdown path only: Redis needs a moment to rewrite and fsync its AOF.
            pause_ms(20);
        }
        if (!exited) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        pid_ = -1;
    }
}

}  // namespace kayou::bot
