#include "dialogs/conversation_store.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "redis/client.hpp"
#include "redis/script.hpp"

namespace kayou::dialogs {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// The fenced write of a turn's state. KEYS: lock, session, draft (only for set/del). ARGV: token,
// session, session ttl, draft mode (keep | set | del), draft, draft ttl.
constexpr const char* kWriteLua = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[4] == 'set' then
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6])
elseif ARGV[4] == 'del' then
  redis.call('DEL', KEYS[3])
end
)lua";

const redis::Script kSave(std::string(kWriteLua) + "return 1\n");
// The same write, then the release (the token was checked above): save + unlock in one call.
const redis::Script kSaveAndUnlock(std::string(kWriteLua) +
                                   "redis.call('DEL', KEYS[1])\nreturn 1\n");

const redis::Script kRelease(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");

const redis::Script kRenew(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
)lua");

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()); }

}  // namespace

std::string conversation_id(const Message& message) {
    const std::string channel(channel_name(message.channel));
    if (message.in_group()) return channel + ":g:" + message.chat_id + ":" + message.sender_id;
    return channel + ":" + message.sender_id;
}

std::string driver_id(const Message& message) {
    return std::string(channel_name(message.channel)) + ":" + message.sender_id;
}

ConversationStore::ConversationStore(std::shared_ptr<redis::Client> redis,
                                     const crypto::SealedBox& box, std::string key_prefix,
                                     ConversationTiming timing)
    : redis_(std::move(redis)),
      box_(box),
      prefix_(std::move(key_prefix)),
      timing_(timing),
      token_prefix_(crypto::hex_lower(crypto::random_bytes(12)) + "-") {}

std::string ConversationStore::new_token() {
    // Unique, not secret: a fencing token only has to differ from every other holder's, so a
    // random per-store prefix and a counter do (RAND_bytes per turn cost ~7,000 instructions).
    return token_prefix_ + std::to_string(token_counter_.fetch_add(1, std::memory_order_relaxed));
}

std::string ConversationStore::session_key(const std::string& conversation) const {
    return prefix_ + "conv:{" + conversation + "}:session";
}
std::string ConversationStore::draft_key(const std::string& driver) const {
    return prefix_ + "conv:{" + driver + "}:draft";
}
std::string ConversationStore::lock_key(const std::string& conversation) const {
    return prefix_ + "conv:{" + conversation + "}:lock";
}

