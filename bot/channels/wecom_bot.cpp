#include "bot/channels/wecom_bot.hpp"

#include "bot/channels/json_util.hpp"
#include "bot/channels/mention.hpp"
#include "bot/channels/reply_text.hpp"
#include "text/utf8.hpp"

namespace kayou::channels {
namespace {

using json_util::member;
using json_util::string_member;
using nlohmann::json;

// The text of a text / voice object ({"content": ...}); "" when absent.
std::string content_of(const json& message, std::string_view type) {
    const json* object = member(message, type);
    if (object == nullptr) return {};
    return string_member(*object, "content").value_or(std::string());
}

std::string mixed_text(const json& message) {
    const json* mixed = member(message, "mixed");
    const json* items = mixed ? member(*mixed, "msg_item") : nullptr;
    if (items == nullptr || !items->is_array()) return {};
    std::string text;
    for (const json& item : *items) {
        if (string_member(item, "msgtype") != "text") continue;
        const std::string part = content_of(item, "text");
        if (part.empty()) continue;
        if (!text.empty()) text.push_back('\n');
        text.append(part);
    }
    return text;
}

}  // namespace

Result<std::string> read_wecom_bot_envelope(std::string_view body) {
    if (body.size() > kMaxWecomBotBodyBytes) return too_large("wecom_bot: body over 64 KiB");
    const auto parsed = json_util::parse(body);
    if (!parsed) return bad_request("wecom_bot: malformed JSON");
    auto encrypt = string_member(*parsed, "encrypt");
    if (!encrypt || encrypt->empty()) return bad_request("wecom_bot: missing encrypt");
    return std::move(*encrypt);
}

Result<WecomBotInbound> decode_wecom_bot_message(std::string_view plain_json, std::int64_t now,
                                                 std::string_view bot_name) {
    if (plain_json.size() > kMaxWecomBotBodyBytes) return too_large("wecom_bot: body over 64 KiB");
    const auto parsed = json_util::parse(plain_json);
    if (!parsed || !parsed->is_object()) return bad_request("wecom_bot: malformed JSON");
    const json& root = *parsed;

    WecomBotInbound in;
    in.msg_id = string_member(root, "msgid").value_or(std::string());
    in.msg_type = string_member(root, "msgtype").value_or(std::string());
    in.aibot_id = string_member(root, "aibotid").value_or(std::string());
    const json* from = member(root, "from");
    const std::string user_id = from ? string_member(*from, "userid").value_or(std::string()) : "";
    if (in.msg_id.empty()) return bad_request("wecom_bot: missing msgid");
    if (in.msg_type.empty()) return bad_request("wecom_bot: missing msgtype");
    if (user_id.empty()) return bad_request("wecom_bot: missing from.userid");

    dialogs::Message& message = in.message;
    message.channel = dialogs::Channel::wecom_bot;
    message.sender_id = user_id;
    message.mentioned_bot = true;
    message.answer_bytes = kWecomBotAnswerBytes;
    message.reply_handle = string_member(root, "response_url").value_or(std::string());
    message.time = json_util::int_member(root, "create_time").value_or(now);
    const std::string chat_type = string_member(root, "chattype").value_or("single");
    if (chat_type == "group") {
        message.chat_type = dialogs::ChatType::group;
        message.chat_id = string_member(root, "chatid").value_or(std::string());
        if (message.chat_id.empty()) return bad_request("wecom_bot: group without chatid");
    } else {
        message.chat_type = dialogs::ChatType::single;
        message.chat_id = user_id;
    }

    std::string raw_text;
    if (in.msg_type == "text") {
        in.kind = WecomBotKind::message;
        raw_text = content_of(root, "text");
    } else if (in.msg_type == "mixed") {
        in.kind = WecomBotKind::message;
        raw_text = mixed_text(root);
    } else if (in.msg_type == "voice") {
        in.kind = WecomBotKind::message;
        raw_text = content_of(root, "voice");
    } else if (in.msg_type == "image" || in.msg_type == "file" || in.msg_type == "video") {
        in.kind = WecomBotKind::message;
    } else if (in.msg_type == "stream") {
        in.kind = WecomBotKind::stream_refresh;
        const json* stream = member(root, "stream");
        in.stream_id = stream ? json_util::id_member(*stream, "id").value_or(std::string()) : "";
        if (in.stream_id.empty()) return bad_request("wecom_bot: stream refresh without id");
    } else if (in.msg_type == "event") {
        in.kind = WecomBotKind::event;
        const json* event = member(root, "event");
        in.event_type = event ? string_member(*event, "eventtype").value_or(std::string()) : "";
    } else {
        in.kind = WecomBotKind::unsupported;
    }

    std::string text = text::strip_control(raw_text);
    if (message.in_group()) {
        // The platform puts "@<robot name> " in front of group text (§3.2). With the configured
        // name we strip exactly it (names may contain spaces); otherwise the first @-token.
        if (!strip_mentions_of(text, bot_name)) strip_leading_mention(text);
    }
    message.text = std::string(trim_spaces(text));

    if (in.kind != WecomBotKind::stream_refresh) message.dedupe_key = "wecom_bot:" + in.msg_id;
    return in;
}

std::string build_wecom_bot_stream_reply(std::string_view stream_id, bool finish,
                                         std::string_view markdown) {
    json stream = {
        {"id", std::string(stream_id)},
        {"finish", finish},
        {"content", truncate_with_marker(text::strip_control(markdown), kWecomStreamMaxBytes)},
    };
    return json_util::dump(json{{"msgtype", "stream"}, {"stream", std::move(stream)}});
}

std::string build_wecom_bot_stream_reply(std::string_view stream_id, const dialogs::Reply& reply) {
    // The robot renders stream.content as markdown; replies are plain text.
    std::vector<std::string> texts;
    texts.reserve(reply.texts.size());
    for (const auto& text : reply.texts) texts.push_back(markdown_literal(text));
    return build_wecom_bot_stream_reply(stream_id, true,
                                        join_for_one_message(texts, kWecomStreamMaxBytes));
}

std::string build_wecom_bot_encrypted_response(std::string_view encrypt,
                                               std::string_view msg_signature,
                                               std::string_view timestamp, std::string_view nonce) {
    return json_util::dump(json{
        {"encrypt", std::string(encrypt)},
        {"msgsignature", std::string(msg_signature)},
        {"timestamp", std::string(timestamp)},
        {"nonce", std::string(nonce)},
    });
}

}  // namespace kayou::channels
