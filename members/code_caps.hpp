#pragma once
// Caps on verification-code SMS (docs/sms.md "Verification-code caps"): the pure decisions, no
// I/O. members/code_desk.hpp keeps the counters in Redis and asks these functions.
//
// Every code request is counted at several levels at once, and a code is sent only when every
// level that applies is below its cap:
//   phone    one per spacing (60 s), per hour (5) and per day (10) — the providers' own limits
//   link     over the life of one join link (5); web requests only
//   sender   the chat sender, or the group member a join link was made for: per hour and day
//   address  the web client's address (an IPv6 /64 counts as one) per hour; web requests only
//   global   the whole union's budget per hour and per day — what finance pays for
// On the web, a link or an address that used up its small free allowance must first solve a
// proof of work served by kayou itself (a hash puzzle, about a second on a phone), which makes
// pumping slow and costly without troubling a driver who asks once or twice.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kayou::members {

enum class CodeCap {
    phone_spacing,
    phone_hour,
    phone_day,
    link,
    sender_hour,
    sender_day,
    address_hour,
    global_hour,
    global_day,
};
inline constexpr std::size_t kCodeCapCount = 9;
// "phone_spacing", ... : metric labels and log details.
std::string_view to_string(CodeCap cap);

struct CodeLimits {
    std::chrono::seconds phone_spacing{60};
    int phone_per_hour = 5;
    int phone_per_day = 10;
    int link_total = 5;  // over the link's life (members.join_link_ttl_s, at most a day)
    int link_free = 1;   // codes a link gets before a proof of work is asked for
    int sender_per_hour = 5;
    int sender_per_day = 10;
    int address_per_hour = 30;  // generous: mobile carriers put many phones behind one address
    int address_free = 3;       // per hour, before a proof of work is asked for
    int global_per_hour = 300;
    int global_per_day = 2000;
    int alert_percent = 80;    // of either global budget: the alert fires here
    int proof_bits = 16;       // leading zero bits of the first proof; +1 per code beyond the free
    int proof_extra_bits = 4;  // allowance, at most this many more
};

// The counts so far, before this request, indexed by CodeCap.
using CodeCounts = std::array<std::int64_t, kCodeCapCount>;

struct CodeAsk {
    bool web = false;     // link and address caps apply, and proofs of work
    bool proved = false;  // a valid, unused proof of work came with the request
};

enum class CodeVerdict { send, refuse, prove };

struct CodeDecision {
    CodeVerdict verdict = CodeVerdict::send;
    CodeCap cap = CodeCap::phone_spacing;  // refuse: the first cap reached
    int proof_bits = 0;                    // prove: the difficulty to ask for
};

bool cap_applies(CodeCap cap, bool web);
std::int64_t cap_limit(CodeCap cap, const CodeLimits& limits);
// How long a counter lives from its first count (phone spacing: the spacing itself). The global
// counters are fixed windows named by the hour / day instead (code_desk), so this is their TTL.
std::chrono::milliseconds cap_window(CodeCap cap, const CodeLimits& limits);

// May this code be sent? Caps are checked in CodeCap order (the driver hears about his own
// phone first, the global budget last); then, on the web, the free allowance.
CodeDecision decide_code(const CodeCounts& counts, const CodeLimits& limits, const CodeAsk& ask);

// The global budget: none, alert (alert_percent reached), exhausted. `counts` after the request.
enum class BudgetLevel { none, alert, exhausted };
BudgetLevel budget_level(std::int64_t used, std::int64_t budget, int alert_percent);
std::string_view to_string(BudgetLevel level);

// What the chat join flow hears (EffectResult outcome for send_code; join_engine.cpp) and what
// the web page shows. Web texts name the page's button, never a chat command.
std::string_view chat_outcome(CodeCap cap);
std::string_view web_refusal_text(CodeCap cap);
// A code check's outcome (ok | wrong | expired | locked | format) as the web page says it.
std::string web_check_text(std::string_view outcome, int remaining);

// ---- join links ----
struct LinkMintLimits {
    int per_sender_hour = 3;  // the same member asking for a link again and again
    int per_group_hour = 30;  // one group handing out links
    // A promoter's or event's poster (members/promoters.hpp): every scan mints a join link.
    int promo_per_address_hour = 20;     // one network scanning again and again
    int promo_per_promoter_hour = 1000;  // one poster, a busy recruitment event
};
enum class LinkMintVerdict { mint, sender, group };
// Counts so far this hour, before this link.
LinkMintVerdict decide_link_mint(std::int64_t sender_count, std::int64_t group_count,
                                 const LinkMintLimits& limits);

// ---- proof of work ----
// A challenge is "<payload>.<mac>", payload = base64url("v1|bits|expires|salt|binding"); the
// binding ties it to one link and one address, so a solved challenge cannot be used elsewhere.
// A proof solves it when SHA-256(challenge ":" nonce) starts with `bits` zero bits.
struct ProofChallenge {
    int bits = 0;
    std::int64_t expires = 0;  // Unix seconds
    std::string salt;          // unique: a used proof is remembered under it until it expires
    std::string binding;
};
std::string sign_challenge(std::string_view key, const ProofChallenge& challenge);
// nullopt: bad format or signature, expired at `now`, or bound to something else.
std::optional<ProofChallenge> verify_challenge(std::string_view key, std::string_view challenge,
                                               std::string_view binding, std::int64_t now);
int leading_zero_bits(std::string_view digest);
bool proof_solves(std::string_view challenge, std::string_view nonce, int bits);
// The smallest decimal nonce that solves it (tests and tools; the page does the same in JS).
std::string solve_proof(std::string_view challenge, int bits);

// ---- client address ----
// The address a web request came from: the peer, or, when kayou sits behind a reverse proxy
// that appends the peer it saw to X-Forwarded-For (members.code_caps.trust_forwarded_for), the
// last address of that header. IPv6 addresses are cut to their /64 (one subscriber's prefix).
std::string client_address(std::string_view peer, std::string_view forwarded_for, bool trust);

}  // namespace kayou::members