template <class Attempt>
asio::awaitable<bool> ConversationStore::acquire(Attempt attempt) {
    const auto give_up = std::chrono::steady_clock::now() + timing_.lock_wait;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    int attempt_number = 0;
    for (;;) {
        const bool got = co_await attempt();
        if (got) co_return true;
        if (std::chrono::steady_clock::now() >= give_up) co_return false;
        // Short, jittered, slowly growing waits: a turn takes a few milliseconds, and jitter
        // keeps the waiters of two processes from polling in lockstep.
        const int base = std::min(2 + attempt_number++, 20);
        const auto jitter = static_cast<unsigned char>(crypto::random_bytes(1)[0]) % (base + 1);
        timer.expires_after(std::chrono::milliseconds(base + jitter));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

asio::awaitable<std::optional<std::string>> ConversationStore::lock(std::string conversation) {
    const std::string token = new_token();
    const std::string key = lock_key(conversation);
    auto attempt = [&]() -> asio::awaitable<bool> {
        std::vector<std::string> command{"SET", key, token, "NX", "PX", ms(timing_.lock_lease)};
        auto reply = co_await redis_->exec(std::move(command));
        co_return reply.is_status("OK");
    };
    const bool got = co_await acquire(attempt);
    std::optional<std::string> result;
    if (got) result = token;
    co_return result;
}

asio::awaitable<std::optional<LockedState>> ConversationStore::lock_and_load(
    std::string conversation, std::string driver, std::vector<std::string> count_query,
    DedupeClaim* claim) {
    std::optional<LockedState> result;
    const std::string token = new_token();
    std::vector<redis::Reply> replies;
    // SET NX and the two GETs in one pipeline, not a Lua script: on this machine an EVALSHA costs
    // Redis ~13 us against ~5 us for the three plain commands (INFO commandstats). The GETs run
    // right after a successful SET on this connection, and every writer of the session and the
    // draft holds the lock and is fenced (save, save_and_unlock), so they read the state the
    // lock now protects; when the SET fails they are discarded.
    // A delivery's dedupe claim goes first, in the first attempt only: sent again, it would
    // find itself and look like another delivery's. Whether it is still to be sent and whether
    // it was another delivery's both follow from claim->state, which its answer settles.
    auto claim_pending = [claim] { return claim && claim->state == DedupeClaim::State::unknown; };
    auto claim_lost = [claim] { return claim && claim->state == DedupeClaim::State::theirs; };
    bool locked = false;
    std::size_t offset = 0;  // replies before the lock's
    auto attempt = [&]() -> asio::awaitable<bool> {
        std::vector<std::vector<std::string>> commands;
        const bool with_claim = claim_pending();
        offset = with_claim ? 1 : 0;
        if (with_claim) commands.push_back(claim->command);
        commands.push_back(
            {"SET", lock_key(conversation), token, "NX", "PX", ms(timing_.lock_lease)});
        commands.push_back({"GET", session_key(conversation)});
        commands.push_back({"GET", draft_key(driver)});
        if (!count_query.empty()) commands.push_back(count_query);
        const std::size_t expected = commands.size();
        replies = co_await redis_->pipeline(std::move(commands));
        if (replies.size() != expected) co_return false;
        if (with_claim) {
            if (replies[0].is_status("OK")) {
                claim->state = DedupeClaim::State::ours;
            } else if (replies[0].is_nil()) {
                claim->state = DedupeClaim::State::theirs;
            } else {
                throw std::runtime_error("dedupe claim failed: " + replies[0].str);
            }
        }
        if (replies[offset].is_error())
            throw std::runtime_error("conversation lock failed: " + replies[offset].str);
        locked = replies[offset].is_status("OK");
        co_return locked || claim_lost();
    };
    const bool got = co_await acquire(attempt);
    if (claim_lost()) {
        if (locked) co_await unlock(conversation, token);
        co_return result;
    }
    if (!got) co_return result;
    result.emplace();
    result->token = token;
    result->state = decode_state(replies[offset + 1], replies[offset + 2], conversation, driver);
    if (replies.size() == offset + 4 && replies[offset + 3].is_integer())
        result->count = replies[offset + 3].integer;
    co_return result;
}

asio::awaitable<bool> ConversationStore::renew(std::string conversation, std::string token) {
    std::vector<std::string> keys{lock_key(conversation)};
    std::vector<std::string> args{token, ms(timing_.lock_lease)};
    auto reply = co_await redis_->eval(kRenew, std::move(keys), std::move(args));
    co_return reply.is_integer() && reply.integer == 1;
}

asio::awaitable<void> ConversationStore::unlock(std::string conversation, std::string token) {
    std::vector<std::string> keys{lock_key(conversation)};
    std::vector<std::string> args{token};
    co_await redis_->eval(kRelease, std::move(keys), std::move(args));
}

std::string ConversationStore::encode_draft(const DraftState& draft,
                                            const std::string& driver) const {
    json secret{{"slots", draft.slots}, {"verified_mobile", draft.verified_mobile}};
    if (!draft.waiting.empty()) secret["waiting"] = draft.waiting;
    const json stored{{"step", draft.step},
                      {"failures", draft.failures},
                      {"choices", draft.choices},
                      {"return_to", draft.return_to},
                      {"sealed", box_.seal(dump(secret), "draft:" + driver)}};
    return dump(stored);
}

std::optional<DraftState> ConversationStore::decode_draft(const std::string& stored,
                                                          const std::string& driver) const {
    const auto value = json::parse(stored, nullptr, false);
    if (value.is_discarded() || !value.is_object()) return std::nullopt;
    try {
        DraftState draft;
        draft.step = value.value("step", std::string());
        draft.failures = value.value("failures", std::map<std::string, int>{});
        draft.choices = value.value("choices", std::vector<std::string>{});
        draft.return_to = value.value("return_to", std::string());
        const auto opened = box_.open(value.value("sealed", std::string()), "draft:" + driver);
        if (!opened) return std::nullopt;  // wrong key or tampered: start over, never guess
        const auto secret = json::parse(*opened);
        draft.slots = secret.value("slots", std::map<std::string, std::string>{});
        draft.verified_mobile = secret.value("verified_mobile", std::string());
        draft.waiting = secret.value("waiting", std::map<std::string, std::string>{});
        return draft;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::string ConversationStore::encode_session(const SessionState& state,
                                              const std::string& conversation) const {
    json session{{"flow", state.flow}, {"version", state.version + 1}};
    if (!state.legal_choices.empty()) session["legal_choices"] = state.legal_choices;
    if (state.legal_misses > 0) session["legal_misses"] = state.legal_misses;
    if (state.grievance_pending) session["grievance_pending"] = true;
    if (!state.last_question.empty())
        session["sealed_question"] = box_.seal(state.last_question, "session:" + conversation);
    if (!state.awaiting.empty()) session["awaiting"] = state.awaiting;
    if (!state.awaiting_benefit.empty()) session["awaiting_benefit"] = state.awaiting_benefit;
    if (!state.stations_place.empty()) session["stations_place"] = state.stations_place;
    if (!state.stations_listed.empty()) session["stations_listed"] = state.stations_listed;
    if (state.stations_picked >= 0) session["stations_picked"] = state.stations_picked;
    if (!state.benefits_listed.empty()) {
        session["benefits_listed"] = state.benefits_listed;
        session["benefits_status"] = state.benefits_status;
    }
    if (!state.office_district.empty()) session["office_district"] = state.office_district;
    if (state.legal_context) session["legal_context"] = true;
    if (!state.open_ticket.empty()) session["open_ticket"] = state.open_ticket;
    if (!state.legal_answered.empty()) session["legal_answered"] = state.legal_answered;
    if (!state.recent.empty())
        session["sealed_recent"] = box_.seal(dump(json(state.recent)), "session:" + conversation);
    return dump(session);
}

SessionState ConversationStore::decode_session(const std::string& stored,
                                               const std::string& conversation) const {
    SessionState state;
    const auto session = json::parse(stored, nullptr, false);
    if (!session.is_object()) return state;
    try {
        state.flow = session.value("flow", std::string());
        state.version = session.value("version", std::int64_t{0});
        state.legal_choices = session.value("legal_choices", std::vector<std::string>());
        state.legal_misses = session.value("legal_misses", 0);
        state.grievance_pending = session.value("grievance_pending", false);
        const auto sealed = session.value("sealed_question", std::string());
        if (!sealed.empty())
            state.last_question = box_.open(sealed, "session:" + conversation).value_or("");
        state.awaiting = session.value("awaiting", std::string());
        state.awaiting_benefit = session.value("awaiting_benefit", std::string());
        state.stations_place = session.value("stations_place", std::string());
        state.stations_listed = session.value("stations_listed", std::vector<std::string>());
        state.stations_picked = session.value("stations_picked", -1);
        state.benefits_listed = session.value("benefits_listed", std::vector<std::string>());
        state.benefits_status = session.value("benefits_status", std::string());
        state.office_district = session.value("office_district", std::string());
        state.legal_context = session.value("legal_context", false);
        state.open_ticket = session.value("open_ticket", std::string());
        state.legal_answered = session.value("legal_answered", std::vector<std::string>());
        const auto recent = session.value("sealed_recent", std::string());
        if (!recent.empty()) {
            const auto opened = box_.open(recent, "session:" + conversation);
            if (opened) {
                const auto list = json::parse(*opened, nullptr, false);
                if (list.is_array()) state.recent = list.get<std::vector<std::string>>();
            }
        }
    } catch (const json::exception&) {
        // A field of the wrong type: what was read so far stands, the rest starts afresh.
    }
    return state;
}

ConversationState ConversationStore::decode_state(const redis::Reply& session,
                                                  const redis::Reply& draft,
                                                  const std::string& conversation,
                                                  const std::string& driver) const {
    ConversationState state;
    if (session.is_string()) state.session = decode_session(session.str, conversation);
    // A conversation without a driver (a group) has no draft: whatever the key holds is ignored.
    if (!driver.empty() && draft.is_string()) state.draft = decode_draft(draft.str, driver);
    return state;
}

asio::awaitable<ConversationState> ConversationStore::load(std::string conversation,
                                                           std::string driver) {
    std::vector<std::vector<std::string>> commands{{"GET", session_key(conversation)}};
    if (!driver.empty()) commands.push_back({"GET", draft_key(driver)});
    auto replies = co_await redis_->pipeline(std::move(commands));
    if (replies.empty()) co_return ConversationState{};
    if (replies.size() < 2) replies.emplace_back();  // no driver: no draft (a nil reply)
    co_return decode_state(replies[0], replies[1], conversation, driver);
}

asio::awaitable<bool> ConversationStore::write(const redis::Script& script,
                                               std::string conversation, std::string driver,
                                               std::string token, ConversationState state,
                                               bool delete_draft) {
    const std::string session = encode_session(state.session, conversation);
    std::string mode = "keep";
    std::string draft;
    if (state.draft) {
        mode = "set";
        draft = encode_draft(*state.draft, driver);
    } else if (delete_draft) {
        mode = "del";
    }
    std::vector<std::string> keys{lock_key(conversation), session_key(conversation)};
    // The draft's key only when the draft is touched: a group conversation's save stays within
    // its own hash tag.
    if (!driver.empty()) keys.push_back(draft_key(driver));
    if (driver.empty()) mode = "keep";
    std::vector<std::string> args{token, session, ms(timing_.session_ttl),
                                  mode,  draft,   ms(timing_.draft_ttl)};
    auto reply = co_await redis_->eval(script, std::move(keys), std::move(args));
    if (reply.is_error()) throw std::runtime_error("conversation save failed: " + reply.str);
    co_return reply.is_integer() && reply.integer == 1;
}

asio::awaitable<bool> ConversationStore::save(std::string conversation, std::string driver,
                                              std::string token, ConversationState state,
                                              bool delete_draft) {
    co_return co_await write(kSave, std::move(conversation), std::move(driver), std::move(token),
                             std::move(state), delete_draft);
}

asio::awaitable<bool> ConversationStore::save_and_unlock(std::string conversation,
                                                         std::string driver, std::string token,
                                                         ConversationState state,
                                                         bool delete_draft) {
    co_return co_await write(kSaveAndUnlock, std::move(conversation), std::move(driver),
                             std::move(token), std::move(state), delete_draft);
}

}  // namespace kayou::dialogs
