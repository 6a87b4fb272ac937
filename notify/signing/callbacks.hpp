#pragma once
// Webhook bodies from the SMS providers, parsed into plain structs, and the exact answers each
// provider expects. Pure: the HTTP routes (/sms/...) call these, then answer with the constants
// below. Reference: docs/spec sms-providers.md §2 (Tencent), §3.5 (Aliyun), §4.1-4.2 (Twilio).
//
// Parsers are strict about the fields we rely on (a missing or mistyped one is a ParseError
// naming the element and field) and ignore fields they do not know, because providers add
// fields without notice. Answer 5xx only when a redelivery is wanted.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/signing/wire.hpp"

namespace kayou::notify::callbacks {

using signing::Param;

// ---- Tencent Cloud ----

// HTTP 200 with this JSON body acknowledges both Tencent callbacks; anything else is retried.
inline constexpr std::string_view kTencentOkBody = R"({"result":0,"errmsg":"OK"})";
inline constexpr std::string_view kTencentOkContentType = "application/json; charset=utf-8";

// 短信下发状态通知: one element of the JSON array.
struct TencentStatusReport {
    std::string sid;  // SerialNo of the SendSms answer: the join key
    std::string mobile;
    std::string nationcode;
    bool success = false;  // report_status == "SUCCESS"
    std::string report_status;
    std::string errmsg;  // carrier status, "DELIVRD" on success
    std::string description;
    std::string user_receive_time;  // as sent, "YYYY-MM-DD hh:mm:ss" Beijing time
    std::optional<std::chrono::sys_seconds> received_at;  // parsed; nullopt if unparsable/empty
    std::string ext;  // SessionContext of the send; only when enabled by Tencent
};

// The body must be a JSON array (one push carries up to 100 receipts; an empty array is valid).
std::vector<TencentStatusReport> parse_tencent_status_reports(std::string_view body);

// 回复短信 (inbound reply).
struct TencentReply {
    std::string mobile;
    std::string nationcode;
    std::string text;  // UTF-8
    std::string sign;  // the signature the driver replied to
    std::string extend;
    std::int64_t time = 0;  // unix seconds
};

// Documented as a single JSON object; an array of such objects is accepted too, since the
// status push of the same product is an array. Returns one entry per reply.
std::vector<TencentReply> parse_tencent_replies(std::string_view body);

// ---- Aliyun ----

// HTTP 200 with {"code":0,...} acknowledges SmsReport and SmsUp; Aliyun only checks that code is
// a number. The console's GET/POST URL check expects the second form within 700 ms.
inline constexpr std::string_view kAliyunOkBody = R"({"code":0,"msg":"接收成功"})";
inline constexpr std::string_view kAliyunProbeOkBody = R"({"code":0,"msg":"成功"})";
inline constexpr std::string_view kAliyunOkContentType = "application/json; charset=utf-8";

struct AliyunSmsReport {
    std::string biz_id;  // BizId of the SendSms answer: the join key
    std::string out_id;  // our OutId
    std::string phone_number;
    bool success = false;
    std::string err_code;  // "DELIVERED" on success
    std::string err_msg;
    std::string send_time;    // "YYYY-MM-DD hh:mm:ss" Beijing time
    std::string report_time;  // same
    std::optional<std::chrono::sys_seconds> reported_at;
    std::int64_t sms_size = 0;  // segments (sent as a string)
};

std::vector<AliyunSmsReport> parse_aliyun_sms_reports(std::string_view body);

struct AliyunSmsUp {
    std::string phone_number;
    std::string content;
    std::string sign_name;
    std::string dest_code;
    std::string send_time;
    std::optional<std::chrono::sys_seconds> sent_at;
    std::int64_t sequence_id = 0;
};

std::vector<AliyunSmsUp> parse_aliyun_sms_up(std::string_view body);

// ---- Twilio ----

// Empty TwiML: "received, no reply". An empty body would raise Twilio error 11200.
inline constexpr std::string_view kTwilioEmptyTwiml = "<Response></Response>";
inline constexpr std::string_view kTwilioContentType = "text/xml";
// "<Response><Message>text</Message></Response>": Twilio sends `text` back to the sender from the
// number he wrote to (Twilio "TwiML for Programmable Messaging"), XML-escaped here. Empty text:
// kTwilioEmptyTwiml.
std::string twilio_message_twiml(std::string_view text);

// Inbound message form fields (already decoded with twilio::parse_form_urlencoded; check the
// signature over the same params first).
struct TwilioInbound {
    std::string message_sid;
    std::string account_sid;
    std::string messaging_service_sid;
    std::string from;
    std::string to;
    std::string body;
    int num_media = 0;
    int num_segments = 0;
};

// Throws signing::ParseError when MessageSid, AccountSid, From or To is missing.
TwilioInbound parse_twilio_inbound(const std::vector<Param>& params);

struct TwilioStatus {
    std::string message_sid;
    std::string account_sid;
    std::string message_status;  // "sent", "delivered", ...
    std::string from;
    std::string to;
    std::string error_code;  // only for failed/undelivered
    std::string raw_dlr_done_date;
};

// Throws signing::ParseError when MessageSid or MessageStatus (or SmsStatus) is missing.
TwilioStatus parse_twilio_status(const std::vector<Param>& params);

// Callbacks arrive out of order; a status may only replace one of lower rank, so "sent" after
// "delivered" is ignored. The final outcomes (delivered, undelivered, failed, canceled,
// received) share one rank so a late duplicate cannot flip one into another; only "read" (a
// later event of a delivered message) ranks above them. Unknown statuses rank 0 and never
// replace anything.
int twilio_status_rank(std::string_view status);
bool twilio_status_advances(std::string_view current, std::string_view incoming);

}  // namespace kayou::notify::callbacks
