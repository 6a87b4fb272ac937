#include "notify/signing/tencent_tc3.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/hash.hpp"
#include "notify/signing/json_fields.hpp"

namespace kayou::notify::tencent {
namespace {

using namespace std::chrono;
using signing::Classification;
using signing::FailureClass;

constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256";

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

void check_credential(std::string_view value, const char* name) {
    if (value.empty()) throw std::invalid_argument(std::string(name) + " is empty");
    if (trim(value).size() != value.size()) {
        throw std::invalid_argument(std::string(name) + " has leading or trailing whitespace");
    }
}

// How the earliest retry time of a window-limited code is computed.
enum class Window { none, thirty_seconds, one_hour, beijing_day, eight_am };

struct CodeRule {
    std::string_view code;
    FailureClass kind;
    Window window = Window::none;
    bool alert = false;
};

// Spec §1.4, code by code. Exact matches first; prefix rules are in classify().
constexpr std::array kRules{
    // Transient: Tencent's own docs say a retry solves these.
    CodeRule{"InternalError.Timeout", FailureClass::transient},
    CodeRule{"InternalError.SendAndRecvFail", FailureClass::transient},
    CodeRule{"InternalError.UnknownError", FailureClass::transient},
    CodeRule{"InternalError.OtherError", FailureClass::transient},
    // Clock skew: re-signing with the same wrong clock fails again, so a person must look.
    CodeRule{"AuthFailure.SignatureExpire", FailureClass::clock, Window::none, true},
    CodeRule{"InternalError.RequestTimeException", FailureClass::clock, Window::none, true},
    // Frequency windows. The one-hour window is waited out in full (now + 1 h) because Tencent
    // does not say whether it is a natural or a rolling hour; daily limits are natural Beijing
    // days ("2 per natural day", FAQ 382/13303).
    CodeRule{"LimitExceeded.PhoneNumberThirtySecondLimit", FailureClass::window_limited,
             Window::thirty_seconds},
    CodeRule{"LimitExceeded.PhoneNumberOneHourLimit", FailureClass::window_limited,
             Window::one_hour},
    CodeRule{"LimitExceeded.PhoneNumberDailyLimit", FailureClass::window_limited,
             Window::beijing_day},
    CodeRule{"LimitExceeded.PhoneNumberSameContentDailyLimit", FailureClass::window_limited,
             Window::beijing_day},
    // A console-configured policy of unknown window: wait for the next day and tell a person.
    CodeRule{"LimitExceeded.DeliveryFrequencyLimit", FailureClass::window_limited,
             Window::beijing_day, true},
    CodeRule{"LimitExceeded.AppDailyLimit", FailureClass::window_limited, Window::beijing_day,
             true},
    CodeRule{"LimitExceeded.DailyLimit", FailureClass::window_limited, Window::beijing_day, true},
    // Marketing SMS only between 08:00 and 22:00 Beijing time.
    CodeRule{"FailedOperation.MarketingSendTimeConstraint", FailureClass::time_of_day,
             Window::eight_am},
    // Permanent: configuration or content.
    CodeRule{"FailedOperation.SignatureIncorrectOrUnapproved", FailureClass::permanent,
             Window::none, true},
    CodeRule{"FailedOperation.TemplateIncorrectOrUnapproved", FailureClass::permanent, Window::none,
             true},
    CodeRule{"FailedOperation.ContainSensitiveWord", FailureClass::permanent, Window::none, true},
    CodeRule{"FailedOperation.JsonParseFail", FailureClass::permanent, Window::none, true},
    CodeRule{"InternalError.JsonParseFail", FailureClass::permanent, Window::none, true},
    CodeRule{"FailedOperation.FailResolvePacket", FailureClass::permanent, Window::none, true},
    CodeRule{"InvalidParameterValue.TemplateParameterLengthLimit", FailureClass::permanent,
             Window::none, true},
    CodeRule{"InvalidParameterValue.TemplateParameterFormatError", FailureClass::permanent,
             Window::none, true},
    CodeRule{"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", FailureClass::permanent,
             Window::none, true},
    CodeRule{"InvalidParameterValue.ContentLengthLimit", FailureClass::permanent, Window::none,
             true},
    CodeRule{"InvalidParameterValue.SdkAppIdNotExist", FailureClass::permanent, Window::none, true},
    CodeRule{"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
             FailureClass::permanent, Window::none, true},
    CodeRule{"MissingParameter.EmptyPhoneNumberSet", FailureClass::permanent, Window::none, true},
    CodeRule{"LimitExceeded.PhoneNumberCountLimit", FailureClass::permanent, Window::none, true},
    CodeRule{"AuthFailure.SignatureFailure", FailureClass::permanent, Window::none, true},
    CodeRule{"AuthFailure.SecretIdNotFound", FailureClass::permanent, Window::none, true},
    // Permanent for this recipient only.
    CodeRule{"InvalidParameterValue.IncorrectPhoneNumber", FailureClass::permanent_recipient},
    CodeRule{"FailedOperation.PhoneNumberInBlacklist", FailureClass::permanent_recipient},
    // Billing ("Serive" is Tencent's spelling).
    CodeRule{"FailedOperation.InsufficientBalanceInSmsPackage", FailureClass::billing, Window::none,
             true},
    CodeRule{"UnauthorizedOperation.SerivceSuspendDueToArrears", FailureClass::billing,
             Window::none, true},
};

sys_seconds window_end(Window w, sys_seconds now) {
    switch (w) {
        case Window::thirty_seconds:
            return now + seconds{30};
        case Window::one_hour:
            return now + hours{1};
        case Window::beijing_day:
            return signing::next_beijing_midnight(now);
        case Window::eight_am:
            return signing::next_beijing_clock_time(now, 8);
        case Window::none:
            break;
    }
    return now;
}

// The "Response" object every Tencent Cloud API answer wraps its fields in.
const signing::detail::Json& response_of(const signing::detail::Json& doc,
                                         const std::string& what) {
    if (!doc.is_object() || !doc.contains("Response") || !doc["Response"].is_object()) {
        throw signing::ParseError(what + ": missing object 'Response'");
    }
    return doc["Response"];
}

// Response.Error: the API refused the call (nullopt when there is none).
std::optional<ApiError> response_error(const signing::detail::Json& response) {
    using namespace signing::detail;
    if (!response.contains("Error")) return std::nullopt;
    const Json& e = response["Error"];
    if (!e.is_object()) throw signing::ParseError("Response.Error: must be an object");
    return ApiError{required_string(e, "Code", "Response.Error"),
                    optional_string(e, "Message", "Response.Error")};
}

}  // namespace

std::string service_of_host(std::string_view host) {
    return std::string(host.substr(0, host.find('.')));
}

Tc3DerivedKeys derive_keys(std::string_view secret_key, std::string_view date,
                           std::string_view service) {
    Tc3DerivedKeys keys;
    keys.secret_date = crypto::hmac_sha256("TC3" + std::string(secret_key), date);
    keys.secret_service = crypto::hmac_sha256(keys.secret_date, service);
    keys.secret_signing = crypto::hmac_sha256(keys.secret_service, "tc3_request");
    return keys;
}

Tc3Signature sign_tc3(const Tc3Input& in) {
    check_credential(in.secret_id, "Tencent SecretId");
    check_credential(in.secret_key, "Tencent SecretKey");
    if (in.host.empty()) throw std::invalid_argument("Tencent host is empty");

    Tc3Signature out;
    out.date = signing::utc_date(in.timestamp);
    out.service = service_of_host(in.host);
    out.credential_scope = out.date + "/" + out.service + "/tc3_request";

    // Canonical headers are already in ASCII order: content-type < host < x-tc-action.
    std::string canonical_headers = "content-type:" + lowercase(trim(in.content_type)) + "\n" +
                                    "host:" + lowercase(trim(in.host)) + "\n";
    out.signed_headers = "content-type;host";
    if (in.signed_headers == SignedHeaderSet::content_type_host_action) {
        if (in.action.empty()) throw std::invalid_argument("x-tc-action signed but empty");
        canonical_headers += "x-tc-action:" + lowercase(trim(in.action)) + "\n";
        out.signed_headers += ";x-tc-action";
    }

    out.hashed_payload = crypto::sha256_hex(in.payload);
    // Method, URI "/", empty query string (POST), headers (each ending in \n, so an empty line
    // follows), signed header names, payload hash.
    out.canonical_request =
        "POST\n/\n\n" + canonical_headers + "\n" + out.signed_headers + "\n" + out.hashed_payload;
    out.hashed_canonical_request = crypto::sha256_hex(out.canonical_request);
    out.string_to_sign = std::string(kAlgorithm) + "\n" + std::to_string(in.timestamp) + "\n" +
                         out.credential_scope + "\n" + out.hashed_canonical_request;

    const Tc3DerivedKeys keys = derive_keys(in.secret_key, out.date, out.service);
    out.signature = crypto::hex_lower(crypto::hmac_sha256(keys.secret_signing, out.string_to_sign));
    out.authorization = std::string(kAlgorithm) + " Credential=" + std::string(in.secret_id) + "/" +
                        out.credential_scope + ", SignedHeaders=" + out.signed_headers +
                        ", Signature=" + out.signature;
    return out;
}

std::vector<HttpHeader> send_sms_headers(const SendSmsSigningInput& in) {
    return sms_api_headers(in, kSendSmsAction);
}

std::vector<HttpHeader> sms_api_headers(const SendSmsSigningInput& in, std::string_view action) {
    if (in.region.empty()) throw std::invalid_argument("X-TC-Region is required for SendSms");
    if (action.empty()) throw std::invalid_argument("X-TC-Action is empty");
    const Tc3Signature sig = sign_tc3(Tc3Input{
        .secret_id = in.secret_id,
        .secret_key = in.secret_key,
        .host = in.host,
        .action = action,
        .content_type = in.content_type,
        .payload = in.body,
        .timestamp = in.timestamp,
        .signed_headers = in.signed_headers,
    });
    return {
        {"Authorization", sig.authorization},
        {"Content-Type", std::string(in.content_type)},
        {"Host", std::string(in.host)},
        {"X-TC-Action", std::string(action)},
        {"X-TC-Timestamp", std::to_string(in.timestamp)},
        {"X-TC-Version", std::string(kSmsVersion)},
        {"X-TC-Region", std::string(in.region)},
    };
}

std::string build_send_sms_body(const SendSmsBody& body) {
    if (body.phone_numbers.empty() || body.phone_numbers.size() > kMaxPhoneNumbers) {
        throw std::invalid_argument("SendSms needs 1 to 200 phone numbers");
    }
    for (const auto& n : body.phone_numbers) {
        if (n.empty()) throw std::invalid_argument("SendSms: empty phone number");
    }
    if (body.sms_sdk_app_id.empty()) throw std::invalid_argument("SendSms: SmsSdkAppId is empty");
    if (body.template_id.empty()) throw std::invalid_argument("SendSms: TemplateId is empty");
    if (body.session_context.size() > kMaxSessionContextBytes) {
        throw std::invalid_argument("SendSms: SessionContext must be shorter than 512 bytes");
    }
    // ordered_json keeps insertion order, so the bytes (and therefore the signature) are stable
    // and match the documented field order.
    nlohmann::ordered_json doc;
    doc["PhoneNumberSet"] = body.phone_numbers;
    doc["SmsSdkAppId"] = body.sms_sdk_app_id;
    if (!body.sign_name.empty()) doc["SignName"] = body.sign_name;
    doc["TemplateId"] = body.template_id;
    if (!body.template_params.empty()) doc["TemplateParamSet"] = body.template_params;
    if (!body.session_context.empty()) doc["SessionContext"] = body.session_context;
    // strict UTF-8: invalid bytes in a parameter throw instead of being sent mangled.
    return doc.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::strict);
}

