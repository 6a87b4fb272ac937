#pragma once
// The step machine of a scripted flow, as a pure function:
//   (script, state, input, today) -> (new state, reply texts, at most one effect)
// No I/O, no clock, no randomness: the shell (dialogs/router_dialog.hpp) loads the state from
// Redis, runs the effect (send a code, check a code, submit, look up progress, sign a link),
// feeds its result back through on_effect(), saves the state and answers. Every rule about what
// the bot says and when lives here or in the script, so it is unit-tested without Redis.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dialogs/flow_script.hpp"
#include "members/districts.hpp"

namespace kayou::dialogs {

// The chat session: short-lived (idle TTL), tells which flow the conversation is in.
struct SessionState {
    std::string flow;          // "" = no flow running
    std::int64_t version = 0;  // turns committed; the store increments it on every save
    // Legal entry ids just offered as numbered choices: only the next message may pick one.
    std::vector<std::string> legal_choices;
    // Legal questions in a row that ended in "这个问题我还答不好" (a miss); the next miss in a
    // private chat opens a ticket. Any other turn resets it.
    int legal_misses = 0;
    // The driver's last missed question (for the desk when the ticket opens), or the grievance
    // waiting for its category. Chat text: sealed by the store.
    std::string last_question;
    // A grievance category was asked for (1..3 of dialogs::grievance_choices_text()).
    bool grievance_pending = false;
    // What the last reply asked for outside the join flow: "benefits_district" (the driver's
    // district for the benefit catalogue). Valid for the next message only.
    std::string awaiting;
    // With awaiting "benefits_district": the benefit he asked about ("fuel_card"), answered again
    // for the district he gives.
    std::string awaiting_benefit;
    // The place the station finder last answered for, as the stations file names it ("湖塘镇"):
    // "有洗澡的吗" next searches there again (private chats).
    std::string stations_place;
    // The stations of that answer (ids, in its order) and the one he asked about since (0-based,
    // -1 none): "第二个能停半挂不", then "几点关门", next (private chats).
    std::vector<std::string> stations_listed;
    int stations_picked = -1;
    // The benefits the last benefits answer numbered (ids, in its order) and the status it was
    // told for: "第二个咋领" next picks one (private chats).
    std::vector<std::string> benefits_listed;
    std::string benefits_status;
    // The district whose union office the last reply named (a benefit claimed there, or where
    // the union is): "周六有人吗", "电话打不通", "要带啥" next are about that office. Next message
    // only.
    std::string office_district;
    // The last turn was a legal question: "人工" now goes to the legal desk, not to staff.
    bool legal_context = false;
    // The driver's last few messages (private chats), attached to a handoff so the person who
    // takes over sees what was said. Chat text: sealed by the store.
    std::vector<std::string> recent;
    // The ticket this private chat last opened (a lawyer or the district's staff): while it waits
    // for the desk, asking for a person again shows it instead of opening a second one.
    std::string open_ticket;
    // The legal entries the last turn answered (ids, private chats): the next message, when it
    // is a follow-up matching one of them, gets only the part it asks about. Next message only.
    std::vector<std::string> legal_answered;
};

// The join draft: the half-filled application, kept for days and independent of the session, so
// an idle chat session expiring never wipes it (Rasa #5091).
struct DraftState {
    std::string step;                          // current step id
    std::map<std::string, std::string> slots;  // plaintext here; sealed by the store
    std::map<std::string, int> failures;       // per step id
    std::vector<std::string> choices;          // district ids offered after an ambiguous answer
    std::string return_to;                     // step to go back to after an edit ("" = next)
    std::string verified_mobile;               // the mobile a code confirmed ("" = none)
    // Values the driver typed before their step came, by validator ("我叫李卫东 电话139…" at the
    // name step): the step takes its value from here instead of asking. Sealed like slots.
    std::map<std::string, std::string> waiting;

    bool operator==(const DraftState&) const = default;
};

struct ConversationState {
    SessionState session;
    std::optional<DraftState> draft;
};

struct TurnInput {
    std::string text;
    bool in_group = false;
    bool mentioned = false;  // group: the bot was @-mentioned
    int today = 0;           // yyyymmdd, Beijing date (ID card age check)
    // The driver's whole message when `text` is only the value taken from it (private chats):
    // the values for other steps it also holds wait for them (dialogs::other_values).
    std::string said;
};

enum class EffectKind { none, send_code, check_code, submit, progress, group_link };

struct Effect {
    EffectKind kind = EffectKind::none;
    std::string code;  // check_code: the 6 digits the driver typed
};

struct EffectResult {
    EffectKind kind = EffectKind::none;
    // send_code: ok | rate_minute | rate_hour | rate_day | rate_sender | busy | failed
    //            (members/code_caps.hpp: which cap refused it)
    // check_code: ok | wrong | expired | locked
    // submit: new | existing (his own, same proven mobile) | existing_other (made with another
    // mobile) | failed
    // progress: none | received | approved | rejected
    // group_link: ok (post the link in the group) | private (send it to the sender 1:1) | off
    // (no public URL configured)
    std::string outcome;
    int remaining = 0;           // check_code wrong: tries left
    std::string application_id;  // submit, progress
    std::string status_text;     // submit existing: "已受理" ...
    std::string deadline;        // "2026-11-23 15:04" Beijing
    std::string reason;          // progress rejected
    std::string link;            // group_link
};

struct TurnOutput {
    ConversationState state;
    std::vector<std::string> texts;
    Effect effect;
    bool mention = false;        // group answers @-mention the sender
    bool draft_deleted = false;  // the draft must be removed (cancelled or submitted)
    // Funnel events for metrics, from a fixed vocabulary (never user text): started,
    // done:<step id>, help_offered:<step id>, cancelled, submitted, duplicate,
    // group_personal_data, group_link.
    std::vector<std::string> events;
    // For the sender alone (Reply::private_texts): the join link when it goes 1:1.
    std::vector<std::string> private_texts;
};

class JoinEngine {
public:
    // Both must outlive the engine.
    JoinEngine(const FlowScript& script, const members::DistrictCatalog& districts);

