#include "dialogs/join_engine.hpp"

#include <algorithm>

#include "dialogs/extract.hpp"
#include "dialogs/privacy.hpp"
#include "dialogs/validators.hpp"
#include "text/masks.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::dialogs {
namespace {

// The form's phone step: the slot a code confirms (null in a script without one).
const FlowStep* mobile_step(const FlowScript& script) {
    for (const auto& step : script.steps)
        if (step.kind == StepKind::slot && step.validator == "mobile") return &step;
    return nullptr;
}

// What he settles on after naming two places: the text after the last 算 / 就填 / 还是 / 填 / 就写
// ("住在金坛 不过平时武进跑的多 算武进吧" -> "武进吧"), or "" when there is none.
std::string_view settled_part(std::string_view text) {
    std::size_t best = std::string_view::npos;
    std::size_t width = 0;
    for (const std::string_view word : {"算", "就填", "还是", "填", "就写"}) {
        const auto at = text.rfind(word);
        if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) {
            best = at;
            width = word.size();
        }
    }
    if (best == std::string_view::npos) return {};
    return text.substr(best + width);
}

// The driver's district text as it may be shown back: whole when at most 30 bytes, else its first
// clause when that fits, else its first 30 bytes.
std::string short_place_text(const std::string& text) {
    constexpr std::size_t kShown = 30;
    if (text.size() <= kShown) return text;
    for (const std::string_view mark : {" ", "，", ",", "。"})
        if (const auto at = text.find(mark); at != std::string::npos && at <= kShown)
            return text.substr(0, at);
    return text.substr(0, text::utf8_prefix_length(text, kShown));
}

constexpr std::size_t kMaxInputBytes = 4096;

bool is_emoji_or_joiner(char32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) ||  // emoji, pictographs, symbols
           (c >= 0x2600 && c <= 0x27BF) ||    // misc symbols, dingbats
           (c >= 0xFE00 && c <= 0xFE0F) ||    // variation selectors
           (c >= 0x1F3FB && c <= 0x1F3FF) ||  // skin tones
           c == 0x200D || c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0x20E3 ||
           (c >= 0xE0020 && c <= 0xE007F) || c == text::kReplacementChar;
}

std::string digits_only(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9')
            out += c;
        else if (c != ' ' && c != '-')
            return {};
    return out;
}

bool contains(std::string_view text, std::string_view word) {
    return !word.empty() && text.find(word) != std::string_view::npos;
}

// Whether `text` names a form step by its label or one of its edit words ("车牌", "名字").
bool names_step(std::string_view text, const FlowStep& step) {
    if (contains(text, step.label)) return true;
    return std::any_of(step.edit_words.begin(), step.edit_words.end(),
                       [&](const std::string& word) { return contains(text, word); });
}

// Keyword sets match case-insensitively for ASCII ("OK", "Help").
std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// A command matches when the message is the keyword, or the keyword followed by at most a few
// characters ("取消申请吧", "确认提交"), so an answer that merely contains a keyword is still an
// answer.
bool is_command(const std::string& text, const std::vector<std::string>& words) {
    const std::string lower = ascii_lower(text);
    for (const auto& word : words) {
        const std::string w = ascii_lower(word);
        if (lower == w) return true;
        if (text::code_point_count(w) >= 2 && lower.rfind(w, 0) == 0 &&
            text::code_point_count(lower) <= text::code_point_count(w) + 4)
            return true;
    }
    return false;
}

// A free-text slot step's validator on `text` (district has its own matching in answer_step).
Validated validate_step(const FlowStep& step, const std::string& text, int today) {
    if (step.validator == "name") return validate_name(text);
    if (step.validator == "id_card") return validate_id_card(text, today);
    if (step.validator == "mobile") return validate_mobile(text);
    if (step.validator == "plate") return validate_plate(text);
    if (step.validator == "employer") return validate_employer(text);
    return {};
}