SendSmsResponse parse_send_sms_response(std::string_view body) {
    using namespace signing::detail;
    const Json doc = parse_json(body, "Tencent SendSms response");
    const Json& r = response_of(doc, "Tencent SendSms response");
    SendSmsResponse out;
    out.request_id = optional_string(r, "RequestId", "Response");
    out.error = response_error(r);
    if (out.error) return out;
    if (!r.contains("SendStatusSet") || !r["SendStatusSet"].is_array()) {
        throw signing::ParseError("Response.SendStatusSet: missing or not an array");
    }
    const Json& set = r["SendStatusSet"];
    for (std::size_t i = 0; i < set.size(); ++i) {
        const std::string where = "Response.SendStatusSet[" + std::to_string(i) + "]";
        const Json& s = set[i];
        if (!s.is_object()) throw signing::ParseError(where + ": must be an object");
        SendStatus status;
        status.serial_no = optional_string(s, "SerialNo", where);
        status.phone_number = optional_string(s, "PhoneNumber", where);
        status.fee = optional_integer(s, "Fee", where, 0);
        status.session_context = optional_string(s, "SessionContext", where);
        status.code = required_string(s, "Code", where);
        status.message = optional_string(s, "Message", where);
        status.iso_code = optional_string(s, "IsoCode", where);
        out.statuses.push_back(std::move(status));
    }
    return out;
}

