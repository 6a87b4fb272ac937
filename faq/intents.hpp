#pragma once
// The intent script: what drivers mean, as data a content editor maintains (faq/data/intents.yaml,
// format in docs/understanding.md). Per intent, example utterances (scored with the FAQ's Chinese
// analyzer, nearest example wins) and command words (fire only when the message *is* the
// command, never from inside a longer sentence). Plus the word lists understanding needs beside
// the intents: fillers around a command, serious-case and emergency signals, benefit kinds.
// Parsing is all-or-nothing like the FAQ script; the model is immutable and thread-safe.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faq/index.hpp"
#include "faq/script.hpp"

namespace kayou::faq {

struct IntentSpec {
    std::string id;
    std::vector<std::string> commands;  // whole-message command words
    std::vector<std::string> examples;  // utterances, each a retrieval document
    // Words that speak for this intent wherever they stand in a sentence ("驿站", "批下来"): each
    // one found adds kCueWeight to the intent's score (at most kMaxCues of them). Unlike
    // commands they never decide alone.
    std::vector<std::string> cues;
    int line = 0;
};

struct IntentScript {
    std::string version;
    std::string source;
    std::vector<std::vector<std::string>> synonyms;
    std::vector<std::pair<std::string, std::string>> corrections;
    std::vector<IntentSpec> intents;
    // Words that may stand around a command without making it a sentence ("请", "一下", "吧").
    std::vector<std::string> fillers;
    // Signals of a serious case (injury, death, detention, court): offer the legal desk at once.
    std::vector<std::string> serious;
    // Something dangerous happening now: the emergency numbers come first.
    std::vector<std::string> emergency;
    // A driver who may harm himself ("不想活了"): a caring reply and the crisis line before
    // anything else. Optional in the script.
    std::vector<std::string> self_harm;
    // A driver who says he will harm someone or his property ("把老板车砸了"): what it would cost
    // him, and the lawful way. Optional in the script.
    std::vector<std::string> threats;
    // A driver whom someone threatens or holds ("对方家属说要弄死我", "堵在医院门口要打我",
    // "不然让我走不出这个村"): 110, his safety, evidence, no money paid under threat. Optional.
    std::vector<std::string> threatened;
    // A driver at an accident who thinks of leaving ("撞了人 要不要跑"): one word of each list
    // (an accident, leaving it). Stay, call 120 / 122, and what fleeing costs. Optional.
    std::vector<std::string> flight_accident;
    std::vector<std::string> flight_leaving;
    // Phrases that hold a danger word and mean no danger ("打我电话": a call asked for).
    std::vector<std::string> not_danger;
    // Benefit kind id -> words that name it ("fuel_card": [加油卡, 油卡]).
    std::vector<std::pair<std::string, std::vector<std::string>>> benefit_kinds;
    // Words that make a message a question (吗, 怎么, 多少, ？): a sentence, never a name or a
    // command.
    std::vector<std::string> question_words;

    const IntentSpec* find(std::string_view id) const;
};

// Throws ScriptError listing every problem with its line.
IntentScript parse_intent_script(std::string_view text, std::string source_name);

// Whether the text holds an A-not-A question: the same character on both sides of 不 ("赔不赔").
bool has_a_not_a(std::string_view text);
// Whether the text ends in the northern yes/no form "…不" ("还能报不", "算工伤不啊？"): 不 last,
// before trailing punctuation and particles, after a character that makes it a question rather
// than a refusal ("我不", "就不", "偏不").
bool ends_in_verb_not(std::string_view text);

inline constexpr double kCueWeight = 0.22;
inline constexpr int kMaxCues = 2;

struct IntentScore {
    std::string intent;
    double score = 0;  // 0..1, Index::search's scale
};

class IntentModel {
public:
    static std::shared_ptr<const IntentModel> build(IntentScript script);

    // The intent whose command the message is (after edge punctuation and fillers are removed),
    // or nullopt. Case-insensitive for ASCII, width-folded.
    std::optional<std::string> command(std::string_view cleaned) const;
    // Intents by score, best first, at most top_k: the best example's similarity plus
    // kCueWeight per cue word found (at most kMaxCues).
    std::vector<IntentScore> classify(std::string_view text, std::size_t top_k = 3) const;
    // Whether one of `words` occurs in the text (both folded).
    bool mentions_any(std::string_view text, const std::vector<std::string>& words) const;
    // Benefit kind ids named in the text, in script order.
    std::vector<std::string> benefit_kinds(std::string_view text) const;
    bool is_serious(std::string_view text) const { return contains_any(fold(text), serious_); }
    // "self_harm_threat" (both), "self_harm", "threat", "threatened", "flight" or "emergency"
    // when the text says so (in that order), else "".
    std::string_view danger(std::string_view text) const;
    // A question word, or an A-not-A question ("赔不赔", "算不算", "给不给").
    bool is_question(std::string_view text) const;
    // The text with fillers removed from both ends (and edge punctuation): "请帮我转人工一下" ->
    // "转人工".
    std::string strip_fillers(std::string_view cleaned) const;

    const IntentScript& script() const { return script_; }

    IntentModel(const IntentModel&) = delete;
    IntentModel& operator=(const IntentModel&) = delete;

private:
    IntentModel() = default;
    std::string fold(std::string_view text) const;
    static bool contains_any(const std::string& folded, const std::vector<std::string>& words);

    IntentScript script_;
    std::shared_ptr<const Index> index_;
    std::map<std::string, std::string, std::less<>> commands_;  // folded word -> intent
    std::vector<std::u32string> fillers_;                       // folded, longest first
    // Folded once at build: these run on every message.
    std::vector<std::string> serious_, emergency_, self_harm_, threats_, threatened_, question_,
        not_danger_;
    std::vector<std::string> flight_accident_, flight_leaving_;
    std::vector<std::pair<std::string, std::vector<std::string>>> kinds_;
    std::vector<std::pair<std::string, std::vector<std::string>>> cues_;  // intent -> folded cues
};

}  // namespace kayou::faq
