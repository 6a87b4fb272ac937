// The chaos test of issue 12, bounded (well under 2 minutes): the real kayou binary, a real
// redis-server with AOF, and the fake provider switching between OK, 500, hang, read-then-drop
// (sent or not), refusing connections, and a total outage of both providers longer than the old
// retry budget; kayou is killed with SIGKILL three times and Redis once while approvals and sends
// are in flight. Every approval must end with exactly one SMS that went out, or an alert to the
// reviewer — none lost silently, none sent twice — and every unknown outcome settled by a status
// query. The counts are printed.
//
// Timings are compressed through the sender's config (backoff cap 1 s, status queries 0.5 s after
// a send, absence conclusive after 2 s, requests time out after 0.5 s); the outage lasts
// KAYOU_CHAOS_OUTAGE_S seconds (default 20: longer than the ~15 s after which the old sender gave
// an approval SMS up for good).
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "crypto/hash.hpp"
#include "members/application_store.hpp"
#include "tests/support/chat_client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/numbered_application.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace kayou::test {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Behaviour = FakeSmsProvider::Behaviour;
using Clock = std::chrono::steady_clock;

constexpr const char* kCityToken = "chaos-city-token";
constexpr int kApprovals = 200;

int outage_seconds() {
    const char* text = std::getenv("KAYOU_CHAOS_OUTAGE_S");
    return text ? std::max(1, std::atoi(text)) : 20;
}

// One redis-cli for many commands (one line of output each): polling 200 messages stays cheap.
std::vector<std::string> redis_batch(std::uint16_t port, const std::vector<std::string>& commands) {
    char path[] = "/tmp/kayou-chaos-XXXXXX";
    const int fd = ::mkstemp(path);
    std::string script;
    for (const auto& c : commands) script += c + "\n";
    [[maybe_unused]] auto n = ::write(fd, script.data(), script.size());
    ::close(fd);
    std::vector<std::string> lines;
    const std::string command =
        "redis-cli -p " + std::to_string(port) + " --raw < " + std::string(path);
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        std::string current;
        while (std::fgets(buffer, sizeof buffer, pipe)) {
            current += buffer;
            if (!current.empty() && current.back() == '\n') {
                current.pop_back();
                lines.push_back(current);
                current.clear();
            }
        }
        ::pclose(pipe);
    }
    ::unlink(path);
    return lines;
}

// A free loopback port below the ephemeral range: kayou is restarted on it several times, and
// in between no outgoing connection may take it as its source port.
std::uint16_t quiet_port() {
    std::mt19937 pick{std::random_device{}()};
    for (;;) {
        const auto port =
            static_cast<std::uint16_t>(std::uniform_int_distribution<int>(20000, 32000)(pick));
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (free) return port;
    }
}

struct Counts {
    int sent_once = 0;           // exactly one SMS went out
    int alerted = 0;             // failed, with an alert to the reviewer
    int duplicates = 0;          // more than one went out
    int lost = 0;                // none went out, no alert
    int unknown_settled = 0;     // an unknown outcome settled by a status query
    int resent_after_query = 0;  // confirmed "not sent", then sent once
};

