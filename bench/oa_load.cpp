// Load generator for the WeChat Official Account webhook: safe-mode (AES) encrypted text
// messages with distinct MsgIds over keep-alive connections, as WeChat would send them.
//
//   oa_load --port 8080 --connections 64 --seconds 10            closed loop: maximum turns/s
//   oa_load --port 8080 --connections 64 --seconds 10 --rate 5000  open loop at a fixed rate;
//       latency is measured from each request's scheduled send time, so a stalled server
//       cannot hide its queueing (no coordinated omission)
//
// Credentials must match the server's wechat.official_account config (defaults: the values in
// bench/bench.yaml).
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "crypto/wx_msg_crypt.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
    std::uint16_t port = 8080;
    int connections = 64;
    double seconds = 10;
    double rate = 0;  // requests per second; 0 = closed loop
    std::string token = "kayoubench";
    std::string aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    std::string app_id = "wxkayoubench00001";
    std::size_t prepared = 200'000;
};

// A whole HTTP request, serialized once before the run so the generator spends its CPU on
// sending, not on formatting (it shares the 2 cores with kayou and Redis).
struct Prepared {
    std::string bytes;
};

std::vector<Prepared> prepare(const Options& options) {
    auto crypt = kayou::crypto::WxMsgCrypt::create(options.token, options.aes_key, options.app_id);
    if (!crypt) {
        std::fprintf(stderr, "bad aes key\n");
        std::exit(2);
    }
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string timestamp = std::to_string(now);
    std::vector<Prepared> requests;
    requests.reserve(options.prepared);
    const std::string run_tag = std::to_string(now % 100000);
    for (std::size_t i = 0; i < options.prepared; ++i) {
        const std::string openid = "o_bench_" + std::to_string(i % 5000);
        const std::string msg_id = run_tag + std::to_string(1'000'000'000 + i);
        const std::string plain =
            "<xml><ToUserName><![CDATA[gh_kayoubench]]></ToUserName><FromUserName><![CDATA[" +
            openid + "]]></FromUserName><CreateTime>" + timestamp +
            "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[运费拖欠怎么办 " +
            std::to_string(i) + "]]></Content><MsgId>" + msg_id + "</MsgId></xml>";
        const std::string nonce = std::to_string(100000 + i);
        const std::string encrypt = crypt->encrypt(plain);
        const std::string signature =
            kayou::crypto::wx_msg_signature(options.token, timestamp, nonce, encrypt);
        const std::string target = "/wx/oa?signature=x&timestamp=" + timestamp + "&nonce=" + nonce +
                                   "&openid=" + openid +
                                   "&encrypt_type=aes&msg_signature=" + signature;
        const std::string body =
            "<xml><ToUserName><![CDATA[gh_kayoubench]]></ToUserName><Encrypt><![CDATA[" + encrypt +
            "]]></Encrypt></xml>";
        requests.push_back({"POST " + target +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
                            "Content-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body});
    }
    return requests;
}

struct Run {
    const Options& options;
    const std::vector<Prepared>& requests;
    std::size_t next = 0;
    Clock::time_point start;
    Clock::time_point stop;
    std::vector<double> latencies_ms;
    std::size_t errors = 0;
    std::size_t non_200 = 0;

    // The scheduled send time of request n in open-loop mode.
    Clock::time_point scheduled(std::size_t n) const {
        return start + std::chrono::nanoseconds(static_cast<long long>(n * 1e9 / options.rate));
    }

    asio::awaitable<void> connection() {
        auto executor = co_await asio::this_coro::executor;
        beast::tcp_stream stream(executor);
        auto [connect_error] = co_await stream.socket().async_connect(
            {asio::ip::make_address("127.0.0.1"), options.port},
            asio::as_tuple(asio::use_awaitable));
        if (connect_error) {
            ++errors;
            co_return;
        }
        stream.socket().set_option(tcp::no_delay(true));
        beast::flat_buffer buffer;
        asio::steady_timer timer(executor);
        while (true) {
            const std::size_t n = next++;
            Clock::time_point due = Clock::now();
            if (options.rate > 0) {
                due = scheduled(n);
                if (due >= stop) break;
                if (due > Clock::now()) {
                    timer.expires_at(due);
                    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
                }
            } else if (due >= stop) {
                break;
            }
            const auto& prepared = requests[n % requests.size()];
            auto [write_error, written] = co_await asio::async_write(
                stream, asio::buffer(prepared.bytes), asio::as_tuple(asio::use_awaitable));
            if (write_error) {
                ++errors;
                co_return;
            }
            http::response<http::string_body> response;
            auto [read_error, read] = co_await http::async_read(
                stream, buffer, response, asio::as_tuple(asio::use_awaitable));
            if (read_error) {
                ++errors;
                co_return;
            }
            if (response.result_int() != 200) ++non_200;
            latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - due).count());
        }
    }
};

double percentile(std::vector<double>& values, double p) {
    if (values.empty()) return 0;
    const auto index = static_cast<std::size_t>(p * (values.size() - 1));
    std::nth_element(values.begin(), values.begin() + index, values.end());
    return values[index];
}

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--port")
            options.port = static_cast<std::uint16_t>(std::atoi(value));
        else if (flag == "--connections")
            options.connections = std::atoi(value);
        else if (flag == "--seconds")
            options.seconds = std::atof(value);
        else if (flag == "--rate")
            options.rate = std::atof(value);
        else if (flag == "--token")
            options.token = value;
        else if (flag == "--aes-key")
            options.aes_key = value;
        else if (flag == "--app-id")
            options.app_id = value;
        else if (flag == "--prepared")
            options.prepared = std::strtoul(value, nullptr, 10);
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    const std::size_t wanted = options.rate > 0
                                   ? static_cast<std::size_t>(options.rate * options.seconds) + 1
                                   : options.prepared;
    options.prepared = std::max<std::size_t>(wanted, 1000);
    std::fprintf(stderr, "preparing %zu encrypted requests...\n", options.prepared);
    const auto requests = prepare(options);

    asio::io_context io(1);
    Run run{options, requests};
    run.latencies_ms.reserve(options.prepared);
    run.start = Clock::now() + std::chrono::milliseconds(100);
    run.stop = run.start + std::chrono::microseconds(static_cast<long long>(options.seconds * 1e6));
    for (int c = 0; c < options.connections; ++c)
        asio::co_spawn(io, run.connection(), asio::detached);
    io.run();
    const double elapsed =
        std::chrono::duration<double>(std::min(Clock::now(), run.stop + std::chrono::seconds(5)) -
                                      run.start)
            .count();
    const double measured = options.rate > 0 ? options.seconds : elapsed;
    std::vector<double> latencies = run.latencies_ms;
    std::printf(
        "mode=%s connections=%d seconds=%.1f turns=%zu turns_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
        "max_ms=%.2f non_200=%zu errors=%zu\n",
        options.rate > 0 ? "open" : "closed", options.connections, measured, latencies.size(),
        latencies.size() / measured, percentile(latencies, 0.50), percentile(latencies, 0.99),
        latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end()), run.non_200,
        run.errors);
    return run.errors || run.non_200 ? 1 : 0;
}
