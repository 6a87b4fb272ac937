#include "members/code_desk.hpp"

#include <ctime>
#include <stdexcept>
#include <vector>

#include "crypto/random.hpp"
#include "members/join_link.hpp"
#include "notify/sms_outbox.hpp"
#include "redis/client.hpp"
#include "redis/script.hpp"
#include "text/beijing_time.hpp"

namespace kayou::members {

namespace asio = boost::asio;

namespace {

// One counter, one hash tag (docs/DESIGN.md "Keys and hash tags"): counts the request unless the
// counter is at its limit. CodeDesk::send runs it per cap and takes back the ones it counted when
// a later cap refuses, so several processes sharing the Redis can never together pass a cap
// (a process dying before it takes them back over-counts: a cap refuses early, never late). A
// counter that has no expiry gets one, so none outlives its window.
// KEYS: 1 counter. ARGV: 1 limit, 2 window ms. Returns the count after, or -1 (at the limit).
const redis::Script kCountOne(R"lua(
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return -1 end
local v = redis.call('INCR', KEYS[1])
if v == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v
)lua");

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

CodeRequester chat_requester(std::string driver) {
    CodeRequester who;
    who.sender = std::move(driver);
    return who;
}

CodeRequester web_requester(const JoinLinkClaims& claims, std::string address,
                            std::string challenge, std::string nonce) {
    CodeRequester who;
    // A link names nobody (members/join_link.hpp), so the web has no sender to count: the link,
    // the client address, the phone and the budget are its caps, and links are minted at a
    // bounded rate per member (mint_link).
    who.link = std::to_string(claims.expires) + "|" + claims.nonce;
    who.link_expires = std::chrono::sys_seconds(std::chrono::seconds(claims.expires));
    who.address = std::move(address);
    who.challenge = std::move(challenge);
    who.nonce = std::move(nonce);
    return who;
}

std::string CodeSend::chat_outcome() const {
    if (failed) return "failed";
    if (verdict == CodeVerdict::send) return "ok";
    if (verdict == CodeVerdict::prove) return "rate_sender";  // chat never asks for proofs
    return std::string(members::chat_outcome(cap));
}

CodeDesk::CodeDesk(std::shared_ptr<redis::Client> redis, const crypto::SealedBox& box,
                   PhoneVerification& verification, notify::SmsOutbox& sms, CodeDeskOptions options,
                   std::function<std::chrono::sys_seconds()> now, Event event)
    : redis_(std::move(redis)),
      box_(box),
      verification_(verification),
      sms_(sms),
      options_(std::move(options)),
      now_(std::move(now)),
      event_(std::move(event)),
      // Its own label: one secret to manage, and no key used for two purposes.
      proof_key_(box.lookup_hash("kayou-code-proof-key-v1")) {
    last_.hour_budget = options_.limits.global_per_hour;
    last_.day_budget = options_.limits.global_per_day;
}

std::string CodeDesk::hashed(std::string_view label, std::string_view value) const {
    std::string text(label);
    text += '|';
    text += value;
    return box_.lookup_hash(text).substr(0, 32);
}

std::string CodeDesk::global_key(bool hour, std::chrono::sys_seconds at) const {
    return options_.key_prefix + (hour ? "code:global:h:" + text::format_beijing(at, "%Y%m%d%H")
                                       : "code:global:d:" + text::format_beijing(at, "%Y%m%d"));
}

std::string CodeDesk::cap_key(CodeCap cap, const std::string& phone, const CodeRequester& who,
                              std::chrono::sys_seconds now) const {
    const std::string& p = options_.key_prefix;
    const auto phone_part = [&] { return p + "code:phone:{" + box_.lookup_hash(phone) + "}"; };
    switch (cap) {
        case CodeCap::phone_spacing:
            return phone_part() + ":s";
        case CodeCap::phone_hour:
            return phone_part() + ":h";
        case CodeCap::phone_day:
            return phone_part() + ":d";
        case CodeCap::link:
            return p + "code:link:" + hashed("link", who.link);
        case CodeCap::sender_hour:
            return p + "code:sender:" + hashed("sender", who.sender) + ":h";
        case CodeCap::sender_day:
            return p + "code:sender:" + hashed("sender", who.sender) + ":d";
        case CodeCap::address_hour:
            return p + "code:addr:" + hashed("addr", who.address) + ":h";
        case CodeCap::global_hour:
            return global_key(true, now);
        case CodeCap::global_day:
            return global_key(false, now);
    }
    throw std::logic_error("code cap");
}

CodeDesk::CapCounting CodeDesk::caps_for(const std::string& phone, const CodeRequester& who,
                                         std::chrono::sys_seconds now) const {
    const auto& limits = options_.limits;
    CapCounting counting;
    auto& caps = counting.caps;
    auto& keys = counting.keys;
    auto& args = counting.args;
    // Named vectors filled step by step (docs/coroutines.md).
    args.emplace_back("0");
    for (std::size_t i = 0; i < kCodeCapCount; ++i) {
        const auto cap = static_cast<CodeCap>(i);
        if (!cap_applies(cap, who.web())) continue;
        if (cap == CodeCap::phone_spacing && limits.phone_spacing.count() <= 0) continue;
        caps.push_back(cap);
        keys.push_back(cap_key(cap, phone, who, now));
        auto window = cap_window(cap, limits);
        if (cap == CodeCap::link) {
            // The link's counter lives as long as the link, and never beyond a day.
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(who.link_expires - now);
            window = std::clamp(left, std::chrono::milliseconds(1000), window);
        }
        args.push_back(std::to_string(cap_limit(cap, limits)));
        args.push_back(std::to_string(window.count()));
    }
    args[0] = std::to_string(caps.size());
    return counting;
}

std::optional<ProofChallenge> CodeDesk::proof_with(const CodeRequester& who,
                                                   std::chrono::sys_seconds now) const {
    // Valid, bound to this link and address, and solved.
    if (!who.web() || who.challenge.empty()) return std::nullopt;
    const std::string binding = hashed("proof", who.link + "|" + who.address);
    auto proof =
        verify_challenge(proof_key_, who.challenge, binding, now.time_since_epoch().count());
    if (proof && !proof_solves(who.challenge, who.nonce, proof->bits)) proof.reset();
    if (!proof && event_) event_("code_proof_rejected", "");
    return proof;
}

std::string CodeDesk::new_challenge(const CodeRequester& who, int bits,
                                    std::chrono::sys_seconds now) const {
    ProofChallenge challenge;
    challenge.bits = bits;
    challenge.expires = (now + options_.proof_ttl).time_since_epoch().count();
    challenge.salt = crypto::random_alnum(16);
    challenge.binding = hashed("proof", who.link + "|" + who.address);
    return sign_challenge(proof_key_, challenge);
}

asio::awaitable<CodeSend> CodeDesk::send(std::string phone, CodeRequester who) {
    const auto now = now_();
    const bool web = who.web();
    const auto& limits = options_.limits;

    CapCounting counting = caps_for(phone, who, now);
    const auto& caps = counting.caps;
    auto& keys = counting.keys;
    auto& args = counting.args;
    // A proof of work that came with the request, not used before (the GETs below tell).
    const std::optional<ProofChallenge> proof = proof_with(who, now);
    // One GET per key (the keys are on different hash tags), in one pipeline.
    std::vector<std::vector<std::string>> read;
    for (const auto& key : keys) read.push_back({"GET", key});
    if (proof) read.push_back({"GET", options_.key_prefix + "code:proof:" + proof->salt});
    const auto counted = co_await redis_->pipeline(std::move(read));
    CodeCounts counts{};
    for (std::size_t i = 0; i < caps.size() && i < counted.size(); ++i)
        counts[static_cast<std::size_t>(caps[i])] = counted[i].as_int();
    const bool proof_unused =
        proof && counted.size() > caps.size() && counted[caps.size()].is_nil();
    CodeAsk ask{web, proof_unused};

    auto decision = decide_code(counts, limits, ask);
    if (decision.verdict == CodeVerdict::send) {
        // Count it in every cap (each checked again as it counts), then mark the proof used;
        // a refusal takes back what was counted. status: 0 counted, i > 0 cap i refused, -1 the
        // proof was used meanwhile; used[i]: cap i's count after.
        std::int64_t status = 0;
        std::vector<std::int64_t> used;
        for (std::size_t i = 0; i < caps.size() && status == 0; ++i) {
            std::vector<std::string> counter{keys[i]};
            std::vector<std::string> limit{args[1 + 2 * i], args[2 + 2 * i]};
            const auto one = co_await redis_->eval(kCountOne, std::move(counter), std::move(limit));
            if (!one.is_integer()) throw std::runtime_error("code caps: " + one.str);
            if (one.integer < 0)
                status = static_cast<std::int64_t>(i) + 1;
            else
                used.push_back(one.integer);
        }
        if (status == 0 && proof_unused) {
            const auto proof_ttl = std::max<std::int64_t>(
                1000, (proof->expires - now.time_since_epoch().count()) * 1000);
            std::vector<std::string> mark{"SET", options_.key_prefix + "code:proof:" + proof->salt,
                                          "1",   "NX",
                                          "PX",  std::to_string(proof_ttl)};
            const auto marked = co_await redis_->exec(std::move(mark));
            if (marked.is_nil()) status = -1;
        }
        if (status != 0 && !used.empty()) {
            std::vector<std::vector<std::string>> take_back;
            for (std::size_t i = 0; i < used.size(); ++i) take_back.push_back({"DECR", keys[i]});
            co_await redis_->pipeline(std::move(take_back));
        }
        if (status > 0 && static_cast<std::size_t>(status) <= caps.size()) {
            // Another request took the last one in between.
            decision = {CodeVerdict::refuse, caps[static_cast<std::size_t>(status - 1)], 0};
        } else if (status < 0) {
            // The same proof twice at once: the second one must solve a new challenge.
            decision = {CodeVerdict::prove, CodeCap::phone_spacing, limits.proof_bits};
        } else {
            std::int64_t hour_used = 0, day_used = 0;
            for (std::size_t i = 0; i < caps.size() && i < used.size(); ++i) {
                if (caps[i] == CodeCap::global_hour) hour_used = used[i];
                if (caps[i] == CodeCap::global_day) day_used = used[i];
            }
            co_await note_budget(hour_used, day_used, now);
        }
    }

    CodeSend result;
    result.verdict = decision.verdict;
    result.cap = decision.cap;
    if (decision.verdict == CodeVerdict::refuse) {
        if (event_) event_("code_refused", to_string(decision.cap));
        if (decision.cap == CodeCap::global_hour || decision.cap == CodeCap::global_day) {
            // Refused by a budget: that budget is used up, whatever an earlier read said.
            auto hour_used = counts[static_cast<std::size_t>(CodeCap::global_hour)];
            auto day_used = counts[static_cast<std::size_t>(CodeCap::global_day)];
            if (decision.cap == CodeCap::global_hour)
                hour_used = std::max<std::int64_t>(hour_used, limits.global_per_hour);
            else
                day_used = std::max<std::int64_t>(day_used, limits.global_per_day);
            co_await note_budget(hour_used, day_used, now);
        }
        co_return result;
    }
    if (decision.verdict == CodeVerdict::prove) {
        result.challenge = new_challenge(who, decision.proof_bits, now);
        result.bits = decision.proof_bits;
        if (event_) event_("code_challenged", "");
        co_return result;
    }

    const std::string code = co_await verification_.issue(phone, who.owner());
    notify::SmsMessage sms;
    sms.phone = phone;
    sms.template_name = "verification_code";
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(options_.code_ttl);
    sms.params = {code, std::to_string(minutes.count())};
    // One SMS per issued code. The key names the phone only by its keyed hash (the outbox keeps
    // keys in Redis key names); tests find a phone's codes by it.
    sms.idempotency_key =
        "verify:" + verification_.phone_hash(phone) + ":" + crypto::random_alnum(10);
    sms.kind = notify::SmsMessage::Kind::verification;
    try {
        co_await sms_.enqueue(std::move(sms));
        if (event_) event_("code_sent", "");
    } catch (const std::exception&) {
        if (event_) event_("code_enqueue_failed", "");
        result.failed = true;
    }
    co_return result;
}

asio::awaitable<CodeCheck> CodeDesk::check(std::string phone, CodeRequester who, std::string code) {
    co_return co_await verification_.check(std::move(phone), who.owner(), std::move(code));
}

asio::awaitable<LinkMintVerdict> CodeDesk::mint_link(std::string sender, std::string group) {
    const auto& p = options_.key_prefix;
    std::vector<std::string> keys{p + "link:mint:sender:" + hashed("sender", sender),
                                  p + "link:mint:group:" + hashed("group", group)};
    auto verdict = co_await count_mint(std::move(keys), options_.links.per_sender_hour,
                                       options_.links.per_group_hour, "");
    co_return verdict;
}

asio::awaitable<LinkMintVerdict> CodeDesk::mint_promo_link(std::string promoter,
                                                           std::string address) {
    const auto& p = options_.key_prefix;
    // The promoter id is no personal data; the address is, so only its keyed hash is a key.
    std::vector<std::string> keys{p + "link:mint:promo_addr:" + hashed("address", address),
                                  p + "link:mint:promo:" + promoter};
    auto verdict = co_await count_mint(std::move(keys), options_.links.promo_per_address_hour,
                                       options_.links.promo_per_promoter_hour, "promo_");
    co_return verdict;
}

asio::awaitable<LinkMintVerdict> CodeDesk::count_mint(std::vector<std::string> keys, int first_cap,
                                                      int second_cap, std::string label) {
    const std::string hour_ms =
        std::to_string(std::chrono::milliseconds(std::chrono::hours(1)).count());
    std::vector<std::vector<std::string>> read{{"GET", keys[0]}, {"GET", keys[1]}};
    const auto counted = co_await redis_->pipeline(std::move(read));
    if (counted.size() < 2) throw std::runtime_error("link caps: no reply");
    LinkMintLimits limits;
    limits.per_sender_hour = first_cap;
    limits.per_group_hour = second_cap;
    auto verdict = decide_link_mint(counted[0].as_int(), counted[1].as_int(), limits);
    if (verdict == LinkMintVerdict::mint) {
        // Each counter on its own (kCountOne); the first taken back when the second refuses.
        std::vector<std::string> first{keys[0]};
        std::vector<std::string> first_limit{std::to_string(first_cap), hour_ms};
        const auto one = co_await redis_->eval(kCountOne, std::move(first), std::move(first_limit));
        if (!one.is_integer()) throw std::runtime_error("link caps: " + one.str);
        if (one.integer < 0) {
            verdict = LinkMintVerdict::sender;
        } else {
            std::vector<std::string> second{keys[1]};
            std::vector<std::string> second_limit{std::to_string(second_cap), hour_ms};
            const auto two =
                co_await redis_->eval(kCountOne, std::move(second), std::move(second_limit));
            if (!two.is_integer()) throw std::runtime_error("link caps: " + two.str);
            if (two.integer < 0) {
                verdict = LinkMintVerdict::group;
                std::vector<std::string> take_back{"DECR", keys[0]};
                co_await redis_->exec(std::move(take_back));
            }
        }
    }
    if (event_) {
        if (verdict == LinkMintVerdict::mint)
            event_(label + "link_minted", "");
        else
            event_(label + "link_refused", verdict == LinkMintVerdict::sender ? "sender" : "group");
    }
    co_return verdict;
}

asio::awaitable<void> CodeDesk::note_budget(std::int64_t hour_used, std::int64_t day_used,
                                            std::chrono::sys_seconds now) {
    const auto& limits = options_.limits;
    const auto hour = budget_level(hour_used, limits.global_per_hour, limits.alert_percent);
    const auto day = budget_level(day_used, limits.global_per_day, limits.alert_percent);
    last_.hour_used = hour_used;
    last_.day_used = day_used;
    last_.level = std::max(hour, day);
    if (last_.level == BudgetLevel::none) co_return;
    // Which window crossed, at which level: recorded once per window and level by whichever
    // process sees it first, and kept a day for the console.
    // Built step by step, no ?: on strings (docs/coroutines.md).
    std::string window = "hour " + text::format_beijing(now, "%Y%m%d%H");
    std::int64_t used_count = hour_used;
    std::int64_t budget_count = limits.global_per_hour;
    if (day > hour) {
        window = "day " + text::format_beijing(now, "%Y%m%d");
        used_count = day_used;
        budget_count = limits.global_per_day;
    }
    const std::string level(to_string(last_.level));
    // Once per window and level, and never back down within a window (a late reader with an
    // older count must not turn "exhausted" into "alert" on the console).
    if (alerted_window_ == window && alerted_level_ >= last_.level) co_return;
    alerted_window_ = window;
    alerted_level_ = last_.level;
    const std::string key = options_.key_prefix + "code:alert";
    std::vector<std::string> command{"HMGET", key, "window", "level"};
    auto seen = co_await redis_->exec(std::move(command));
    if (seen.is_array() && seen.elements.size() == 2 && seen.elements[0].str == window) {
        const auto& recorded = seen.elements[1].str;
        if (recorded == "exhausted" || recorded == level) co_return;
    }
    const std::string used = std::to_string(used_count);
    const std::string budget = std::to_string(budget_count);
    std::vector<std::string> write{"HSET",   key,    "level", level,
                                   "window", window, "used",  used,
                                   "budget", budget, "at_ms", std::to_string(now_ms())};
    co_await redis_->exec(std::move(write));
    std::vector<std::string> expire{"EXPIRE", key, "86400"};
    co_await redis_->exec(std::move(expire));
    if (event_) event_("code_budget_alert", level);
}

asio::awaitable<BudgetStatus> CodeDesk::budget() {
    const auto now = now_();
    // Two keys on two slots: two GETs, not an MGET.
    std::vector<std::vector<std::string>> read{{"GET", global_key(true, now)},
                                               {"GET", global_key(false, now)}};
    const auto counted = co_await redis_->pipeline(std::move(read));
    std::vector<std::string> alert{"HGETALL", options_.key_prefix + "code:alert"};
    auto recorded = co_await redis_->exec(std::move(alert));
    BudgetStatus status;
    status.hour_budget = options_.limits.global_per_hour;
    status.day_budget = options_.limits.global_per_day;
    if (counted.size() == 2) {
        status.hour_used = counted[0].as_int();
        status.day_used = counted[1].as_int();
    }
    status.level =
        std::max(budget_level(status.hour_used, status.hour_budget, options_.limits.alert_percent),
                 budget_level(status.day_used, status.day_budget, options_.limits.alert_percent));
    if (recorded.is_array())
        for (std::size_t i = 0; i + 1 < recorded.elements.size(); i += 2) {
            const auto& name = recorded.elements[i].str;
            const auto& value = recorded.elements[i + 1];
            if (name == "level") status.alert_level = value.str;
            if (name == "window") status.alert_window = value.str;
            if (name == "at_ms") status.alert_at_ms = value.as_int();
        }
    last_.hour_used = status.hour_used;
    last_.day_used = status.day_used;
    last_.level = status.level;
    last_.alert_level = status.alert_level;
    last_.alert_window = status.alert_window;
    last_.alert_at_ms = status.alert_at_ms;
    co_return status;
}

BudgetStatus CodeDesk::last_budget() const { return last_; }

}  // namespace kayou::members
