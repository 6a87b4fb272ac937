#include "notify/signing/aliyun_rpc.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/base64.hpp"
#include "crypto/hash.hpp"
#include "notify/signing/json_fields.hpp"
#include "text/beijing_time.hpp"

namespace kayou::notify::aliyun {
namespace {

using namespace std::chrono;
using signing::Classification;
using signing::FailureClass;

bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

void require(bool ok, const char* message) {
    if (!ok) throw std::invalid_argument(message);
}

std::string join(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += sep;
        out += item;
    }
    return out;
}

struct CodeRule {
    std::string_view code;
    FailureClass kind;
    bool alert = false;
};

// Spec §3.4. isv.BUSINESS_LIMIT_CONTROL and the quota codes are handled in classify() because
// their retry time depends on the message or the calendar.
constexpr std::array kRules{
    CodeRule{"isp.SYSTEM_ERROR", FailureClass::transient},
    // Gateway-level API throttling (not the per-number flow control).
    CodeRule{"Throttling", FailureClass::transient},
    CodeRule{"Throttling.User", FailureClass::transient},
    CodeRule{"Throttling.Api", FailureClass::transient},
    CodeRule{"InvalidTimeStamp.Expired", FailureClass::clock, true},
    CodeRule{"isv.SMS_SIGNATURE_ILLEGAL", FailureClass::permanent, true},
    CodeRule{"isv.SMS_TEMPLATE_ILLEGAL", FailureClass::permanent, true},
    CodeRule{"isv.SMS_SIGNATURE_SCENE_ILLEGAL", FailureClass::permanent, true},
    CodeRule{"isv.SIGN_STATE_ILLEGAL", FailureClass::permanent, true},
    CodeRule{"isv.MOBILE_COUNT_OVER_LIMIT", FailureClass::permanent, true},
    CodeRule{"isv.TEMPLATE_MISSING_PARAMETERS", FailureClass::permanent, true},
    CodeRule{"isv.INVALID_JSON_PARAM", FailureClass::permanent, true},
    CodeRule{"isv.PARAM_LENGTH_LIMIT", FailureClass::permanent, true},
    CodeRule{"isv.PARAM_NOT_SUPPORT_URL", FailureClass::permanent, true},
    CodeRule{"isv.BLACK_KEY_CONTROL_LIMIT", FailureClass::permanent, true},
    CodeRule{"isv.SMS_CONTENT_ILLEGAL", FailureClass::permanent, true},
    CodeRule{"isv.DENY_IP_RANGE", FailureClass::permanent, true},
    CodeRule{"isp.RAM_PERMISSION_DENY", FailureClass::permanent, true},
    CodeRule{"SignatureDoesNotMatch", FailureClass::permanent, true},
    // The spec lists these among the permanent codes; they are split out because they need a
    // different action: an invalid number is the driver's data, not our configuration
    // (Tencent's IncorrectPhoneNumber twin), and arrears are fixed by a top-up.
    CodeRule{"isv.MOBILE_NUMBER_ILLEGAL", FailureClass::permanent_recipient},
    CodeRule{"isv.AMOUNT_NOT_ENOUGH", FailureClass::billing, true},
    CodeRule{"isv.OUT_OF_SERVICE", FailureClass::billing, true},
};

}  // namespace

std::string percent_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (unreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0F];
        }
    }
    return out;
}

std::string canonical_query(std::vector<Param> params) {
    std::erase_if(params, [](const Param& p) { return p.first == "Signature"; });
    // std::string compares bytes as char; Aliyun sorts by the raw names, which are ASCII.
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        out += percent_encode(name);
        out += '=';
        out += percent_encode(value);
    }
    return out;
}

std::string rpc_string_to_sign(std::string_view method, std::string_view canonical) {
    return std::string(method) + "&" + percent_encode("/") + "&" + percent_encode(canonical);
}

std::string rpc_signature(std::string_view method, const std::vector<Param>& params,
                          std::string_view access_key_secret) {
    const std::string to_sign = rpc_string_to_sign(method, canonical_query(params));
    return crypto::base64_encode(crypto::hmac_sha1(std::string(access_key_secret) + "&", to_sign));
}

std::string template_param_json(const std::vector<Param>& params) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    for (const auto& [name, value] : params) doc[name] = value;
    return doc.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::strict);
}

std::vector<Param> send_sms_params(const SendSmsRequest& r) {
    require(!r.access_key_id.empty(), "Aliyun SendSms: AccessKeyId is empty");
    require(!r.phone_numbers.empty(), "Aliyun SendSms: no phone numbers");
    require(r.phone_numbers.size() <= 1000, "Aliyun SendSms: more than 1000 phone numbers");
    require(!r.sign_name.empty(), "Aliyun SendSms: SignName is empty");
    require(!r.template_code.empty(), "Aliyun SendSms: TemplateCode is empty");
    require(!r.signature_nonce.empty(), "Aliyun SendSms: SignatureNonce is empty");
    require(!r.region_id.empty(), "Aliyun SendSms: RegionId is empty");

    std::vector<Param> params{
        {"AccessKeyId", r.access_key_id},
        {"Action", "SendSms"},
        {"Format", r.format},
        {"PhoneNumbers", join(r.phone_numbers, ',')},
        {"RegionId", r.region_id},
        {"SignName", r.sign_name},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", r.signature_nonce},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", r.template_code},
        {"Timestamp", signing::iso8601_utc(r.timestamp)},
        {"Version", std::string(kSmsVersion)},
    };
    if (!r.out_id.empty()) params.emplace_back("OutId", r.out_id);
    if (!r.template_params.empty()) {
        params.emplace_back("TemplateParam", template_param_json(r.template_params));
    }
    std::sort(params.begin(), params.end());
    return params;
}

