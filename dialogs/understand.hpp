#pragma once
// understand(text, context) -> {intent, confidence, slots}: the one pure step every message goes
// through before anything is decided (docs/understanding.md). Intents and their words are data
// (faq/data/intents.yaml, faq::IntentModel); this file adds what depends on where the driver
// stands: the numbered choices just offered, the join step waiting for an answer (the value found
// inside the sentence, dialogs/extract.hpp), the channel (opt-out words count on SMS only).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "faq/index.hpp"
#include "faq/intents.hpp"
#include "members/districts.hpp"

namespace kayou::dialogs {

struct UnderstandContext {
    std::string channel;  // oa | wecom | robot | bridge | sms | web
    bool in_group = false;
    bool mentioned = false;
    // The validator of the join step waiting for an answer ("name", "id_card", "mobile",
    // "sms_code", "plate", "district", "employer", "confirm"), or "" when no flow runs.
    std::string step;
    std::string application;  // none | received | approved | rejected ("" unknown)
    int offered = 0;          // numbered choices just offered (0: none)
    int today = 0;            // yyyymmdd Beijing (the ID card's age check)
};

struct Understanding {
    std::string intent;  // an intent id of the script, "answer" or "out_of_scope"
    std::string text;    // the message as understood (cleaned, @-mentions removed)
    double confidence = 0;
    // The message was a command word on its own (not a classification): the eval counts
    // commands fired from inside a longer sentence with it.
    bool command = false;
    // answer: value (normalized) or raw (a wrong value: the flow says what to fix);
    // choice: number; benefits: benefit (kind id), district (official name); stations: place;
    // question: serious=1; edit: field (slot validator name); out_of_scope: chit_chat=1 when the
    // intent script recognised small talk ("哈哈哈", "明天下雨不") rather than nothing at all.
    std::map<std::string, std::string> slots;
    // The FAQ search made while understanding (empty when none was needed); the router sets its
    // index and hands it to the legal answer, which then does not search again.
    faq::PriorSearch legal_search;

    std::string slot(const std::string& key) const {
        auto found = slots.find(key);
        return found == slots.end() ? std::string() : found->second;
    }
};

// Below this a classification is a guess: kept as the intent, but the router treats it as "not
// understood" where a guess would do harm.
inline constexpr double kConfidentIntent = 0.5;

class Understander {
public:
    Understander(std::shared_ptr<const faq::IntentModel> model,
                 const members::DistrictCatalog* districts)
        : model_(std::move(model)), districts_(districts) {}

    // `legal` (may be null): the live FAQ index, whose best score tells a legal question from
    // chit-chat when no intent example is close.
    Understanding understand(std::string_view text, const UnderstandContext& context,
                             const faq::Index* legal = nullptr) const;

    const faq::IntentModel& model() const { return *model_; }

private:
    Understanding understand_cleaned(const std::string& cleaned, const UnderstandContext& context,
                                     const faq::Index* legal) const;
    // At a join step: the answer found in the message, or what else it clearly is; nullopt when
    // the step has nothing to say about it.
    std::optional<Understanding> understand_at_step(const std::string& cleaned,
                                                    const UnderstandContext& context,
                                                    const faq::Index* legal) const;
    // A message with a danger word (IntentModel::danger): the emergency intent, or a question with
    // the slot "emergency" when the FAQ answers what lies behind it.
    Understanding understand_danger(const std::string& cleaned, std::string_view danger,
                                    const faq::Index* legal) const;
    Understanding classify(const std::string& cleaned, const UnderstandContext& context,
                           const faq::Index* legal) const;
    void fill_slots(Understanding& result, const std::string& cleaned) const;

    // Where a driver station or a parking place is in a place he names (the station finder's):
    // that place's district, or nullopt.
    std::optional<std::string> station_place_asked(const Understanding& result,
                                                   std::string_view cleaned) const;

    // A cancel the classifier found (not the command word): a pause, joining after all, going
    // back to an earlier value, or, mid-form without a word of cancelling, not a cancel.
    void weigh_a_cancel(Understanding& result, const UnderstandContext& context,
                        std::string_view cleaned) const;

    // The field a message at the summary changes ("" when none).
    std::string field_edited_at_summary(const std::string& cleaned,
                                        const UnderstandContext& context) const;

    std::shared_ptr<const faq::IntentModel> model_;
    const members::DistrictCatalog* districts_;
};

// The field an edit request names ("手机号填错了" -> "mobile"), or "" when none.
std::string edit_field(std::string_view cleaned);
// The join field a message names ("手机", "车牌", "单位" …): id_card, mobile, plate, name,
// district, employer, or "" for none.
std::string field_named(std::string_view text);

// The field a message says what to put in ("单位填货拉拉和满帮" -> "employer", "车牌写苏D…" ->
// "plate", "名字写王建国" -> "name"), or "" when none.
std::string put_field(std::string_view cleaned);

}  // namespace kayou::dialogs
