#include "members/code_caps.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "crypto/hash.hpp"
#include "members/join_link.hpp"

namespace kayou::members {

std::string_view to_string(CodeCap cap) {
    switch (cap) {
        case CodeCap::phone_spacing:
            return "phone_spacing";
        case CodeCap::phone_hour:
            return "phone_hour";
        case CodeCap::phone_day:
            return "phone_day";
        case CodeCap::link:
            return "link";
        case CodeCap::sender_hour:
            return "sender_hour";
        case CodeCap::sender_day:
            return "sender_day";
        case CodeCap::address_hour:
            return "address_hour";
        case CodeCap::global_hour:
            return "global_hour";
        case CodeCap::global_day:
            return "global_day";
    }
    return "unknown";
}

bool cap_applies(CodeCap cap, bool web) {
    const bool sender_cap = cap == CodeCap::sender_hour || cap == CodeCap::sender_day;
    const bool web_cap = cap == CodeCap::link || cap == CodeCap::address_hour;
    return web ? !sender_cap : !web_cap;
}

std::int64_t cap_limit(CodeCap cap, const CodeLimits& limits) {
    switch (cap) {
        case CodeCap::phone_spacing:
            return limits.phone_spacing.count() > 0 ? 1 : 0;
        case CodeCap::phone_hour:
            return limits.phone_per_hour;
        case CodeCap::phone_day:
            return limits.phone_per_day;
        case CodeCap::link:
            return limits.link_total;
        case CodeCap::sender_hour:
            return limits.sender_per_hour;
        case CodeCap::sender_day:
            return limits.sender_per_day;
        case CodeCap::address_hour:
            return limits.address_per_hour;
        case CodeCap::global_hour:
            return limits.global_per_hour;
        case CodeCap::global_day:
            return limits.global_per_day;
    }
    return 0;
}

std::chrono::milliseconds cap_window(CodeCap cap, const CodeLimits& limits) {
    using namespace std::chrono;
    switch (cap) {
        case CodeCap::phone_spacing:
            return limits.phone_spacing;
        case CodeCap::phone_hour:
        case CodeCap::sender_hour:
        case CodeCap::address_hour:
            return hours(1);
        case CodeCap::phone_day:
        case CodeCap::sender_day:
            return hours(24);
        case CodeCap::link:
            return hours(24);  // code_desk shortens it to the link's own expiry
        case CodeCap::global_hour:
            return hours(2);  // a fixed window named by its hour: kept one more for the console
        case CodeCap::global_day:
            return hours(24);
    }
    return hours(24);
}

CodeDecision decide_code(const CodeCounts& counts, const CodeLimits& limits, const CodeAsk& ask) {
    for (std::size_t i = 0; i < kCodeCapCount; ++i) {
        const auto cap = static_cast<CodeCap>(i);
        if (!cap_applies(cap, ask.web)) continue;
        // A spacing of 0 switches the spacing off (limit 0 would refuse everything).
        if (cap == CodeCap::phone_spacing && limits.phone_spacing.count() <= 0) continue;
        if (counts[i] >= cap_limit(cap, limits)) return {CodeVerdict::refuse, cap, 0};
    }
    if (!ask.web || ask.proved) return {};
    const auto link = counts[static_cast<std::size_t>(CodeCap::link)];
    const auto address = counts[static_cast<std::size_t>(CodeCap::address_hour)];
    const std::int64_t beyond = std::max(link - limits.link_free, address - limits.address_free);
    if (beyond < 0) return {};
    const auto extra = std::min<std::int64_t>(beyond, limits.proof_extra_bits);
    return {CodeVerdict::prove, CodeCap::phone_spacing,
            limits.proof_bits + static_cast<int>(extra)};
}

BudgetLevel budget_level(std::int64_t used, std::int64_t budget, int alert_percent) {
    if (budget <= 0) return BudgetLevel::exhausted;
    if (used >= budget) return BudgetLevel::exhausted;
    // used / budget >= percent / 100, in integers.
    if (used * 100 >= budget * static_cast<std::int64_t>(alert_percent)) return BudgetLevel::alert;
    return BudgetLevel::none;
}

std::string_view to_string(BudgetLevel level) {
    switch (level) {
        case BudgetLevel::none:
            return "none";
        case BudgetLevel::alert:
            return "alert";
        case BudgetLevel::exhausted:
            return "exhausted";
    }
    return "none";
}

std::string_view chat_outcome(CodeCap cap) {
    switch (cap) {
        case CodeCap::phone_spacing:
            return "rate_minute";
        case CodeCap::phone_hour:
            return "rate_hour";
        case CodeCap::phone_day:
            return "rate_day";
        case CodeCap::link:  // not in chat; the nearest meaning
        case CodeCap::sender_hour:
        case CodeCap::sender_day:
        case CodeCap::address_hour:
            return "rate_sender";
        case CodeCap::global_hour:
        case CodeCap::global_day:
            return "busy";
    }
    return "busy";
}

std::string_view web_refusal_text(CodeCap cap) {
    switch (cap) {
        case CodeCap::phone_spacing:
            return "验证码发送太频繁了，请1分钟后再点“获取验证码”。";
        case CodeCap::phone_hour:
            return "这个手机号1小时内已发送5次验证码，请稍后再试，或换一个手机号。";
        case CodeCap::phone_day:
            return "这个手机号今天获取验证码的次数已达上限，请明天再试，或换一个手机号。";
        case CodeCap::link:
            return "这个链接获取验证码的次数已达上限。请在群里重新发送“入会”获取新链接，"
                   "或私聊卡友小助手办理。";
        case CodeCap::sender_hour:
        case CodeCap::sender_day:
            return "您获取验证码的次数太多了，请稍后再试，或私聊卡友小助手请工作人员帮您办理。";
        case CodeCap::address_hour:
            return "您所在的网络获取验证码太频繁了，请稍后再试，或换用手机流量打开本页。";
        case CodeCap::global_hour:
        case CodeCap::global_day:
            return "验证码短信发送量已达到工会设定的上限，请稍后再试，或私聊卡友小助手"
                   "请工作人员帮您办理。";
    }
    return "请稍后再试。";
}

std::string web_check_text(std::string_view outcome, int remaining) {
    if (outcome == "ok") return "";
    if (outcome == "wrong")
        return "验证码不对，请核对短信里的6位数字（还可以试" + std::to_string(remaining) + "次）。";
    if (outcome == "locked") return "验证码错误次数太多，已失效。请点“获取验证码”重新获取。";
    if (outcome == "format") return "请填写短信里的6位数字验证码。";
    return "验证码已过期或还没有获取。请点“获取验证码”重新获取。";
}

LinkMintVerdict decide_link_mint(std::int64_t sender_count, std::int64_t group_count,
                                 const LinkMintLimits& limits) {
    if (sender_count >= limits.per_sender_hour) return LinkMintVerdict::sender;
    if (group_count >= limits.per_group_hour) return LinkMintVerdict::group;
    return LinkMintVerdict::mint;
}

// ---- proof of work ----

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
    if (text.empty() || text.size() > 19) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

bool safe_field(std::string_view text) {
    if (text.empty() || text.size() > 128) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

}  // namespace

std::string sign_challenge(std::string_view key, const ProofChallenge& c) {
    const std::string body = "v1|" + std::to_string(c.bits) + "|" + std::to_string(c.expires) +
                             "|" + c.salt + "|" + c.binding;
    const std::string payload = base64url_encode(body);
    return payload + "." + base64url_encode(crypto::hmac_sha256(key, payload));
}

std::optional<ProofChallenge> verify_challenge(std::string_view key, std::string_view challenge,
                                               std::string_view binding, std::int64_t now) {
    if (challenge.size() > 512) return std::nullopt;
    const auto dot = challenge.find('.');
    if (dot == std::string_view::npos || dot == 0) return std::nullopt;
    const auto payload = challenge.substr(0, dot);
    const auto mac = base64url_decode(challenge.substr(dot + 1));
    if (!mac || !crypto::constant_time_equal(*mac, crypto::hmac_sha256(key, payload)))
        return std::nullopt;
    const auto body = base64url_decode(payload);
    if (!body) return std::nullopt;
    const auto parts = split(*body, '|');
    if (parts.size() != 5 || parts[0] != "v1") return std::nullopt;
    ProofChallenge c;
    if (!parse_int(parts[1], c.bits) || !parse_int(parts[2], c.expires)) return std::nullopt;
    if (!safe_field(parts[3]) || !safe_field(parts[4])) return std::nullopt;
    c.salt = std::string(parts[3]);
    c.binding = std::string(parts[4]);
    if (c.expires <= now || c.binding != binding || c.bits < 0 || c.bits > 64) return std::nullopt;
    return c;
}

int leading_zero_bits(std::string_view digest) {
    int bits = 0;
    for (const char ch : digest) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte == 0) {
            bits += 8;
            continue;
        }
        for (int bit = 7; bit >= 0 && !(byte & (1u << bit)); --bit) ++bits;
        break;
    }
    return bits;
}

