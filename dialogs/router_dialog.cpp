#include "dialogs/router_dialog.hpp"

#include "crypto/random.hpp"
#include "members/application_store.hpp"
#include "members/join_link.hpp"
#include "members/phone_verification.hpp"
#include "notify/calendar.hpp"
#include "notify/sms_outbox.hpp"
#include "redis/reply.hpp"

namespace kayou::dialogs {

namespace asio = boost::asio;

namespace {
// An effect's result can ask for at most one more effect (a code check that completes the
// mobile step, then nothing); the bound only guards against a script loop.
constexpr int kMaxEffectsPerTurn = 4;
// A turn whose lease was lost before it saved is run again from fresh state.
constexpr int kMaxTurnAttempts = 3;

std::string slot_for(const FlowScript& script, std::string_view validator) {
    for (const auto& step : script.steps)
        if (step.kind == StepKind::slot && step.validator == validator) return step.slot;
    return std::string(validator);
}

std::string get(const std::map<std::string, std::string>& slots, const std::string& key) {
    auto found = slots.find(key);
    return found == slots.end() ? std::string() : found->second;
}
}  // namespace

RouterDialog::RouterDialog(RouterServices services)
    : services_(std::move(services)), engine_(*services_.script, *services_.districts) {}

int RouterDialog::beijing_yyyymmdd(std::chrono::sys_seconds t) {
    const auto date = notify::beijing_date(t);
    return static_cast<int>(date.year()) * 10000 +
           static_cast<int>(static_cast<unsigned>(date.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(date.day()));
}

asio::awaitable<Reply> RouterDialog::handle(const Message& message) {
    TurnInput input{message.text, message.in_group(), message.mentioned_bot,
                    beijing_yyyymmdd(services_.now())};
    if (!message.in_group()) co_return co_await private_turn(message, input);

    // Group turns read nothing personal and store nothing: no lock, no state.
    auto out = engine_.on_message({}, input);
    std::vector<std::string> texts = out.texts;
    count(out.events);
    for (int i = 0; i < kMaxEffectsPerTurn && out.effect.kind != EffectKind::none; ++i) {
        auto result = co_await run_effect(out.effect, out.state, message);
        out = engine_.on_effect(out.state, result, input);
        texts.insert(texts.end(), out.texts.begin(), out.texts.end());
        count(out.events);
    }
    Reply reply;
    reply.texts = std::move(texts);
    if (!reply.texts.empty()) reply.mentions.push_back(message.sender_id);
    co_return reply;
}

asio::awaitable<Reply> RouterDialog::private_turn(const Message& message, const TurnInput& input) {
    auto& store = *services_.conversations;
    const std::string conversation = conversation_id(message);
    const std::string driver = driver_id(message);
    for (int attempt = 1;; ++attempt) {
        auto token = co_await store.lock(conversation);
        if (!token) {
            if (services_.log) services_.log("conversation_lock_timeout", "");
            // Nothing was read or changed: the webhook answers 503 and the platform retries.
            throw std::runtime_error("conversation busy");
        }
        std::exception_ptr failure;
        Reply reply;
        bool saved = false;
        try {
            auto state = co_await store.load(conversation, driver);
            auto out = engine_.on_message(state, input);
            std::vector<std::string> texts = out.texts;
            std::vector<std::string> events = out.events;
            bool draft_deleted = out.draft_deleted;
            for (int i = 0; i < kMaxEffectsPerTurn && out.effect.kind != EffectKind::none; ++i) {
                co_await store.renew(conversation, *token);
                auto result = co_await run_effect(out.effect, out.state, message);
                out = engine_.on_effect(out.state, result, input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events.insert(events.end(), out.events.begin(), out.events.end());
                draft_deleted = draft_deleted || out.draft_deleted;
            }
            saved = co_await store.save(conversation, driver, *token, out.state, draft_deleted);
            reply.texts = std::move(texts);
            if (saved) count(events);  // only what was committed counts
        } catch (...) {
            failure = std::current_exception();
        }
        try {
            co_await store.unlock(conversation, *token);
        } catch (...) {
            // The lease expires by itself.
        }
        if (failure) std::rethrow_exception(failure);
        if (saved) co_return reply;
        if (services_.log) services_.log("conversation_lease_lost", std::to_string(attempt));
        if (attempt >= kMaxTurnAttempts) throw std::runtime_error("conversation lease lost");
    }
}

void RouterDialog::count(const std::vector<std::string>& events) const {
    if (!services_.count) return;
    for (const auto& event : events) services_.count(event);
}

asio::awaitable<EffectResult> RouterDialog::run_effect(const Effect& effect,
                                                       const ConversationState& state,
                                                       const Message& message) {
    EffectResult result;
    result.kind = effect.kind;
    const FlowScript& script = *services_.script;
    const auto slots = state.draft ? state.draft->slots : std::map<std::string, std::string>{};
    const std::string mobile = get(slots, slot_for(script, "mobile"));
    switch (effect.kind) {
        case EffectKind::none:
            break;
        case EffectKind::send_code: {
            auto issued = co_await services_.verification->issue(mobile);
            result.outcome = issued.outcome;
            if (issued.outcome == "ok") {
                notify::SmsMessage sms;
                sms.phone = mobile;
                sms.template_name = "verification_code";
                const auto minutes =
                    std::chrono::duration_cast<std::chrono::minutes>(services_.code_ttl);
                sms.params = {issued.code, std::to_string(minutes.count())};
                // One SMS per issued code. The key names the phone only by its keyed hash (the
                // outbox keeps keys in Redis key names); tests find a phone's codes by it.
                sms.idempotency_key = "verify:" + services_.verification->phone_hash(mobile) + ":" +
                                      crypto::random_alnum(10);
                sms.kind = notify::SmsMessage::Kind::verification;
                try {
                    co_await services_.sms->enqueue(std::move(sms));
                } catch (const std::exception&) {
                    if (services_.log) services_.log("verification_sms_enqueue_failed", "");
                    result.outcome = "failed";
                }
            }
            break;
        }
        case EffectKind::check_code: {
            auto checked = co_await services_.verification->check(mobile, effect.code);
            result.outcome = checked.outcome;
            result.remaining = checked.remaining;
            break;
        }
        case EffectKind::submit: {
            members::NewApplication application;
            application.name = get(slots, slot_for(script, "name"));
            application.id_card = get(slots, slot_for(script, "id_card"));
            application.mobile = mobile;
            application.plate = get(slots, slot_for(script, "plate"));
            application.district = get(slots, slot_for(script, "district"));
            application.employer = get(slots, slot_for(script, "employer"));
            application.channel = std::string(channel_name(message.channel));
            application.driver = driver_id(message);
            application.submitted = services_.now();
            const auto deadline = services_.calendar->deadline_for(application.submitted);
            if (!deadline.fully_covered() && services_.log)
                services_.log("deadline_calendar_gap", deadline.warning());
            application.deadline = deadline.at;
            if (state.draft && state.draft->verified_mobile != mobile) {
                // The engine never submits an unconfirmed number; refuse rather than trust it.
                result.outcome = "failed";
                break;
            }
            try {
                auto submitted = co_await services_.applications->submit(std::move(application));
                result.outcome = submitted.created ? "new" : "existing";
                result.application_id = submitted.application.id;
                result.deadline = submitted.application.deadline_text;
                result.status_text = members::status_text(submitted.application.status);
            } catch (const std::exception&) {
                if (services_.log) services_.log("application_submit_failed", "");
                result.outcome = "failed";
            }
            break;
        }
        case EffectKind::progress: {
            auto found = co_await services_.applications->latest_for_driver(driver_id(message));
            if (!found) {
                result.outcome = "none";
            } else {
                result.outcome = found->status == "approved"   ? "approved"
                                 : found->status == "rejected" ? "rejected"
                                                               : "received";
                result.application_id = found->id;
                result.deadline = found->deadline_text;
                result.reason = found->reason;
                result.status_text = members::status_text(found->status);
            }
            break;
        }
        case EffectKind::group_link: {
            if (services_.public_base_url.empty() || services_.link_key.empty()) {
                result.outcome = "off";
                break;
            }
            members::JoinLinkClaims claims;
            claims.channel = std::string(channel_name(message.channel));
            claims.sender = message.sender_id;
            claims.expires = (services_.now() + services_.link_ttl).time_since_epoch().count();
            claims.nonce = crypto::random_alnum(8);
            result.outcome = "ok";
            result.link = services_.public_base_url +
                          "/join?t=" + members::sign_join_token(services_.link_key, claims);
            break;
        }
    }
    co_return result;
}

}  // namespace kayou::dialogs
