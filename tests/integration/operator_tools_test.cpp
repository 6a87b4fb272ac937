// What an operator runs besides kayou itself (issue 13): `kayou --check-config` loads every file a
// start loads and fails on the same broken file the start fails on; scripts/redis-cli.sh reaches
// the Redis a config uses (the embedded one on its socket or on the free port the running kayou
// wrote down); and Prometheus' own checker accepts /metrics.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"

namespace kayou::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct CommandResult {
    int status = -1;     // the exit status; 124 when `timeout` had to stop it
    std::string output;  // stdout and stderr together
};

// Runs a shell command with a deadline (coreutils timeout), collecting what it printed.
CommandResult run_command(const std::string& command, int deadline_seconds = 60) {
    const std::string bounded =
        "timeout -k 5 " + std::to_string(deadline_seconds) + " " + command + " 2>&1";
    CommandResult result;
    FILE* pipe = ::popen(bounded.c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) result.output += buffer;
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string shell_quoted(const std::string& text) { return "'" + text + "'"; }

std::string kayou_binary() { return KAYOU_BINARY; }
std::string source_path(const std::string& relative) {
    return std::string(KAYOU_SOURCE_DIR) + "/" + relative;
}

// A directory with copies of every file a start loads, so a test can break one of them.
struct StartFiles {
    std::string dir;
    StartFiles() {
        char pattern[] = "/tmp/kayou-check-XXXXXX";
        dir = ::mkdtemp(pattern);
        fs::copy(source_path("config/flows"), dir + "/flows", fs::copy_options::recursive);
        fs::copy(source_path("config/calendar"), dir + "/calendar", fs::copy_options::recursive);
        fs::copy_file(source_path("config/districts.yaml"), dir + "/districts.yaml");
        fs::copy_file(source_path("config/sms-templates.yaml"), dir + "/sms-templates.yaml");
        fs::create_directories(dir + "/seeds");
        for (const char* seed : {"legal.yaml", "benefits.yaml", "stations.yaml", "intents.yaml"})
            fs::copy_file(source_path(std::string("faq/data/") + seed), dir + "/seeds/" + seed);
    }
    ~StartFiles() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    // A config naming these files; Redis is the shared test server (never started by a check).
    std::string write_config(const std::string& extra_yaml = {}) const {
        std::ostringstream yaml;
        yaml << "server:\n  listen: 127.0.0.1\n  port: 0\n"
             << "redis:\n  host: 127.0.0.1\n  port: " << RedisServer::shared().port()
             << "\n  connect_timeout_ms: 500\n"
             << "key_prefix: \"kayou:check:" << ::getpid() << ":\"\n"
             << "members:\n  flow_file: " << dir << "/flows/join.yaml\n"
             << "  districts_file: " << dir << "/districts.yaml\n"
             << "  calendar_dir: " << dir << "/calendar\n"
             << "content:\n  seed_dir: " << dir << "/seeds\n"
             << "privacy:\n  data_key: 2JdUanKNbJG2AQTxNXEE06kt3EDf5Do1AeWsLqDDUGY=\n"
             << extra_yaml;
        const std::string path = dir + "/kayou.yaml";
        std::ofstream(path) << yaml.str();
        return path;
    }

    void append(const std::string& relative, const std::string& text) const {
        std::ofstream(dir + "/" + relative, std::ios::app) << text;
    }
};

CommandResult check_config(const std::string& config) {
    return run_command(shell_quoted(kayou_binary()) + " --config " + shell_quoted(config) +
                       " --check-config");
}

// The real start with the same config: it must fail before serving (bounded: a start that
// wrongly succeeded is stopped by the deadline and reported as such).
CommandResult real_start(const std::string& config) {
    return run_command(shell_quoted(kayou_binary()) + " --config " + shell_quoted(config), 20);
}

TEST(CheckConfig, PassesWhenEveryFileAStartLoadsIsValid) {
    StartFiles files;
    const auto result = check_config(files.write_config());
    EXPECT_EQ(result.status, 0) << result.output;
    EXPECT_NE(result.output.find("config ok"), std::string::npos) << result.output;
}

// Found: --check-config said "config ok" for a broken flow file, and the start then failed.
TEST(CheckConfig, BrokenFlowFileFailsAsTheStartFails) {
    StartFiles files;
    files.append("flows/join.yaml", "\nsteps: [never closed\n");
    const auto config = files.write_config();
    const auto checked = check_config(config);
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_EQ(checked.output.find("config ok"), std::string::npos) << checked.output;
    EXPECT_NE(checked.output.find("flows/join.yaml"), std::string::npos) << checked.output;
    const auto started = real_start(config);
    EXPECT_NE(started.status, 0) << started.output;
    EXPECT_NE(started.status, 124) << "the start did not fail: " << started.output;
    EXPECT_NE(started.output.find("flows/join.yaml"), std::string::npos) << started.output;
}

// Found: --check-config said "config ok" with the districts file missing.
TEST(CheckConfig, MissingDistrictsFileFailsAsTheStartFails) {
    StartFiles files;
    fs::remove(files.dir + "/districts.yaml");
    const auto config = files.write_config();
    const auto checked = check_config(config);
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("districts.yaml"), std::string::npos) << checked.output;
    const auto started = real_start(config);
    EXPECT_NE(started.status, 0) << started.output;
    EXPECT_NE(started.status, 124) << "the start did not fail: " << started.output;
    EXPECT_NE(started.output.find("districts.yaml"), std::string::npos) << started.output;
}