std::string signed_send_sms_query(const SendSmsRequest& request, std::string_view access_key_secret,
                                  std::string_view method) {
    const std::vector<Param> params = send_sms_params(request);
    const std::string canonical = canonical_query(params);
    const std::string signature = crypto::base64_encode(crypto::hmac_sha1(
        std::string(access_key_secret) + "&", rpc_string_to_sign(method, canonical)));
    return canonical + "&Signature=" + percent_encode(signature);
}

SendSmsResponse parse_send_sms_response(std::string_view body) {
    using namespace signing::detail;
    const Json doc = parse_json(body, "Aliyun SendSms response");
    if (!doc.is_object()) throw signing::ParseError("Aliyun SendSms response: not an object");
    return SendSmsResponse{
        .code = required_string(doc, "Code", ""),
        .message = optional_string(doc, "Message", ""),
        .biz_id = optional_string(doc, "BizId", ""),
        .request_id = optional_string(doc, "RequestId", ""),
    };
}

std::vector<Param> query_send_details_params(const QuerySendDetailsRequest& r) {
    require(!r.access_key_id.empty(), "Aliyun QuerySendDetails: AccessKeyId is empty");
    require(!r.phone_number.empty(), "Aliyun QuerySendDetails: PhoneNumber is empty");
    require(
        r.send_date.size() == 8 && r.send_date.find_first_not_of("0123456789") == std::string::npos,
        "Aliyun QuerySendDetails: SendDate must be yyyyMMdd");
    require(r.page_size >= 1 && r.page_size <= 50, "Aliyun QuerySendDetails: PageSize 1..50");
    require(r.current_page >= 1, "Aliyun QuerySendDetails: CurrentPage from 1");
    require(!r.signature_nonce.empty(), "Aliyun QuerySendDetails: SignatureNonce is empty");
    require(!r.region_id.empty(), "Aliyun QuerySendDetails: RegionId is empty");
    std::vector<Param> params{
        {"AccessKeyId", r.access_key_id},
        {"Action", "QuerySendDetails"},
        {"CurrentPage", std::to_string(r.current_page)},
        {"Format", r.format},
        {"PageSize", std::to_string(r.page_size)},
        {"PhoneNumber", r.phone_number},
        {"RegionId", r.region_id},
        {"SendDate", r.send_date},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", r.signature_nonce},
        {"SignatureVersion", "1.0"},
        {"Timestamp", signing::iso8601_utc(r.timestamp)},
        {"Version", std::string(kSmsVersion)},
    };
    if (!r.biz_id.empty()) params.emplace_back("BizId", r.biz_id);
    std::sort(params.begin(), params.end());
    return params;
}

std::string signed_query_send_details_query(const QuerySendDetailsRequest& request,
                                            std::string_view access_key_secret,
                                            std::string_view method) {
    const std::vector<Param> params = query_send_details_params(request);
    const std::string canonical = canonical_query(params);
    const std::string signature = crypto::base64_encode(crypto::hmac_sha1(
        std::string(access_key_secret) + "&", rpc_string_to_sign(method, canonical)));
    return canonical + "&Signature=" + percent_encode(signature);
}

std::string beijing_send_date(sys_seconds t) { return text::format_beijing(t, "%Y%m%d"); }

