// The cost of WAIT 1 on the writes the promise rests on (docs/BENCHMARKS.md "WAIT cost"):
// application submits through members::ApplicationStore, on a primary with one replica (real
// redis-server processes on loopback), with Config::wait_replicas 0 and 1. One at a time (the
// latency a driver's last turn or a reviewer's tap sees) and 32 at a time (throughput).
//
//   build/bench/wait_cost [count]
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/latency.hpp"
#include "crypto/sealed_box.hpp"
#include "members/application_store.hpp"
#include "redis/client.hpp"
#include "tests/support/numbered_application.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sms_fixture.hpp"

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Figures {
    double p50 = 0, p99 = 0, max = 0, per_second = 0;
};

Figures measure(std::uint16_t port, int wait_replicas, int count, int parallel, int first_id) {
    asio::io_context io;
    kayou::redis::Config config;
    config.port = port;
    config.wait_replicas = wait_replicas;
    config.wait_timeout = 500ms;
    auto client = kayou::redis::Client::create(io.get_executor(), config);
    client->start();
    const auto box = *kayou::crypto::SealedBox::from_base64_key(kayou::test::kSmsDataKey);
    kayou::members::ApplicationStore store(client, box, "bench" + std::to_string(first_id) + ":");
    std::vector<double> latencies;
    latencies.reserve(count);
    int next = 0;
    int running = parallel;
    auto worker = [&]() -> asio::awaitable<void> {
        co_await client->wait_connected(3s);
        while (next < count) {
            const int i = next++;
            const auto start = Clock::now();
            auto result =
                co_await store.submit(kayou::test::numbered_application(first_id + i, "bench"));
            if (!result.created) std::abort();
            latencies.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        // The connection keeps a read pending: io.run() returns once the last worker stops it.
        if (--running == 0) client->stop();
    };
    const auto start = Clock::now();
    std::vector<std::future<void>> done;
    for (int w = 0; w < parallel; ++w)
        done.push_back(asio::co_spawn(io, worker(), asio::use_future));
    io.run();
    for (auto& d : done) d.get();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    return Figures{kayou::bench::percentile(latencies, 0.50),
                   kayou::bench::percentile(latencies, 0.99), latencies.back(), count / seconds};
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 5000;
    const std::vector<std::string> sync{"--repl-diskless-sync-delay", "0"};
    kayou::test::RedisServer primary({.extra_args = sync});
    std::vector<std::string> replica_args = sync;
    replica_args.push_back("--replicaof");
    replica_args.push_back("127.0.0.1");
    replica_args.push_back(std::to_string(primary.port()));
    kayou::test::RedisServer replica({.extra_args = replica_args});
    const auto deadline = Clock::now() + 15s;
    while (primary.command("INFO replication").find("state=online") == std::string::npos) {
        if (Clock::now() > deadline) {
            std::fprintf(stderr, "the replica did not come online\n");
            return 1;
        }
        std::this_thread::sleep_for(20ms);
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::printf("%d application submits each, primary + 1 replica on loopback\n", count);
    std::printf(
        "| WAIT | in flight | submits/s | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    int first_id = 0;
    for (const int parallel : {1, 32}) {
        for (const int wait : {0, 1}) {
            const auto f = measure(primary.port(), wait, count, parallel, first_id);
            first_id += count;
            std::printf("| %s | %d | %.0f | %.2f | %.2f | %.2f |\n", wait ? "WAIT 1 500" : "off",
                        parallel, f.per_second, f.p50, f.p99, f.max);
        }
    }
    return 0;
}
