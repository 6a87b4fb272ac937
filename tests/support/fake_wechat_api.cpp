#include "tests/support/fake_wechat_api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "tests/support/loopback_http_server.hpp"

namespace kayou::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using Api = FakeWechatCall::Api;
using Behaviour = FakeWechatApi::Behaviour;

namespace {

constexpr std::size_t kTextMaxBytes = 2048;

std::string errmsg_for(std::int64_t errcode) {
    switch (errcode) {
        case -1:
            return "system error";
        case 40001:
            return "invalid credential, access_token is invalid or not latest";
        case 40002:
            return "invalid grant_type";
        case 40003:
            return "invalid openid";
        case 40008:
            return "invalid message type";
        case 40013:
            return "invalid appid";
        case 40014:
            return "invalid access_token";
        case 40056:
            return "invalid agentid";
        case 81013:
            return "user & party & tag all invalid";
        case 40125:
            return "invalid appsecret";
        case 41001:
            return "access_token missing";
        case 41002:
            return "appid missing";
        case 41004:
            return "appsecret missing";
        case 42001:
            return "access_token expired";
        case 43004:
            return "require subscribe";
        case 44002:
            return "empty post data";
        case 44004:
            return "text content is empty";
        case 45002:
            return "content size out of limit";
        case 45015:
            return "response out of time limit or subscription is canceled";
        case 45047:
            return "out of response count limit";
        case 47001:
            return "data format error";
        default:
            return "fake error";
    }
}

json error_answer(std::int64_t errcode) {
    // WeChat appends a request id to every errmsg.
    return {{"errcode", errcode}, {"errmsg", errmsg_for(errcode) + " rid: 6650a1b2-fake"}};
}

std::string query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

}  // namespace

struct FakeWechatApi::Impl {
    Credentials credentials;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::deque<Behaviour> send_script;
    std::deque<Behaviour> token_script;
    std::chrono::seconds token_lifetime{7200};
    std::string token;  // the one valid token, "" = none issued or invalidated
    Clock::time_point token_expires_at;
    std::size_t issued = 0;
    std::mt19937_64 random{std::random_device{}()};
    std::vector<FakeWechatMessage> accepted;
    std::vector<FakeWechatCall> seen;
    // Last: stopped, and its connections ended, before any member above goes.
    LoopbackHttpServer server{
        [this](const LoopbackHttpServer::Request& req) { return answer(req); }};

    explicit Impl(Credentials c) : credentials(std::move(c)) {}

    Behaviour next_behaviour(Api api) {
        std::lock_guard lock(mutex);
        const bool token_request = api == Api::stable_token || api == Api::wecom_token;
        auto& script = token_request ? token_script : send_script;
        if (script.empty()) return {};
        auto next = script.front();
        script.pop_front();
        if (next.kind == Behaviour::Kind::invalidate_token) token.clear();
        return next;
    }

    void record_call(FakeWechatCall call) {
        std::lock_guard lock(mutex);
        seen.push_back(std::move(call));
        changed.notify_all();
    }

    std::string new_token_locked() {
        static constexpr char kAlphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        std::string fresh = std::to_string(++issued) + "_";
        for (int i = 0; i < 64; ++i) fresh += kAlphabet[random() % (sizeof(kAlphabet) - 1)];
        return fresh;
    }

    // stable_token: the checks WeChat makes, then the current token or a new one.
    json stable_token(const std::string& body, FakeWechatCall& call) {
        const json request = json::parse(body, nullptr, false);
        if (!request.is_object()) return error_answer(47001);
        if (request.contains("force_refresh")) {
            if (!request["force_refresh"].is_boolean()) return error_answer(47001);
            call.force_refresh = request["force_refresh"].get<bool>();
        }
        const auto text = [&](const char* key) {
            return request.contains(key) && request[key].is_string()
                       ? std::optional<std::string>(request[key].get<std::string>())
                       : std::nullopt;
        };
        if (text("grant_type") != "client_credential") return error_answer(40002);
        if (!text("appid")) return error_answer(41002);
        if (text("appid") != credentials.app_id) return error_answer(40013);
        if (!text("secret")) return error_answer(41004);
        if (text("secret") != credentials.app_secret) return error_answer(40125);
        return current_token(call.force_refresh);
    }

