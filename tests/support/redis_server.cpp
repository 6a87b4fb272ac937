#include "tests/support/redis_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace kayou::test {

namespace {

constexpr const char* kRedisServer = "/usr/bin/redis-server";

int connect_loopback(std::uint16_t port, int timeout_ms) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One inline command on a fresh blocking connection: the first line of the reply, or the whole of
// a bulk reply ("$<n>\r\n<n bytes>\r\n", e.g. CLUSTER INFO); "" on failure.
std::string command_on(std::uint16_t port, const std::string& inline_command, int timeout_ms) {
    const int fd = connect_loopback(port, timeout_ms);
    if (fd < 0) {
        return "";
    }
    const std::string line = inline_command + "\r\n";
    std::string reply;
    const auto complete = [&reply] {
        const auto end = reply.find("\r\n");
        if (end == std::string::npos) return false;
        if (reply[0] != '$') return true;
        const long long length = std::atoll(reply.c_str() + 1);
        return length < 0 || reply.size() >= end + 2 + static_cast<std::size_t>(length) + 2;
    };
    if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size())) {
        char buf[4096];
        while (!complete()) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                break;
            }
            reply.append(buf, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return reply;
}

// First port of a live cluster of three -> the ports of its nodes.
std::map<std::uint16_t, std::vector<std::uint16_t>>& cluster_registry() {
    static std::map<std::uint16_t, std::vector<std::uint16_t>> registry;
    return registry;
}

}  // namespace

RedisServer::RedisServer() : RedisServer(Options{}) {}

RedisServer::RedisServer(Options options) : options_(std::move(options)) {
    port_ = options_.port != 0 ? options_.port : free_port();
    char pattern[] = "/tmp/kayou-redis-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    dir_ = pattern;
    if (options_.start) {
        try {
            start();
        } catch (...) {
            std::error_code ec;  // no destructor runs for a constructor that throws
            std::filesystem::remove_all(dir_, ec);
            throw;
        }
    }
}

RedisServer::RedisServer(External, std::uint16_t port) : port_(port), external_(true) {}

RedisServer::~RedisServer() {
    if (external_) {
        return;
    }
    cluster_registry().erase(port_);
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

namespace {

// A free loopback port the kernel picks (its ephemeral range), or 0.
std::uint16_t kernel_free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw std::runtime_error("socket() failed");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    const bool picked = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    ::close(fd);
    return picked ? ntohs(addr.sin_port) : 0;
}

// A cluster node also listens on its port + 10000 (the cluster bus), so redis-server refuses a
// cluster-enabled port above 55535; the cluster_keys suites run every server in cluster mode.
constexpr std::uint16_t kHighestClusterPort = 55535;

}  // namespace

std::uint16_t RedisServer::free_port() {
    // The ephemeral range is 32768-60999 by default: about one pick in six is too high.
    for (int attempt = 0; attempt < 64; ++attempt) {
        const std::uint16_t port = kernel_free_port();
        if (port == 0) break;
        if (port <= kHighestClusterPort) return port;
    }
    throw std::runtime_error("cannot pick a free port at or below 55535");
}

void RedisServer::start() {
    if (external_) {
        throw std::logic_error("RedisServer: the external server is not managed here");
    }
    if (pid_ > 0) {
        return;
    }
    std::vector<std::string> args = {
        kRedisServer,
        "--port",
        std::to_string(port_),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        options_.aof ? "yes" : "no",
        "--appendfsync",
        options_.appendfsync,
        "--dir",
        dir_,
        "--daemonize",
        "no",
        "--logfile",
        "",
        // DEBUG SLEEP is how the timeout tests make Redis stall (off by default since 7.0).
        "--enable-debug-command",
        "local",
    };
    if (cluster() || three_primaries() || options_.cluster_member) {
        for (const char* arg : {"--cluster-enabled", "yes", "--cluster-config-file"})
            args.push_back(arg);
        args.push_back(dir_ + "/nodes.conf");
    }
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
    if (!options_.sentinel_config.empty()) {
        // A sentinel rewrites its config file: written afresh only on the first start, so that a
        // restarted sentinel keeps what it learnt (the current primary, the other sentinels).
        const std::string path = dir_ + "/sentinel.conf";
        if (!ever_started_)
            std::ofstream(path) << "port " << port_ << "\nbind 127.0.0.1\ndir " << dir_ << "\n"
                                << options_.sentinel_config;
        args = {kRedisServer, path, "--sentinel", "--logfile", ""};
    }
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const std::string log_path = dir_ + "/redis.log";

    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(126);
        }
        const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log >= 0) {
            ::dup2(log, STDOUT_FILENO);
            ::dup2(log, STDERR_FILENO);
            ::close(log);
        }
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) {
            ::dup2(null, STDIN_FILENO);
            ::close(null);
        }
        // None of the test's sockets (a fake provider's listener) may live on in the server.
        ::close_range(3, ~0U, 0);
        ::execv(kRedisServer, argv.data());
        ::_exit(127);
    }
    pid_ = pid;
    if (!wait_ready(10000)) {
        const bool exited = pid_ <= 0;
        const std::string tail = log_tail();
        kill9();
        // The port was free when picked but another process (a parallel test) may have taken
        // it since: a port we chose ourselves can be changed before the first successful start.
        if (exited && options_.port == 0 && !ever_started_ && port_retries_ < 5) {
            ++port_retries_;
            port_ = free_port();
            start();
            return;
        }
        throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                                 " did not answer PING in time; log:\n" + tail);
    }
    ever_started_ = true;
    if (cluster()) claim_all_slots();
    if (three_primaries()) form_cluster();
}

bool RedisServer::cluster() const { return options_.cluster; }

