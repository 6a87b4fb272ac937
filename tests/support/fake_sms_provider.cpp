#include "tests/support/fake_sms_provider.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "crypto/hash.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/signing/tencent_tc3.hpp"
#include "notify/signing/twilio.hpp"

namespace kayou::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct FakeSmsProvider::Impl : std::enable_shared_from_this<FakeSmsProvider::Impl> {
    Credentials credentials;
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    std::thread thread;

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::deque<Behaviour> scripted;
    Behaviour fallback;
    std::vector<FakeSmsRequest> accepted;
    std::size_t bad = 0;
    std::uint64_t serial_counter = 0;
    int rate_limit = 0;
    std::chrono::steady_clock::time_point window_start = std::chrono::steady_clock::now();
    int window_count = 0;

    Behaviour next_behaviour() {
        std::lock_guard lock(mutex);
        if (!scripted.empty()) {
            auto b = scripted.front();
            scripted.pop_front();
            return b;
        }
        return fallback;
    }

    bool over_rate() {
        std::lock_guard lock(mutex);
        if (rate_limit <= 0) return false;
        const auto now = std::chrono::steady_clock::now();
        if (now - window_start >= std::chrono::seconds(1)) {
            window_start = now;
            window_count = 0;
        }
        return ++window_count > rate_limit;
    }

    void record(FakeSmsRequest request) {
        std::lock_guard lock(mutex);
        accepted.push_back(std::move(request));
        changed.notify_all();
    }

    std::string new_serial() {
        std::lock_guard lock(mutex);
        return "2433:" + std::to_string(1000000 + ++serial_counter);
    }

    // Tencent: recompute the Authorization from what was received, exactly as the API gateway
    // does (the timestamp and host are taken from the request, the secret is ours).
    bool tencent_signature_ok(const http::request<http::string_body>& req) {
        const std::string authorization(req[http::field::authorization]);
        const std::string host(req[http::field::host]);
        const std::string content_type(req[http::field::content_type]);
        const std::string timestamp(req["X-TC-Timestamp"]);
        if (authorization.empty() || timestamp.empty()) return false;
        notify::tencent::Tc3Input input;
        input.secret_id = credentials.tencent_secret_id;
        input.secret_key = credentials.tencent_secret_key;
        input.host = host;
        input.action = req["X-TC-Action"];
        input.content_type = content_type;
        input.payload = req.body();
        try {
            input.timestamp = std::stoll(timestamp);
        } catch (const std::exception&) {
            return false;
        }
        input.signed_headers =
            authorization.find("content-type;host;x-tc-action") != std::string::npos
                ? notify::tencent::SignedHeaderSet::content_type_host_action
                : notify::tencent::SignedHeaderSet::content_type_host;
        const auto expected = notify::tencent::sign_tc3(input).authorization;
        return crypto::constant_time_equal(expected, authorization);
    }

    bool aliyun_signature_ok(const std::vector<notify::signing::Param>& params) {
        std::string signature;
        for (const auto& [name, value] : params)
            if (name == "Signature") signature = value;
        if (signature.empty()) return false;
        const auto expected =
            notify::aliyun::rpc_signature("POST", params, credentials.aliyun_access_key_secret);
        return crypto::constant_time_equal(expected, signature);
    }

