#pragma once
// WeChat Official Account customer-service messages (客服消息, cgi-bin/message/custom/send) and
// the stable access token they need (cgi-bin/stable_token), and the WeCom app's messages to a
// member (cgi-bin/message/send): request bodies, URLs, answers and the retry policy. Pure: no
// sockets, no clock; the I/O is bot/customer_service.hpp.
//
// The stable token, unlike cgi-bin/token, can be fetched by several processes without one
// invalidating the others' copy; force_refresh issues a new one (20 a day), so it is asked for
// only after the API called the token invalid.
//
// `reason` strings are fixed phrases for logs: never the openid, the text, the secret, the token
// or WeChat's errmsg (it can echo request data).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::channels {

// text.content limit of custom/send, in bytes of UTF-8.
inline constexpr std::size_t kCustomerServiceTextMaxBytes = 2048;

// Tokens WeChat issues are [A-Za-z0-9_-]; anything else would need URL escaping and is refused.
bool is_access_token(std::string_view token);

// {api_base}/cgi-bin/stable_token (a trailing '/' of api_base is dropped).
std::string stable_token_url(std::string_view api_base);
// {"grant_type":"client_credential","appid":..,"secret":..,"force_refresh":..}
std::string build_stable_token_request(std::string_view app_id, std::string_view app_secret,
                                       bool force_refresh);

struct StableTokenAnswer {
    bool issued = false;
    std::string access_token;            // issued only
    std::chrono::seconds expires_in{0};  // issued only, > 0
    bool transient = false;              // not issued, and worth retrying (errcode -1, HTTP 5xx)
    std::int64_t errcode = 0;            // WeChat's errcode when it gave one
    std::string reason;
};
StableTokenAnswer parse_stable_token_answer(int http_status, std::string_view body);

// Non-empty, valid UTF-8 and at most kCustomerServiceTextMaxBytes bytes.
bool fits_customer_service_text(std::string_view text);
// {api_base}/cgi-bin/message/custom/send?access_token=TOKEN; nullopt unless is_access_token.
std::optional<std::string> custom_send_url(std::string_view api_base,
                                           std::string_view access_token);
// {"touser":OPENID,"msgtype":"text","text":{"content":TEXT}}
std::string build_custom_text_message(std::string_view openid, std::string_view text);

// The WeCom app's messages (应用消息, cgi-bin/message/send) to one member, with the access token
// of cgi-bin/gettoken (corpid + the app's Secret; its answer parses as parse_stable_token_answer,
// and a new fetch is how it is refreshed). Same text limit as the Official Account's.
//   {api_base}/cgi-bin/gettoken?corpid=ID&corpsecret=SECRET; nullopt unless both are
//   [A-Za-z0-9_-] (what WeCom issues; anything else would need escaping).
std::optional<std::string> wecom_token_url(std::string_view api_base, std::string_view corp_id,
                                           std::string_view corp_secret);
// {api_base}/cgi-bin/message/send?access_token=TOKEN; nullopt unless is_access_token.
std::optional<std::string> wecom_send_url(std::string_view api_base, std::string_view access_token);
// {"touser":USERID,"msgtype":"text","agentid":AGENT_ID,"text":{"content":TEXT},"safe":0}
std::string build_wecom_text_message(std::string_view user_id, std::int64_t agent_id,
                                     std::string_view text);

enum class CustomerServiceVerdict {
    sent,
    refresh_token,  // 40001 / 40014 / 42001: force a new token, resend once
    retry,          // system busy (-1), HTTP 5xx, not connected: the message did not go out
    give_up,        // permanent for this message (45015, 45047, 43004, any other errcode)
    unknown,        // it may have gone out (no answer after the request was written, 504, an
                    // unreadable 200): resending could give the driver the message twice
};
std::string_view to_string(CustomerServiceVerdict verdict);

struct CustomerServiceAnswer {
    CustomerServiceVerdict verdict = CustomerServiceVerdict::give_up;
    std::int64_t errcode = 0;  // WeChat's errcode when it gave one
    std::string reason;
};
CustomerServiceAnswer parse_custom_send_answer(int http_status, std::string_view body);
// message/send's answer: as above, except that WeCom calls its tokens invalid with 40014, 42001
// and 41001, and refuses a member outside the app's visible range with 81013 (or errcode 0 and
// the member under "invaliduser"): both give up.
CustomerServiceAnswer parse_wecom_send_answer(int http_status, std::string_view body);

struct CustomerServiceRetryPolicy {
    std::chrono::milliseconds first_retry{1000};  // then doubled: 1 s, 2 s, 4 s
    int max_retries = 3;
};

struct CustomerServiceStep {
    enum class Kind {
        stop,               // the last verdict is final
        retry_after,        // wait `delay`, then send again
        refresh_and_retry,  // force a new token now, then send again
    };
    Kind kind = Kind::stop;
    std::chrono::milliseconds delay{0};
};

// What follows `last`. `retries_done`: retry verdicts already retried for this message;
// `token_refreshed`: the token was already refreshed for it (once per message).
CustomerServiceStep next_customer_service_step(CustomerServiceVerdict last, int retries_done,
                                               bool token_refreshed,
                                               const CustomerServiceRetryPolicy& policy);

}  // namespace kayou::channels
