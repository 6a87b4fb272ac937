#pragma once
// Tencent Cloud SMS API 3.0 (SendSms, version 2021-01-11): TC3-HMAC-SHA256 request signing, the
// request body, the response parser and the retry classifier. Pure functions, no I/O; the
// HTTP client lives elsewhere and sends exactly the bytes and headers built here.
// Reference: docs/spec sms-providers.md §1 (signing steps §1.5, vectors §1.6, error classes §1.4).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/signing/outcome.hpp"
#include "notify/signing/wire.hpp"

namespace kayou::notify::tencent {

using signing::HttpHeader;

inline constexpr std::string_view kSmsHost = "sms.tencentcloudapi.com";
inline constexpr std::string_view kSmsVersion = "2021-01-11";
inline constexpr std::string_view kSendSmsAction = "SendSms";
// Signed and sent byte for byte: the signature covers the Content-Type actually sent.
inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";
inline constexpr std::size_t kMaxPhoneNumbers = 200;
inline constexpr std::size_t kMaxSessionContextBytes = 511;  // "< 512 bytes"

// Which headers the signature covers. content-type;host is the documented minimum and what the
// official SDKs sign; adding x-tc-action is what the newest demos do. Both are accepted.
enum class SignedHeaderSet { content_type_host, content_type_host_action };

struct Tc3Input {
    std::string_view secret_id;
    std::string_view secret_key;
    std::string_view host;    // exactly the Host header sent (with a port, if one is sent)
    std::string_view action;  // X-TC-Action; only signed with content_type_host_action
    std::string_view content_type = kJsonContentType;
    std::string_view payload;    // exact body bytes
    std::int64_t timestamp = 0;  // X-TC-Timestamp, unix seconds
    SignedHeaderSet signed_headers = SignedHeaderSet::content_type_host;
};

// Every intermediate value, so tests compare each step and a signature failure can be debugged
// by logging the canonical request (it holds no secret and no body, only the body's hash).
struct Tc3Signature {
    std::string date;              // UTC date of the timestamp, "2019-02-25"
    std::string service;           // first label of the host, "sms"
    std::string credential_scope;  // "2019-02-25/sms/tc3_request"
    std::string signed_headers;    // "content-type;host"
    std::string hashed_payload;    // lowercase hex SHA-256 of the payload
    std::string canonical_request;
    std::string hashed_canonical_request;
    std::string string_to_sign;
    std::string signature;      // lowercase hex
    std::string authorization;  // the Authorization header value
};

// The derived signing keys (raw bytes), exposed for the spec's intermediate vectors.
struct Tc3DerivedKeys {
    std::string secret_date;
    std::string secret_service;
    std::string secret_signing;
};

// "sms.tencentcloudapi.com" -> "sms"; "localhost:18080" -> "localhost:18080" (as the SDKs do).
std::string service_of_host(std::string_view host);

Tc3DerivedKeys derive_keys(std::string_view secret_key, std::string_view date,
                           std::string_view service);

// Throws std::invalid_argument on empty credentials or credentials with surrounding whitespace
// (a pasted trailing space is the classic cause of AuthFailure.SignatureFailure).
Tc3Signature sign_tc3(const Tc3Input& input);

struct SendSmsSigningInput {
    std::string_view secret_id;
    std::string_view secret_key;
    std::string_view host = kSmsHost;
    std::string_view region;  // required by SendSms, e.g. "ap-guangzhou"
    std::string_view body;    // from build_send_sms_body
    std::int64_t timestamp = 0;
    SignedHeaderSet signed_headers = SignedHeaderSet::content_type_host;
    std::string_view content_type = kJsonContentType;
};

// The complete header set for `POST /` with `body`, in this order: Authorization, Content-Type,
// Host, X-TC-Action, X-TC-Timestamp, X-TC-Version, X-TC-Region. Throws std::invalid_argument on
// an empty region or bad credentials.
std::vector<HttpHeader> send_sms_headers(const SendSmsSigningInput& input);

// The same header set for another action of the SMS API (the status queries): signed exactly
// like SendSms, only X-TC-Action (and, with content_type_host_action, its signed value) differs.
std::vector<HttpHeader> sms_api_headers(const SendSmsSigningInput& input, std::string_view action);

struct SendSmsBody {
    std::vector<std::string> phone_numbers;  // E.164 "+8613800000000", 1..200
    std::string sms_sdk_app_id;
    std::string template_id;
    std::string sign_name;                     // signature text; required for mainland numbers
    std::vector<std::string> template_params;  // values for {1}, {2}, ... in order
    std::string session_context;               // our msg_id, echoed back; < 512 bytes
};

// The JSON body with raw UTF-8 (no \u escapes), no spaces, keys in the order PhoneNumberSet,
// SmsSdkAppId, SignName, TemplateId, TemplateParamSet, SessionContext; empty optional fields are
// left out. Throws std::invalid_argument on a missing required field or a limit exceeded.
std::string build_send_sms_body(const SendSmsBody& body);

struct SendStatus {
    std::string serial_no;  // the receipt key ("sid" in status callbacks)
    std::string phone_number;
    std::int64_t fee = 0;  // billed segments
    std::string session_context;
    std::string code;  // "Ok" on success
    std::string message;
    std::string iso_code;

