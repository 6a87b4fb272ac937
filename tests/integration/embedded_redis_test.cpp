// The embedded redis-server under supervision (issue 12), against the real kayou binary: killed,
// it is restarted on the same AOF and /readyz is 200 again within 5 s with nothing lost; two
// kayous never share one data directory; a kayou restarted right after kill -9 (even on a fixed
// TCP port) comes up instead of losing a port race; a start that cannot bring Redis up exits
// non-zero instead of logging "started" and answering 503 forever.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "tests/support/chat_client.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

using namespace std::chrono_literals;

// redis-cli over the embedded server's Unix socket.
std::string cli(const std::string& socket, const std::string& args) {
    const std::string command = "redis-cli -s '" + socket + "' --raw " + args + " 2>&1";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        ::pclose(pipe);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

int readyz(const KayouProcess& kayou) {
    return http_request(kayou.port(), "GET", "/readyz", {}, {}, 1s).status;
}

struct TempDir {
    std::string path;
    TempDir() {
        char pattern[] = "/tmp/kayou-redis-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

// Found: killing the embedded redis-server left kayou answering 503 forever.
TEST(EmbeddedRedis, KilledServerIsRestartedOnTheSameAofWithinFiveSeconds) {
    KayouProcess kayou(KayouProcess::Options{});
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    const std::string socket = kayou.embedded_redis_socket();
    ASSERT_TRUE(std::filesystem::exists(socket)) << "listens on a Unix socket in its data_dir";
    for (int i = 0; i < 200; ++i)
        ASSERT_EQ(cli(socket, "SET kept:" + std::to_string(i) + " v" + std::to_string(i)), "OK");

    for (int round = 0; round < 2; ++round) {
        const pid_t first = kayou.embedded_redis_pid();
        ASSERT_GT(first, 0) << kayou.log();
        ASSERT_EQ(::kill(first, SIGKILL), 0);
        const auto killed = std::chrono::steady_clock::now();
        // 503 while it is down (or already restarted: it may be that fast).
        const int during = readyz(kayou);
        EXPECT_TRUE(during == 503 || during == 200) << during;
        ASSERT_TRUE(kayou.wait_ready(5s)) << kayou.log();
        const auto took = std::chrono::steady_clock::now() - killed;
        std::printf("round %d: /readyz 200 again %lld ms after kill -9 of redis-server\n", round,
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        EXPECT_LT(took, 5s);
        EXPECT_NE(kayou.embedded_redis_pid(), first);
    }
    for (int i = 0; i < 200; i += 37)
        EXPECT_EQ(cli(socket, "GET kept:" + std::to_string(i)), "v" + std::to_string(i));
    EXPECT_EQ(cli(socket, "DBSIZE").empty(), false);
    const auto log = kayou.log();
    EXPECT_NE(log.find("embedded_redis_died"), std::string::npos);
    EXPECT_NE(log.find("embedded_redis_restarted"), std::string::npos);
    auto metrics = http_request(kayou.port(), "GET", "/metrics");
    EXPECT_NE(metrics.body.find("kayou_embedded_redis_restarts_total 2"), std::string::npos);
}

TEST(EmbeddedRedis, TwoKayousNeverShareOneDataDirectory) {
    TempDir dir;
    KayouProcess::Options options;
    options.embedded_data_dir = dir.path;
    KayouProcess first(options);
    ASSERT_TRUE(first.wait_ready());
    options.embedded_redis_yaml = "  lock_wait_ms: 300\n";
    options.expect_start = false;
    KayouProcess second(options);
    int status = -1;
    for (int i = 0; i < 100 && status < 0; ++i) {
        status = second.exit_status();
        if (status < 0) std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(status, 1) << second.log();
    EXPECT_NE(second.log().find("in use by another kayou"), std::string::npos) << second.log();
    EXPECT_EQ(second.log().find("\"started\""), std::string::npos);
    EXPECT_EQ(readyz(first), 200);
}

// Found: with a fixed embedded_redis.port, an immediate restart of kayou lost the port race
// ("Address already in use"), logged "started" anyway and stayed 503.
TEST(EmbeddedRedis, ImmediateRestartAfterKillNineComesUpEvenOnAFixedPort) {
    TempDir dir;
    KayouProcess::Options options;
    options.embedded_data_dir = dir.path;
    options.embedded_redis_yaml =
        "  unix_socket: false\n  port: " + std::to_string(RedisServer::free_port()) + "\n";
    auto first = std::make_unique<KayouProcess>(options);
    ASSERT_TRUE(first->wait_ready());
    auto written = http_request(first->port(), "GET", "/readyz");
    ASSERT_EQ(written.status, 200);
    for (int round = 0; round < 3; ++round) {
        first->kill9();
        first = std::make_unique<KayouProcess>(options);
        EXPECT_TRUE(first->wait_ready(10s)) << first->log();
        EXPECT_EQ(first->log().find("Address already in use"), std::string::npos);
    }
}

// A start that cannot bring Redis up exits non-zero (it does not log "started" and stay 503).
TEST(EmbeddedRedis, StartThatCannotBringRedisUpExitsNonZero) {
    KayouProcess::Options options;
    options.embedded_redis_yaml = "  binary: /bin/false\n  start_timeout_ms: 2000\n";
    options.expect_start = false;
    KayouProcess kayou(options);
    int status = -1;
    for (int i = 0; i < 100 && status < 0; ++i) {
        status = kayou.exit_status();
        if (status < 0) std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(status, 1) << kayou.log();
    EXPECT_NE(kayou.log().find("did not start"), std::string::npos) << kayou.log();
    EXPECT_EQ(kayou.log().find("\"started\""), std::string::npos);
}

}  // namespace
}  // namespace kayou::test
