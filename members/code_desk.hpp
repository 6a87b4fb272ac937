#pragma once
// The one place verification codes are sent from and checked (through members/join_desk.hpp, for
// the chat flow and the web page alike), and where join links are counted before they are signed.
// The decisions are pure (members/code_caps.hpp); this is the Redis edge around them:
//
//   1. one MGET reads every counter that applies (and whether a proof was used already);
//   2. decide_code() says send, refuse (which cap) or prove (ask the page for a proof of work);
//   3. send: one Lua step checks every cap again and counts the code everywhere at once, so
//      several kayou processes sharing the Redis can never together pass a cap; then the code
//      is stored for its owner (PhoneVerification) and the SMS goes into the outbox.
// A refused request writes nothing, so a flood of refusals costs no Redis memory.
//
// Keys (prefix P; phones, senders, links and addresses only as keyed hashes; every key expires
// within a day — docs/sms.md has the table):
//   P code:phone:{<hash>}:s | :h | :d      spacing, hour, day counters of one phone
//   P code:link:<hash>                     codes through one join link (until it expires)
//   P code:sender:<hash>:h | :d            codes for one chat sender / link owner
//   P code:addr:<hash>:h                   codes for one web client address
//   P code:global:h:<YYYYMMDDHH> | :d:<YYYYMMDD>   the union's budget (Beijing time)
//   P code:proof:<salt>                    a proof of work already used
//   P code:alert                           the last budget alert, for the console
//   P link:mint:sender:<hash> | :group:<hash>      join links minted this hour
//   P link:mint:promo_addr:<hash> | :promo:<id>    join links minted from promoter links
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "crypto/sealed_box.hpp"
#include "members/code_caps.hpp"
#include "members/phone_verification.hpp"

namespace kayou::redis {
class Client;
}
namespace kayou::notify {
class SmsOutbox;
}

namespace kayou::members {

struct JoinLinkClaims;

struct CodeDeskOptions {
    std::string key_prefix = "kayou:";
    CodeLimits limits;
    LinkMintLimits links;
    std::chrono::seconds code_ttl{300};   // what the SMS says; PhoneVerification keeps the code
    std::chrono::seconds proof_ttl{300};  // a challenge must be solved and used within this
};

// Who asks for a code. Chat: the sender only. Web: the join link (and the group member it was
// made for, who counts as the sender), the client address, and a solved challenge if any.
struct CodeRequester {
    std::string sender;  // "bridge:wxid_..." (dialogs::driver_id)
    std::string link;    // web: the link's identity; empty in chat
    std::chrono::sys_seconds link_expires{};
    std::string address;  // web: members::client_address()
    std::string challenge;
    std::string nonce;

    bool web() const { return !link.empty(); }
    // Whom the code is bound to: only this owner's guesses reach it.
    std::string owner() const { return web() ? "link:" + link : "chat:" + sender; }
};
CodeRequester chat_requester(std::string driver);
CodeRequester web_requester(const JoinLinkClaims& claims, std::string address,
                            std::string challenge = {}, std::string nonce = {});

struct CodeSend {
    CodeVerdict verdict = CodeVerdict::send;
    CodeCap cap = CodeCap::phone_spacing;  // refuse
    std::string challenge;                 // prove: what the page must solve
    int bits = 0;
    bool failed = false;  // send: the SMS could not be put into the outbox

    // The EffectResult outcome of the chat flow: ok | rate_minute | rate_hour | rate_day |
    // rate_sender | busy | failed.
    std::string chat_outcome() const;
};

struct BudgetStatus {
    std::int64_t hour_used = 0;
    std::int64_t hour_budget = 0;
    std::int64_t day_used = 0;
    std::int64_t day_budget = 0;
    BudgetLevel level = BudgetLevel::none;  // the worse of hour and day
    // The last alert raised (any process), kept a day: "" when none.
    std::string alert_level;
    std::string alert_window;  // "hour 2026052714" | "day 20260527"
    std::int64_t alert_at_ms = 0;
};

class CodeDesk {
public:
    // Operational events, no personal data: ("code_sent", ""), ("code_refused", cap),
    // ("code_challenged", ""), ("code_proof_rejected", ""), ("code_budget_alert", level),
    // ("code_enqueue_failed", ""), ("link_minted", ""), ("link_refused", "sender"|"group").
    using Event = std::function<void(std::string_view event, std::string_view detail)>;

    CodeDesk(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
             PhoneVerification& verification, notify::SmsOutbox& sms, CodeDeskOptions options,
             std::function<std::chrono::sys_seconds()> now, Event event = {});

    boost::asio::awaitable<CodeSend> send(std::string phone, CodeRequester who);
    boost::asio::awaitable<CodeCheck> check(std::string phone, CodeRequester who, std::string code);
    // Counts a join link for this sender and group before it is signed.
    boost::asio::awaitable<LinkMintVerdict> mint_link(std::string sender, std::string group);
    // Counts a join link minted from a promoter's link for this client address and promoter:
    // LinkMintVerdict::sender means the address cap, ::group the promoter cap.
    boost::asio::awaitable<LinkMintVerdict> mint_promo_link(std::string promoter,
                                                            std::string address);

    // Reads the budget counters and the last alert (the console, the metrics refresh).
    boost::asio::awaitable<BudgetStatus> budget();
    // What this process saw last (gauges; refreshed by every send and by budget()).
    BudgetStatus last_budget() const;

    const CodeDeskOptions& options() const { return options_; }
    std::string global_key(bool hour, std::chrono::sys_seconds at) const;

private:
    // The caps that apply to one send, their keys and the counting script's arguments.
    struct CapCounting {
        std::vector<CodeCap> caps;
        std::vector<std::string> keys;
        std::vector<std::string> args;
    };
    CapCounting caps_for(const std::string& phone, const CodeRequester& who,
                         std::chrono::sys_seconds now) const;
    // The proof of work that came with a web request, when it is valid and solved.
    std::optional<ProofChallenge> proof_with(const CodeRequester& who,
                                             std::chrono::sys_seconds now) const;
    // A signed challenge of `bits` for this link and address.
    std::string new_challenge(const CodeRequester& who, int bits,
                              std::chrono::sys_seconds now) const;
    std::string hashed(std::string_view label, std::string_view value) const;
    std::string cap_key(CodeCap cap, const std::string& phone, const CodeRequester& who,
                        std::chrono::sys_seconds now) const;
    boost::asio::awaitable<LinkMintVerdict> count_mint(std::vector<std::string> keys, int first_cap,
                                                       int second_cap, std::string label);
    boost::asio::awaitable<void> note_budget(std::int64_t hour_used, std::int64_t day_used,
                                             std::chrono::sys_seconds now);

    std::shared_ptr<redis::Client> redis_;
    const crypto::SealedBox& box_;
    PhoneVerification& verification_;
    notify::SmsOutbox& sms_;
    CodeDeskOptions options_;
    std::function<std::chrono::sys_seconds()> now_;
    Event event_;
    std::string proof_key_;  // HMAC key of the challenges, derived from the data key
    BudgetStatus last_;
    // The alert this process recorded last (a window is recorded once per level).
    std::string alerted_window_;
    BudgetLevel alerted_level_ = BudgetLevel::none;
};

}  // namespace kayou::members
