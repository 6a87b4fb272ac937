#include "tests/support/kayou_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/embedded_redis.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {

namespace {
// Polling a child for readiness is waiting on another process, not synchronizing threads.
void pause_briefly() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }
}  // namespace

KayouProcess::KayouProcess(Options options) : options_(std::move(options)) {
    char pattern[] = "/tmp/kayou-test-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    work_dir_ = pattern;
    port_ = options_.port ? options_.port : bot::pick_free_loopback_port();

    std::ostringstream config;
    config << "server:\n  listen: 127.0.0.1\n  port: " << port_ << "\n  shutdown_grace_ms: 3000\n";
    if (options_.reuse_port) config << "  reuse_port: true\n";
    if (options_.read_timeout_ms)
        config << "  read_timeout_ms: " << options_.read_timeout_ms << "\n";
    if (options_.idle_timeout_ms || options_.read_timeout_ms)
        config << "  idle_timeout_ms: "
               << (options_.idle_timeout_ms ? options_.idle_timeout_ms : options_.read_timeout_ms)
               << "\n";
    config << "log:\n  level: " << options_.log_level << "\n";
    if (!options_.redis_yaml.empty()) {
        config << options_.redis_yaml;
    } else if (const auto nodes = RedisServer::cluster_ports_of(options_.redis_port);
               options_.redis_port && !nodes.empty()) {
        // The first node of a test cluster of three primaries: kayou gets all three as seeds.
        config << "redis:\n  cluster:\n";
        for (const auto node : nodes) config << "    - \"127.0.0.1:" << node << "\"\n";
        config << "  command_timeout_ms: 500\n  connect_timeout_ms: 500\n";
    } else if (options_.redis_port) {
        config << "redis:\n  host: 127.0.0.1\n  port: " << options_.redis_port
               << "\n  command_timeout_ms: 500\n  connect_timeout_ms: 500\n";
    } else {
        embedded_data_dir_ =
            options_.embedded_data_dir.empty() ? work_dir_ + "/redis" : options_.embedded_data_dir;
        config << "embedded_redis:\n  data_dir: " << embedded_data_dir_ << "\n"
               << options_.embedded_redis_yaml;
    }
    config << options_.extra_yaml << "\n";
    const std::string config_path = work_dir_ + "/kayou.yaml";
    std::ofstream(config_path) << config.str();

    const std::string log_path = work_dir_ + "/kayou.log";
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        if (options_.max_open_files > 0) {
            rlimit limit{static_cast<rlim_t>(options_.max_open_files),
                         static_cast<rlim_t>(options_.max_open_files)};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        }
        const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (log_fd >= 0) {
            ::dup2(log_fd, STDERR_FILENO);
            ::dup2(log_fd, STDOUT_FILENO);
        }
        // The test's own sockets (a fake provider's listener, ...) must not live on in kayou:
        // they would keep ports taken after the test closed them.
        ::close_range(3, ~0U, 0);
        std::vector<const char*> argv{KAYOU_BINARY, "--config", config_path.c_str()};
        for (const auto& arg : options_.extra_args) argv.push_back(arg.c_str());
        argv.push_back(nullptr);
        ::execv(KAYOU_BINARY, const_cast<char* const*>(argv.data()));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (!options_.expect_start) return;
            throw std::runtime_error("kayou exited during start-up:\n" + log());
        }
        if (http_request(port_, "GET", "/healthz", {}, {}, std::chrono::milliseconds(500)).status ==
            200)
            return;
        pause_briefly();
    }
    kill9();
    throw std::runtime_error("kayou did not answer /healthz within 15 s:\n" + log());
}

KayouProcess::~KayouProcess() {
    if (pid_ > 0) terminate();
    std::error_code ignored;
    std::filesystem::remove_all(work_dir_, ignored);
}

bool KayouProcess::wait_ready(std::chrono::milliseconds deadline) {
    const auto stop_at = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < stop_at) {
        if (http_request(port_, "GET", "/readyz", {}, {}, std::chrono::milliseconds(500)).status ==
            200)
            return true;
        pause_briefly();
    }
    return false;
}

int KayouProcess::terminate(std::chrono::milliseconds deadline) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    const auto stop_at = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < stop_at) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        pause_briefly();
    }
    kill9();
    return -1;
}

void KayouProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

int KayouProcess::exit_status() {
    if (pid_ > 0) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return -1;
        pid_ = -1;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exit_status_;
}

pid_t KayouProcess::embedded_redis_pid() const {
    const std::string text = log();
    pid_t pid = -1;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find("\"embedded_redis_started\"") == std::string::npos &&
            line.find("\"embedded_redis_restarted\"") == std::string::npos)
            continue;
        const auto at = line.find("\"pid\":");
        if (at != std::string::npos) pid = std::atoi(line.c_str() + at + 6);
    }
    return pid;
}

std::string KayouProcess::embedded_redis_socket() const {
    if (embedded_data_dir_.empty()) return {};
    return embedded_data_dir_ + "/redis.sock";
}

std::string KayouProcess::log() const {
    std::ifstream file(work_dir_ + "/kayou.log");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string shipped_content_yaml(const std::string& more_admin_tokens) {
    return "privacy:\n  data_key: q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n"
           "members:\n  flow_file: " KAYOU_SOURCE_DIR
           "/config/flows/join.yaml\n  districts_file: " KAYOU_SOURCE_DIR
           "/config/districts.yaml\n  calendar_dir: " KAYOU_SOURCE_DIR
           "/config/calendar\n"
           "admin:\n  tokens:\n"
           "    - name: test-editor\n"
           "      token_sha256: 21bf565d871da6a4efa0b8ff0821ff61fcb71f17827c96dd0d8baf94c36cb259\n"
           "      role: faq_editor\n" +
           more_admin_tokens +
           "content:\n  seed_dir: " KAYOU_SOURCE_DIR "/faq/data\n  poll_interval_ms: 100\n";
}

int serving_version(const KayouProcess& kayou, const std::string& kind) {
    auto result = http_request(kayou.port(), "GET", "/admin/api/content/" + kind + "/published", {},
                               {{"Authorization", std::string("Bearer ") + kTestEditorToken}},
                               std::chrono::seconds(5));
    if (result.status != 200) return -1;
    const auto body = nlohmann::json::parse(result.body, nullptr, false);
    return body.is_object() ? body.value("serving", -1) : -1;
}

}  // namespace kayou::test
