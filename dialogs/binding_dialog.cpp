#include "dialogs/binding_dialog.hpp"

#include <algorithm>
#include <cctype>

#include "dialogs/conversation_store.hpp"
#include "members/application_store.hpp"
#include "members/chat_binding.hpp"
#include "text/utf8.hpp"

namespace kayou::dialogs {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kBindWord = "绑定";

std::string_view trim(std::string_view text) {
    constexpr std::string_view spaces = " \t\r\n";
    while (!text.empty() && spaces.find(text.front()) != std::string_view::npos)
        text.remove_prefix(1);
    while (!text.empty() && spaces.find(text.back()) != std::string_view::npos)
        text.remove_suffix(1);
    return text;
}

Reply say(std::string text, const Message& message) {
    Reply reply;
    reply.texts.push_back(std::move(text));
    if (message.in_group()) reply.mentions.push_back(message.sender_id);
    return reply;
}

// "5R92-BA4R" sent alone, as the page shows it: a bind code without the word. Only that shape
// (four, a hyphen, four, letters and digits mixed), so that no word or number is taken for one.
// The code as shown, or nullopt.
std::optional<std::string> bare_bind_code(std::string_view raw) {
    constexpr std::size_t kShownLength = 9;
    constexpr std::size_t kHyphenAt = 4;
    constexpr std::size_t kMostBytes = 3 * kShownLength + 8;  // full width, spaces around
    if (raw.size() > kMostBytes) return std::nullopt;  // a cheap exit for every other message
    const std::string folded = text::fold_width(raw);
    const std::string_view text = trim(folded);
    if (text.size() != kShownLength || text[kHyphenAt] != '-') return std::nullopt;
    const bool letter = std::any_of(text.begin(), text.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c));
    });
    const bool digit = std::any_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!letter || !digit || !members::normalize_bind_code(text)) return std::nullopt;
    return std::string(text);
}

// "绑定 ABCD-2345 谢谢", "码是ABCD-2345", "帮定 ABCD2345": a code inside a sentence that speaks of
// binding. The first run of eight characters of the code's alphabet (a hyphen or a space may
// split it) standing on its own, as typed; nullopt when there is none.
std::optional<std::string> code_inside(std::string_view text) {
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t start = 0; start < text.size(); ++start) {
        if (!alnum(text[start]) || (start > 0 && alnum(text[start - 1]))) continue;
        std::size_t end = start;
        while (end < text.size() && (alnum(text[end]) || text[end] == '-' || text[end] == ' '))
            ++end;
        const std::string_view run = trim(text.substr(start, end - start));
        if (members::normalize_bind_code(run)) return std::string(run);
        start = end;
    }
    return std::nullopt;
}

bool speaks_of_binding(std::string_view text) {
    for (std::string_view cue : {kBindWord, std::string_view("帮定"), std::string_view("邦定"),
                                 std::string_view("绑码"), std::string_view("码是")})
        if (text.find(cue) != std::string_view::npos) return true;
    return false;
}

}  // namespace

std::optional<std::string> bind_request(std::string_view raw) {
    if (auto code = bare_bind_code(raw)) return code;
    // Every message passes here: most are gone after a few searches.
    if (!speaks_of_binding(raw)) return std::nullopt;
    // Width folded first: a phone keyboard in Chinese mode types "ＡＢＣＤ" and "："
    const std::string folded = text::fold_width(raw);
    std::string_view text = trim(folded);
    // "码是ABCD-2345", "我的绑定码ABCD-2345": the code inside a sentence that speaks of binding.
    if (text.substr(0, kBindWord.size()) != kBindWord) return code_inside(folded);
    text.remove_prefix(kBindWord.size());
    for (std::string_view filler : {"码", ":", "，", ",", "。"}) {
        text = trim(text);
        if (text.substr(0, filler.size()) == filler) text.remove_prefix(filler.size());
    }
    text = trim(text);
    // Trailing punctuation a voice keyboard adds.
    for (std::string_view tail : {"。", ".", "！", "!"})
        if (text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail)
            text.remove_suffix(tail.size());
    const std::string rest(trim(text));
    if (rest.empty()) return std::string();
    // "绑定手机" and other sentences are not bind requests; a code is ASCII letters and digits.
    // "绑定 ABCD-2345 谢谢": the code inside them is.
    for (char c : rest)
        if (static_cast<unsigned char>(c) >= 0x80) return code_inside(rest);
    return rest;
}

BindingDialog::BindingDialog(Dialog& next, members::ChatBinding& binding,
                             members::ApplicationStore& applications, Log log)
    : next_(next), binding_(binding), applications_(applications), log_(std::move(log)) {}

bool BindingDialog::claims_inline(const Message& message) const {
    return !bind_request(message.text) && next_.claims_inline(message);
}

asio::awaitable<std::optional<Reply>> BindingDialog::handle_claiming(const Message& message,
                                                                     DedupeClaim& claim) {
    co_return co_await next_.handle_claiming(message, claim);
}

asio::awaitable<Reply> BindingDialog::handle(const Message& message) {
    auto code = bind_request(message.text);
    if (!code) co_return co_await next_.handle(message);
    // "5R92-BA4R" alone in a group, not to the bot, may be a part or order number: a real code
    // is revoked all the same (everyone saw it), and the group hears nothing.
    const bool bare = message.text.find(kBindWord) == std::string::npos;
    if (bare && message.in_group() && !message.mentioned_bot) {
        try {
            co_await binding_.revoke(*code);
        } catch (const std::exception&) {
            if (log_) log_("bind_code_revoke_failed", "");
        }
        co_return co_await next_.handle(message);
    }
    co_return co_await bind(message, std::move(*code));
}

asio::awaitable<Reply> BindingDialog::bind(const Message& message, std::string code) {
    if (message.in_group()) {
        // Everyone in the group saw the code: it must not link anyone's chat now.
        if (members::normalize_bind_code(code)) {
            try {
                co_await binding_.revoke(code);
            } catch (const std::exception&) {
                if (log_) log_("bind_code_revoke_failed", "");
            }
            co_return say(
                "绑定码发在群里就作废了，以免被别人绑定。您的申请不受影响，照常审核，结果会短信"
                "通知申请时填的手机号；要查进度，用这个手机号回复验证码短信“进度”。",
                message);
        }
        if (!message.mentioned_bot) co_return Reply{};
        co_return say("绑定码请私聊发给我，不要发在群里。", message);
    }
    if (code.empty())
        co_return say("请发送“绑定”加上申请页面显示的绑定码，例如：绑定 ABCD-2345。", message);
    const std::string driver = driver_id(message);
    auto redeemed =
        co_await binding_.redeem(std::move(code), applications_.driver_key(driver), driver);
    using Outcome = members::ChatBinding::Outcome;
    if (redeemed.outcome == Outcome::limited)
        co_return say("绑定码错误次数太多，请1小时后再试。", message);
    if (redeemed.outcome != Outcome::linked)
        co_return say(
            "绑定码不对或已经失效（7天内有效，只能用一次）。请核对申请页面上的绑定码；也可以用申请"
            "时填写的手机号回复短信“进度”查询。",
            message);
    std::string status;
    try {
        auto application = co_await applications_.get(redeemed.application_id);
        if (application) status = members::status_text(application->status);
    } catch (const std::exception&) {
        if (log_) log_("bind_status_failed", "");
    }
    std::string text = "绑定成功！您的入会申请 " + redeemed.application_id;
    if (!status.empty()) text += "（" + status + "）";
    text += " 已关联到这个聊天，以后回复“进度”就能查询。";
    co_return say(std::move(text), message);
}

}  // namespace kayou::dialogs
