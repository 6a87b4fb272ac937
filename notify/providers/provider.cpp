#include "notify/providers/provider.hpp"

namespace kayou::notify {

ProviderResult transport_failure_result(bool request_may_have_arrived, std::string code) {
    ProviderResult result;
    result.classification = signing::classify_transport(
        request_may_have_arrived ? signing::TransportFailure::sent_no_response
                                 : signing::TransportFailure::not_sent);
    result.code = std::move(code);
    return result;
}

ProviderResult template_refused(std::string code) {
    ProviderResult result;
    result.classification = {signing::FailureClass::permanent, std::nullopt, true};
    result.code = std::move(code);
    return result;
}

ProviderResult unreadable_answer(int http_status) {
    ProviderResult result;
    const bool http_ok = http_status >= 200 && http_status < 300;
    result.classification = http_ok
                                ? signing::Classification{signing::FailureClass::unknown_outcome}
                                : signing::classify_http_status(http_status);
    result.code = "http_" + std::to_string(http_status);
    return result;
}

boost::asio::awaitable<StatusAnswer> SmsProvider::query(const StatusQuery&) {
    StatusAnswer answer;
    answer.outcome = StatusFinding::unsupported;
    co_return answer;
}

StatusMatch match_status(const std::vector<StatusRecord>& records, const std::string& message_id,
                         const std::function<std::string(const std::string&)>& serial_owner) {
    auto rank = [](StatusFinding f) {
        switch (f) {
            case StatusFinding::delivered:
                return 3;
            case StatusFinding::failed:
                return 2;
            case StatusFinding::accepted:
                return 1;
            default:
                return 0;
        }
    };
    StatusMatch best;
    for (const auto& record : records) {
        bool ours = record.message_id == message_id;
        if (!ours && record.message_id.empty() && !record.serial.empty()) {
            const std::string owner = serial_owner ? serial_owner(record.serial) : std::string();
            ours = owner.empty() || owner == message_id;
        }
        if (!ours) continue;
        if (best.finding == StatusFinding::absent || rank(record.finding) > rank(best.finding)) {
            best.finding = record.finding;
            best.serial = record.serial;
        }
    }
    return best;
}

boost::asio::awaitable<ProviderExchange> exchange(net::HttpClient& http,
                                                  net::HttpClientRequest request) {
    ProviderExchange outcome;
    try {
        outcome.response = co_await http.request(std::move(request));
    } catch (const net::HttpClientError& error) {
        const bool maybe = error.kind() == net::HttpClientError::Kind::sent_no_response;
        std::string code = "connect";  // named, not ?: (docs/coroutines.md)
        if (maybe) code = "timeout";
        outcome.failure = transport_failure_result(maybe, std::move(code));
    }
    co_return outcome;
}

}  // namespace kayou::notify
