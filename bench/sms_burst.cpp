// SMS burst: N messages enqueued into the outbox as fast as Redis takes them, drained by one
// in-process sender into the fake Tencent provider (real HTTP on loopback, TC3 checked), with the
// sender's rate limit at R requests/s. Reports the drain time and the enqueue -> provider-request
// latency (p50/p99/max).
//
//   build-sms/bench/sms_burst [count=10000] [rate=1000] [paced_rate=0]
// paced_rate > 0 enqueues at that rate instead of all at once (the steady-state latency).
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "bench/latency.hpp"
#include "crypto/sealed_box.hpp"
#include "net/http_client.hpp"
#include "notify/providers/provider.hpp"
#include "notify/redis_outbox.hpp"
#include "notify/sender.hpp"
#include "notify/templates.hpp"
#include "redis/client.hpp"
#include "tests/support/fake_sms_provider.hpp"
#include "tests/support/redis_server.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    const double rate = argc > 2 ? std::atof(argv[2]) : 1000;
    const double paced = argc > 3 ? std::atof(argv[3]) : 0;

    kayou::test::RedisServer redis_server;
    kayou::test::FakeSmsProvider fake;

    std::ifstream in(std::string(KAYOU_SOURCE_DIR) + "/config/sms-templates.yaml");
    std::stringstream text;
    text << in.rdbuf();
    auto catalog = kayou::notify::TemplateCatalog::parse(
        std::regex_replace(text.str(), std::regex("ids: \\{\\}"), "ids: {tencent: \"100001\"}"),
        "bench");

    asio::io_context io{1};
    kayou::redis::Config rc;
    rc.port = redis_server.port();
    auto redis = kayou::redis::Client::create(io.get_executor(), rc);
    auto reader = kayou::redis::Client::create(io.get_executor(), rc);
    redis->start();
    reader->start();
    kayou::notify::RedisSmsOutbox outbox(
        redis,
        *kayou::crypto::SealedBox::from_base64_key("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
    kayou::net::HttpClient http(io.get_executor());
    kayou::notify::TencentProviderConfig tc;
    tc.endpoint = fake.url();
    tc.sdk_app_id = "1400000001";
    tc.secret_id = fake.credentials().tencent_secret_id;
    tc.secret_key = fake.credentials().tencent_secret_key;
    auto provider = kayou::notify::make_tencent_provider(tc, catalog, http);
    kayou::notify::SenderOptions options;
    options.rate_per_second = rate;
    options.max_in_flight = 256;
    options.per_phone_hour = 1000;  // distinct phones anyway
    options.per_phone_day = 1000;
    auto sender = kayou::notify::SmsSender::create(io.get_executor(), outbox, reader,
                                                   {provider.get()}, options);

    std::map<std::string, clock_type::time_point> enqueued_at;
    clock_type::time_point start;
    bool enqueue_done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await redis->wait_connected(3000ms);
            co_await reader->wait_connected(3000ms);
            sender->start();
            start = clock_type::now();
            asio::steady_timer timer(io);
            for (int i = 0; i < count; ++i) {
                if (paced > 0) {
                    timer.expires_at(start + std::chrono::microseconds(
                                                 static_cast<std::int64_t>(i * 1e6 / paced)));
                    co_await timer.async_wait(asio::use_awaitable);
                }
                char phone[16];
                std::snprintf(phone, sizeof phone, "139%08d", i);
                kayou::notify::SmsMessage m{
                    phone, "approval", {"A" + std::to_string(i)}, "bench:" + std::to_string(i)};
                const auto t = clock_type::now();
                auto id = co_await outbox.enqueue_id(std::move(m));
                enqueued_at[id] = t;
            }
            enqueue_done = true;
        },
        asio::detached);
    const auto deadline =
        clock_type::now() + std::chrono::seconds(60 + static_cast<int>(count / rate) * 3);
    while (clock_type::now() < deadline) {
        io.run_for(50ms);
        if (enqueue_done && fake.requests().size() >= static_cast<std::size_t>(count)) break;
    }
    const auto requests = fake.requests();
    sender->stop();
    redis->stop();
    reader->stop();
    io.run_for(300ms);

    std::vector<double> latency_ms;
    clock_type::time_point last = start;
    for (const auto& r : requests) {
        auto found = enqueued_at.find(r.message_id);
        if (found == enqueued_at.end()) continue;
        latency_ms.push_back(
            std::chrono::duration<double, std::milli>(r.at - found->second).count());
        last = std::max(last, r.at);
    }
    std::sort(latency_ms.begin(), latency_ms.end());
    auto pct = [&](double p) { return kayou::bench::percentile(latency_ms, p); };
    std::printf("messages=%d rate_limit=%.0f/s paced=%.0f/s requests=%zu bad_signatures=%zu\n",
                count, rate, paced, requests.size(), fake.bad_signatures());
    std::printf("drain_s=%.2f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
                std::chrono::duration<double>(last - start).count(), pct(0.50), pct(0.99),
                latency_ms.empty() ? 0.0 : latency_ms.back());
    return requests.size() >= static_cast<std::size_t>(count) ? 0 : 1;
}