TEST(CheckConfig, BrokenCalendarYearFails) {
    StartFiles files;
    std::ofstream(files.dir + "/calendar/2026.yaml") << "holidays: [2026-13-45\n";
    const auto checked = check_config(files.write_config());
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("2026.yaml"), std::string::npos) << checked.output;
}

TEST(CheckConfig, BrokenSmsTemplatesFailWhenSmsIsOn) {
    StartFiles files;
    std::ofstream(files.dir + "/sms-templates.yaml") << "templates: {approved: [\n";
    const std::string sms =
        "sms:\n  provider: local_sink\n  templates_file: " + files.dir + "/sms-templates.yaml\n";
    const auto checked = check_config(files.write_config(sms));
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("sms.templates_file"), std::string::npos) << checked.output;
}

// A start skips a broken seed and serves no answers of its kind: the check refuses it.
TEST(CheckConfig, InvalidContentSeedFails) {
    StartFiles files;
    std::ofstream(files.dir + "/seeds/legal.yaml") << "entries:\n  - id: [\n";
    const auto checked = check_config(files.write_config());
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("seeds/legal.yaml"), std::string::npos) << checked.output;
}

TEST(CheckConfig, MissingSeedDirectoryFails) {
    StartFiles files;
    fs::remove_all(files.dir + "/seeds");
    const auto checked = check_config(files.write_config());
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("content.seed_dir"), std::string::npos) << checked.output;
}

TEST(CheckConfig, EmbeddedRedisBinaryThatIsNotThereFails) {
    StartFiles files;
    // No redis.host: the embedded Redis; write_config's redis: section is replaced.
    std::string config = files.write_config();
    std::ifstream in(config);
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = std::regex_replace(text.str(), std::regex("redis:\n  host: [^\n]*\n"),
                                          "embedded_redis:\n  binary: " + files.dir +
                                              "/no-such-redis-server\n  data_dir: " + files.dir +
                                              "/redis\nredis:\n");
    std::ofstream(config) << yaml;
    const auto checked = check_config(config);
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("embedded_redis.binary"), std::string::npos) << checked.output;
    EXPECT_FALSE(fs::exists(files.dir + "/redis")) << "a check creates nothing";
}

TEST(CheckConfig, BadPrivacyKeyFails) {
    StartFiles files;
    const std::string config = files.write_config();
    std::ifstream in(config);
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream(config) << std::regex_replace(text.str(), std::regex("data_key: [^\n]*"),
                                                "data_key: not-a-key");
    const auto checked = check_config(config);
    EXPECT_NE(checked.status, 0) << checked.output;
    EXPECT_NE(checked.output.find("privacy.data_key"), std::string::npos) << checked.output;
}