bool RedisServer::three_primaries() const {
    const char* env = std::getenv("KAYOU_TEST_REDIS_CLUSTER");
    const bool cluster_run = env != nullptr && std::string_view(env) == "1";
    return (options_.primaries == 3 || cluster_run) && !options_.cluster &&
           !options_.cluster_member && options_.sentinel_config.empty();
}

void RedisServer::form_cluster() {
    while (peers_.size() < 2) {
        Options peer;
        peer.cluster_member = true;
        peers_.push_back(std::make_unique<RedisServer>(peer));
    }
    for (auto& peer : peers_) peer->start();  // no-op for one that runs (see kill9())
    const auto ports = cluster_ports();
    if (!formed_) {
        // Once: after a restart this node's nodes.conf (in dir()) remembers the cluster.
        std::string create = "redis-cli --cluster create";
        for (const auto port : ports) create += " 127.0.0.1:" + std::to_string(port);
        const std::string log = dir_ + "/cluster-create.log";
        create += " --cluster-replicas 0 --cluster-yes >" + log + " 2>&1";
        if (std::system(create.c_str()) != 0) {
            std::ifstream in(log);
            std::stringstream text;
            text << in.rdbuf();
            throw std::runtime_error("redis-cli --cluster create failed:\n" + text.str());
        }
        formed_ = true;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        bool all_ok = true;
        for (const auto port : ports) {
            all_ok = all_ok && command_on(port, "CLUSTER INFO", 1000).find("cluster_state:ok") !=
                                   std::string::npos;
        }
        if (all_ok) {
            cluster_registry()[port_] = ports;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a bounded poll
    }
    throw std::runtime_error("cluster of 3 on port " + std::to_string(port_) +
                             " did not reach cluster_state:ok; log:\n" + log_tail());
}

std::vector<std::uint16_t> RedisServer::cluster_ports() const {
    if (!three_primaries()) return {};
    std::vector<std::uint16_t> ports{port_};
    for (const auto& peer : peers_) ports.push_back(peer->port());
    return ports;
}

std::string RedisServer::command_at(std::uint16_t port, const std::string& inline_command,
                                    int timeout_ms) {
    return command_on(port, inline_command, timeout_ms);
}

std::vector<std::uint16_t> RedisServer::cluster_ports_of(std::uint16_t port) {
    const auto found = cluster_registry().find(port);
    if (found == cluster_registry().end()) return {};
    return found->second;
}

redis::Config RedisServer::client_config() const {
    redis::Config config;
    config.host = host();
    config.port = port_;
    for (const auto port : cluster_ports()) config.cluster_nodes.push_back({host(), port});
    return config;
}

void RedisServer::claim_all_slots() {
    // After a restart the node remembers its slots (nodes.conf in dir()): "-ERR Slot 0 is already
    // busy" is fine then. A key-reading command answers "-CLUSTERDOWN" until the state is ok.
    command("CLUSTER ADDSLOTSRANGE 0 16383");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (command("EXISTS kayou:cluster:probe").rfind(":", 0) == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("one-node cluster on port " + std::to_string(port_) +
                             " did not reach cluster_state:ok; log:\n" + log_tail());
}

bool RedisServer::wait_ready(int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            // Exited (bad option, port taken ...): no point in waiting. pid_ is reaped already.
            const_cast<RedisServer*>(this)->pid_ = -1;
            return false;
        }
        // "-LOADING" while an AOF is replayed: keep polling. "-NOAUTH" (requirepass) is an
        // answer from a server that is up.
        const std::string reply = command("PING", 200);
        if (reply.rfind("+PONG", 0) == 0 || reply.rfind("-NOAUTH", 0) == 0) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

std::string RedisServer::command(const std::string& inline_command, int timeout_ms) const {
    std::string reply = command_on(port_, inline_command, timeout_ms);
    if (!peers_.empty() && reply.rfind("-MOVED ", 0) == 0) {
        // "-MOVED <slot> 127.0.0.1:<port>\r\n": every node of the test cluster is on loopback.
        const auto colon = reply.rfind(':');
        const int port = std::atoi(reply.c_str() + colon + 1);
        if (port > 0 && port <= 65535)
            reply = command_on(static_cast<std::uint16_t>(port), inline_command, timeout_ms);
    }
    return reply;
}

void RedisServer::stop() {
    for (auto& peer : peers_) peer->stop();  // a cluster of three stops as a whole
    if (external_ || pid_ <= 0) {
        return;
    }
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
}

void RedisServer::kill9() {
    for (auto& peer : peers_) peer->kill9();  // "Redis is down": every node of a cluster
    if (external_ || pid_ <= 0) {
        return;
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void RedisServer::restart() {
    stop();
    start();
}

std::string RedisServer::log_tail() const {
    std::ifstream in(dir_ + "/redis.log");
    std::stringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

RedisServer& RedisServer::shared() {
    static std::unique_ptr<RedisServer> server = [] {
        // A cluster run starts its own cluster of three primaries: the script's server is not one.
        const char* cluster = std::getenv("KAYOU_TEST_REDIS_CLUSTER");
        const bool cluster_run = cluster != nullptr && std::string_view(cluster) == "1";
        if (const char* env = std::getenv("KAYOU_TEST_REDIS_PORT");
            !cluster_run && env != nullptr && *env != '\0') {
            const int port = std::atoi(env);
            if (port <= 0 || port > 65535) {
                throw std::runtime_error("KAYOU_TEST_REDIS_PORT is not a port");
            }
            return std::unique_ptr<RedisServer>(
                new RedisServer(External{}, static_cast<std::uint16_t>(port)));
        }
        return std::make_unique<RedisServer>();
    }();
    return *server;
}

}  // namespace kayou::test