// The whole message the driver sent (TurnInput::said), or the text when the caller gave only that.
const std::string& whole_message(const TurnInput& input) {
    return input.said.empty() ? input.text : input.said;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace

struct JoinEngine::Turn {
    TurnOutput out;
    const TurnInput& input;
    std::string text;  // cleaned
    // Labels of later steps whose values this message held and the draft now keeps (the ID at
    // the name step): said when this step's own answer is missing.
    std::vector<std::string> kept;

    DraftState& draft() { return *out.state.draft; }
    void say(std::string text_to_say) { out.texts.push_back(std::move(text_to_say)); }
};

JoinEngine::JoinEngine(const FlowScript& script, const members::DistrictCatalog& districts)
    : script_(script), districts_(districts) {
    // Ties go by this order: progress before join ("入会进度"), cancel and human before the rest.
    static const char* const order[] = {"cancel", "human",    "progress", "join",
                                        "legal",  "benefits", "help"};
    for (const char* intent : order) {
        auto found = script_.intents.find(intent);
        if (found == script_.intents.end()) continue;
        for (const auto& word : found->second) {
            std::string lower = ascii_lower(word);
            const std::size_t length = text::code_point_count(lower);
            keywords_.push_back({intent, std::move(lower), length});
        }
    }
}

std::string JoinEngine::clean_input(std::string_view raw) {
    std::u32string code_points = text::decode_utf8(
        text::fold_width(raw.substr(0, text::utf8_prefix_length(raw, kMaxInputBytes))));
    std::u32string kept;
    kept.reserve(code_points.size());
    for (char32_t c : code_points)
        if (!is_emoji_or_joiner(c) && (c >= 0x20 || c == '\n')) kept += c;
    std::size_t begin = 0;
    std::size_t end = kept.size();
    while (begin < end && text::is_edge_punctuation(kept[begin])) ++begin;
    while (end > begin && text::is_edge_punctuation(kept[end - 1])) --end;
    return text::encode_utf8(std::u32string_view(kept).substr(begin, end - begin));
}

std::optional<std::string> JoinEngine::intent_of(const std::string& text) const {
    // The longest keyword found wins ("咨询一下怎么入会" is joining, not legal: 怎么入会 is longer
    // than 咨询; "查询加油卡" is benefits); ties go by the order of keywords_.
    const std::string lower = ascii_lower(text);
    const Keyword* best = nullptr;
    for (const auto& keyword : keywords_)
        if ((!best || keyword.length > best->length) && keyword.length > 0 &&
            contains(lower, keyword.lower))
            best = &keyword;
    if (!best) return std::nullopt;
    return best->intent;
}

std::optional<std::string> JoinEngine::intent(std::string_view text) const {
    return intent_of(clean_input(text));
}

std::vector<std::string> JoinEngine::reminder(const ConversationState& state) const {
    if (!state.draft || state.draft->step.empty() || !script_.find_step(state.draft->step))
        return {};
    const TurnInput input{};
    Turn turn{{state, {}, {}, false, false}, input, {}};
    turn.say(script_.text("in_flow_reminder"));
    prompt_again(turn);
    return std::move(turn.out.texts);
}

std::string JoinEngine::masked(const FlowStep& step, const std::string& value) const {
    if (step.validator == "district") {
        const members::District* district = districts_.find(value);
        return district ? district->name : value;
    }
    if (step.validator == "employer" && value.empty()) return script_.text("employer_none");
    if (step.mask == "name") return text::mask_name(value);
    if (step.mask == "id_card") return text::mask_id_card(value);
    if (step.mask == "mobile") return text::mask_mobile(value);
    if (step.validator == "plate" && value == kNoPlate) return "无（没有固定开的车）";
    if (step.mask == "plate") return text::mask_plate(value);
    return value;
}

void JoinEngine::tell_what_is_filled(Turn& turn) const {
    const DraftState& draft = turn.draft();
    std::vector<std::string> filled;
    for (const auto& step : script_.steps) {
        if (step.kind != StepKind::slot) continue;
        const auto found = draft.slots.find(step.slot);
        if (found != draft.slots.end() && !found->second.empty())
            filled.push_back(step.label + " " + masked(step, found->second));
    }
    if (filled.empty())
        turn.say(script_.text("filled_nothing"));
    else
        turn.say(fill_text(script_.text("filled_so_far"), {{"filled", join(filled, "、")}}));
}

std::string JoinEngine::summary(const DraftState& draft) const {
    std::string out = script_.text("summary_header");
    for (const auto& step : script_.steps) {
        if (step.kind != StepKind::slot) continue;
        auto found = draft.slots.find(step.slot);
        out += "\n" + step.label + "：" +
               (found == draft.slots.end() ? std::string("（未填）") : masked(step, found->second));
    }
    out += "\n" + script_.text("summary_footer");
    return out;
}

TurnOutput JoinEngine::on_message(ConversationState state, const TurnInput& input) const {
    Turn turn{{std::move(state), {}, {}, false, false}, input, clean_input(input.text)};
    if (input.in_group) {
        group_turn(turn);
    } else if (turn.out.state.draft && !turn.out.state.draft->step.empty()) {
        if (turn.out.state.session.flow != script_.flow) {
            // The chat session expired but the draft did not: continue where the driver
            // stopped instead of starting over.
            turn.out.state.session.flow = script_.flow;
            turn.say(script_.text("resume"));
        }
        flow_turn(turn);
    } else {
        turn.out.state.session.flow.clear();
        turn.out.state.draft.reset();
        idle_turn(turn);
    }
    return std::move(turn.out);
}

void JoinEngine::group_turn(Turn& turn) const {
    // Privacy first: nothing else runs on a message that carries an ID or phone number, and the
    // warning never quotes it. (Plates are posted in truck groups all the time: not warned.)
    const auto found = find_personal_data(turn.input.text);
    if (found.id_card || found.mobile) {
        turn.out.mention = true;
        turn.say(script_.text("group_personal_data"));
        turn.out.events.push_back("group_personal_data");
        // "我要入会 身份证…" in a group: the warning, and also the private path he asked for.
        const auto intent = intent_of(turn.text);
        if (intent == "join") turn.out.effect = {EffectKind::group_link, {}};
        // "…身份证… 帮我查下批了没": where he can ask (his question was dropped).
        if (intent == "progress") turn.say(script_.text("group_progress_private"));
        return;
    }
    const auto intent = intent_of(turn.text);
    if (intent == "join") {
        turn.out.mention = true;
        turn.out.effect = {EffectKind::group_link, {}};
        return;
    }
    if (!turn.input.mentioned && intent != "help") return;  // a group hears the bot only when asked
    turn.out.mention = true;
    // Not even the status in a group: "已受理，审核中" told the group, his boss among them, that he
    // applied, and "没有查到" that he did not (join helper, session 31).
    if (intent == "progress")
        turn.say(script_.text("group_progress_private"));
    else if (intent == "legal")
        turn.say(script_.text("legal"));
    else if (intent == "benefits")
        turn.say(script_.text("benefits"));
    else
        turn.say(script_.text("help"));
}

void JoinEngine::idle_turn(Turn& turn) const {
    const auto intent = intent_of(turn.text);
    if (intent == "join") {
        turn.out.state.session.flow = script_.flow;
        turn.out.state.draft = DraftState{};
        turn.say(script_.text("welcome"));
        turn.out.events.push_back("started");
        keep_other_values(turn);
        // "我要入会 身份证… 手机…": the form asks his name first; he is told the numbers were
        // kept, not left to think them lost (join helper, session 28).
        const FlowStep& first = script_.steps.front();
        if (!turn.kept.empty() && !turn.draft().waiting.count(first.validator))
            turn.say(fill_text(script_.text("value_early"), {{"labels", join(turn.kept, "、")}}));
        enter(turn, first.id);
    } else if (intent == "progress") {
        turn.out.effect = {EffectKind::progress, {}};
    } else if (intent == "cancel") {
        turn.say(script_.text("nothing_to_cancel"));
    } else if (intent == "human") {
        turn.say(script_.text("human"));
    } else if (intent == "legal") {
        turn.say(script_.text("legal"));
    } else if (intent == "benefits") {
        turn.say(script_.text("benefits"));
    } else if (intent == "help" || turn.text.empty()) {
        turn.say(script_.text("help"));
    } else {
        // Say what was heard, so a driver sees his message arrived; bounded, and with any ID
        // or phone number masked (replies show masked values only).
        const std::string& raw = turn.input.text;
        const std::size_t keep = text::utf8_prefix_length(raw, 300);
        const std::string heard =
            redact_personal_data(raw.substr(0, keep)) + (keep < raw.size() ? "…" : "");
        turn.say(fill_text(script_.text("echo"), {{"text", heard}}) + "\n" +
                 script_.text("unknown") + "\n" + script_.text("help"));
    }
}

void JoinEngine::flow_turn(Turn& turn) const {
    if (!script_.find_step(turn.draft().step)) {
        // A step removed from the script since the draft was saved: keep the slots, restart
        // the walk; filled slots are asked again only if the step still exists.
        turn.draft().return_to.clear();
        enter(turn, script_.steps.front().id);
        return;
    }
    keep_other_values(turn);
    if (command(turn)) return;
    answer_step(turn);
}

void JoinEngine::keep_other_values(Turn& turn) const {
    const std::string& said = whole_message(turn.input);
    DraftState& draft = turn.draft();
    const FlowStep* current = script_.find_step(draft.step);
    const std::string answering =
        current && current->kind == StepKind::slot ? current->validator : std::string();
    const auto values = other_values(said, answering, turn.input.today, &districts_);
    // An ID number among his details that fails its check ("…身份证320412199002142538 手机…")
    // was dropped without a word, and step 2 asked as if he had sent none (join helper, session
    // 28): what is wrong with it is said.
    if (answering != "id_card" && !values.count("id_card") && !draft.slots.count("id_card")) {
        const auto id = extract_answer("id_card", said, turn.input.today, &districts_);
        if (id.kind == Extraction::Kind::malformed && id.code == "id_card.check_digit")
            turn.say(id.error);
    }
    for (const auto& [validator, value] : values) {
        for (const auto& step : script_.steps) {
            if (step.kind != StepKind::slot || step.validator != validator) continue;
            const auto filled = draft.slots.find(step.slot);
            if (filled == draft.slots.end() || filled->second.empty()) {
                draft.waiting[validator] = value;
                turn.kept.push_back(step.label);
            }
            break;
        }
    }
}

void JoinEngine::keep_value_for(Turn& turn, const FlowStep& step) const {
    const std::string& said = whole_message(turn.input);
    const auto found = other_values(said, "", turn.input.today, &districts_);
    if (const auto value = found.find(step.validator); value != found.end()) {
        turn.draft().waiting[step.validator] = value->second;
        return;
    }
    // "单位填货拉拉和满帮": what follows 填 / 写 / 改成 is the value, read as the step reads it;
    // "修改姓名 李洪兵": what follows the field's name (the name went unread and the form went
    // back to "第1步"; join helper, session 27).
    std::string put = value_put(said);
    if (put.empty()) {
        std::vector<std::string> field_words = step.edit_words;
        field_words.push_back(step.label);
        for (const auto& word : field_words)
            if (const auto at = said.find(word); at != std::string::npos) {
                put = said.substr(at + word.size());
                break;
            }
    }
    if (put.empty()) return;
    const auto extraction = extract_answer(step.validator, put, turn.input.today, &districts_);
    if (extraction.found()) turn.draft().waiting[step.validator] = extraction.value;
}

void JoinEngine::correct_named_fields(Turn& turn, const FlowStep& target) const {
    const std::string& said = whole_message(turn.input);
    DraftState& draft = turn.draft();
    const auto found = other_values(said, "", turn.input.today, &districts_);
    for (const auto& step : script_.steps) {
        // A new mobile needs its code: it is changed only on its own ("修改手机号").
        if (step.kind != StepKind::slot || step.id == target.id || step.validator == "mobile")
            continue;
        const auto filled = draft.slots.find(step.slot);
        const auto value = found.find(step.validator);
        if (filled == draft.slots.end() || filled->second.empty() || value == found.end()) continue;
        if (!names_step(said, step)) continue;
        const auto stored = kept_value(step, value->second, turn.input.today);
        if (!stored || *stored == filled->second) continue;
        filled->second = *stored;
        turn.say(fill_text(script_.text("value_kept"),
                           {{"label", step.label}, {"value", masked(step, *stored)}}));
    }
}

// "不对 公司名写错了 是常州顺发物流" at the code step: entering the employer step there took the
// value and went on to the summary, past the code, the plate and the district (benefits helper,
// session 29: the summary showed 所在区县：（未填）, and "确认" got "系统繁忙"). A field ahead
// of the walk is kept for its step (or changed, if an earlier edit filled it), and the form
// stays where it was.
void JoinEngine::edit_ahead(Turn& turn, const FlowStep& target) const {
    DraftState& draft = turn.draft();
    draft.return_to.clear();
    keep_value_for(turn, target);
    const auto waiting = draft.waiting.find(target.validator);
    const auto filled = draft.slots.find(target.slot);
    if (waiting == draft.waiting.end()) {
        turn.say(fill_text(script_.text("edit_later"), {{"label", target.label}}));
    } else if (filled != draft.slots.end() && !filled->second.empty()) {
        if (const auto stored = kept_value(target, waiting->second, turn.input.today)) {
            filled->second = *stored;
            turn.say(fill_text(script_.text("value_kept"),
                               {{"label", target.label}, {"value", masked(target, *stored)}}));
        }
        draft.waiting.erase(waiting);
    } else {
        turn.say(fill_text(script_.text("value_early"), {{"labels", target.label}}));
    }
    prompt_again(turn);
}

bool JoinEngine::command(Turn& turn) const {
    const std::string& text = turn.text;
    const auto& commands = script_.commands;
    const FlowStep& current = *script_.find_step(turn.draft().step);
    if (is_command(text, commands.at("cancel"))) {
        turn.out.state.draft.reset();
        turn.out.state.session.flow.clear();
        turn.out.draft_deleted = true;
        turn.say(script_.text("cancelled"));
        turn.out.events.push_back("cancelled");
        return true;
    }
    if (is_command(text, commands.at("restart"))) {
        turn.out.state.draft = DraftState{};
        turn.say(script_.text("restarted"));
        enter(turn, script_.steps.front().id);
        return true;
    }
    if (is_command(text, commands.at("progress"))) {
        turn.out.effect = {EffectKind::progress, {}};
        return true;
    }
    if (is_command(text, commands.at("help"))) {
        turn.say(script_.text("help"));
        turn.say(script_.text("in_flow_reminder"));
        prompt_again(turn);
        return true;
    }
    if (is_command(text, commands.at("where"))) {
        tell_what_is_filled(turn);
        prompt_again(turn);
        return true;
    }
    if (is_command(text, commands.at("human"))) {
        turn.say(script_.text("human"));
        return true;
    }
    // "算了还是用刚才那个号吧" reads as a change of phone; at the code step it takes one back.
    if (current.kind == StepKind::sms_code && takes_back_the_phone(turn)) return true;
    for (const auto& word : commands.at("edit")) {
        if (text.rfind(word, 0) != 0) continue;
        const std::string rest = text.substr(word.size());
        const FlowStep* target = nullptr;
        for (const auto& step : script_.steps) {
            if (step.kind != StepKind::slot) continue;
            if (names_step(rest, step)) {
                target = &step;
                break;
            }
        }
        if (!target) {
            if (!rest.empty()) continue;  // "改装车队" is an answer, not a command
            std::vector<std::string> labels;
            for (const auto& step : script_.steps)
                if (step.kind == StepKind::slot) labels.push_back(step.label);
            turn.say(fill_text(script_.text("edit_unknown"), {{"fields", join(labels, "、")}}));
            return true;
        }
        // An edit begun while another one is under way returns where the first began: "手机号
        // 换一个" at the summary, then "修改手机号" at the code step, had set the way back to the
        // code step, and steps 4–6 were asked again (join helper, session 31).
        if (target->id != current.id && turn.draft().return_to.empty())
            turn.draft().return_to = current.id;
        auto index_of = [&](const std::string& id) {
            for (std::size_t i = 0; i < script_.steps.size(); ++i)
                if (script_.steps[i].id == id) return i;
            return script_.steps.size();
        };
        if (index_of(target->id) > index_of(current.id)) {
            edit_ahead(turn, *target);
            return true;
        }
        if (index_of(target->id) >= index_of(current.id)) turn.draft().return_to.clear();
        // "手机号打错了 是138…": the new value came with the request.
        keep_value_for(turn, *target);
        correct_named_fields(turn, *target);
        enter(turn, target->id);
        return true;
    }
    if (is_command(text, commands.at("keep"))) {
        keep_as_it_is(turn, current);
        return true;
    }
    if (current.kind == StepKind::sms_code && is_command(text, commands.at("resend"))) {
        turn.out.effect = {EffectKind::send_code, {}};
        return true;
    }
    if (current.kind == StepKind::confirm && is_command(text, commands.at("confirm"))) {
        turn.out.effect = {EffectKind::submit, {}};
        return true;
    }
    return false;
}

void JoinEngine::keep_as_it_is(Turn& turn, const FlowStep& current) const {
    DraftState& draft = turn.draft();
    const bool filled = current.kind == StepKind::slot && draft.slots.count(current.slot) > 0 &&
                        !draft.slots.at(current.slot).empty();
    // Nothing to keep (a step not yet answered, the code, the summary): the step asks again.
    if (!filled) {
        prompt_again(turn);
        return;
    }
    advance(turn, current);
}

// The district step: a number among the districts offered, a place that names one, or the
// districts to choose from.
void JoinEngine::answer_district(Turn& turn, const FlowStep& step) const {
    DraftState& draft = turn.draft();
    const std::string digits = digits_only(turn.text);
    if (!draft.choices.empty() && !digits.empty() && digits.size() <= 2) {
        const auto pick = static_cast<std::size_t>(std::stoi(digits));
        if (pick >= 1 && pick <= draft.choices.size()) {
            draft.slots[step.slot] = draft.choices[pick - 1];
            draft.choices.clear();
            draft.failures.erase(step.id);
            advance(turn, step);
            return;
        }
    }
    // "挂靠在常州顺达物流有限公司" at this step: the company was kept for its step, and the
    // 常州 in its name is no answer here (it got the list of 常州's districts, and the
    // company seemed lost; benefits helper, session 29).
    if (!turn.kept.empty()) {
        std::string rest = turn.text;
        for (const auto& [validator, value] : draft.waiting)
            rest = text::replace_with_space(rest, value);
        if (districts_.match(rest).kind == members::DistrictCatalog::Match::Kind::none) {
            turn.say(fill_text(script_.text("value_early"), {{"labels", join(turn.kept, "、")}}));
            prompt_again(turn);
            return;
        }
    }
    auto match = districts_.match(turn.text);
    // "住在金坛 不过平时武进跑的多 算武进吧": two places, and the one he settles on after
    // 算 / 就填 / 还是 (the list of both came back; join helper, session 23).
    if (match.kind == members::DistrictCatalog::Match::Kind::ambiguous)
        if (const auto settled = settled_part(turn.text); !settled.empty())
            if (auto chosen = districts_.match(settled);
                chosen.kind == members::DistrictCatalog::Match::Kind::unique)
                match = std::move(chosen);
    if (match.kind == members::DistrictCatalog::Match::Kind::unique) {
        draft.slots[step.slot] = match.candidates.front()->id;
        draft.choices.clear();
        draft.failures.erase(step.id);
        advance(turn, step);
        return;
    }
    const bool only_city = match.kind == members::DistrictCatalog::Match::Kind::city;
    if (match.kind == members::DistrictCatalog::Match::Kind::ambiguous || only_city) {
        draft.choices.clear();
        std::string lines;
        for (const members::District* district : match.candidates) {
            draft.choices.push_back(district->id);
            if (!lines.empty()) lines += "\n";
            lines += std::to_string(draft.choices.size()) + ". " + district->name;
        }
        // Never echo the driver's text beyond a short place name, nor one cut mid-word ("“住在
        // 金坛 不过平时武”可能是…"; join helper, session 23): its first clause when it fits.
        const std::string shown = short_place_text(turn.text);
        const std::string_view key = only_city ? "district_in_city" : "district_ambiguous";
        turn.say(
            fill_text(script_.text(key),
                      {{"text", shown}, {"city", districts_.city().name}, {"choices", lines}}));
        return;
    }
    if (detour(turn)) return;
    std::vector<std::string> names;
    for (const auto& district : districts_.all()) names.push_back(district.name);
    fail(turn, step,
         fill_text(script_.text("district_unknown"), {{"districts", join(names, "、")}}));
}

// Another service asked in the middle of the flow: answer it, keep the place.
bool JoinEngine::detour(Turn& turn) const {
    const auto intent = intent_of(turn.text);
    if (intent != "legal" && intent != "benefits" && intent != "join") return false;
    if (intent == "legal") turn.say(script_.text("legal"));
    if (intent == "benefits") turn.say(script_.text("benefits"));
    turn.say(script_.text("in_flow_reminder"));
    prompt_again(turn);
    return true;
}

// "算了还是用刚才那个号吧 138那个" while a new number waits for its code: the number confirmed
// before is the phone again, with no code (it went back to step 3 and asked for a phone).
bool JoinEngine::takes_back_the_phone(Turn& turn) const {
    DraftState& draft = turn.draft();
    const std::string& said = whole_message(turn.input);
    if (draft.verified_mobile.empty() || digits_only(said).size() >= 11) return false;
    const bool takes_back =
        text::contains_any(said, {"刚才那个", "刚才的", "原来那个", "原来的", "之前那个", "之前的",
                                  "以前那个", "以前的", "第一个", "上一个", "老号", "旧号"}) &&
        text::contains_any(said, {"号", "手机", "电话", "用"});
    const FlowStep* mobile = mobile_step(script_);
    if (!takes_back || !mobile) return false;
    draft.slots[mobile->slot] = draft.verified_mobile;
    turn.say(fill_text(script_.text("mobile_taken_back"),
                       {{"value", masked(*mobile, draft.verified_mobile)}}));
    advance(turn, *mobile);
    return true;
}

void JoinEngine::answer_step(Turn& turn) const {
    DraftState& draft = turn.draft();
    const FlowStep& step = *script_.find_step(draft.step);

    if (step.kind == StepKind::confirm) {
        if (detour(turn)) return;
        // "名字是张大海 没错吧": the summary again, where he sees it (nothing is submitted).
        const std::string& said = whole_message(turn.input);
        const bool names_a_field =
            std::any_of(script_.steps.begin(), script_.steps.end(), [&](const FlowStep& slot_step) {
                return slot_step.kind == StepKind::slot && names_step(said, slot_step);
            });
        turn.say(names_a_field ? summary(draft) : script_.text("confirm_hint"));
        return;
    }
    if (step.kind == StepKind::sms_code) {
        if (takes_back_the_phone(turn)) return;
        const std::string code = digits_only(turn.text);
        if (code.size() == 6) {
            turn.out.effect = {EffectKind::check_code, code};
            return;
        }
        if (!detour(turn)) fail(turn, step, script_.text("code_format"));
        return;
    }

    if (step.validator == "district") {
        answer_district(turn, step);
        return;
    }

    const Validated result = validate_step(step, turn.text, turn.input.today);
    if (result.ok) {
        draft.slots[step.slot] = result.value;
        draft.failures.erase(step.id);
        advance(turn, step);
        return;
    }
    if (detour(turn)) return;
    // "身份证3204…" at the name step: no mistake, only early. Kept, and this step asked again.
    // A wrong try at this step's own field beside it is still a mistake, said and counted.
    const Extraction tried =
        extract_answer(step.validator, turn.text, turn.input.today, &districts_);
    if (!turn.kept.empty() && !draft.waiting.count(step.validator) &&
        tried.kind == Extraction::Kind::absent) {
        turn.say(fill_text(script_.text("value_early"), {{"labels", join(turn.kept, "、")}}));
        prompt_again(turn);
        return;
    }
    // With other values beside it the whole message is no attempt: what was wrong in the attempt.
    const bool beside = !turn.kept.empty() && tried.kind == Extraction::Kind::malformed;
    fail(turn, step, beside ? tried.error : result.error);
    if (!turn.kept.empty())
        turn.say(fill_text(script_.text("value_early"), {{"labels", join(turn.kept, "、")}}));
}

TurnOutput JoinEngine::reject_answer(ConversationState state, const std::string& error,
                                     const TurnInput& input) const {
    Turn turn{{std::move(state), {}, {}, false, false}, input, {}};
    const FlowStep* step = turn.out.state.draft ? script_.find_step(turn.draft().step) : nullptr;
    if (step) fail(turn, *step, error);
    return std::move(turn.out);
}

void JoinEngine::fail(Turn& turn, const FlowStep& step, const std::string& message) const {
    const int count = ++turn.draft().failures[step.id];
    turn.say(message);
    if (count % script_.max_failures == 0) {
        turn.say(script_.text("too_many_failures"));
        turn.out.events.push_back("help_offered:" + step.id);
    }
}

void JoinEngine::advance(Turn& turn, const FlowStep& done) const {
    turn.out.events.push_back("done:" + done.id);
    DraftState& draft = turn.draft();
    const FlowStep* next = done.next.empty() ? nullptr : script_.find_step(done.next);
    // A changed mobile is always confirmed again, even when editing from the summary.
    if (next && next->kind == StepKind::sms_code && done.validator == "mobile") {
        enter(turn, next->id);
        return;
    }
    if (!draft.return_to.empty()) {
        const std::string target = draft.return_to;
        draft.return_to.clear();
        enter(turn, target);
        return;
    }
    if (next) enter(turn, next->id);
}

std::optional<std::string> JoinEngine::kept_value(const FlowStep& step, const std::string& value,
                                                  int today) const {
    // A district slot holds the district's id; only a place that names one district is kept.
    if (step.validator == "district") {
        const auto match = districts_.match(value);
        if (match.kind != members::DistrictCatalog::Match::Kind::unique) return std::nullopt;
        return match.candidates.front()->id;
    }
    Validated result = validate_step(step, value, today);
    if (!result.ok) return std::nullopt;
    return std::move(result.value);
}

void JoinEngine::enter(Turn& turn, const std::string& step_id) const {
    DraftState& draft = turn.draft();
    draft.step = step_id;
    draft.choices.clear();
    const FlowStep& step = *script_.find_step(step_id);
    switch (step.kind) {
        case StepKind::slot: {
            // A value typed before this step came: take it, say so, and go on.
            if (const auto waiting = draft.waiting.find(step.validator);
                waiting != draft.waiting.end()) {
                const std::string value = waiting->second;
                draft.waiting.erase(waiting);
                if (const auto stored = kept_value(step, value, turn.input.today)) {
                    draft.slots[step.slot] = *stored;
                    draft.failures.erase(step.id);
                    turn.say(fill_text(script_.text("value_kept"),
                                       {{"label", step.label}, {"value", masked(step, *stored)}}));
                    advance(turn, step);
                    break;
                }
            }
            turn.say(step.prompt);
            break;
        }
        case StepKind::sms_code: {
            const FlowStep* mobile = mobile_step(script_);
            const auto found = mobile ? draft.slots.find(mobile->slot) : draft.slots.end();
            if (found != draft.slots.end() && !found->second.empty() &&
                found->second == draft.verified_mobile) {
                advance(turn, step);  // this number was already confirmed
            } else {
                turn.out.effect = {EffectKind::send_code, {}};
            }
            break;
        }
        case StepKind::confirm:
            turn.say(summary(draft));
            break;
    }
}

void JoinEngine::prompt_again(Turn& turn) const {
    const FlowStep& step = *script_.find_step(turn.draft().step);
    switch (step.kind) {
        case StepKind::slot:
            turn.say(step.prompt);
            break;
        case StepKind::sms_code:
            turn.say(script_.text("code_format"));
            break;
        case StepKind::confirm:
            turn.say(summary(turn.draft()));
            break;
    }
}

namespace {

// The script text that says why no code was sent.
std::string code_refused_text(const std::string& outcome) {
    if (outcome == "rate_minute" || outcome == "rate_hour" || outcome == "rate_day" ||
        outcome == "rate_sender")
        return "code_" + outcome;
    if (outcome == "busy") return "code_busy";
    return "code_failed";
}

}  // namespace

// The answer to "进度": his application's state, or that there is none. "进度" at the summary got
// "没有查到您…的入会申请" and the form: he could leave thinking it was done (join helper,
// session 24). Nothing is submitted until 确认, which the form in progress says.
void JoinEngine::say_progress(Turn& turn, const std::string& outcome,
                              const std::map<std::string, std::string>& values) const {
    std::string key = "progress_" + outcome;
    if (!script_.texts.count(key)) key = "progress_none";
    if (turn.input.in_group) {  // a lookup begun in private and answered after a move: say nothing
        turn.out.mention = true;
        turn.say(script_.text("group_progress_private"));
        return;
    }
    const bool filling = turn.out.state.draft && !turn.out.state.draft->step.empty();
    if (outcome == "none" && filling && script_.texts.count("progress_filling")) {
        turn.say(script_.text("progress_filling"));
        prompt_again(turn);
        return;
    }
    turn.say(fill_text(script_.text(key), values));
    if (filling) {
        turn.say(script_.text("in_flow_reminder"));
        prompt_again(turn);
    }
}

TurnOutput JoinEngine::on_effect(ConversationState state, const EffectResult& result,
                                 const TurnInput& input) const {
    Turn turn{{std::move(state), {}, {}, false, false}, input, clean_input(input.text)};
    const std::string& outcome = result.outcome;
    auto mobile_masked = [&]() -> std::string {
        const FlowStep* mobile = mobile_step(script_);
        if (!mobile || !turn.out.state.draft) return "";
        auto found = turn.draft().slots.find(mobile->slot);
        return found == turn.draft().slots.end() ? "" : text::mask_mobile(found->second);
    };
    const std::map<std::string, std::string> values{
        {"application_id", result.application_id},
        {"deadline", result.deadline},
        {"reason", result.reason.empty() ? std::string("未说明") : result.reason},
        {"status", result.status_text},
        {"remaining", std::to_string(result.remaining)},
        {"link", result.link},
    };
    switch (result.kind) {
        case EffectKind::none:
            break;
        case EffectKind::group_link:
            turn.out.mention = true;
            turn.out.events.push_back("group_link");
            if (outcome == "private") {
                // The group hears only that the link went to him; the link itself goes 1:1.
                turn.say(script_.text("group_link_sent_privately"));
                turn.out.private_texts.push_back(fill_text(script_.text("private_link"), values));
            } else {
                turn.say(outcome == "ok" ? fill_text(script_.text("group_private_link"), values)
                                         : script_.text("group_private"));
            }
            break;
        case EffectKind::progress:
            say_progress(turn, outcome, values);
            break;
        case EffectKind::send_code: {
            if (!turn.out.state.draft) break;
            if (outcome == "ok")
                turn.say(fill_text(script_.text("code_sent"), {{"mobile", mobile_masked()}}));
            else
                turn.say(script_.text(code_refused_text(outcome)));
            break;
        }
        case EffectKind::check_code: {
            if (!turn.out.state.draft) break;
            const FlowStep* step = script_.find_step(turn.draft().step);
            if (!step || step->kind != StepKind::sms_code) break;
            if (outcome == "ok") {
                if (const FlowStep* mobile = mobile_step(script_))
                    turn.draft().verified_mobile = turn.draft().slots[mobile->slot];
                turn.draft().failures.erase(step->id);
                advance(turn, *step);
            } else if (outcome == "wrong") {
                fail(turn, *step, fill_text(script_.text("code_wrong"), values));
            } else if (outcome == "locked") {
                fail(turn, *step, script_.text("code_locked"));
            } else {
                fail(turn, *step, script_.text("code_expired"));
            }
            break;
        }
        case EffectKind::submit:
            // An ID number another phone applied with may be his typing error: the form stays at
            // the summary for "修改身份证" (it was deleted, and all six steps and a code had to be
            // done again; join helper, session 23). Its number and status are not his to see.
            if (outcome == "existing_other") {
                turn.say(script_.text("existing_other"));
                turn.say(script_.text("existing_other_fix"));
                turn.out.events.push_back("duplicate");
                break;
            }
            if (outcome == "new" || outcome == "existing") {
                const std::string key = outcome == "new" ? "submitted" : "existing";
                turn.say(fill_text(script_.text(key), values));
                turn.out.events.push_back(outcome == "new" ? "submitted" : "duplicate");
                turn.out.state.draft.reset();
                turn.out.state.session.flow.clear();
                turn.out.draft_deleted = true;
            } else {
                turn.say(script_.text("store_failed"));
            }
            break;
    }
    return std::move(turn.out);
}

}  // namespace kayou::dialogs
