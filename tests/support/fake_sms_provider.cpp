#include "tests/support/fake_sms_provider.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "crypto/hash.hpp"
#include "notify/signing/aliyun_rpc.hpp"
#include "notify/signing/tencent_tc3.hpp"
#include "notify/signing/twilio.hpp"
#include "tests/support/loopback_http_server.hpp"

namespace kayou::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct FakeSmsProvider::Impl {
    Credentials credentials;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::deque<Behaviour> scripted;
    Behaviour fallback;
    std::vector<FakeSmsRequest> accepted;
    std::vector<FakeStatusQuery> asked;
    std::size_t bad = 0;
    bool queries_failing = false;
    bool echo_session_context = true;
    std::uint64_t serial_counter = 0;
    int rate_limit = 0;
    std::chrono::steady_clock::time_point window_start = std::chrono::steady_clock::now();
    int window_count = 0;
    // Last: stopped, and its connections ended, before any member above goes. A stable port:
    // set_refusing(false) listens on it again.
    LoopbackHttpServer server{
        [this](const LoopbackHttpServer::Request& req) { return answer(req); },
        LoopbackHttpServer::Port::stable};

    explicit Impl(Credentials c) : credentials(std::move(c)) {}

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

    static std::int64_t unix_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    // "20250601": the Beijing date of a unix ms instant.
    static std::string beijing_day(std::int64_t ms) {
        const std::chrono::sys_seconds t{std::chrono::seconds(ms / 1000)};
        return notify::aliyun::beijing_send_date(t);
    }

    // Tencent PullSmsSendStatusByPhoneNumber: the receipts of sends to the number in
    // [BeginTime, EndTime] — every send that went out has one (delivered).
    http::response<http::string_body> tencent_status(const http::request<http::string_body>& req) {
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        FakeStatusQuery query;
        query.provider = "tencent";
        auto body = nlohmann::json::parse(req.body(), nullptr, false);
        const bool valid = body.is_object() && body.contains("PhoneNumber") &&
                           body["PhoneNumber"].is_string() && body.contains("SmsSdkAppId") &&
                           body["SmsSdkAppId"].is_string() && body.contains("BeginTime") &&
                           body["BeginTime"].is_number_integer() && body.contains("EndTime") &&
                           body["EndTime"].is_number_integer() && body.contains("Limit") &&
                           body["Limit"].is_number_integer() && body["Limit"].get<int>() >= 1 &&
                           body["Limit"].get<int>() <= 100 && body.contains("Offset") &&
                           std::string(req["X-TC-Region"]).size() > 0;
        if (!valid) {
            query.outcome = "invalid";
            record_query(query);
            res.body() =
                R"({"Response":{"Error":{"Code":"InvalidParameter","Message":"fake"},"RequestId":"r5"}})";
            return res;
        }
        query.phone = body["PhoneNumber"].get<std::string>();
        if (fail_queries()) {
            query.outcome = "http_500";
            record_query(query);
            return LoopbackHttpServer::server_error_page();
        }
        const std::int64_t begin = body["BeginTime"].get<std::int64_t>() * 1000;
        const std::int64_t end = body["EndTime"].get<std::int64_t>() * 1000 + 999;
        nlohmann::json set = nlohmann::json::array();
        {
            std::lock_guard lock(mutex);
            for (const auto& r : accepted) {
                if (r.provider != "tencent" || !r.went_out || r.phone != query.phone) continue;
                if (r.at_unix_ms < begin || r.at_unix_ms > end) continue;
                set.push_back({{"UserReceiveTime", r.at_unix_ms / 1000 + 1},
                               {"CountryCode", "86"},
                               {"SubscriberNumber", r.phone.substr(3)},
                               {"PhoneNumber", r.phone},
                               {"SerialNo", r.serial},
                               {"ReportStatus", "SUCCESS"},
                               {"Description", "DELIVRD"},
                               {"SessionContext", echo_session_context ? r.message_id : ""}});
            }
        }
        query.outcome = "ok";
        query.found = set.size();
        record_query(query);
        res.body() =
            nlohmann::json{{"Response", {{"PullSmsSendStatusSet", set}, {"RequestId", "r6"}}}}
                .dump();
        return res;
    }

