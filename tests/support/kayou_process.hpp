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
        int read_timeout_ms = 0;  // 0 = kayou's default (sets idle_timeout_ms too unless given)
        int idle_timeout_ms = 0;  // 0 = read_timeout_ms, or kayou's default
        int max_open_files = 0;   // RLIMIT_NOFILE of the child; 0 = inherited
        std::uint16_t port = 0;   // 0 = a free loopback port
        bool reuse_port = false;  // server.reuse_port, for several processes on one port
        std::vector<std::string> extra_args;  // after --config FILE
        // Embedded Redis only (redis_port 0): its data_dir ("" = one inside this process' work
        // dir; give the same one to two processes to share it) and more keys under
        // embedded_redis:, each line indented by two spaces, e.g. "  maxmemory_mb: 64\n".
        std::string embedded_data_dir;
        std::string embedded_redis_yaml;
        // Throws on exit during start-up (false: the constructor returns; exit_status() says how).
        bool expect_start = true;
        // Non-empty: the config's whole redis: section instead of one for redis_port (e.g. with
        // a sentinel: subsection).
        std::string redis_yaml;
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
    // The exit status if kayou has exited (-1 while it runs), reaping it.
    int exit_status();
    // The pid of the embedded redis-server as last logged (started or restarted); -1 if none.
    pid_t embedded_redis_pid() const;
    // The Unix socket of the embedded Redis ("" when it listens on TCP).
    std::string embedded_redis_socket() const;

private:
    Options options_;
    std::string work_dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    int exit_status_ = -1;
    std::string embedded_data_dir_;
};

// The bearer token of the faq_editor account in shipped_content_yaml().
inline constexpr const char* kTestEditorToken = "kayou-demo-editor";

// Config lines for a kayou that answers from the shipped scripts: the join flow, districts and
// calendar of config/, a data key, an faq_editor account (kTestEditorToken) and content seeded
// from faq/data, polled every 100 ms. Channels are the caller's; more_admin_tokens are further
// items of admin.tokens ("    - name: …\n      token_sha256: …\n      role: …\n").
std::string shipped_content_yaml(const std::string& more_admin_tokens = "");

// The version of `kind` (faq, benefits, stations) this process serves, as the editor sees it;
// -1 when it cannot be read.
int serving_version(const KayouProcess& kayou, const std::string& kind);

}  // namespace kayou::test
