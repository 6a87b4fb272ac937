#pragma once
// One SMS provider API behind a common call: sign, send, parse, classify. The sender decides
// what a classification means for the message (retry, defer, fallback, fail, wait for receipt).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "notify/signing/outcome.hpp"

namespace kayou::net {
class HttpClient;
}

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

// Shared by the providers: an HTTP-level failure mapped to a classification.
ProviderResult transport_failure_result(bool request_may_have_arrived, std::string code);

}  // namespace kayou::notify