    // Aliyun QuerySendDetails: every send that went out to the number on SendDate (Beijing),
    // delivered, with its OutId.
    http::response<http::string_body> aliyun_status(
        const std::vector<notify::signing::Param>& form) {
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        FakeStatusQuery query;
        query.provider = "aliyun";
        std::string date, page_size, page;
        for (const auto& [name, value] : form) {
            if (name == "PhoneNumber") query.phone = value;
            if (name == "SendDate") date = value;
            if (name == "PageSize") page_size = value;
            if (name == "CurrentPage") page = value;
        }
        const bool valid = !query.phone.empty() && date.size() == 8 && !page.empty() &&
                           !page_size.empty() && std::stoi(page_size) >= 1 &&
                           std::stoi(page_size) <= 50;
        if (!valid) {
            query.outcome = "invalid";
            record_query(query);
            res.body() = R"({"Code":"isv.INVALID_PARAMETERS","Message":"fake","RequestId":"r7"})";
            return res;
        }
        if (fail_queries()) {
            query.outcome = "http_500";
            record_query(query);
            return LoopbackHttpServer::server_error_page();
        }
        nlohmann::json list = nlohmann::json::array();
        {
            std::lock_guard lock(mutex);
            for (const auto& r : accepted) {
                if (r.provider != "aliyun" || !r.went_out || r.phone != query.phone) continue;
                if (beijing_day(r.at_unix_ms) != date) continue;
                list.push_back({{"PhoneNum", r.phone},
                                {"SendStatus", 3},
                                {"ErrCode", "DELIVERED"},
                                {"TemplateCode", r.template_id},
                                {"Content", "【卡友工会】…"},
                                {"SendDate", "2025-06-01 10:00:00"},
                                {"ReceiveDate", "2025-06-01 10:00:01"},
                                {"OutId", r.message_id}});
            }
        }
        query.outcome = "ok";
        query.found = list.size();
        record_query(query);
        res.body() = nlohmann::json{{"Code", "OK"},
                                    {"Message", "OK"},
                                    {"RequestId", "r8"},
                                    {"TotalCount", std::to_string(list.size())},
                                    {"SmsSendDetailDTOs", {{"SmsSendDetailDTO", list}}}}
                         .dump();
        return res;
    }

    bool fail_queries() {
        std::lock_guard lock(mutex);
        return queries_failing;
    }

    void record_query(FakeStatusQuery query) {
        std::lock_guard lock(mutex);
        asked.push_back(std::move(query));
        changed.notify_all();
    }

    // The answer, or nullopt: close the connection without one.
    asio::awaitable<std::optional<http::response<http::string_body>>> answer(
        const http::request<http::string_body>& req) {
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        const bool aliyun =
            std::string(req[http::field::content_type]).find("x-www-form-urlencoded") !=
            std::string::npos;
        FakeSmsRequest seen;
        seen.at = std::chrono::steady_clock::now();
        seen.at_unix_ms = unix_ms();
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
            std::string action;
            for (const auto& [name, value] : form)
                if (name == "Action") action = value;
            if (action == "QuerySendDetails") co_return aliyun_status(form);
            if (action != "SendSms") {
                res.body() = R"({"Code":"InvalidAction.NotFound","Message":"fake"})";
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
            const std::string action(req["X-TC-Action"]);
            if (action == "PullSmsSendStatusByPhoneNumber") co_return tencent_status(req);
            if (action != "SendSms") {
                res.body() =
                    R"({"Response":{"Error":{"Code":"InvalidAction","Message":"fake"},"RequestId":"r9"}})";
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
        if (behaviour.kind == Behaviour::Kind::read_then_drop) {
            seen.serial = new_serial();
            seen.outcome = "read_then_drop";
            seen.went_out = true;
            record(std::move(seen));
            co_return std::nullopt;
        }
        if (behaviour.kind == Behaviour::Kind::drop_unsent) {
            seen.outcome = "drop_unsent";
            record(std::move(seen));
            co_return std::nullopt;
        }
        bool recorded = false;
        if (behaviour.kind == Behaviour::Kind::hang_then_ok) {
            // The SMS goes out now (a status query sees it); only the answer is late.
            seen.serial = new_serial();
            seen.went_out = true;
            seen.outcome = "hang_then_ok";
            record(seen);
            recorded = true;
            asio::steady_timer timer(co_await asio::this_coro::executor, behaviour.delay);
            co_await timer.async_wait(asio::use_awaitable);
        }
        switch (behaviour.kind) {
            case Behaviour::Kind::ok:
            case Behaviour::Kind::hang_then_ok:
            case Behaviour::Kind::read_then_drop:
            case Behaviour::Kind::drop_unsent:
                if (!recorded) seen.serial = new_serial();
                seen.went_out = true;
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
                res = LoopbackHttpServer::server_error_page();
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
        if (!recorded) record(std::move(seen));
        co_return res;
    }
};

FakeSmsProvider::FakeSmsProvider() : FakeSmsProvider(Credentials{}) {}

FakeSmsProvider::FakeSmsProvider(Credentials credentials)
    : impl_(std::make_unique<Impl>(std::move(credentials))) {}

FakeSmsProvider::~FakeSmsProvider() = default;

std::uint16_t FakeSmsProvider::port() const { return impl_->server.port(); }

std::string FakeSmsProvider::url() const { return impl_->server.url() + "/"; }

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

void FakeSmsProvider::set_refusing(bool refusing) { impl_->server.set_refusing(refusing); }

void FakeSmsProvider::set_queries_failing(bool failing) {
    std::lock_guard lock(impl_->mutex);
    impl_->queries_failing = failing;
}

void FakeSmsProvider::set_echo_session_context(bool echo) {
    std::lock_guard lock(impl_->mutex);
    impl_->echo_session_context = echo;
}

std::vector<FakeStatusQuery> FakeSmsProvider::queries() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->asked;
}

std::size_t FakeSmsProvider::went_out_for(const std::string& message_id) const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& r : impl_->accepted)
        if (r.message_id == message_id && r.went_out) ++n;
    return n;
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
