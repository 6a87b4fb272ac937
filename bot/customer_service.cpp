#include "bot/customer_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "bot/channels/customer_service_api.hpp"
#include "net/http_client.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"

namespace kayou::bot {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using channels::CustomerServiceVerdict;

namespace {

// A cached token is used for a new send only while more than this is left of it.
constexpr std::chrono::minutes kTokenRefreshMargin{5};

struct TokenOutcome {
    std::string token;                                                 // empty when none was had
    CustomerServiceVerdict verdict = CustomerServiceVerdict::give_up;  // retry or give_up
    std::int64_t errcode = 0;
    std::string reason;
};

// One request's end: the response, or the HTTP client's failure when there is none.
struct Exchange {
    net::HttpClientResponse response;
    std::optional<net::HttpClientError::Kind> failure;
};

struct Attempt {
    channels::CustomerServiceAnswer answer;
    std::string token;  // the token the send carried ("" when none was had)
};

FollowUpResult result_of(CustomerServiceVerdict verdict) {
    switch (verdict) {
        case CustomerServiceVerdict::sent:
            return FollowUpResult::sent;
        case CustomerServiceVerdict::unknown:
            return FollowUpResult::unknown;
        case CustomerServiceVerdict::refresh_token:
        case CustomerServiceVerdict::retry:
        case CustomerServiceVerdict::give_up:
            return FollowUpResult::gave_up;
    }
    return FollowUpResult::gave_up;
}

// The HTTP client's failure, for a send: only a request never written may be written again.
channels::CustomerServiceAnswer send_transport_answer(net::HttpClientError::Kind kind) {
    switch (kind) {
        case net::HttpClientError::Kind::bad_url:
            return {CustomerServiceVerdict::give_up, 0, "send: bad url"};
        case net::HttpClientError::Kind::not_sent:
            return {CustomerServiceVerdict::retry, 0, "send: connect failed"};
        case net::HttpClientError::Kind::sent_no_response:
            return {CustomerServiceVerdict::unknown, 0, "send: no response"};
    }
    return {CustomerServiceVerdict::unknown, 0, "send: no response"};
}

// For a token fetch any transport failure may be retried: fetching twice issues nothing new.
TokenOutcome token_transport_outcome(net::HttpClientError::Kind kind) {
    TokenOutcome outcome;
    switch (kind) {
        case net::HttpClientError::Kind::bad_url:
            outcome.reason = "token: bad url";
            return outcome;
        case net::HttpClientError::Kind::not_sent:
            outcome.reason = "token: connect failed";
            break;
        case net::HttpClientError::Kind::sent_no_response:
            outcome.reason = "token: no response";
            break;
    }
    outcome.verdict = CustomerServiceVerdict::retry;
    return outcome;
}

}  // namespace

std::string_view to_string(FollowUpResult result) {
    switch (result) {
        case FollowUpResult::sent:
            return "sent";
        case FollowUpResult::gave_up:
            return "gave_up";
        case FollowUpResult::unknown:
            return "unknown";
    }
    return "unknown";
}

struct CustomerService::Impl {
    CustomerServiceConfig config;
    net::HttpClient& http;
    std::string token;
    Clock::time_point token_expires_at{};
    // Set while a token fetch is in flight: other sends wait on it, the fetcher cancels it.
    std::shared_ptr<asio::steady_timer> fetch_done;
    TokenOutcome last_fetch;

    Impl(CustomerServiceConfig c, net::HttpClient& h) : config(std::move(c)), http(h) {}

    bool cached_token_usable(const std::string& rejected, Clock::duration margin) const {
        return !token.empty() && token != rejected && Clock::now() + margin < token_expires_at;
    }

    TokenOutcome cached_token() const {
        TokenOutcome cached;
        cached.token = token;
        cached.verdict = CustomerServiceVerdict::sent;
        return cached;
    }

    // Sends `request`: the answer, or the HTTP client's failure when there is none.
    asio::awaitable<Exchange> send_request(net::HttpClientRequest request) {
        Exchange exchange;
        try {
            exchange.response = co_await http.request(std::move(request));
        } catch (const net::HttpClientError& error) {
            exchange.failure = error.kind();
        }
        co_return exchange;
    }

    // POSTs JSON `body` to `url`.
    asio::awaitable<Exchange> post_json(std::string url, std::string body) {
        net::HttpClientRequest request;
        request.url = std::move(url);
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = std::move(body);
        Exchange posted = co_await send_request(std::move(request));
        co_return posted;
    }

    bool wecom() const { return config.api == MessageApi::wecom_app; }

