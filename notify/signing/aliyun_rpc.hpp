#pragma once
// Alibaba Cloud Dysmsapi (2017-05-25): RPC signature v1 (HMAC-SHA1), the signed SendSms query,
// the ACS3-HMAC-SHA256 (V3) signature, the response parser and the retry classifier.
// Pure functions, no I/O. Reference: docs/spec sms-providers.md §3 (v1 §3.2, V3 §3.3,
// error classes §3.4).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "notify/signing/outcome.hpp"
#include "notify/signing/wire.hpp"

namespace kayou::notify::aliyun {

using signing::HttpHeader;
using signing::Param;

inline constexpr std::string_view kSmsHost = "dysmsapi.aliyuncs.com";
inline constexpr std::string_view kSmsVersion = "2017-05-25";
inline constexpr std::string_view kDefaultRegion = "cn-hangzhou";
// x-www-form-urlencoded body of a signed POST.
inline constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

// RFC 3986 percent-encoding as Aliyun wants it: keeps A-Z a-z 0-9 - _ . ~, everything else
// (UTF-8 bytes) becomes %XX with upper-case hex, so space -> %20, * -> %2A, ~ stays ~.
// encodeURIComponent-style encoders leave !'()* alone and fail with SignatureDoesNotMatch.
std::string percent_encode(std::string_view text);

// Sorted by name (byte order; ties by value) and joined as k=v&k=v with both sides
// percent-encoded. A "Signature" parameter is left out, so a signed list can be re-checked.
std::string canonical_query(std::vector<Param> params);

// METHOD & percentEncode("/") & percentEncode(canonical query).
std::string rpc_string_to_sign(std::string_view method, std::string_view canonical_query);

// Base64(HMAC-SHA1(secret + "&", string to sign)).
std::string rpc_signature(std::string_view method, const std::vector<Param>& params,
                          std::string_view access_key_secret);

struct SendSmsRequest {
    std::string access_key_id;
    std::vector<std::string> phone_numbers;  // joined with ',' (up to 1000)
    std::string sign_name;
    std::string template_code;           // "SMS_..."
    std::vector<Param> template_params;  // name -> value, serialised in this order
    std::string out_id;                  // our msg_id, echoed in receipts as out_id
    std::string region_id = std::string(kDefaultRegion);
    std::string signature_nonce;           // unique per request (a UUID); caller supplies it
    std::chrono::sys_seconds timestamp{};  // sent as ISO 8601 UTC with 'Z'
    std::string format = "JSON";
};

// {"name":"张三","plate":"京A12345"}: raw UTF-8, values always strings (Aliyun rejects other
// types with isv.INVALID_JSON_PARAM, and numbers would lose a verification code's leading 0).
std::string template_param_json(const std::vector<Param>& params);

// Every parameter of a SendSms call except Signature: AccessKeyId, Action, Format, OutId (if
// set), PhoneNumbers, RegionId, SignName, SignatureMethod, SignatureNonce, SignatureVersion,
// TemplateCode, TemplateParam (if any), Timestamp, Version. Throws std::invalid_argument on a
// missing required field.
std::vector<Param> send_sms_params(const SendSmsRequest& request);

// The canonical query with "&Signature=<encoded>" appended: the URL query for GET, the form
// body for POST (Content-Type kFormContentType). `method` must match how it is sent.
std::string signed_send_sms_query(const SendSmsRequest& request, std::string_view access_key_secret,
                                  std::string_view method = "POST");

struct SendSmsResponse {
    std::string code;  // "OK" on success
    std::string message;
    std::string biz_id;  // receipt key ("biz_id" in SmsReport)
    std::string request_id;

    bool ok() const { return code == "OK"; }
};

// Throws signing::ParseError on non-JSON or when Code is missing (after a 2xx: unknown outcome,
// as for Tencent).
SendSmsResponse parse_send_sms_response(std::string_view body);

// Maps Code (and, for isv.BUSINESS_LIMIT_CONTROL, the window named in Message) to what the
// outbox does (Aliyun "SMS error codes"). "OK" -> FailureClass::ok.
signing::Classification classify(std::string_view code, std::string_view message,
                                 std::chrono::sys_seconds now);

// ---- QuerySendDetails: what Aliyun knows of the sends to one number on one day ----
// Settles a send whose answer was lost (docs/sms.md "Unknown outcome"). A send Aliyun accepted
// is listed at once (SendStatus 1 = waiting for the receipt, 2 = failed, 3 = delivered) with the
// OutId we gave it, so a number+day without our OutId means Aliyun never took the request.

struct QuerySendDetailsRequest {
    std::string access_key_id;
    std::string phone_number;     // one 11-digit mainland number
    std::string send_date;        // "yyyyMMdd", Beijing date of the send; last 30 days
    std::int64_t page_size = 50;  // 1..50
    std::int64_t current_page = 1;
    std::string biz_id;  // optional: the BizId of one send
    std::string region_id = std::string(kDefaultRegion);
    std::string signature_nonce;
    std::chrono::sys_seconds timestamp{};
    std::string format = "JSON";
};

// Every parameter except Signature, sorted. Throws std::invalid_argument on a missing field.
std::vector<Param> query_send_details_params(const QuerySendDetailsRequest& request);
// As signed_send_sms_query, for QuerySendDetails.
std::string signed_query_send_details_query(const QuerySendDetailsRequest& request,
                                            std::string_view access_key_secret,
                                            std::string_view method = "POST");
// "20250601": the Beijing date of an instant, as SendDate wants it.
std::string beijing_send_date(std::chrono::sys_seconds t);

struct SendDetail {
    std::string phone_num;
    std::int64_t send_status = 0;  // 1 waiting for the receipt, 2 failed, 3 delivered
    std::string err_code;          // carrier code, "DELIVERED" on success
    std::string template_code;
    std::string out_id;  // the OutId of the send: our message id
    std::string send_date;
    std::string receive_date;
};

struct QuerySendDetailsResponse {
    std::string code;  // "OK" on success
    std::string message;
    std::string request_id;
    std::int64_t total_count = 0;
    std::vector<SendDetail> details;

    bool ok() const { return code == "OK"; }
};

// Throws signing::ParseError on non-JSON, a missing Code or a wrong shape. Content (the rendered
// text, with personal data) is not kept.
QuerySendDetailsResponse parse_query_send_details_response(std::string_view body);

// ---- ACS3-HMAC-SHA256 (signature V3) ----

struct Acs3Request {
    std::string_view method = "POST";
    std::string_view canonical_uri = "/";
    std::vector<Param> query;  // decoded; encoded and sorted here
    std::string_view host;
    std::string_view action;
    std::string_view version;
    std::chrono::sys_seconds date{};  // x-acs-date
    std::string_view nonce;           // x-acs-signature-nonce
    std::string_view body;
    std::string_view content_type;  // signed and sent only when non-empty
    std::string_view access_key_id;
    std::string_view access_key_secret;
};

struct Acs3Signature {
    std::string canonical_query;
    std::string hashed_payload;
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string signed_headers;  // "host;x-acs-action;..."
    std::string signature;       // lowercase hex
    std::string authorization;   // commas without spaces, unlike Tencent
    // Everything to send, sorted by name, Authorization first: authorization, content-type (if
    // any), host, x-acs-action, x-acs-content-sha256, x-acs-date, x-acs-signature-nonce,
    // x-acs-version.
    std::vector<HttpHeader> headers;
};

Acs3Signature sign_acs3(const Acs3Request& request);

}  // namespace kayou::notify::aliyun
