// Fuzzes the WeCom robot envelope and message decoder, and checks that the stream reply built
// from whatever text came out is valid JSON within the stream content limit.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bot/channels/wecom_bot.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace kayou::channels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    (void)read_wecom_bot_envelope(input);
    for (std::string_view bot_name : {std::string_view(), std::string_view("卡友小助手")}) {
        auto in = decode_wecom_bot_message(input, 1700000000, bot_name);
        if (!in.ok()) continue;
        FUZZ_CHECK(!in->msg_id.empty());
        FUZZ_CHECK(!in->message.sender_id.empty());
        FUZZ_CHECK(!in->message.chat_id.empty());
        kayou::dialogs::Reply reply;
        reply.texts = {in->message.text, std::string(input)};
        const std::string body = build_wecom_bot_stream_reply(in->msg_id, reply);
        const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
        FUZZ_CHECK(!json.is_discarded());
        FUZZ_CHECK(json["stream"]["content"].get<std::string>().size() <= kWecomStreamMaxBytes);
    }
    return 0;
}
