#include "bot/channels/wechat_message.hpp"

#include <charconv>
#include <cmath>

#include "bot/channels/reply_text.hpp"
#include "text/utf8.hpp"

namespace kayou::channels {
namespace {

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Coordinates arrive as decimal strings of varying precision (§2.3); parse, never assume a width.
std::optional<double> parse_decimal(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<dialogs::Location> parse_location(std::string_view latitude,
                                                std::string_view longitude) {
    const auto lat = parse_decimal(latitude);
    const auto lng = parse_decimal(longitude);
    if (!lat || !lng || std::fabs(*lat) > 90 || std::fabs(*lng) > 180) return std::nullopt;
    dialogs::Location location;
    location.latitude = *lat;
    location.longitude = *lng;
    return location;
}

WeChatKind kind_of(std::string_view msg_type) {
    if (msg_type == "text") return WeChatKind::text;
    if (msg_type == "location") return WeChatKind::location;
    if (msg_type == "image") return WeChatKind::image;
    if (msg_type == "voice") return WeChatKind::voice;
    if (msg_type == "video" || msg_type == "shortvideo") return WeChatKind::video;
    if (msg_type == "link") return WeChatKind::link;
    if (msg_type == "event") return WeChatKind::event;
    return WeChatKind::other;
}

}  // namespace

bool WeChatInbound::accepts_reply() const {
    if (kind != WeChatKind::event) return true;
    return event != "LOCATION" && event != "unsubscribe";
}

Result<WeChatInbound> decode_wechat_message(dialogs::Channel channel, std::string_view plain_xml) {
    auto parsed = parse_wechat_xml(plain_xml);
    if (!parsed) return parsed.error();
    const XmlFields& xml = *parsed;

    WeChatInbound in;
    in.account_id = xml.get("ToUserName");
    const std::string_view from = xml.get("FromUserName");
    in.msg_type = xml.get("MsgType");
    const auto create_time = parse_int(xml.get("CreateTime"));
    if (in.account_id.empty() || from.empty()) return bad_request("wechat: missing user names");
    if (in.msg_type.empty()) return bad_request("wechat: missing MsgType");
    if (!create_time) return bad_request("wechat: missing or bad CreateTime");
    in.kind = kind_of(in.msg_type);
    in.msg_id = xml.get("MsgId");
    in.agent_id = xml.get("AgentID");
    in.media_id = xml.get("MediaId");

    dialogs::Message& message = in.message;
    message.channel = channel;
    message.chat_type = dialogs::ChatType::single;
    message.chat_id = from;
    message.sender_id = from;
    message.reply_handle = from;  // the OA customer-service API and WeCom message/send address it
    message.mentioned_bot = true;
    message.time = *create_time;

    switch (in.kind) {
        case WeChatKind::text:
            message.text = text::strip_control(xml.get("Content"));
            break;
        case WeChatKind::voice:
            // Present when the account enabled speech recognition; otherwise a text-less message.
            message.text = text::strip_control(xml.get("Recognition"));
            break;
        case WeChatKind::location: {
            auto location = parse_location(xml.get("Location_X"), xml.get("Location_Y"));
            if (!location) return bad_request("wechat: bad location coordinates");
            location->label = text::strip_control(xml.get("Label"));
            message.location = std::move(location);
            in.scale = static_cast<int>(parse_int(xml.get("Scale")).value_or(0));
            break;
        }
        case WeChatKind::event:
            in.event = xml.get("Event");
            in.event_key = xml.get("EventKey");
            if (in.event == "LOCATION") {
                auto location = parse_location(xml.get("Latitude"), xml.get("Longitude"));
                if (!location) return bad_request("wechat: bad location coordinates");
                message.location = std::move(location);
                in.precision = parse_decimal(xml.get("Precision")).value_or(0);
            }
            break;
        default:
            break;
    }

    // Retries of one push carry the same key. Channel prefix: keys share one Redis namespace.
    std::string& key = message.dedupe_key;
    const std::string_view prefix = dialogs::channel_name(channel);
    key.reserve(prefix.size() + from.size() + 32);
    key.append(prefix).append(":").append(from).append(":");
    if (!in.msg_id.empty()) {
        key.append(in.msg_id);
    } else {
        key.append(in.event).append("@").append(xml.get("CreateTime"));
    }
    return in;
}

Result<EncryptedEnvelope> read_encrypted_envelope(std::string_view body, bool require_agent) {
    auto parsed = parse_wechat_xml(body);
    if (!parsed) return parsed.error();
    EncryptedEnvelope envelope;
    envelope.to_user = parsed->get("ToUserName");
    envelope.encrypt = parsed->get("Encrypt");
    envelope.agent_id = parsed->get("AgentID");
    if (envelope.encrypt.empty()) return bad_request("wechat: missing Encrypt");
    if (envelope.to_user.empty()) return bad_request("wechat: missing ToUserName");
    if (require_agent && envelope.agent_id.empty()) return bad_request("wechat: missing AgentID");
    return envelope;
}

std::string build_text_reply_xml(std::string_view to_user, std::string_view from_user,
                                 std::int64_t create_time, std::string_view content) {
    return XmlWriter()
        .cdata("ToUserName", to_user)
        .cdata("FromUserName", from_user)
        .number("CreateTime", create_time)
        .cdata("MsgType", "text")
        .cdata("Content", content)
        .finish();
}

std::optional<std::string> build_text_reply(const WeChatInbound& request,
                                            const dialogs::Reply& reply, std::int64_t now) {
    const std::string content = join_for_one_message(reply.texts, kWeChatReplyMaxBytes);
    if (content.empty()) return std::nullopt;
    return build_text_reply_xml(request.message.sender_id, request.account_id, now, content);
}

std::string build_encrypted_reply_xml(std::string_view encrypt, std::string_view msg_signature,
                                      std::string_view timestamp, std::string_view nonce) {
    return XmlWriter()
        .cdata("Encrypt", encrypt)
        .cdata("MsgSignature", msg_signature)
        .digits("TimeStamp", timestamp)
        .cdata("Nonce", nonce)
        .finish();
}

}  // namespace kayou::channels
