#pragma once
// One SMS provider API behind a common call: sign, send, parse, classify. The sender decides
// what a classification means for the message (retry, defer, fallback, fail, wait for receipt).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.hpp"
#include "notify/signing/outcome.hpp"

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

class SmsProvider {
public:
    virtual ~SmsProvider() = default;
    virtual const std::string& name() const = 0;  // "tencent", "aliyun", "local_sink"
    virtual boost::asio::awaitable<ProviderResult> send(const ProviderSend& message) = 0;
};

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