    asio::awaitable<http::response<http::string_body>> answer(
        http::request<http::string_body>& req) {
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        const bool aliyun =
            std::string(req[http::field::content_type]).find("x-www-form-urlencoded") !=
            std::string::npos;
        FakeSmsRequest seen;
        seen.at = std::chrono::steady_clock::now();
        std::vector<notify::signing::Param> form;
        if (aliyun) {
            seen.provider = "aliyun";
            try {
                form = notify::twilio::parse_form_urlencoded(req.body());
            } catch (const std::exception&) {
            }
            if (!aliyun_signature_ok(form)) {
                {
                    std::lock_guard lock(mutex);
                    ++bad;
                }
                res.result(http::status::bad_request);
                res.body() = R"({"Code":"SignatureDoesNotMatch","Message":"bad signature"})";
                co_return res;
            }
            for (const auto& [name, value] : form) {
                if (name == "OutId") seen.message_id = value;
                if (name == "PhoneNumbers") seen.phone = value;
                if (name == "TemplateCode") seen.template_id = value;
                if (name == "TemplateParam") seen.params = {value};
            }
        } else {
            seen.provider = "tencent";
            if (!tencent_signature_ok(req)) {
                {
                    std::lock_guard lock(mutex);
                    ++bad;
                }
                res.body() =
                    R"({"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"r0"}})";
                co_return res;
            }
            auto body = nlohmann::json::parse(req.body(), nullptr, false);
            if (body.is_object()) {
                seen.message_id = body.value("SessionContext", "");
                if (body.contains("PhoneNumberSet") && !body["PhoneNumberSet"].empty())
                    seen.phone = body["PhoneNumberSet"][0].get<std::string>();
                seen.template_id = body.value("TemplateId", "");
                if (body.contains("TemplateParamSet"))
                    for (const auto& p : body["TemplateParamSet"])
                        seen.params.push_back(p.get<std::string>());
            }
        }
        auto behaviour = next_behaviour();
        if (behaviour.kind == Behaviour::Kind::ok && !aliyun && over_rate()) {
            behaviour.kind = Behaviour::Kind::error_code;
            behaviour.code = "RequestLimitExceeded";
        }
        if (behaviour.kind == Behaviour::Kind::hang_then_ok) {
            asio::steady_timer timer(io, behaviour.delay);
            co_await timer.async_wait(asio::use_awaitable);
        }
        switch (behaviour.kind) {
            case Behaviour::Kind::ok:
            case Behaviour::Kind::hang_then_ok:
                seen.serial = new_serial();
                seen.outcome = behaviour.kind == Behaviour::Kind::ok ? "ok" : "hang_then_ok";
                if (aliyun)
                    res.body() = nlohmann::json{
                        {"Code", "OK"},
                        {"Message", "OK"},
                        {"BizId", seen.serial},
                        {"RequestId",
                         "r1"}}.dump();
                else
                    res.body() = nlohmann::json{{"Response",
                                                 {{"SendStatusSet",
                                                   {{{"SerialNo", seen.serial},
                                                     {"PhoneNumber", seen.phone},
                                                     {"Fee", 1},
                                                     {"SessionContext", seen.message_id},
                                                     {"Code", "Ok"},
                                                     {"Message", "send success"},
                                                     {"IsoCode", "CN"}}}},
                                                  {"RequestId", "r1"}}}}
                                     .dump();
                break;
            case Behaviour::Kind::http_500:
                seen.outcome = "http_500";
                res.result(http::status::internal_server_error);
                res.set(http::field::content_type, "text/html");
                res.body() = "<html>500 Internal Server Error</html>";
                break;
            case Behaviour::Kind::error_code:
                seen.outcome = behaviour.code;
                if (aliyun)
                    res.body() = nlohmann::json{
                        {"Code", behaviour.code},
                        {"Message", "fake"},
                        {"RequestId",
                         "r2"}}.dump();
                else
                    res.body() = nlohmann::json{
                        {"Response",
                         {{"Error", {{"Code", behaviour.code}, {"Message", "fake"}}},
                          {"RequestId",
                           "r2"}}}}.dump();
                break;
        }
        record(std::move(seen));
        co_return res;
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        try {
            for (;;) {
                http::request<http::string_body> req;
                co_await http::async_read(stream, buffer, req, asio::use_awaitable);
                auto res = co_await answer(req);
                res.keep_alive(req.keep_alive());
                res.prepare_payload();
                co_await http::async_write(stream, res, asio::use_awaitable);
                if (!req.keep_alive()) break;
            }
        } catch (const std::exception&) {
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        for (;;) {
            auto socket = co_await acceptor.async_accept(asio::use_awaitable);
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }
};

FakeSmsProvider::FakeSmsProvider() : FakeSmsProvider(Credentials{}) {}

FakeSmsProvider::FakeSmsProvider(Credentials credentials) : impl_(std::make_shared<Impl>()) {
    impl_->credentials = std::move(credentials);
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    asio::co_spawn(
        impl_->io,
        [impl = impl_]() -> asio::awaitable<void> {
            try {
                co_await impl->accept_loop();
            } catch (const std::exception&) {
            }
        },
        asio::detached);
    impl_->thread = std::thread([impl = impl_] { impl->io.run(); });
}

FakeSmsProvider::~FakeSmsProvider() {
    impl_->io.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint16_t FakeSmsProvider::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string FakeSmsProvider::url() const {
    return "http://127.0.0.1:" + std::to_string(port()) + "/";
}

const FakeSmsProvider::Credentials& FakeSmsProvider::credentials() const {
    return impl_->credentials;
}

void FakeSmsProvider::script(std::vector<Behaviour> next) {
    std::lock_guard lock(impl_->mutex);
    for (auto& b : next) impl_->scripted.push_back(std::move(b));
}

void FakeSmsProvider::set_default(Behaviour fallback) {
    std::lock_guard lock(impl_->mutex);
    impl_->fallback = std::move(fallback);
}

void FakeSmsProvider::set_rate_limit(int per_second) {
    std::lock_guard lock(impl_->mutex);
    impl_->rate_limit = per_second;
}

std::vector<FakeSmsRequest> FakeSmsProvider::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->accepted;
}

std::size_t FakeSmsProvider::bad_signatures() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->bad;
}

std::size_t FakeSmsProvider::count_for(const std::string& message_id) const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& r : impl_->accepted)
        if (r.message_id == message_id) ++n;
    return n;
}

bool FakeSmsProvider::wait_for_requests(std::size_t n, std::chrono::milliseconds deadline) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, deadline, [&] { return impl_->accepted.size() >= n; });
}

std::optional<FakeSmsRequest> FakeSmsProvider::wait_for(
    const std::function<bool(const FakeSmsRequest&)>& wanted,
    std::chrono::milliseconds deadline) const {
    std::unique_lock lock(impl_->mutex);
    std::optional<FakeSmsRequest> found;
    impl_->changed.wait_for(lock, deadline, [&] {
        for (const auto& request : impl_->accepted)
            if (wanted(request)) {
                found = request;
                return true;
            }
        return false;
    });
    return found;
}

}  // namespace kayou::test
