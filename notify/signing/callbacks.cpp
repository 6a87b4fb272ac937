#include "notify/signing/callbacks.hpp"

#include <array>
#include <charconv>

#include "notify/signing/json_fields.hpp"
#include "text/markup.hpp"

namespace kayou::notify::callbacks {
namespace {

using signing::ParseError;
using signing::detail::Json;
using signing::detail::optional_string;
using signing::detail::required_string;

// The body must be a JSON array of objects; calls `each(element, "what[i]")` per element.
template <class F>
void for_each_object(const Json& doc, std::string_view what, F&& each) {
    if (!doc.is_array()) throw ParseError(std::string(what) + ": body must be a JSON array");
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const std::string where = std::string(what) + "[" + std::to_string(i) + "]";
        if (!doc[i].is_object()) throw ParseError(where + ": must be an object");
        each(doc[i], where);
    }
}

// A non-negative integer sent as a decimal string ("1"); "" -> fallback.
std::int64_t decimal_string(const std::string& text, std::string_view field,
                            std::int64_t fallback) {
    if (text.empty()) return fallback;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0) {
        throw ParseError(std::string(field) + ": must be a non-negative integer");
    }
    return value;
}

const std::string* find_param(const std::vector<Param>& params, std::string_view name) {
    for (const auto& [key, value] : params) {
        if (key == name) return &value;  // first occurrence, as Twilio sends each field once
    }
    return nullptr;
}

std::string required_param(const std::vector<Param>& params, std::string_view name,
                           std::string_view what) {
    const std::string* v = find_param(params, name);
    if (v == nullptr || v->empty()) {
        throw ParseError(std::string(what) + ": missing field " + std::string(name));
    }
    return *v;
}

std::string optional_param(const std::vector<Param>& params, std::string_view name) {
    const std::string* v = find_param(params, name);
    return v == nullptr ? std::string() : *v;
}

TencentReply parse_one_reply(const Json& obj, const std::string& where) {
    TencentReply r;
    r.mobile = required_string(obj, "mobile", where);
    r.nationcode = optional_string(obj, "nationcode", where);
    r.text = required_string(obj, "text", where);
    r.sign = optional_string(obj, "sign", where);
    r.extend = optional_string(obj, "extend", where);
    r.time = signing::detail::optional_integer(obj, "time", where, 0);
    return r;
}

}  // namespace

std::vector<TencentStatusReport> parse_tencent_status_reports(std::string_view body) {
    const Json doc = signing::detail::parse_json(body, "Tencent status callback");
    std::vector<TencentStatusReport> out;
    for_each_object(doc, "Tencent status callback", [&](const Json& e, const std::string& where) {
        TencentStatusReport r;
        r.sid = required_string(e, "sid", where);
        r.mobile = required_string(e, "mobile", where);
        r.nationcode = optional_string(e, "nationcode", where);
        r.report_status = required_string(e, "report_status", where);
        if (r.report_status != "SUCCESS" && r.report_status != "FAIL") {
            throw ParseError(where + ".report_status: must be SUCCESS or FAIL");
        }
        r.success = r.report_status == "SUCCESS";
        r.errmsg = optional_string(e, "errmsg", where);
        r.description = optional_string(e, "description", where);
        r.user_receive_time = optional_string(e, "user_receive_time", where);
        r.received_at = signing::parse_beijing_datetime(r.user_receive_time);
        r.ext = optional_string(e, "ext", where);
        out.push_back(std::move(r));
    });
    return out;
}

std::vector<TencentReply> parse_tencent_replies(std::string_view body) {
    const Json doc = signing::detail::parse_json(body, "Tencent reply callback");
    std::vector<TencentReply> out;
    if (doc.is_object()) {
        out.push_back(parse_one_reply(doc, "Tencent reply callback"));
        return out;
    }
    if (!doc.is_array()) {
        throw ParseError("Tencent reply callback: body must be a JSON object or array");
    }
    for_each_object(doc, "Tencent reply callback", [&](const Json& e, const std::string& where) {
        out.push_back(parse_one_reply(e, where));
    });
    return out;
}

