// Fuzzes the bridge request decoder: the signature check (with the input as body and a valid
// signature, so the parser behind it is reached too) and the response builder, whose every reply
// text must stay within kBridgeReplyMaxBytes and be valid JSON.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bot/channels/bridge.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace kayou::channels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    static const BridgeConfig config = [] {
        BridgeConfig c;
        c.secret = "fuzz-secret";
        c.bot_names = {"卡友小助手", "小助手"};
        return c;
    }();
    constexpr std::int64_t now = 1700000000;

    // Garbage headers must be refused, never crash.
    (void)verify_bridge_request(config, input.substr(0, 16), input, input, now);

    const std::string signature = bridge_signature(config.secret, "1700000000", input);
    auto message = decode_bridge_request(config, "1700000000", signature, input, now);
    if (!message.ok()) return 0;
    FUZZ_CHECK(!message->sender_id.empty());
    FUZZ_CHECK(!message->chat_id.empty());
    FUZZ_CHECK(message->dedupe_key.starts_with("bridge:"));

    kayou::dialogs::Reply reply;
    reply.texts = {message->text, std::string(input), message->sender_name};
    reply.mentions = {message->sender_id};
    const std::string body = build_bridge_response(*message, reply);
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(!json.is_discarded());
    for (const auto& item : json["replies"]) {
        FUZZ_CHECK(item["text"].get<std::string>().size() <= kBridgeReplyMaxBytes);
        FUZZ_CHECK(item["text_with_mentions"].get<std::string>().size() <= kBridgeReplyMaxBytes);
    }
    return 0;
}