    TurnOutput on_message(ConversationState state, const TurnInput& input) const;
    // Continues the turn that asked for `result.kind`; `input` is the same as for on_message.
    TurnOutput on_effect(ConversationState state, const EffectResult& result,
                         const TurnInput& input) const;
    // The answer at the current step was wrong (found by dialogs/extract.hpp): `error` says what
    // to fix; counted like any failed answer (every max_failures-th offers 人工).
    TurnOutput reject_answer(ConversationState state, const std::string& error,
                             const TurnInput& input) const;

    // The masked summary shown at the confirm step.
    std::string summary(const DraftState& draft) const;

    // The script's intent of a message (legal, benefits, join, ...), for services the router
    // answers itself; nullopt when no keyword matches.
    std::optional<std::string> intent(std::string_view text) const;
    // The same for a text that already went through clean_input() (cleaning is idempotent).
    std::optional<std::string> intent_of_cleaned(const std::string& cleaned) const {
        return intent_of(cleaned);
    }
    // After a detour in the middle of the flow: the reminder and the pending step's prompt
    // again (empty when no flow is running).
    std::vector<std::string> reminder(const ConversationState& state) const;

    // Removes emoji, variation selectors and the punctuation voice input adds around an answer
    // ("张三。", "👍确认！"), folds full width, trims spaces, caps the length (4 KB): what the
    // validators and keyword matching see.
    static std::string clean_input(std::string_view text);

    const FlowScript& script() const { return script_; }

private:
    struct Turn;
    // "我刚才填到哪了": the fields filled so far, masked as in the summary.
    void tell_what_is_filled(Turn& turn) const;
    void group_turn(Turn& turn) const;
    void flow_turn(Turn& turn) const;
    void idle_turn(Turn& turn) const;
    bool command(Turn& turn) const;
    bool takes_back_the_phone(Turn& turn) const;
    void answer_step(Turn& turn) const;
    // DraftState::waiting: keep the other fields the message holds (for empty slots only), and
    // the new value of a field the driver asks to change.
    void keep_other_values(Turn& turn) const;
    // What a value typed before its step came stores in that step's slot, or nullopt when it
    // no longer passes (a district slot holds the district's id).
    std::optional<std::string> kept_value(const FlowStep& step, const std::string& value,
                                          int today) const;
    void keep_value_for(Turn& turn, const FlowStep& step) const;
    // An edit of one field that corrects another filled one too ("车牌错了 是苏D54321 区也填错了
    // 是新北"): each other field the message names, with a value that passes, is changed at
    // once (the plate had been dropped; join helper, session 27).
    void edit_ahead(Turn& turn, const FlowStep& target) const;
    bool detour(Turn& turn) const;
    void answer_district(Turn& turn, const FlowStep& step) const;
    void correct_named_fields(Turn& turn, const FlowStep& target) const;
    void enter(Turn& turn, const std::string& step_id) const;
    void advance(Turn& turn, const FlowStep& done) const;
    void fail(Turn& turn, const FlowStep& step, const std::string& message) const;
    void prompt_again(Turn& turn) const;
    // "不改了" after "修改…": the step's value stays and the form goes back to where it was; a
    // step with nothing to keep asks again.
    void keep_as_it_is(Turn& turn, const FlowStep& current) const;
    void say_progress(Turn& turn, const std::string& outcome,
                      const std::map<std::string, std::string>& values) const;
    std::optional<std::string> intent_of(const std::string& text) const;
    std::string masked(const FlowStep& step, const std::string& value) const;

    const FlowScript& script_;
    const members::DistrictCatalog& districts_;
    // The script's intent keywords, lowercased and measured once (intent_of runs on every
    // message), in intent_of's tie-break order.
    struct Keyword {
        std::string intent;
        std::string lower;
        std::size_t length = 0;  // code points
    };
    std::vector<Keyword> keywords_;
};

}  // namespace kayou::dialogs
