// Fuzzes the WeChat XML reader and everything built on it (OA / WeCom app decode, envelopes,
// reply building), with round-trip properties:
// - any parsed value written back as CDATA parses to the same bytes (P10 escaping is lossless);
// - a reply built from decoded text is well formed and its Content fits kWeChatReplyMaxBytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/channels/official_account.hpp"
#include "bot/channels/reply_text.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "bot/channels/wecom_app.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace kayou::channels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    auto fields = parse_wechat_xml(input);
    if (fields.ok()) {
        for (const auto& field : *fields) {
            const std::string xml = XmlWriter().cdata("V", field.value).finish();
            auto back = parse_wechat_xml(xml);
            FUZZ_CHECK(back.ok() || back.error().kind == DecodeError::Kind::too_large);
            if (back.ok()) FUZZ_CHECK(back->get("V") == field.value);
        }
    }
    (void)read_oa_envelope(input);
    (void)read_wecom_envelope(input);
    (void)decode_wecom_app_message(input);

    auto in = decode_oa_message(input);
    if (in.ok()) {
        kayou::dialogs::Reply reply;
        reply.texts = {in->message.text, in->message.text, std::string(input)};
        const auto xml = build_oa_text_reply(*in, reply, 1700000000);
        if (xml) {
            auto parsed = parse_wechat_xml(*xml);
            FUZZ_CHECK(parsed.ok() || parsed.error().kind == DecodeError::Kind::too_large);
            if (parsed.ok()) {
                FUZZ_CHECK(parsed->get("Content").size() <= kWeChatReplyMaxBytes);
                FUZZ_CHECK(parsed->get("ToUserName") == in->message.sender_id);
            }
        }
    }

    const std::string cut = truncate_with_marker(input, 64);
    FUZZ_CHECK(cut.size() <= 64);
    return 0;
}
