// Approval burst (issue 4): N applications approved through the real review API of the real kayou
// binary; the approval SMS drained by kayou's sender into the fake Tencent provider (real HTTP on
// loopback, TC3 checked) at the sender's rate limit. Reports the drain time and the latency from
// the reviewer's click (the approve request leaving the client) to the signed provider request.
//
//   build/bench/approval_burst [count=10000] [rate_limit=1000] [paced_rate=0] [connections=8]
// paced_rate > 0 spreads the approvals at that total rate (the steady state); 0 = as fast as the
// connections go (the burst). Needs the kayou binary built (KAYOU_BINARY) and redis-server.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench/latency.hpp"
#include "crypto/hash.hpp"
#include "members/application_store.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/kayou_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using kayou::test::FakeSmsProvider;

namespace {

constexpr const char* kToken = "bench-city-admin";

// Submits `count` applications in wujin (distinct phones and ID numbers), 200 per round trip
// batch of the test connection.
std::vector<std::string> submit_applications(kayou::test::Outbox& redis, const std::string& prefix,
                                             int count) {
    kayou::members::ApplicationStore store(redis.client(), redis.box(), prefix);
    std::vector<std::string> ids(count);
    auto submit_range = [&](int from, int to) -> asio::awaitable<int> {
        for (int i = from; i < to; ++i) {
            kayou::members::NewApplication a;
            char digits[32];
            a.name = "王师傅";
            std::snprintf(digits, sizeof digits, "3201021990%08d", i);
            a.id_card = digits;
            std::snprintf(digits, sizeof digits, "139%08d", i);
            a.mobile = digits;
            a.plate = "苏D12345";
            a.district = "wujin";
            a.employer = "顺丰速运";
            a.channel = "bench";
            a.driver = std::string("bench:") + digits;
            const auto now = std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
            a.submitted = now;
            a.deadline = now + std::chrono::hours(24);
            auto result = co_await store.submit(std::move(a));
            ids[i] = result.application.id;
        }
        co_return to - from;
    };
    for (int from = 0; from < count; from += 200)
        redis.run(submit_range(from, std::min(count, from + 200)));
    return ids;
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int rate_limit = argc > 2 ? std::atoi(argv[2]) : 1000;
    const double paced = argc > 3 ? std::atof(argv[3]) : 0;
    const int connections = argc > 4 ? std::atoi(argv[4]) : 8;

    FakeSmsProvider fake;
    kayou::test::SmsSetup setup;
    setup.sender_extra =
        "    rate_per_second: " + std::to_string(rate_limit) + "\n    max_in_flight: 256\n";
    kayou::test::KayouProcess::Options options;
    options.redis_port = kayou::test::RedisServer::shared().port();
    options.log_level = "warn";
    options.extra_yaml = kayou::test::sms_yaml(fake, setup) +
                         "  limits:\n    per_phone_hour: 1000\n    per_phone_day: 1000\n" +
                         "admin:\n  tokens:\n    - name: bench\n      token_sha256: " +
                         kayou::crypto::sha256_hex(kToken) + "\n      role: city_admin\n" +
                         "review:\n  sweep_enabled: false\n";
    kayou::test::KayouProcess kayou(options);
    if (!kayou.wait_ready()) {
        std::fprintf(stderr, "kayou not ready:\n%s\n", kayou.log().c_str());
        return 1;
    }
    kayou::test::Outbox redis(setup.prefix);
    const auto submit_start = clock_type::now();
    const auto ids = submit_applications(redis, setup.prefix, count);
    std::printf("submitted %d applications in %.1f s\n", count,
                std::chrono::duration<double>(clock_type::now() - submit_start).count());

    std::mutex mutex;
    std::map<std::string, clock_type::time_point> clicked;  // sms id -> approve request sent
    std::atomic<int> next{0}, failures{0};
    const auto start = clock_type::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c)
        threads.emplace_back([&] {
            kayou::test::HttpConnection connection(kayou.port(), 30s);
            const kayou::test::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
            for (int i = next++; i < count; i = next++) {
                if (paced > 0)
                    std::this_thread::sleep_until(
                        start + std::chrono::microseconds(static_cast<long>(i * 1e6 / paced)));
                const auto t = clock_type::now();
                auto answer = connection.request(
                    "POST", "/admin/api/review/applications/" + ids[i] + "/approve", "", auth);
                auto body = nlohmann::json::parse(answer.body, nullptr, false);
                if (answer.status != 200 || !body.contains("sms_id")) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(mutex);
                clicked[body["sms_id"].get<std::string>()] = t;
            }
        });
    for (auto& t : threads) t.join();
    const auto approvals_done = clock_type::now();
    fake.wait_for_requests(static_cast<std::size_t>(count - failures),
                           std::chrono::seconds(60 + 3 * count / std::max(1, rate_limit)));
    const auto requests = fake.requests();

    std::vector<double> latency_ms;
    clock_type::time_point last = start;
    for (const auto& r : requests) {
        auto found = clicked.find(r.message_id);
        if (found == clicked.end()) continue;
        latency_ms.push_back(
            std::chrono::duration<double, std::milli>(r.at - found->second).count());
        last = std::max(last, r.at);
    }
    std::sort(latency_ms.begin(), latency_ms.end());
    auto pct = [&](double p) { return kayou::bench::percentile(latency_ms, p); };
    std::printf(
        "approvals=%d failed=%d connections=%d rate_limit=%d/s paced=%.0f/s requests=%zu "
        "bad_signatures=%zu\n",
        count, failures.load(), connections, rate_limit, paced, requests.size(),
        fake.bad_signatures());
    std::printf(
        "approve_s=%.2f (%.0f approvals/s) drain_s=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
        std::chrono::duration<double>(approvals_done - start).count(),
        count / std::chrono::duration<double>(approvals_done - start).count(),
        std::chrono::duration<double>(last - start).count(), pct(0.50), pct(0.99),
        latency_ms.empty() ? 0.0 : latency_ms.back());
    return failures == 0 && latency_ms.size() >= static_cast<std::size_t>(count) ? 0 : 1;
}