bool proof_solves(std::string_view challenge, std::string_view nonce, int bits) {
    if (nonce.empty() || nonce.size() > 20) return false;
    if (!std::all_of(nonce.begin(), nonce.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    std::string text(challenge);
    text += ':';
    text += nonce;
    return leading_zero_bits(crypto::sha256(text)) >= bits;
}

std::string solve_proof(std::string_view challenge, int bits) {
    for (std::uint64_t n = 0;; ++n) {
        const std::string nonce = std::to_string(n);
        if (proof_solves(challenge, nonce, bits)) return nonce;
    }
}

// ---- client address ----

std::string client_address(std::string_view peer, std::string_view forwarded_for, bool trust) {
    std::string_view chosen = peer;
    if (trust && !forwarded_for.empty()) {
        // The proxy appends the peer it saw last; anything before it the client could forge.
        const auto comma = forwarded_for.rfind(',');
        chosen = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    }
    while (!chosen.empty() && (chosen.front() == ' ' || chosen.front() == '\t'))
        chosen.remove_prefix(1);
    while (!chosen.empty() && (chosen.back() == ' ' || chosen.back() == '\t'))
        chosen.remove_suffix(1);
    const std::string text(chosen);
    unsigned char bytes[16] = {};
    if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
        const bool v4_mapped = std::all_of(bytes, bytes + 10, [](unsigned char b) { return !b; }) &&
                               bytes[10] == 0xff && bytes[11] == 0xff;
        if (v4_mapped) {
            char v4[INET_ADDRSTRLEN] = {};
            inet_ntop(AF_INET, bytes + 12, v4, sizeof v4);
            return v4;
        }
        std::fill(bytes + 8, bytes + 16, 0);
        char v6[INET6_ADDRSTRLEN] = {};
        inet_ntop(AF_INET6, bytes, v6, sizeof v6);
        return std::string(v6) + "/64";
    }
    if (inet_pton(AF_INET, text.c_str(), bytes) == 1) {
        char v4[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, bytes, v4, sizeof v4);
        return v4;
    }
    // Not an address (a broken header): everyone sending it shares one bucket.
    return "unknown";
}

}  // namespace kayou::members