    // The current token or a new one, with the seconds it has left.
    json current_token(bool force_refresh) {
        std::lock_guard lock(mutex);
        const auto now = Clock::now();
        if (force_refresh || token.empty() || now >= token_expires_at) {
            token = new_token_locked();
            token_expires_at = now + token_lifetime;
        }
        const auto left = std::chrono::ceil<std::chrono::seconds>(token_expires_at - now);
        return {{"access_token", token}, {"expires_in", left.count()}};
    }

    // gettoken: WeCom's checks of the corp id and the app's secret, then the current token.
    json wecom_token(std::string_view query) {
        const std::string corp_id = query_value(query, "corpid");
        const std::string secret = query_value(query, "corpsecret");
        if (corp_id.empty()) return error_answer(41002);
        if (corp_id != credentials.corp_id) return error_answer(40013);
        if (secret.empty()) return error_answer(41004);
        if (secret != credentials.corp_secret) return error_answer(40001);
        json answer = current_token(false);
        answer["errcode"] = 0;
        answer["errmsg"] = "ok";
        return answer;
    }

    // `invalid`: what the API answers to a token that is not the current one (OA 40001, WeCom
    // 40014).
    std::int64_t check_token(const std::string& presented, std::int64_t invalid = 40001) {
        if (presented.empty()) return 41001;
        std::lock_guard lock(mutex);
        if (token.empty() || presented != token) return invalid;
        if (Clock::now() >= token_expires_at) return 42001;
        return 0;
    }

    // custom/send (and WeCom's message/send): the token, then the message, as WeChat checks
    // them; records what it took.
    json custom_send(std::string_view query, const std::string& body, bool wecom = false) {
        if (const auto refused =
                check_token(query_value(query, "access_token"), wecom ? 40014 : 40001))
            return error_answer(refused);
        if (body.empty()) return error_answer(44002);
        const json request = json::parse(body, nullptr, false);
        if (!request.is_object()) return error_answer(47001);
        if (!request.contains("touser") || !request["touser"].is_string() ||
            request["touser"].get<std::string>().empty())
            return error_answer(40003);
        if (!request.contains("msgtype") || request["msgtype"] != "text")
            return error_answer(40008);
        if (wecom && (!request.contains("agentid") || !request["agentid"].is_number_integer() ||
                      request["agentid"].get<std::int64_t>() != credentials.agent_id))
            return error_answer(40056);
        if (wecom && request["touser"] == credentials.outsider) return error_answer(81013);
        if (!request.contains("text") || !request["text"].is_object() ||
            !request["text"].contains("content") || !request["text"]["content"].is_string())
            return error_answer(47001);
        FakeWechatMessage message;
        message.touser = request["touser"].get<std::string>();
        message.content = request["text"]["content"].get<std::string>();
        message.at = Clock::now();
        if (message.content.empty()) return error_answer(44004);
        if (message.content.size() > kTextMaxBytes) return error_answer(45002);
        {
            std::lock_guard lock(mutex);
            accepted.push_back(std::move(message));
            changed.notify_all();
        }
        return {{"errcode", 0}, {"errmsg", "ok"}};
    }

    json checked_answer(Api api, std::string_view query, const std::string& body,
                        FakeWechatCall& call) {
        if (api == Api::stable_token) return stable_token(body, call);
        if (api == Api::custom_send) return custom_send(query, body);
        if (api == Api::wecom_send) return custom_send(query, body, true);
        return error_answer(40066);  // invalid url
    }

