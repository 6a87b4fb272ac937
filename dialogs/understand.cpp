#include "dialogs/understand.hpp"

#include "dialogs/chat_requests.hpp"
#include "dialogs/extract.hpp"
#include "dialogs/join_engine.hpp"

namespace kayou::dialogs {
namespace {

// A legal FAQ match this close is a question even when no intent example is near.
constexpr double kLegalQuestion = 0.42;
// Below this, the nearest intent example is too far to mean anything.
constexpr double kWeakestIntent = 0.28;

bool contains(std::string_view text, std::string_view word) {
    return text.find(word) != std::string_view::npos;
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> words) {
    for (auto word : words)
        if (contains(text, word)) return true;
    return false;
}

}  // namespace

std::string edit_field(std::string_view text) {
    const bool wants_change =
        contains_any(text, {"修改", "更改", "改一下", "改成", "改下", "要改", "想改", "换成",
                            "换个", "换一个", "填错", "写错", "输错", "打错", "搞错", "弄错",
                            "不对", "错了", "变更", "更换"}) ||
        text.rfind("改", 0) == 0 || text.rfind("换", 0) == 0;
    if (!wants_change) return {};
    struct Field {
        std::string_view field;
        std::initializer_list<std::string_view> words;
    };
    static const Field fields[] = {
        {"id_card", {"身份证", "证件号"}},
        {"mobile", {"手机", "电话", "号码", "手机号"}},
        {"plate", {"车牌", "牌照", "车号"}},
        {"name", {"姓名", "名字"}},
        {"district", {"区县", "地区", "所在区", "区域", "所在地"}},
        {"employer", {"单位", "公司", "平台", "车队", "挂靠"}},
    };
    for (const auto& field : fields)
        if (contains_any(text, field.words)) return std::string(field.field);
    return {};
}

Understanding Understander::understand(std::string_view text, const UnderstandContext& context,
                                       const faq::Index* legal) const {
    const std::string cleaned = JoinEngine::clean_input(text);
    Understanding result;
    if (cleaned.empty()) {
        result.intent = "out_of_scope";
        return result;
    }
    const auto& model = *model_;
    if (model.is_emergency(cleaned)) {
        result.intent = "emergency";
        result.confidence = 1;
        return result;
    }
    if (context.offered > 0 || context.step == "district") {
        if (const int number = choice_number(cleaned); number > 0) {
            result.intent = "choice";
            result.confidence = 1;
            result.slots["number"] = std::to_string(number);
            return result;
        }
    }
    if (auto command = model.command(cleaned)) {
        const std::string& intent = *command;
        // Context-bound commands: "好的/对" confirms only at the confirm step (elsewhere it is
        // thanks), opt-out words count only on SMS, "重发" only while a code is awaited.
        bool applies = true;
        if (intent == "confirm" && context.step != "confirm") applies = false;
        if (intent == "opt_out" && context.channel != "sms") applies = false;
        if (applies) {
            result.intent = intent;
            result.confidence = 1;
            result.command = true;
            fill_slots(result, cleaned);
            return result;
        }
        if (intent == "confirm") {
            result.intent = "thanks";
            result.confidence = 0.8;
            return result;
        }
    }
    if (const std::string field = edit_field(cleaned);
        !field.empty() && !model.is_question(cleaned)) {
        result.intent = "edit";
        result.confidence = 0.9;
        result.slots["field"] = field;
        return result;
    }
    if (!context.step.empty() && context.step != "confirm") {
        const auto extraction = extract_answer(context.step, cleaned, context.today, districts_);
        if (extraction.kind != Extraction::Kind::absent) {
            // A value inside a question ("武进区有什么福利" at the district step, "挂靠公司要交
            // 钱吗" at the employer step) is the question when the question is clear.
            const bool open_field = context.step == "district" || context.step == "employer" ||
                                    context.step == "name";
            if (open_field && model.is_question(cleaned)) {
                auto other = classify(cleaned, context, legal);
                if (other.confidence >= kConfidentIntent && other.intent != "out_of_scope")
                    return other;
            }
            result.intent = "answer";
            result.confidence = extraction.found() ? 1.0 : 0.6;
            if (extraction.found())
                result.slots["value"] = extraction.value;
            else
                result.slots["raw"] = cleaned;  // the flow says what is wrong with it
            return result;
        }
    }
    return classify(cleaned, context, legal);
}

Understanding Understander::classify(const std::string& cleaned, const UnderstandContext& context,
                                     const faq::Index* legal) const {
    const auto& model = *model_;
    Understanding result;
    const auto hits = model.classify(cleaned, 3);
    double legal_score = 0;
    if (legal) {
        const auto legal_hits = legal->search(cleaned, {}, 1);
        if (!legal_hits.empty()) legal_score = legal_hits.front().score;
    }
    const double top = hits.empty() ? 0 : hits.front().score;
    if (top >= kConfidentIntent) {
        result.intent = hits.front().intent;
        result.confidence = top;
    } else if (legal_score >= kLegalQuestion && legal_score > top) {
        result.intent = "question";
        result.confidence = legal_score;
    } else if (top >= kWeakestIntent) {
        result.intent = hits.front().intent;
        result.confidence = top;
    } else if (model.is_question(cleaned) && legal_score >= kWeakestIntent) {
        result.intent = "question";
        result.confidence = legal_score;
    } else {
        result.intent = "out_of_scope";
        result.confidence = 1 - top;
    }
    // A question mark does not make a command: "取消了订单被扣钱合理吗" was classified above,
    // never matched as "cancel".
    (void)context;
    fill_slots(result, cleaned);
    return result;
}

void Understander::fill_slots(Understanding& result, const std::string& cleaned) const {
    const auto& model = *model_;
    if (result.intent == "benefits") {
        const auto kinds = model.benefit_kinds(cleaned);
        if (!kinds.empty()) result.slots["benefit"] = kinds.front();
    }
    if ((result.intent == "benefits" || result.intent == "stations") && districts_) {
        const auto match = districts_->match(cleaned);
        if (match.kind == DistrictCatalog::Match::Kind::unique)
            result.slots["district"] = match.candidates.front()->name;
    }
    if (result.intent == "question" && model.is_serious(cleaned)) result.slots["serious"] = "1";
    if (result.intent == "edit") {
        const std::string field = edit_field(cleaned);
        if (!field.empty()) result.slots["field"] = field;
    }
}

}  // namespace kayou::dialogs