    // WeCom's gettoken is a GET with the corp id and secret in the query; it has no forced
    // refresh: while a token is valid it returns that one, so a new fetch is the refresh.
    asio::awaitable<Exchange> get_wecom_token() {
        auto url = channels::wecom_token_url(config.api_base, config.app_id, config.app_secret);
        if (!url) {
            Exchange refused;
            refused.failure = net::HttpClientError::Kind::bad_url;
            co_return refused;
        }
        net::HttpClientRequest request;
        request.method = "GET";
        request.url = std::move(*url);
        Exchange fetched = co_await send_request(std::move(request));
        co_return fetched;
    }

    asio::awaitable<Exchange> token_exchange(bool force_refresh) {
        if (wecom()) {
            Exchange fetched = co_await get_wecom_token();
            co_return fetched;
        }
        std::string url = channels::stable_token_url(config.api_base);
        std::string body =
            channels::build_stable_token_request(config.app_id, config.app_secret, force_refresh);
        Exchange posted = co_await post_json(std::move(url), std::move(body));
        co_return posted;
    }

    asio::awaitable<TokenOutcome> request_token(bool force_refresh) {
        const Exchange exchange = co_await token_exchange(force_refresh);
        TokenOutcome outcome;
        if (exchange.failure) {
            outcome = token_transport_outcome(*exchange.failure);
        } else {
            const auto& response = exchange.response;
            auto answer = channels::parse_stable_token_answer(response.status, response.body);
            if (answer.issued) {
                token = std::move(answer.access_token);
                token_expires_at = Clock::now() + answer.expires_in;
                outcome = cached_token();
            } else {
                outcome.verdict = answer.transient ? CustomerServiceVerdict::retry
                                                   : CustomerServiceVerdict::give_up;
                outcome.errcode = answer.errcode;
                outcome.reason = std::move(answer.reason);
            }
        }
        if (outcome.token.empty())
            ops::log(ops::LogLevel::warn, "customer_service_token_failed",
                     {{"errcode", outcome.errcode},
                      {"reason", outcome.reason},
                      {"force_refresh", force_refresh}});
        else if (force_refresh)
            // Forced refreshes are limited to 20 a day: operators should see each one.
            ops::log(ops::LogLevel::info, "customer_service_token_refreshed");
        co_return outcome;
    }

    // One fetch at a time: others that need a token meanwhile wait for this one's result.
    asio::awaitable<TokenOutcome> fetch_token(bool force_refresh) {
        auto executor = co_await asio::this_coro::executor;
        auto done = std::make_shared<asio::steady_timer>(executor, Clock::time_point::max());
        fetch_done = done;
        struct WakeWaiters {
            Impl& impl;
            std::shared_ptr<asio::steady_timer> done;
            ~WakeWaiters() {
                if (impl.fetch_done == done) impl.fetch_done.reset();
                done->cancel();
            }
        } wake{*this, done};
        TokenOutcome outcome = co_await request_token(force_refresh);
        last_fetch = outcome;
        co_return outcome;
    }

    // The token to send with. `rejected`: the token the API just called invalid ("" = none);
    // unless another send already replaced it, a new one is forced.
    asio::awaitable<TokenOutcome> token_for(std::string rejected) {
        for (;;) {
            if (cached_token_usable(rejected, kTokenRefreshMargin)) co_return cached_token();
            if (!fetch_done) {
                TokenOutcome fetched = co_await fetch_token(!rejected.empty());
                co_return fetched;
            }
            auto done = fetch_done;
            boost::system::error_code woken;
            co_await done->async_wait(asio::redirect_error(asio::use_awaitable, woken));
            if (last_fetch.token.empty()) co_return last_fetch;
            // A token fetched just now serves this send even inside the refresh margin.
            if (cached_token_usable(rejected, Clock::duration::zero())) co_return cached_token();
        }
    }

