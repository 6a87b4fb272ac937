#include "bot/channels/customer_service_api.hpp"

#include <nlohmann/json.hpp>

#include "bot/channels/json_util.hpp"
#include "text/utf8.hpp"

namespace kayou::channels {

namespace {

std::string join_url(std::string_view api_base, std::string_view path) {
    while (!api_base.empty() && api_base.back() == '/') api_base.remove_suffix(1);
    std::string url(api_base);
    url += path;
    return url;
}

bool is_server_error(int http_status) { return http_status >= 500 && http_status <= 599; }

}  // namespace

bool is_access_token(std::string_view token) {
    if (token.empty()) return false;
    for (const unsigned char c : token)
        if (!text::is_ascii_alnum(c) && c != '_' && c != '-') return false;
    return true;
}

std::string stable_token_url(std::string_view api_base) {
    return join_url(api_base, "/cgi-bin/stable_token");
}

std::string build_stable_token_request(std::string_view app_id, std::string_view app_secret,
                                       bool force_refresh) {
    const nlohmann::json body = {{"grant_type", "client_credential"},
                                 {"appid", std::string(app_id)},
                                 {"secret", std::string(app_secret)},
                                 {"force_refresh", force_refresh}};
    return json_util::dump(body);
}

StableTokenAnswer parse_stable_token_answer(int http_status, std::string_view body) {
    StableTokenAnswer answer;
    if (is_server_error(http_status)) {
        answer.transient = true;
        answer.reason = "token: http 5xx";
        return answer;
    }
    if (http_status != 200) {
        answer.reason = "token: unexpected http status";
        return answer;
    }
    const auto json = json_util::parse(body);
    if (!json || !json->is_object()) {
        answer.reason = "token: unreadable answer";
        return answer;
    }
    const auto errcode = json_util::int_member(*json, "errcode");
    if (errcode && *errcode != 0) {
        answer.errcode = *errcode;
        answer.transient = *errcode == -1;  // system busy
        answer.reason = answer.transient ? "token: system busy" : "token: refused";
        return answer;
    }
    const auto token = json_util::string_member(*json, "access_token");
    const auto expires_in = json_util::int_member(*json, "expires_in");
    if (!token || !is_access_token(*token)) {
        answer.reason = "token: bad access_token";
        return answer;
    }
    if (!expires_in || *expires_in <= 0) {
        answer.reason = "token: bad expires_in";
        return answer;
    }
    answer.issued = true;
    answer.access_token = *token;
    answer.expires_in = std::chrono::seconds(*expires_in);
    return answer;
}

bool fits_customer_service_text(std::string_view text) {
    if (text.empty() || text.size() > kCustomerServiceTextMaxBytes) return false;
    // Malformed bytes would be sent as U+FFFD, three bytes each: the limit would not hold.
    return text::encode_utf8(text::decode_utf8(text)) == text;
}

std::optional<std::string> custom_send_url(std::string_view api_base,
                                           std::string_view access_token) {
    if (!is_access_token(access_token)) return std::nullopt;
    std::string url = join_url(api_base, "/cgi-bin/message/custom/send?access_token=");
    url += access_token;
    return url;
}

std::string build_custom_text_message(std::string_view openid, std::string_view text) {
    const nlohmann::json body = {{"touser", std::string(openid)},
                                 {"msgtype", "text"},
                                 {"text", {{"content", std::string(text)}}}};
    return json_util::dump(body);
}

std::optional<std::string> wecom_token_url(std::string_view api_base, std::string_view corp_id,
                                           std::string_view corp_secret) {
    if (!is_access_token(corp_id) || !is_access_token(corp_secret)) return std::nullopt;
    std::string url = join_url(api_base, "/cgi-bin/gettoken?corpid=");
    url += corp_id;
    url += "&corpsecret=";
    url += corp_secret;
    return url;
}

std::optional<std::string> wecom_send_url(std::string_view api_base,
                                          std::string_view access_token) {
    if (!is_access_token(access_token)) return std::nullopt;
    std::string url = join_url(api_base, "/cgi-bin/message/send?access_token=");
    url += access_token;
    return url;
}

std::string build_wecom_text_message(std::string_view user_id, std::int64_t agent_id,
                                     std::string_view text) {
    const nlohmann::json body = {{"touser", std::string(user_id)},
                                 {"msgtype", "text"},
                                 {"agentid", agent_id},
                                 {"text", {{"content", std::string(text)}}},
                                 {"safe", 0}};
    return json_util::dump(body);
}

std::string_view to_string(CustomerServiceVerdict verdict) {
    switch (verdict) {
        case CustomerServiceVerdict::sent:
            return "sent";
        case CustomerServiceVerdict::refresh_token:
            return "refresh_token";
        case CustomerServiceVerdict::retry:
            return "retry";
        case CustomerServiceVerdict::give_up:
            return "give_up";
        case CustomerServiceVerdict::unknown:
            return "unknown";
    }
    return "unknown";
}

namespace {

CustomerServiceAnswer classify_errcode(std::int64_t errcode) {
    using V = CustomerServiceVerdict;
    switch (errcode) {
        case 0:
            return {V::sent, 0, "send: ok"};
        case 40001:
        case 40014:
        case 42001:
            return {V::refresh_token, errcode, "send: token invalid or expired"};
        case -1:
            return {V::retry, errcode, "send: system busy"};
        case 45015:
            return {V::give_up, errcode, "send: out of the response window"};
        case 45047:
            return {V::give_up, errcode, "send: response count limit"};
        case 43004:
            return {V::give_up, errcode, "send: user unsubscribed"};
        default:
            return {V::give_up, errcode, "send: refused"};
    }
}

}  // namespace

namespace {

// What a send's answer says before the API's own codes: settled (a gateway timeout, a server
// error, another status, an unreadable body), or WeChat's errcode with the body it came in.
struct SendAnswerRead {
    std::optional<CustomerServiceAnswer> settled;
    std::int64_t errcode = 0;
    std::optional<nlohmann::json> json;
};

SendAnswerRead read_send_answer(int http_status, std::string_view body) {
    using V = CustomerServiceVerdict;
    SendAnswerRead read;
    // A gateway that timed out waiting for WeChat cannot say whether the message went out.
    if (http_status == 504)
        read.settled = {V::unknown, 0, "send: http 504"};
    else if (is_server_error(http_status))
        read.settled = {V::retry, 0, "send: http 5xx"};
    else if (http_status != 200)
        read.settled = {V::give_up, 0, "send: unexpected http status"};
    if (read.settled) return read;
    read.json = json_util::parse(body);
    const auto errcode = read.json ? json_util::int_member(*read.json, "errcode") : std::nullopt;
    if (!errcode)
        read.settled = {V::unknown, 0, "send: unreadable answer"};
    else
        read.errcode = *errcode;
    return read;
}

}  // namespace

CustomerServiceAnswer parse_custom_send_answer(int http_status, std::string_view body) {
    const SendAnswerRead read = read_send_answer(http_status, body);
    if (read.settled) return *read.settled;
    return classify_errcode(read.errcode);
}

CustomerServiceAnswer parse_wecom_send_answer(int http_status, std::string_view body) {
    using V = CustomerServiceVerdict;
    const SendAnswerRead read = read_send_answer(http_status, body);
    if (read.settled) return *read.settled;
    switch (read.errcode) {
        case 0: {
            // One addressee: listed as invalid, the message went to nobody.
            const auto invalid = json_util::string_member(*read.json, "invaliduser");
            if (invalid && !invalid->empty())
                return {V::give_up, 0, "send: member outside the app's range"};
            return {V::sent, 0, "send: ok"};
        }
        case 40014:
        case 42001:
        case 41001:
            return {V::refresh_token, read.errcode, "send: token invalid or expired"};
        case -1:
            return {V::retry, read.errcode, "send: system busy"};
        case 81013:
            return {V::give_up, read.errcode, "send: member outside the app's range"};
        default:
            return {V::give_up, read.errcode, "send: refused"};
    }
}

CustomerServiceStep next_customer_service_step(CustomerServiceVerdict last, int retries_done,
                                               bool token_refreshed,
                                               const CustomerServiceRetryPolicy& policy) {
    using Kind = CustomerServiceStep::Kind;
    switch (last) {
        case CustomerServiceVerdict::retry: {
            if (retries_done < 0 || retries_done >= policy.max_retries) return {Kind::stop, {}};
            auto delay = policy.first_retry;
            for (int i = 0; i < retries_done; ++i) delay *= 2;
            return {Kind::retry_after, delay};
        }
        case CustomerServiceVerdict::refresh_token:
            if (token_refreshed) return {Kind::stop, {}};
            return {Kind::refresh_and_retry, {}};
        case CustomerServiceVerdict::sent:
        case CustomerServiceVerdict::give_up:
        case CustomerServiceVerdict::unknown:
            return {Kind::stop, {}};
    }
    return {Kind::stop, {}};
}

}  // namespace kayou::channels
