#include "dialogs/router_dialog.hpp"

#include <cstdio>
#include <utility>

#include "crypto/random.hpp"
#include "dialogs/chat_requests.hpp"
#include "dialogs/privacy.hpp"
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

// What a group conversation keeps; a save is needed only when it changed.
bool same_group_session(const SessionState& a, const SessionState& b) {
    return a.legal_choices == b.legal_choices && a.grievance_pending == b.grievance_pending &&
           a.legal_misses == b.legal_misses && a.last_question == b.last_question;
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

TurnInput RouterDialog::turn_input(const Message& message) const {
    return TurnInput{message.text, message.in_group(), message.mentioned_bot,
                     beijing_yyyymmdd(services_.now())};
}

bool RouterDialog::claims_inline(const Message& message) const { return !message.in_group(); }

asio::awaitable<std::optional<Reply>> RouterDialog::handle_claiming(const Message& message,
                                                                    DedupeClaim& claim) {
    if (message.in_group()) throw std::logic_error("group turns claim on their own");
    const TurnInput input = turn_input(message);
    co_return co_await private_turn(message, input, &claim);
}

asio::awaitable<Reply> RouterDialog::handle(const Message& message) {
    const TurnInput input = turn_input(message);
    if (!message.in_group()) {
        auto reply = co_await private_turn(message, input, nullptr);
        co_return std::move(*reply);
    }

    // Group Q&A keeps only the numbered choices offered to this sender (his own group
    // conversation); pending answers are personal and go to the driver's private chat.
    auto routed = co_await group_chat_services(message, input);
    if (routed) {
        Reply reply;
        reply.texts = std::move(*routed);
        if (!reply.texts.empty()) reply.mentions.push_back(message.sender_id);
        co_return reply;
    }
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

asio::awaitable<std::optional<Reply>> RouterDialog::private_turn(const Message& message,
                                                                 const TurnInput& input,
                                                                 DedupeClaim* claim) {
    auto& store = *services_.conversations;
    const std::string conversation = conversation_id(message);
    const std::string driver = driver_id(message);
    // Lawyers' answers go before this turn's reply. Taken once: a retried attempt (lost lease)
    // must not drop them.
    const std::string channel(channel_name(message.channel));
    std::vector<std::string> pending;
    bool pending_looked = !services_.chat.take_pending;
    for (int attempt = 1;; ++attempt) {
        std::vector<std::string> count_query;
        if (!pending_looked && services_.chat.pending_count_query)
            count_query = services_.chat.pending_count_query(channel, message.sender_id);
        const bool counted = !count_query.empty();
        // Lock + session + draft (+ the pending count) in one round trip, fenced save + release
        // in another.
        // The claim rides in the first attempt only: a later one (lost lease) is the same delivery.
        DedupeClaim* first_claim = attempt == 1 ? claim : nullptr;
        auto locked =
            co_await store.lock_and_load(conversation, driver, std::move(count_query), first_claim);
        if (claim && claim->state == DedupeClaim::State::theirs) co_return std::nullopt;
        if (!locked) {
            if (services_.log) services_.log("conversation_lock_timeout", "");
            // Nothing was read or changed: the webhook answers 503 and the platform retries.
            throw std::runtime_error("conversation busy");
        }
        const std::string token = std::move(locked->token);
        std::exception_ptr failure;
        Reply reply;
        bool saved = false;
        bool released = false;
        try {
            if (!pending_looked) {
                pending_looked = true;
                if (!counted || locked->count.value_or(1) > 0) {
                    try {
                        pending = co_await services_.chat.take_pending(channel, message.sender_id);
                    } catch (const std::exception&) {
                        if (services_.log) services_.log("pending_answers_failed", "");
                    }
                }
            }
            auto state = std::move(locked->state);
            std::vector<std::string> texts = pending;
            std::vector<std::string> events;
            bool draft_deleted = false;
            auto routed = co_await chat_services(message, input, state);
            TurnOutput out;
            if (routed) {
                // A detour from the join flow: answer it, then ask the pending step again.
                texts.insert(texts.end(), routed->begin(), routed->end());
                const auto reminder = engine_.reminder(state);
                if (!routed->empty()) texts.insert(texts.end(), reminder.begin(), reminder.end());
                out.state = std::move(state);
            } else {
                out = engine_.on_message(state, input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events = out.events;
                draft_deleted = out.draft_deleted;
            }
            for (int i = 0; i < kMaxEffectsPerTurn && out.effect.kind != EffectKind::none; ++i) {
                co_await store.renew(conversation, token);
                auto result = co_await run_effect(out.effect, out.state, message);
                out = engine_.on_effect(out.state, result, input);
                texts.insert(texts.end(), out.texts.begin(), out.texts.end());
                events.insert(events.end(), out.events.begin(), out.events.end());
                draft_deleted = draft_deleted || out.draft_deleted;
            }
            // True: saved and released. False: the lease was lost, so the lock is not ours.
            saved = co_await store.save_and_unlock(conversation, driver, token, out.state,
                                                   draft_deleted);
            released = true;
            reply.texts = std::move(texts);
            if (saved) count(events);  // only what was committed counts
        } catch (...) {
            failure = std::current_exception();
        }
        if (!released) {
            try {
                co_await store.unlock(conversation, token);
            } catch (...) {
                // The lease expires by itself.
            }
        }
        if (failure) std::rethrow_exception(failure);
        if (saved) co_return std::move(reply);
        if (services_.log) services_.log("conversation_lease_lost", std::to_string(attempt));
        if (attempt >= kMaxTurnAttempts) throw std::runtime_error("conversation lease lost");
    }
}

asio::awaitable<std::optional<std::vector<std::string>>> RouterDialog::group_chat_services(
    const Message& message, const TurnInput& input) {
    std::optional<std::vector<std::string>> not_ours;
    if (!services_.chat.ask) co_return not_ours;  // no chat services: nothing to keep either
    auto& store = *services_.conversations;
    const std::string conversation = conversation_id(message);
    const std::string no_driver;  // a group turn never reads or writes the draft
    auto state = co_await store.load(conversation, no_driver);
    const SessionState before = state.session;
    auto routed = co_await chat_services(message, input, state);
    if (same_group_session(before, state.session)) co_return routed;
    // Saved under the conversation's lock (the store's fencing check); this sender's two
    // messages racing in one group at worst lose an offer of choices.
    auto token = co_await store.lock(conversation);
    if (!token) {
        if (services_.log) services_.log("conversation_lock_timeout", "group");
        co_return routed;
    }
    bool saved = false;
    try {
        saved = co_await store.save(conversation, no_driver, *token, std::move(state), false);
    } catch (const std::exception&) {
        saved = false;
    }
    if (!saved && services_.log) services_.log("group_session_save_failed", "");
    try {
        co_await store.unlock(conversation, *token);
    } catch (...) {
        // The lease expires by itself.
    }
    co_return routed;
}

asio::awaitable<std::optional<std::vector<std::string>>> RouterDialog::chat_services(
    const Message& message, const TurnInput& input, ConversationState& state) {
    const ChatServices& chat = services_.chat;
    std::optional<std::vector<std::string>> not_ours;
    if (!chat.ask) co_return not_ours;
    // Choices, a pending grievance and the miss streak are valid for the next message only;
    // any other message drops them (a group member's conversation is his own: another member's
    // "2" never reaches these).
    const std::vector<std::string> offered = std::move(state.session.legal_choices);
    state.session.legal_choices.clear();
    const bool grievance_pending = std::exchange(state.session.grievance_pending, false);
    const int misses = std::exchange(state.session.legal_misses, 0);
    const std::string last_question = std::move(state.session.last_question);
    state.session.last_question.clear();
    const std::string text = JoinEngine::clean_input(message.text);
    const bool in_group = message.in_group();
    // Privacy first in groups: the engine warns about an ID or phone number and says nothing else.
    if (in_group) {
        const auto found = find_personal_data(message.text);
        if (found.id_card || found.mobile) co_return not_ours;
    }
    const bool mid_flow = state.draft && !state.draft->step.empty();
    const bool asked = !in_group || input.mentioned;
    const int number = choice_number(text);
    std::vector<std::string> texts;

    if (grievance_pending && chat.open_grievance && number > 0) {
        const std::string_view category = grievance_category(number);
        if (category.empty()) {
            state.session.grievance_pending = true;
            state.session.last_question = last_question;
            texts.push_back("请回复 1-3 之间的数字。");
            co_return texts;
        }
        std::string chosen(category);
        co_return co_await grievance(message, std::move(chosen), last_question);
    }
    if (!offered.empty() && chat.answer_choice && number > 0) {
        auto answer = chat.answer_choice(offered, number);
        if (answer) {
            texts.push_back(std::move(*answer));
            co_return texts;
        }
        // Out of range, or the entry was removed since: offer the same choices again.
        state.session.legal_choices = offered;
        texts.push_back("请回复 1-" + std::to_string(offered.size()) + " 之间的数字。");
        co_return texts;
    }

    // "FL2026… 进度" or the number alone: the ticket's state (details only to its owner).
    if (asked && chat.ticket_status) {
        std::string channel(channel_name(message.channel));
        auto status = co_await chat.ticket_status(message.text, std::move(channel),
                                                  message.sender_id, in_group);
        if (status) {
            texts.push_back(std::move(*status));
            co_return texts;
        }
    }

    // "我要投诉 乱罚款": a grievance ticket; the category asked with numbered choices when the
    // words do not say. Groups are told to use the private chat (a grievance names people and
    // places, and tickets are never opened from a group unasked).
    if (chat.open_grievance) {
        if (auto request = grievance_request(text)) {
            if (in_group) {
                if (asked)
                    texts.push_back("投诉和诉求请私聊我，我帮您登记工单，群里不方便说细节。");
                co_return texts;
            }
            if (request->category.empty()) {
                state.session.grievance_pending = true;
                state.session.last_question = message.text;
                texts.push_back(grievance_choices_text());
                co_return texts;
            }
            co_return co_await grievance(message, std::move(request->category), message.text);
        }
    }

    if (message.location && !in_group && chat.stations_near) {
        auto near =
            co_await chat.stations_near(message.location->latitude, message.location->longitude);
        texts.push_back(std::move(near));
        co_return texts;
    }
    if (asked && chat.asks_for_stations && chat.asks_for_stations(text) &&
        chat.stations_near_place) {
        auto near = co_await chat.stations_near_place(text);
        if (near)
            texts.push_back(std::move(*near));
        else
            texts.push_back(chat.ask_for_location_text);
        co_return texts;
    }
    const auto intent = engine_.intent_of_cleaned(text);
    if (asked && chat.benefits &&
        (intent == "benefits" || (chat.asks_for_benefits && chat.asks_for_benefits(text)))) {
        auto benefits = co_await benefits_text(message, input);
        texts.push_back(std::move(benefits));
        co_return texts;
    }

    // A lone digit without choices offered is not a question ("2" would match "二倍工资"):
    // the join flow answers it as before.
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    const bool person = chat.asks_for_person && chat.asks_for_person(text);
    // Mid-flow, a message without a legal keyword is the step's answer; idle (or in a group,
    // where the service stays silent unless sure), any unrecognized message may be a question.
    const bool maybe_legal = intent == "legal" || (!intent && !mid_flow && !digits);
    if (!person && !maybe_legal) co_return not_ours;
    LegalAsk ask;
    ask.text = message.text;
    ask.in_group = in_group;
    ask.mentioned = !in_group || input.mentioned;
    ask.channel = std::string(channel_name(message.channel));
    ask.chat_id = message.chat_id;
    ask.sender_id = message.sender_id;
    // Only a message routed as a legal question counts towards the automatic ticket: a second
    // unrelated remark ("好的谢谢") after a miss must not open one. Never in groups.
    const bool counts = !in_group && intent == "legal";
    if (counts) ask.misses_before = misses;
    if (!in_group) ask.previous_question = last_question;
    if (state.draft)
        ask.district = get(state.draft->slots, slot_for(*services_.script, "district"));
    auto answer = co_await chat.ask(std::move(ask));
    // An unrecognized message the service is unsure about gets the engine's "heard you" help.
    if (!person && intent != "legal" && !answer.confident) {
        if (in_group && !input.mentioned) {
            co_return texts;  // silence
        }
        co_return not_ours;
    }
    state.session.legal_choices = answer.entry_ids;
    if (counts && answer.missed) {
        state.session.legal_misses = misses + 1;
        state.session.last_question = message.text;
    }
    co_return answer.texts;
}

asio::awaitable<std::vector<std::string>> RouterDialog::grievance(const Message& message,
                                                                  std::string category,
                                                                  std::string question) {
    GrievanceTicket ticket;
    ticket.category = std::move(category);
    ticket.question = std::move(question);
    ticket.channel = std::string(channel_name(message.channel));
    ticket.chat_id = message.chat_id;
    ticket.sender_id = message.sender_id;
    auto told = co_await services_.chat.open_grievance(std::move(ticket));
    std::vector<std::string> texts;
    texts.push_back(std::move(told));
    co_return texts;
}

asio::awaitable<std::string> RouterDialog::benefits_text(const Message& message,
                                                         const TurnInput& input) {
    // Membership status from the driver's application; in a group it would tell others whether
    // he applied, so groups get the general list.
    std::string status = "none";
    std::string district;
    if (!message.in_group() && services_.applications) {
        try {
            auto found = co_await services_.applications->latest_for_driver(driver_id(message));
            if (found && found->status == "approved") status = "member";
            if (found && found->status == "received") status = "applicant";
            if (found) district = found->district;
        } catch (const std::exception&) {
            if (services_.log) services_.log("benefits_status_failed", "");
        }
    }
    char today[16];
    std::snprintf(today, sizeof today, "%04d-%02d-%02d", input.today / 10000,
                  input.today / 100 % 100, input.today % 100);
    co_return services_.chat.benefits(std::move(district), std::move(status), today);
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