TEST(Chaos, EveryApprovalEndsWithOneSmsOrAnAlert) {
    RedisServer redis({.aof = true});
    FakeSmsProvider fake;
    SmsSetup setup;
    setup.fallback = "aliyun";
    setup.sender_extra =
        "    backoff_base_ms: 100\n    backoff_cap_ms: 1000\n    claim_idle_ms: 1500\n"
        "    status_check_after_ms: 500\n    status_check_interval_ms: 500\n"
        "    status_absent_after_ms: 2000\n    unknown_wait_ms: 20000\n"
        "    alert_after_ms: 600000\n";
    KayouProcess::Options options;
    options.redis_port = redis.port();
    options.port = quiet_port();
    options.extra_yaml = sms_yaml(fake, setup);
    // request_timeout_ms 500 comes from sms_yaml: a hang becomes an unknown outcome.
    options.extra_yaml += "  limits:\n    same_template_interval_s: 0\n";
    options.extra_yaml += "admin:\n  tokens:\n    - name: city\n      token_sha256: " +
                          crypto::sha256_hex(kCityToken) + "\n      role: city_admin\n";
    options.extra_yaml += "review:\n  sweep_enabled: false\n";
    options.log_level = "warn";
    auto kayou = std::make_unique<KayouProcess>(options);
    ASSERT_TRUE(kayou->wait_ready());

    // The applications, as the join dialog stores them (one phone each).
    std::vector<std::string> ids;
    std::vector<std::string> phones;
    {
        redis::Config config;
        config.port = redis.port();
        asio::io_context io;
        auto client = redis::Client::create(io.get_executor(), config);
        client->start();
        auto connected = asio::co_spawn(io, client->wait_connected(3s), asio::use_future);
        while (connected.wait_for(0ms) != std::future_status::ready) io.run_for(5ms);
        ASSERT_TRUE(connected.get());
        auto box = *crypto::SealedBox::from_base64_key(kSmsDataKey);
        members::ApplicationStore store(client, box, setup.prefix);
        for (int i = 0; i < kApprovals; ++i) {
            auto a = test::numbered_application(i, "chaos");
            const std::string mobile = a.mobile;
            auto future = asio::co_spawn(io, store.submit(std::move(a)), asio::use_future);
            io.restart();
            while (future.wait_for(0ms) != std::future_status::ready) io.run_for(5ms);
            ids.push_back(future.get().application.id);
            phones.push_back(mobile);
        }
        client->stop();
        io.run_for(50ms);
    }

    // Approvals, as reviewers tap 通过: retried while kayou or Redis is down (503 / no answer).
    std::map<std::string, std::string> sms_of;  // application -> sms id
    std::mutex sms_mutex;
    std::atomic<int> approved{0};
    std::atomic<bool> approvals_done{false};
    std::atomic<int> retries{0};
    std::atomic<bool> give_up{false};
    std::thread approver([&] {
        for (const auto& id : ids) {
            while (!give_up) {
                auto answer = http_request(
                    options.port, "POST", "/admin/api/review/applications/" + id + "/approve", {},
                    {{"Authorization", std::string("Bearer ") + kCityToken}}, 3s);
                if (answer.status == 200) {
                    auto body = nlohmann::json::parse(answer.body, nullptr, false);
                    std::lock_guard lock(sms_mutex);
                    sms_of[id] = body.value("sms_id", "");
                    ++approved;
                    break;
                }
                ++retries;
                std::this_thread::sleep_for(50ms);
            }
            std::this_thread::sleep_for(120ms);
        }
        approvals_done = true;
    });

    // The provider's moods, and the kills, on a schedule.
    const auto started = Clock::now();
    auto phase = [&](const char* what, Behaviour behaviour, std::chrono::milliseconds length) {
        fake.set_default(behaviour);
        std::printf("[%5.1f s] provider: %s\n",
                    std::chrono::duration<double>(Clock::now() - started).count(), what);
        std::this_thread::sleep_for(length);
    };
    auto kill_kayou = [&] {
        kayou->kill9();
        std::printf("[%5.1f s] kill -9 kayou\n",
                    std::chrono::duration<double>(Clock::now() - started).count());
        std::this_thread::sleep_for(300ms);
        kayou = std::make_unique<KayouProcess>(options);
    };
    int kayou_kills = 0, redis_kills = 0;
    phase("ok", Behaviour{Behaviour::Kind::ok}, 1500ms);
    phase("read-then-drop (sent)", Behaviour{Behaviour::Kind::read_then_drop}, 1500ms);
    kill_kayou();
    ++kayou_kills;
    phase("500", Behaviour{Behaviour::Kind::http_500}, 1500ms);
    phase("read-then-drop (not sent)", Behaviour{Behaviour::Kind::drop_unsent}, 1500ms);
    phase("hang 3 s (sent)", Behaviour{Behaviour::Kind::hang_then_ok, "", 3000ms}, 1500ms);
    redis.kill9();
    ++redis_kills;
    std::printf("[%5.1f s] kill -9 redis-server\n",
                std::chrono::duration<double>(Clock::now() - started).count());
    std::this_thread::sleep_for(1000ms);
    redis.start();
    phase("ok", Behaviour{Behaviour::Kind::ok}, 1000ms);
    fake.set_refusing(true);
    phase("refusing connections", Behaviour{Behaviour::Kind::ok}, 1500ms);
    fake.set_refusing(false);
    kill_kayou();
    ++kayou_kills;
    phase("read-then-drop (sent)", Behaviour{Behaviour::Kind::read_then_drop}, 1500ms);
    // Both providers down, longer than the old sender's whole retry budget.
    fake.set_refusing(true);
    std::printf("[%5.1f s] total outage for %d s\n",
                std::chrono::duration<double>(Clock::now() - started).count(), outage_seconds());
    std::this_thread::sleep_for(std::chrono::seconds(outage_seconds()) / 2);
    kill_kayou();
    ++kayou_kills;
    fake.set_default(Behaviour{Behaviour::Kind::http_500});
    fake.set_refusing(false);
    std::this_thread::sleep_for(std::chrono::seconds(outage_seconds()) / 2);
    phase("ok until the end", Behaviour{Behaviour::Kind::ok}, 0ms);

    // Everything settles: approvals made, every SMS sent or failed (never stuck).
    const auto settle_deadline = Clock::now() + 60s;
    auto state_of = [&](const std::string& sms_id) {
        return redis_cli1(redis.port(), "HGET " + setup.prefix + "{sms}:msg:" + sms_id + " state");
    };
    auto settled_state = [](const std::string& state) {
        return state == "sent" || state == "delivered" || state == "failed";
    };
    bool settled = false;
    while (Clock::now() < settle_deadline) {
        if (approvals_done) {
            std::vector<std::string> commands;
            {
                std::lock_guard lock(sms_mutex);
                for (const auto& [app, sms] : sms_of)
                    commands.push_back("HGET " + setup.prefix + "{sms}:msg:" + sms + " state");
            }
            const auto states = redis_batch(redis.port(), commands);
            settled = states.size() == commands.size() &&
                      std::all_of(states.begin(), states.end(), settled_state);
            if (settled) break;
        }
        std::this_thread::sleep_for(200ms);
    }
    give_up = true;
    approver.join();
    ASSERT_TRUE(settled) << kayou->log();
    ASSERT_EQ(approved.load(), kApprovals);

    std::string alerts;
    for (const auto& line : redis_cli(redis.port(), "XRANGE " + setup.prefix + "{sms}:alerts - +"))
        alerts += line + "\n";
    Counts counts;
    int unsettled_unknowns = 0;  // an unknown outcome neither queried, resent nor alerted
    std::set<std::string> hit_unknown;
    for (const auto& r : fake.requests())
        if (r.outcome == "read_then_drop" || r.outcome == "drop_unsent" ||
            r.outcome == "hang_then_ok")
            hit_unknown.insert(r.message_id);
    for (const auto& [app, sms] : sms_of) {
        const std::size_t out = fake.went_out_for(sms);
        const auto state = state_of(sms);
        const bool alerted = alerts.find(sms) != std::string::npos;
        const bool failed = state == "failed";
        if (out > 1) ++counts.duplicates;
        if (out == 1 && !failed) ++counts.sent_once;
        if (failed) {
            if (alerted)
                ++counts.alerted;
            else
                ++counts.lost;
        }
        if (out == 0 && !failed) ++counts.lost;
        if (hit_unknown.count(sms)) {
            const auto reason =
                redis_cli1(redis.port(), "HGET " + setup.prefix + "{sms}:msg:" + sms + " reason");
            if (reason == "status_query")
                ++counts.unknown_settled;
            else if (fake.count_for(sms) > 1 && out == 1)
                ++counts.resent_after_query;
            else if (!alerted)
                ++unsettled_unknowns;
        }
    }
    std::size_t queries = fake.queries().size();
    std::printf(
        "chaos: %d approvals (%d retried requests), kayou killed %d times, redis %d time;\n"
        "       %zu provider requests, %zu status queries, %zu messages hit an unknown outcome\n"
        "       sent exactly once %d, failed with an alert %d, duplicates %d, lost silently %d,\n"
        "       unknowns settled by a status query %d, resent after a confirmed not-sent %d\n",
        approved.load(), retries.load(), kayou_kills, redis_kills, fake.requests().size(), queries,
        hit_unknown.size(), counts.sent_once, counts.alerted, counts.duplicates, counts.lost,
        counts.unknown_settled, counts.resent_after_query);
    EXPECT_EQ(counts.duplicates, 0);
    EXPECT_EQ(counts.lost, 0);
    EXPECT_EQ(unsettled_unknowns, 0);
    EXPECT_EQ(counts.sent_once + counts.alerted, kApprovals);
    EXPECT_GE(kayou_kills, 3);
    EXPECT_GE(redis_kills, 1);
    EXPECT_GT(hit_unknown.size(), 0u);
    EXPECT_GT(queries, 0u);
    EXPECT_EQ(fake.bad_signatures(), 0u);
    // Bounded: the default 20 s outage keeps the whole test under 2 minutes; a longer one
    // (KAYOU_CHAOS_OUTAGE_S=120) moves the bound with it.
    EXPECT_LT(Clock::now() - started, 90s + std::chrono::seconds(outage_seconds()));
}

}  // namespace
}  // namespace kayou::test