    // The answer, or nullopt: close the connection without one.
    asio::awaitable<std::optional<http::response<http::string_body>>> answer(
        const http::request<http::string_body>& req) {
        const std::string_view target(req.target().data(), req.target().size());
        const auto question = target.find('?');
        const auto path = target.substr(0, question);
        const auto query =
            question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
        FakeWechatCall call;
        call.at = Clock::now();
        call.api = Api::other;
        if (path == "/cgi-bin/stable_token") call.api = Api::stable_token;
        if (path == "/cgi-bin/message/custom/send") call.api = Api::custom_send;
        if (path == "/cgi-bin/gettoken") call.api = Api::wecom_token;
        if (path == "/cgi-bin/message/send") call.api = Api::wecom_send;
        // gettoken is the one GET.
        const bool right_method =
            req.method() == (call.api == Api::wecom_token ? http::verb::get : http::verb::post);
        if (call.api == Api::stable_token) {
            // Recorded whatever the answer: a scripted failure of a forced refresh counts too.
            const json request = json::parse(req.body(), nullptr, false);
            call.force_refresh = request.is_object() && request.contains("force_refresh") &&
                                 request["force_refresh"].is_boolean() &&
                                 request["force_refresh"].get<bool>();
        }
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json; encoding=utf-8");
        const Behaviour behaviour =
            call.api == Api::other || !right_method ? Behaviour{} : next_behaviour(call.api);
        switch (behaviour.kind) {
            case Behaviour::Kind::http_500:
                call.outcome = "http_500";
                record_call(call);
                co_return LoopbackHttpServer::server_error_page();
            case Behaviour::Kind::errcode:
                call.outcome = "errcode";
                call.errcode = behaviour.errcode;
                record_call(call);
                res.body() = error_answer(behaviour.errcode).dump();
                co_return res;
            case Behaviour::Kind::hang: {
                call.outcome = "hang";
                record_call(call);
                asio::steady_timer never(co_await asio::this_coro::executor,
                                         Clock::time_point::max());
                co_await never.async_wait(asio::use_awaitable);
                co_return std::nullopt;
            }
            case Behaviour::Kind::ok:
            case Behaviour::Kind::invalidate_token:
            case Behaviour::Kind::read_then_drop:
                break;
        }
        json answered = error_answer(43002);  // require POST method (WeCom: GET for gettoken)
        if (right_method && call.api == Api::wecom_token) answered = wecom_token(query);
        if (right_method && call.api != Api::wecom_token)
            answered = checked_answer(call.api, query, req.body(), call);
        call.errcode = answered.value("errcode", std::int64_t{0});
        call.outcome = call.errcode == 0 ? "ok" : "errcode";
        if (behaviour.kind == Behaviour::Kind::read_then_drop) call.outcome = "read_then_drop";
        record_call(call);
        if (behaviour.kind == Behaviour::Kind::read_then_drop) co_return std::nullopt;
        res.body() = answered.dump();
        co_return res;
    }
};

FakeWechatApi::FakeWechatApi() : FakeWechatApi(Credentials{}) {}

FakeWechatApi::FakeWechatApi(Credentials credentials)
    : impl_(std::make_unique<Impl>(std::move(credentials))) {}

FakeWechatApi::~FakeWechatApi() = default;

std::uint16_t FakeWechatApi::port() const { return impl_->server.port(); }

std::string FakeWechatApi::api_base() const { return impl_->server.url(); }

const FakeWechatApi::Credentials& FakeWechatApi::credentials() const { return impl_->credentials; }

void FakeWechatApi::script_sends(std::vector<Behaviour> next) {
    std::lock_guard lock(impl_->mutex);
    impl_->send_script.insert(impl_->send_script.end(), next.begin(), next.end());
}

void FakeWechatApi::script_tokens(std::vector<Behaviour> next) {
    std::lock_guard lock(impl_->mutex);
    impl_->token_script.insert(impl_->token_script.end(), next.begin(), next.end());
}

void FakeWechatApi::set_token_lifetime(std::chrono::seconds lifetime) {
    std::lock_guard lock(impl_->mutex);
    impl_->token_lifetime = lifetime;
}

std::vector<FakeWechatMessage> FakeWechatApi::messages() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->accepted;
}

std::vector<FakeWechatCall> FakeWechatApi::calls() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen;
}

std::size_t FakeWechatApi::calls_to(FakeWechatCall::Api api) const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& call : impl_->seen)
        if (call.api == api) ++n;
    return n;
}

std::size_t FakeWechatApi::tokens_issued() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->issued;
}

std::size_t FakeWechatApi::forced_refreshes() const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& call : impl_->seen)
        if (call.api == Api::stable_token && call.force_refresh) ++n;
    return n;
}

bool FakeWechatApi::wait_for_messages(std::size_t n, std::chrono::milliseconds deadline) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, deadline, [&] { return impl_->accepted.size() >= n; });
}

bool FakeWechatApi::wait_for_calls(std::size_t n, std::chrono::milliseconds deadline) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->changed.wait_for(lock, deadline, [&] { return impl_->seen.size() >= n; });
}

}  // namespace kayou::test