std::string redis_cli_script(const std::string& config, const std::string& args) {
    return "env KAYOU_BIN=" + shell_quoted(kayou_binary()) + " " +
           shell_quoted(source_path("scripts/redis-cli.sh")) + " --config " + shell_quoted(config) +
           " " + args;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// Found: the documented `redis-cli XRANGE kayou:audit` could not reach the embedded Redis.
TEST(RedisCliScript, ReachesTheEmbeddedRedisOnItsSocket) {
    KayouProcess kayou(KayouProcess::Options{});
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    const std::string config = kayou.work_dir() + "/kayou.yaml";
    const auto where = run_command(shell_quoted(kayou_binary()) + " --config " +
                                   shell_quoted(config) + " --print-redis");
    EXPECT_EQ(where.status, 0) << where.output;
    EXPECT_NE(where.output.find("socket=" + kayou.embedded_redis_socket()), std::string::npos)
        << where.output;
    const auto set = run_command(redis_cli_script(config, "SET operator:probe reached"));
    EXPECT_EQ(trimmed(set.output), "OK");
    const auto get = run_command(redis_cli_script(config, "GET operator:probe"));
    EXPECT_EQ(trimmed(get.output), "reached");
    const auto audit = run_command(redis_cli_script(config, "XRANGE kayou:audit - +"));
    EXPECT_EQ(audit.status, 0) << audit.output;
}

TEST(RedisCliScript, ReachesTheEmbeddedRedisOnTheFreePortKayouPicked) {
    KayouProcess::Options options;
    options.embedded_redis_yaml = "  unix_socket: false\n";
    KayouProcess kayou(options);
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    std::smatch logged;
    const std::string log = kayou.log();
    ASSERT_TRUE(std::regex_search(
        log, logged, std::regex("\"event\":\"embedded_redis_started\",\"port\":(\\d+)")))
        << log;
    const std::string config = kayou.work_dir() + "/kayou.yaml";
    const auto where = run_command(shell_quoted(kayou_binary()) + " --config " +
                                   shell_quoted(config) + " --print-redis");
    EXPECT_EQ(where.status, 0) << where.output;
    EXPECT_NE(where.output.find("port=" + logged[1].str() + "\n"), std::string::npos)
        << where.output;
    const auto pong = run_command(redis_cli_script(config, "PING"));
    EXPECT_EQ(trimmed(pong.output), "PONG");
}

TEST(RedisCliScript, FreePortWithoutARunningKayouSaysSo) {
    StartFiles files;
    std::string config = files.write_config();
    std::ifstream in(config);
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream(config) << std::regex_replace(
        text.str(), std::regex("redis:\n  host: [^\n]*\n"),
        "embedded_redis:\n  unix_socket: false\n  data_dir: " + files.dir + "/redis\nredis:\n");
    const auto where = run_command(shell_quoted(kayou_binary()) + " --config " +
                                   shell_quoted(config) + " --print-redis");
    EXPECT_NE(where.status, 0) << where.output;
    EXPECT_NE(where.output.find("is kayou running"), std::string::npos) << where.output;
}

TEST(RedisCliScript, PassesTheExternalRedisDatabaseAndPassword) {
    RedisServer guarded({.extra_args = {"--requirepass", "operator-secret-1"}});
    StartFiles files;
    std::string config = files.write_config();
    std::ifstream in(config);
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream(config) << std::regex_replace(
        text.str(), std::regex("redis:\n  host: [^\n]*\n  port: [^\n]*\n"),
        "redis:\n  host: 127.0.0.1\n  port: " + std::to_string(guarded.port()) +
            "\n  database: 3\n  password: \"${KAYOU_TEST_REDIS_PASSWORD}\"\n");
    const auto set = run_command("env KAYOU_TEST_REDIS_PASSWORD=operator-secret-1 " +
                                 redis_cli_script(config, "SET operator:db three"));
    EXPECT_EQ(trimmed(set.output), "OK");
    const auto in_db3 = run_command("env REDISCLI_AUTH=operator-secret-1 redis-cli -p " +
                                    std::to_string(guarded.port()) + " -n 3 GET operator:db");
    EXPECT_EQ(trimmed(in_db3.output), "three");
}

// Found: nothing checked /metrics with Prometheus' own parser and linter.
TEST(MetricsPage, PromtoolCheckMetricsAcceptsIt) {
    const auto promtool = run_command("which promtool");
    ASSERT_EQ(promtool.status, 0)
        << "promtool is not installed: scripts/deps.sh --test installs Debian's prometheus";
    KayouProcess::Options options;
    options.redis_port = RedisServer::shared().port();
    KayouProcess kayou(options);
    ASSERT_TRUE(kayou.wait_ready()) << kayou.log();
    // Series with labels and a histogram: answered routes, a 404 and a 405.
    EXPECT_EQ(http_request(kayou.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(kayou.port(), "GET", "/no-such-route").status, 404);
    EXPECT_EQ(http_request(kayou.port(), "POST", "/join").status, 405);
    const auto metrics = http_request(kayou.port(), "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    ASSERT_NE(metrics.body.find("kayou_http_request_duration_seconds_bucket"), std::string::npos);
    const std::string path = kayou.work_dir() + "/metrics.txt";
    std::ofstream(path) << metrics.body;
    const auto checked = run_command("promtool check metrics < " + shell_quoted(path));
    EXPECT_EQ(checked.status, 0) << checked.output;
    EXPECT_EQ(trimmed(checked.output), "") << "promtool's lint findings";
}

}  // namespace
}  // namespace kayou::test
