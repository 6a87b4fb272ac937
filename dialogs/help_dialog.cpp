#include "dialogs/help_dialog.hpp"

#include "text/utf8.hpp"

namespace kayou::dialogs {
namespace {

constexpr std::string_view kHelp =
    "您好，我是卡友小助手。可以回复：\n"
    "1. 入会 —— 两分钟办理工会会员\n"
    "2. 法律咨询 —— 欠薪欠运费、事故、工伤、罚款\n"
    "3. 福利 —— 入会礼包、加油优惠、免费体检、司机之家\n"
    "4. 进度 —— 查询入会申请进度";

bool contains(std::string_view text, std::string_view word) {
    return text.find(word) != std::string_view::npos;
}

}  // namespace

Reply HelpDialog::answer(const Message& message) {
    Reply reply;
    const std::string& text = message.text;
    const bool asks_help = text.empty() || contains(text, "帮助") || contains(text, "help") ||
                           contains(text, "你好") || contains(text, "您好") || text == "?" ||
                           text == "？";
    if (message.in_group()) {
        // Groups only hear from the bot when it is addressed, and never get an echo: an echo
        // could repeat someone's ID or phone number to the whole group.
        if (!message.mentioned_bot && !asks_help) return reply;
        reply.texts.emplace_back(kHelp);
        reply.mentions.push_back(message.sender_id);
        return reply;
    }
    if (asks_help) {
        reply.texts.emplace_back(kHelp);
        return reply;
    }
    // Echo back a bounded prefix so a 60 KB message cannot produce a 60 KB reply.
    const std::size_t keep = text::utf8_prefix_length(text, 600);
    reply.texts.push_back("收到：" + text.substr(0, keep) + (keep < text.size() ? "…" : "") +
                          "\n回复“帮助”查看能办的事。");
    return reply;
}

boost::asio::awaitable<Reply> HelpDialog::handle(const Message& message) {
    co_return answer(message);
}

}  // namespace kayou::dialogs
