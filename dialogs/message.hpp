#pragma once
// The one shape every inbound event takes before any dialog code sees it (DESIGN.md "Channels").
// Channel adapters in bot/channels build it; dialogs/ never sees a wire format.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::dialogs {

enum class Channel { official_account, wecom_app, wecom_bot, bridge, sms };
enum class ChatType { single, group };

constexpr std::string_view channel_name(Channel channel) {
    switch (channel) {
        case Channel::official_account:
            return "oa";
        case Channel::wecom_app:
            return "wecom_app";
        case Channel::wecom_bot:
            return "wecom_bot";
        case Channel::bridge:
            return "bridge";
        case Channel::sms:
            return "sms";
    }
    return "unknown";
}

struct Location {
    double latitude = 0;
    double longitude = 0;
    std::string label;
};

struct Message {
    Channel channel = Channel::official_account;
    // Same for every platform retry of one message (e.g. FromUserName + MsgId); empty when the
    // platform gives nothing to deduplicate on.
    std::string dedupe_key;
    ChatType chat_type = ChatType::single;
    std::string chat_id;    // room / chatid for groups, the sender for 1:1
    std::string chat_name;  // group name, when the channel tells it
    std::string sender_id;
    std::string sender_name;
    bool mentioned_bot = false;
    std::string text;  // cleaned: @-prefix stripped, control characters removed
    std::optional<Location> location;
    std::int64_t time = 0;     // Unix seconds
    std::string reply_handle;  // opaque per channel: response_url, openid, ...
    // The channel can deliver Reply::private_texts to the sender in a 1:1 chat (a group bridge
    // that said so, docs/bridge-protocol.md). Otherwise nothing private is produced.
    bool private_replies = false;
    // The channel can send Reply::follow_ups as messages of their own after the reply (the
    // Official Account with its customer-service API configured; the group bridge, which
    // answers with several messages anyway).
    bool follow_ups = false;
    // The most bytes one text of the reply holds for a legal answer (faq::LegalQuestion::
    // max_bytes): 2,048 on the WeChat channels; the WeCom smart robot's one streamed reply holds
    // two whole answers.
    std::size_t answer_bytes = 2048;

    bool in_group() const { return chat_type == ChatType::group; }
};

// What a dialog turn answers. Channels split texts to their byte limits and add @-mentions.
struct Reply {
    std::vector<std::string> texts;
    // Sender ids to @-mention in a group answer.
    std::vector<std::string> mentions;
    // For the sender alone, in his 1:1 chat (only when Message::private_replies): e.g. a join
    // link, which in a group anyone could open first.
    std::vector<std::string> private_texts;
    // Sent after the reply, each as a message of its own (only when Message::follow_ups): the
    // second of two answers too long for one text. Stored with the rest of the reply: a
    // platform's retry of the Official Account gets `texts` only (the first delivery sent these),
    // a bridge's retry gets them all.
    std::vector<std::string> follow_ups;

    bool empty() const { return texts.empty() && private_texts.empty(); }
};

}  // namespace kayou::dialogs