    bool ok() const { return code == "Ok"; }
};

struct ApiError {
    std::string code;
    std::string message;
};

// Either `error` is set (the whole request failed) or `statuses` has one entry per number, each
// of which may have failed on its own even though the HTTP status was 200.
struct SendSmsResponse {
    std::string request_id;
    std::optional<ApiError> error;
    std::vector<SendStatus> statuses;
};

// Throws signing::ParseError on non-JSON (a gateway's 502 page) or a wrong shape. With a non-2xx
// status classify by classify_http_status; an unparsable 2xx body means the request may have
// been accepted: treat it as FailureClass::unknown_outcome, never as a reason to resend.
SendSmsResponse parse_send_sms_response(std::string_view body);

// Maps an error code (Response.Error.Code or SendStatus.Code) to what the outbox does, per
// Tencent's "SMS error codes". `now` computes the end of a frequency window. "Ok" ->
// FailureClass::ok.
signing::Classification classify(std::string_view code, std::chrono::sys_seconds now);

// ---- PullSmsSendStatusByPhoneNumber: the delivery receipts of one number in a time range ----
// Settles a send whose answer was lost (docs/sms.md "Unknown outcome"). Tencent lists a send
// here once its receipt is in (SUCCESS or FAIL), with the SessionContext of the send when that
// echo is enabled for the account (empty otherwise).
inline constexpr std::string_view kPullSendStatusByPhoneAction = "PullSmsSendStatusByPhoneNumber";

struct PullSendStatusByPhoneBody {
    std::int64_t begin_time = 0;  // unix seconds; at most 7 days back
    std::int64_t end_time = 0;
    std::int64_t offset = 0;   // "currently always 0"
    std::int64_t limit = 100;  // 1..100
    std::string phone_number;  // E.164 "+8613800000000"
    std::string sms_sdk_app_id;
};

// {"BeginTime":…,"Offset":0,"Limit":100,"PhoneNumber":"+86…","SmsSdkAppId":"…","EndTime":…}: the
// field order of the SDK models. Throws std::invalid_argument on a missing field or a bad range.
std::string build_pull_send_status_by_phone_body(const PullSendStatusByPhoneBody& body);

struct PullSendStatus {
    std::int64_t user_receive_time = 0;  // unix seconds
    std::string country_code;
    std::string subscriber_number;
    std::string phone_number;
    std::string serial_no;      // = SerialNo of the SendSms answer
    std::string report_status;  // "SUCCESS" | "FAIL"
    std::string description;    // carrier status, "DELIVRD" on success
    std::string session_context;

    bool delivered() const { return report_status == "SUCCESS"; }
};

struct PullSendStatusResponse {
    std::string request_id;
    std::optional<ApiError> error;
    std::vector<PullSendStatus> statuses;
};

// Throws signing::ParseError on non-JSON or a wrong shape (as parse_send_sms_response).
PullSendStatusResponse parse_pull_send_status_response(std::string_view body);

}  // namespace kayou::notify::tencent