std::string build_pull_send_status_by_phone_body(const PullSendStatusByPhoneBody& body) {
    if (body.phone_number.empty()) throw std::invalid_argument("PullSmsSendStatus: no number");
    if (body.sms_sdk_app_id.empty())
        throw std::invalid_argument("PullSmsSendStatus: SmsSdkAppId is empty");
    if (body.limit < 1 || body.limit > 100)
        throw std::invalid_argument("PullSmsSendStatus: Limit must be 1..100");
    if (body.begin_time <= 0 || body.end_time < body.begin_time)
        throw std::invalid_argument("PullSmsSendStatus: BeginTime/EndTime out of order");
    nlohmann::ordered_json doc;
    doc["BeginTime"] = body.begin_time;
    doc["Offset"] = body.offset;
    doc["Limit"] = body.limit;
    doc["PhoneNumber"] = body.phone_number;
    doc["SmsSdkAppId"] = body.sms_sdk_app_id;
    doc["EndTime"] = body.end_time;
    return doc.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::strict);
}

PullSendStatusResponse parse_pull_send_status_response(std::string_view body) {
    using namespace signing::detail;
    const Json doc = parse_json(body, "Tencent PullSmsSendStatus response");
    const Json& r = response_of(doc, "Tencent PullSmsSendStatus response");
    PullSendStatusResponse out;
    out.request_id = optional_string(r, "RequestId", "Response");
    out.error = response_error(r);
    if (out.error) return out;
    // No receipt in the range: Tencent sends an empty array (or, in some SDK captures, null).
    if (!r.contains("PullSmsSendStatusSet") || r["PullSmsSendStatusSet"].is_null()) return out;
    const Json& set = r["PullSmsSendStatusSet"];
    if (!set.is_array()) throw signing::ParseError("Response.PullSmsSendStatusSet: not an array");
    for (std::size_t i = 0; i < set.size(); ++i) {
        const std::string where = "Response.PullSmsSendStatusSet[" + std::to_string(i) + "]";
        const Json& s = set[i];
        if (!s.is_object()) throw signing::ParseError(where + ": must be an object");
        PullSendStatus status;
        status.user_receive_time = optional_integer(s, "UserReceiveTime", where, 0);
        status.country_code = optional_string(s, "CountryCode", where);
        status.subscriber_number = optional_string(s, "SubscriberNumber", where);
        status.phone_number = optional_string(s, "PhoneNumber", where);
        status.serial_no = required_string(s, "SerialNo", where);
        status.report_status = required_string(s, "ReportStatus", where);
        status.description = optional_string(s, "Description", where);
        status.session_context = optional_string(s, "SessionContext", where);
        out.statuses.push_back(std::move(status));
    }
    return out;
}

Classification classify(std::string_view code, sys_seconds now) {
    if (code == "Ok") return {FailureClass::ok};
    for (const CodeRule& rule : kRules) {
        if (rule.code == code) {
            Classification c{rule.kind, std::nullopt, rule.alert};
            if (rule.window != Window::none) c.retry_not_before = window_end(rule.window, now);
            return c;
        }
    }
    // Families the spec classifies as a whole.
    if (code.starts_with("RequestLimitExceeded")) return {FailureClass::transient};
    if (code.starts_with("UnauthorizedOperation.")) {
        return {FailureClass::permanent, std::nullopt, true};
    }
    return {FailureClass::permanent, std::nullopt, true, /*recognized=*/false};
}

}  // namespace kayou::notify::tencent