std::vector<AliyunSmsReport> parse_aliyun_sms_reports(std::string_view body) {
    const Json doc = signing::detail::parse_json(body, "Aliyun SmsReport");
    std::vector<AliyunSmsReport> out;
    for_each_object(doc, "Aliyun SmsReport", [&](const Json& e, const std::string& where) {
        AliyunSmsReport r;
        r.biz_id = required_string(e, "biz_id", where);
        r.out_id = optional_string(e, "out_id", where);
        r.phone_number = required_string(e, "phone_number", where);
        r.success = signing::detail::required_bool(e, "success", where);
        r.err_code = optional_string(e, "err_code", where);
        r.err_msg = optional_string(e, "err_msg", where);
        r.send_time = optional_string(e, "send_time", where);
        r.report_time = optional_string(e, "report_time", where);
        r.reported_at = signing::parse_beijing_datetime(r.report_time);
        r.sms_size = decimal_string(optional_string(e, "sms_size", where), where + ".sms_size", 0);
        out.push_back(std::move(r));
    });
    return out;
}

std::vector<AliyunSmsUp> parse_aliyun_sms_up(std::string_view body) {
    const Json doc = signing::detail::parse_json(body, "Aliyun SmsUp");
    std::vector<AliyunSmsUp> out;
    for_each_object(doc, "Aliyun SmsUp", [&](const Json& e, const std::string& where) {
        AliyunSmsUp r;
        r.phone_number = required_string(e, "phone_number", where);
        r.content = required_string(e, "content", where);
        r.sign_name = optional_string(e, "sign_name", where);
        r.dest_code = optional_string(e, "dest_code", where);
        r.send_time = optional_string(e, "send_time", where);
        r.sent_at = signing::parse_beijing_datetime(r.send_time);
        r.sequence_id = signing::detail::optional_integer(e, "sequence_id", where, 0);
        out.push_back(std::move(r));
    });
    return out;
}

TwilioInbound parse_twilio_inbound(const std::vector<Param>& params) {
    constexpr std::string_view what = "Twilio inbound message";
    TwilioInbound m;
    m.message_sid = required_param(params, "MessageSid", what);
    m.account_sid = required_param(params, "AccountSid", what);
    m.messaging_service_sid = optional_param(params, "MessagingServiceSid");
    m.from = required_param(params, "From", what);
    m.to = required_param(params, "To", what);
    m.body = optional_param(params, "Body");  // an MMS may have no text
    m.num_media =
        static_cast<int>(decimal_string(optional_param(params, "NumMedia"), "NumMedia", 0));
    m.num_segments =
        static_cast<int>(decimal_string(optional_param(params, "NumSegments"), "NumSegments", 0));
    return m;
}

TwilioStatus parse_twilio_status(const std::vector<Param>& params) {
    constexpr std::string_view what = "Twilio status callback";
    TwilioStatus s;
    s.message_sid = required_param(params, "MessageSid", what);
    s.account_sid = optional_param(params, "AccountSid");
    s.message_status = optional_param(params, "MessageStatus");
    // SmsStatus is the deprecated twin; older accounts may send only it.
    if (s.message_status.empty()) s.message_status = optional_param(params, "SmsStatus");
    if (s.message_status.empty()) {
        throw ParseError(std::string(what) + ": missing field MessageStatus");
    }
    s.from = optional_param(params, "From");
    s.to = optional_param(params, "To");
    s.error_code = optional_param(params, "ErrorCode");
    s.raw_dlr_done_date = optional_param(params, "RawDlrDoneDate");
    return s;
}

int twilio_status_rank(std::string_view status) {
    struct Rank {
        std::string_view status;
        int rank;
    };
    static constexpr std::array kRanks{
        Rank{"accepted", 1},
        Rank{"scheduled", 1},
        Rank{"queued", 2},
        Rank{"sending", 3},
        Rank{"receiving", 3},
        Rank{"sent", 4},
        Rank{"partially_delivered", 5},
        Rank{"delivered", 6},
        Rank{"undelivered", 6},
        Rank{"failed", 6},
        Rank{"canceled", 6},
        Rank{"received", 6},
        Rank{"read", 7},
    };
    for (const Rank& r : kRanks) {
        if (r.status == status) return r.rank;
    }
    return 0;
}

bool twilio_status_advances(std::string_view current, std::string_view incoming) {
    const int to = twilio_status_rank(incoming);
    return to > 0 && to > twilio_status_rank(current);
}

std::string twilio_message_twiml(std::string_view text) {
    if (text.empty()) return std::string(kTwilioEmptyTwiml);
    std::string out = "<Response><Message>" + text::markup_escape(text);
    out += "</Message></Response>";
    return out;
}

}  // namespace kayou::notify::callbacks