    asio::awaitable<Attempt> attempt(const std::string& body, std::string rejected) {
        Attempt result;
        TokenOutcome token_outcome = co_await token_for(std::move(rejected));
        if (token_outcome.token.empty()) {
            result.answer = {token_outcome.verdict, token_outcome.errcode,
                             std::move(token_outcome.reason)};
            co_return result;
        }
        result.token = token_outcome.token;
        // Tokens are checked when parsed, so the URL is always built.
        const std::optional<std::string> url =
            wecom() ? channels::wecom_send_url(config.api_base, result.token)
                    : channels::custom_send_url(config.api_base, result.token);
        const Exchange sent = co_await post_json(url.value_or(""), body);
        const auto& response = sent.response;
        if (sent.failure)
            result.answer = send_transport_answer(*sent.failure);
        else if (wecom())
            result.answer = channels::parse_wecom_send_answer(response.status, response.body);
        else
            result.answer = channels::parse_custom_send_answer(response.status, response.body);
        co_return result;
    }
};

CustomerService::CustomerService(CustomerServiceConfig config, net::HttpClient& http)
    : impl_(std::make_unique<Impl>(std::move(config), http)) {}

CustomerService::~CustomerService() = default;

std::string_view CustomerServiceConfig::channel() const {
    return api == MessageApi::wecom_app ? "wecom_app" : "oa";
}

bool CustomerService::enabled() const {
    const auto& config = impl_->config;
    if (config.app_id.empty() || config.app_secret.empty()) return false;
    return config.api != MessageApi::wecom_app || config.agent_id > 0;
}

std::string_view CustomerService::channel() const { return impl_->config.channel(); }

asio::awaitable<FollowUpResult> CustomerService::send_text(std::string openid, std::string text) {
    Impl& impl = *impl_;
    if (!enabled() || openid.empty() || !channels::fits_customer_service_text(text)) {
        // A caller's bug (or no OA configured): nothing is sent.
        std::string reason = "text empty, over 2048 bytes or not UTF-8";
        if (!enabled()) reason = "not configured";
        if (openid.empty()) reason = "no openid";
        ops::log(ops::LogLevel::warn, "customer_service_refused",
                 {{"reason", reason}, {"bytes", text.size()}});
        co_return FollowUpResult::gave_up;
    }
    const std::string body =
        impl.wecom() ? channels::build_wecom_text_message(openid, impl.config.agent_id, text)
                     : channels::build_custom_text_message(openid, text);
    channels::CustomerServiceRetryPolicy policy;
    policy.first_retry = impl.config.first_retry;
    int retries = 0;
    bool refreshed = false;
    std::string rejected;
    for (int attempts = 1;; ++attempts) {
        Attempt attempt = co_await impl.attempt(body, rejected);
        const auto& answer = attempt.answer;
        const auto step =
            channels::next_customer_service_step(answer.verdict, retries, refreshed, policy);
        if (step.kind == channels::CustomerServiceStep::Kind::stop) {
            const FollowUpResult result = result_of(answer.verdict);
            if (result != FollowUpResult::sent)
                ops::log(ops::LogLevel::warn, "customer_service_not_sent",
                         {{"result", to_string(result)},
                          {"errcode", answer.errcode},
                          {"reason", answer.reason},
                          {"attempts", attempts}});
            co_return result;
        }
        if (step.kind == channels::CustomerServiceStep::Kind::refresh_and_retry) {
            refreshed = true;
            rejected = attempt.token;
            continue;
        }
        // A transient failure: keep forcing a refresh only if the forced fetch itself failed.
        if (!attempt.token.empty()) rejected.clear();
        ++retries;
        ops::log(ops::LogLevel::info, "customer_service_retry",
                 {{"errcode", answer.errcode},
                  {"reason", answer.reason},
                  {"delay_ms", static_cast<std::int64_t>(step.delay.count())}});
        auto executor = co_await asio::this_coro::executor;
        asio::steady_timer timer(executor, step.delay);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

namespace {

// A coroutine function, not a capturing lambda: its frame holds copies of the arguments, while a
// lambda's captures would die with the lambda before the sends end.
asio::awaitable<void> send_follow_ups(asio::any_io_executor executor, CustomerService& service,
                                      ops::Metrics& metrics, std::chrono::milliseconds delay,
                                      std::string openid, std::vector<std::string> texts) {
    asio::steady_timer wait(executor, delay);
    boost::system::error_code ignored;
    co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    for (auto& text : texts) {
        const FollowUpResult result = co_await service.send_text(openid, std::move(text));
        const std::string label = "channel=\"" + std::string(service.channel()) + "\",result=\"" +
                                  std::string(to_string(result)) + "\"";
        metrics.counter("kayou_follow_ups_total", label).add();
        if (result != FollowUpResult::sent) break;
    }
}

}  // namespace

FollowUpSender follow_up_sender(asio::any_io_executor executor, CustomerService& service,
                                ops::Metrics& metrics, std::chrono::milliseconds delay) {
    metrics.describe("kayou_follow_ups_total", "counter",
                     "Second messages through the Official Account's customer-service API or a "
                     "WeCom app's message API, by channel and result");
    return [executor, &service, &metrics, delay](std::string openid,
                                                 std::vector<std::string> texts) {
        asio::co_spawn(
            executor,
            send_follow_ups(executor, service, metrics, delay, std::move(openid), std::move(texts)),
            asio::detached);
    };
}

}  // namespace kayou::bot
