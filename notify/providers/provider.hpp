#pragma once
// One SMS provider API behind a common call: sign, send, parse, classify. The sender decides
// what a classification means for the message (retry, defer, fallback, fail, wait for receipt).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.hpp"
#include "notify/signing/outcome.hpp"
#include "notify/sms_schedule.hpp"

namespace kayou::notify {

class TemplateCatalog;

struct ProviderSend {
    std::string message_id;  // ours: Tencent SessionContext / Aliyun OutId, echoed in receipts
    std::string phone;       // 11-digit mainland mobile
    std::string template_name;
    std::vector<std::string> params;
};

struct ProviderResult {
    signing::Classification classification;
    std::string serial;  // SerialNo / BizId on success: the receipt join key
    std::string code;    // provider error code or "http_503" / "timeout": no personal data
};

// "Did you get this one?" for a send whose answer was lost (docs/sms.md "Unknown outcome").
struct StatusQuery {
    std::string message_id;
    std::string phone;            // 11-digit mainland mobile
    std::int64_t attempt_ms = 0;  // when the send in question started
    std::int64_t now_ms = 0;
};

// One send the provider knows of for that number around that time.
struct StatusRecord {
    std::string serial;      // SerialNo / BizId
    std::string message_id;  // echoed SessionContext / OutId; empty when the provider echoes none
    StatusFinding finding = StatusFinding::accepted;  // delivered | accepted | failed
};

struct StatusAnswer {
    StatusFinding outcome = StatusFinding::error;  // error | unsupported, or absent = "answered"
    std::vector<StatusRecord> records;             // when outcome is absent (= the query worked)
    std::string code;                              // why it failed: no personal data
};

class SmsProvider {
public:
    virtual ~SmsProvider() = default;
    virtual const std::string& name() const = 0;  // "tencent", "aliyun", "local_sink"
    virtual boost::asio::awaitable<ProviderResult> send(const ProviderSend& message) = 0;
    // The provider's records of sends to query.phone around query.attempt_ms. A provider without
    // a status API answers `unsupported` (the message then waits for a receipt).
    virtual boost::asio::awaitable<StatusAnswer> query(const StatusQuery& query);
};

// Which record, if any, is the send of `message_id`: one that echoes our id; else, when the
// provider echoes nothing, one whose serial is not known to belong to another of our messages
// (`serial_owner` returns the message id a serial was recorded for, "" if none). The finding is
// the record's (delivered before failed before accepted when there are several), or absent.
struct StatusMatch {
    StatusFinding finding = StatusFinding::absent;
    std::string serial;
};
StatusMatch match_status(const std::vector<StatusRecord>& records, const std::string& message_id,
                         const std::function<std::string(const std::string&)>& serial_owner);

struct TencentProviderConfig {
    std::string endpoint = "https://sms.tencentcloudapi.com/";
    std::string region = "ap-guangzhou";
    std::string sdk_app_id;
    std::string secret_id;
    std::string secret_key;
    std::string sign_name;  // empty = the catalog's signature
};

struct AliyunProviderConfig {
    std::string endpoint = "https://dysmsapi.aliyuncs.com/";
    std::string region = "cn-hangzhou";
    std::string access_key_id;
    std::string access_key_secret;
    std::string sign_name;
};

struct LocalSinkProviderConfig {
    std::string url;  // e.g. http://127.0.0.1:8080/dev/sms/send
};

// The catalog must outlive the provider; the HTTP client too.
std::unique_ptr<SmsProvider> make_tencent_provider(TencentProviderConfig config,
                                                   const TemplateCatalog& catalog,
                                                   net::HttpClient& http);
std::unique_ptr<SmsProvider> make_aliyun_provider(AliyunProviderConfig config,
                                                  const TemplateCatalog& catalog,
                                                  net::HttpClient& http);
std::unique_ptr<SmsProvider> make_local_sink_provider(LocalSinkProviderConfig config,
                                                      const TemplateCatalog& catalog,
                                                      net::HttpClient& http);

// ---- Shared by the providers (notify/providers/provider.cpp) ----

// An HTTP-level failure mapped to a classification.
ProviderResult transport_failure_result(bool request_may_have_arrived, std::string code);
// The template has no approved id (or does not render) for this provider: permanent, and
// provider-level, because another provider may have it. Never substitute another template.
ProviderResult template_refused(std::string code);
// An answer that did not parse: an unreadable 2xx may mean "accepted" (unknown outcome: find out
// from receipts, never resend); anything else is classified by its HTTP status.
ProviderResult unreadable_answer(int http_status);

// One provider exchange: the response, or the result of a transport failure (not sent ->
// transient "connect"; sent without an answer -> unknown outcome "timeout").
struct ProviderExchange {
    std::optional<net::HttpClientResponse> response;
    ProviderResult failure;  // meaningful when !response
};
boost::asio::awaitable<ProviderExchange> exchange(net::HttpClient& http,
                                                  net::HttpClientRequest request);

}  // namespace kayou::notify