QuerySendDetailsResponse parse_query_send_details_response(std::string_view body) {
    using namespace signing::detail;
    const Json doc = parse_json(body, "Aliyun QuerySendDetails response");
    if (!doc.is_object()) throw signing::ParseError("Aliyun QuerySendDetails: not an object");
    QuerySendDetailsResponse out;
    out.code = required_string(doc, "Code", "");
    out.message = optional_string(doc, "Message", "");
    out.request_id = optional_string(doc, "RequestId", "");
    // TotalCount is a string in the SDK models and a number in some answers: take both.
    if (doc.contains("TotalCount")) {
        const Json& total = doc["TotalCount"];
        if (total.is_string()) {
            const std::string text = total.get<std::string>();
            if (text.empty() || text.size() > 9 ||
                text.find_first_not_of("0123456789") != std::string::npos)
                throw signing::ParseError("TotalCount: not a count");
            out.total_count = std::stoll(text);
        } else {
            out.total_count = optional_integer(doc, "TotalCount", "", 0);
        }
    }
    if (!out.ok() || !doc.contains("SmsSendDetailDTOs") || doc["SmsSendDetailDTOs"].is_null())
        return out;
    const Json& wrapper = doc["SmsSendDetailDTOs"];
    if (!wrapper.is_object()) throw signing::ParseError("SmsSendDetailDTOs: must be an object");
    if (!wrapper.contains("SmsSendDetailDTO") || wrapper["SmsSendDetailDTO"].is_null()) return out;
    const Json& list = wrapper["SmsSendDetailDTO"];
    if (!list.is_array())
        throw signing::ParseError("SmsSendDetailDTOs.SmsSendDetailDTO: not an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "SmsSendDetailDTOs.SmsSendDetailDTO[" + std::to_string(i) + "]";
        const Json& item = list[i];
        if (!item.is_object()) throw signing::ParseError(where + ": must be an object");
        SendDetail detail;
        detail.phone_num = optional_string(item, "PhoneNum", where);
        detail.send_status = required_integer(item, "SendStatus", where);
        detail.err_code = optional_string(item, "ErrCode", where);
        detail.template_code = optional_string(item, "TemplateCode", where);
        detail.out_id = optional_string(item, "OutId", where);
        detail.send_date = optional_string(item, "SendDate", where);
        detail.receive_date = optional_string(item, "ReceiveDate", where);
        out.details.push_back(std::move(detail));
    }
    return out;
}

Classification classify(std::string_view code, std::string_view message, sys_seconds now) {
    if (code == "OK") return {FailureClass::ok};
    if (code == "isv.BUSINESS_LIMIT_CONTROL") {
        // The message names the window ("触发分钟级流控Permits:1"). Minute and hour windows are
        // natural Beijing clock windows; the day window rolls 24 h from the first counted send,
        // which we do not know here, so a full 24 h is the safe wait. An unnamed window retries
        // at the next minute: failed attempts are not counted, and the next answer names it.
        sys_seconds at = signing::next_beijing_minute(now);
        if (message.find("小时级") != std::string_view::npos) {
            at = signing::next_beijing_hour(now);
        } else if (message.find("天级") != std::string_view::npos) {
            at = now + hours{24};
        }
        return {FailureClass::window_limited, at};
    }
    // Account quotas set in the console: the window is the Beijing day or month, and a person
    // should decide whether the quota is right.
    if (code == "isv.DAY_LIMIT_CONTROL") {
        return {FailureClass::window_limited, signing::next_beijing_midnight(now), true};
    }
    if (code == "isv.MONTH_LIMIT_CONTROL") {
        return {FailureClass::window_limited, signing::next_beijing_month(now), true};
    }
    for (const CodeRule& rule : kRules) {
        if (rule.code == code) return {rule.kind, std::nullopt, rule.alert};
    }
    return {FailureClass::permanent, std::nullopt, true, /*recognized=*/false};
}

Acs3Signature sign_acs3(const Acs3Request& r) {
    require(!r.host.empty() && !r.action.empty() && !r.version.empty(),
            "ACS3: host, action and version are required");
    require(!r.nonce.empty(), "ACS3: nonce is required");
    require(!r.access_key_id.empty() && !r.access_key_secret.empty(),
            "ACS3: access key id and secret are required");

    Acs3Signature out;
    out.canonical_query = canonical_query(r.query);
    out.hashed_payload = crypto::sha256_hex(r.body);

    // Already sorted by name: content-type < host < x-acs-*.
    std::vector<HttpHeader> signed_headers;
    if (!r.content_type.empty())
        signed_headers.push_back({"content-type", std::string(r.content_type)});
    signed_headers.push_back({"host", std::string(r.host)});
    signed_headers.push_back({"x-acs-action", std::string(r.action)});
    signed_headers.push_back({"x-acs-content-sha256", out.hashed_payload});
    signed_headers.push_back({"x-acs-date", signing::iso8601_utc(r.date)});
    signed_headers.push_back({"x-acs-signature-nonce", std::string(r.nonce)});
    signed_headers.push_back({"x-acs-version", std::string(r.version)});

    std::string canonical_headers;
    for (const auto& h : signed_headers) {
        canonical_headers += h.name + ":" + h.value + "\n";
        if (!out.signed_headers.empty()) out.signed_headers += ';';
        out.signed_headers += h.name;
    }
    out.canonical_request = std::string(r.method) + "\n" + std::string(r.canonical_uri) + "\n" +
                            out.canonical_query + "\n" + canonical_headers + "\n" +
                            out.signed_headers + "\n" + out.hashed_payload;
    out.hashed_canonical_request = crypto::sha256_hex(out.canonical_request);
    out.string_to_sign = "ACS3-HMAC-SHA256\n" + out.hashed_canonical_request;
    out.signature = crypto::hex_lower(crypto::hmac_sha256(r.access_key_secret, out.string_to_sign));
    out.authorization = "ACS3-HMAC-SHA256 Credential=" + std::string(r.access_key_id) +
                        ",SignedHeaders=" + out.signed_headers + ",Signature=" + out.signature;

    out.headers.push_back({"Authorization", out.authorization});
    for (auto& h : signed_headers) out.headers.push_back(std::move(h));
    return out;
}

}  // namespace kayou::notify::aliyun
