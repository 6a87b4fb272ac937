#include "faq/intents.hpp"

#include <algorithm>
#include <set>

#include "faq/detail/yaml_check.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

using detail::line_of;
using detail::trim_text;

// Punctuation and spaces that may surround a command ("人工！", "  进度？").
bool is_edge_mark(char32_t c) {
    static const std::u32string marks =
        U" \t\r\n.,!?;:~\"'`、，。！？；：～…—–-“”‘’「」『』（）()[]【】《》<>/\\|*#@";
    return marks.find(c) != std::u32string::npos || c == 0x3000;
}

std::vector<std::vector<std::string>> parse_groups(const YAML::Node& node, detail::YamlCheck& check,
                                                   const std::string& what) {
    std::vector<std::vector<std::string>> groups;
    if (!node || node.IsNull()) return groups;
    if (!node.IsSequence()) {
        check.add(line_of(node), what + " must be a list of lists");
        return groups;
    }
    std::set<std::string> seen;
    for (const auto& group_node : node) {
        std::vector<std::string> group;
        if (!group_node.IsSequence()) {
            check.add(line_of(group_node), what + ": each group must be a list");
            continue;
        }
        for (const auto& item : group_node) {
            const std::string phrase = item.IsScalar() ? trim_text(item.Scalar()) : "";
            if (phrase.empty()) {
                check.add(line_of(item), what + " has an empty or non-text item");
                continue;
            }
            if (!seen.insert(phrase).second)
                check.add(line_of(item), what + ": '" + phrase + "' is in two groups");
            group.push_back(phrase);
        }
        if (group.size() < 2)
            check.add(line_of(group_node), what + ": a group needs at least two phrases");
        else
            groups.push_back(std::move(group));
    }
    return groups;
}

}  // namespace

const IntentSpec* IntentScript::find(std::string_view id) const {
    for (const auto& intent : intents)
        if (intent.id == id) return &intent;
    return nullptr;
}

namespace {

// The plain word lists of the script (fillers, danger words, question words).
void parse_word_lists(const YAML::Node& root, detail::YamlCheck& check, IntentScript& script) {
    const auto optional = [&](const char* key) {
        return root[key] ? check.texts(root, key, "the intent script") : std::vector<std::string>();
    };
    script.fillers = check.texts(root, "fillers", "the intent script");
    script.serious = check.texts(root, "serious", "the intent script");
    script.emergency = check.texts(root, "emergency", "the intent script");
    script.self_harm = optional("self_harm");
    script.threats = optional("threats");
    script.threatened = optional("threatened");
    script.flight_accident = optional("flight_accident");
    script.flight_leaving = optional("flight_leaving");
    script.not_danger = optional("not_danger");
    if (script.flight_accident.empty() != script.flight_leaving.empty())
        check.add(line_of(root), "flight_accident and flight_leaving go together");
    script.question_words = check.texts(root, "question_words", "the intent script");
}

}  // namespace

IntentScript parse_intent_script(std::string_view text, std::string source_name) {
    IntentScript script;
    script.source = std::move(source_name);
    std::vector<ScriptProblem> problems;
    detail::YamlCheck check(problems);
    const YAML::Node root = check.load(text);
    if (!problems.empty()) throw ScriptError(script.source, std::move(problems));
    if (!root.IsMap()) {
        check.add(line_of(root), "an intent script must be a map with version and intents");
        throw ScriptError(script.source, std::move(problems));
    }
    check.only_keys(root,
                    {"version", "synonyms", "corrections", "intents", "fillers", "serious",
                     "emergency", "self_harm", "threats", "threatened", "flight_accident",
                     "flight_leaving", "not_danger", "benefit_kinds", "question_words"},
                    "the intent script");
    script.version = check.text(root, "version", "the intent script", true).value_or("");
    script.synonyms = parse_groups(root["synonyms"], check, "synonyms");
    if (const auto corrections = root["corrections"]; corrections && !corrections.IsNull()) {
        if (!corrections.IsMap()) {
            check.add(line_of(corrections), "corrections must map a misspelling to its correction");
        } else {
            for (const auto& pair : corrections) {
                const std::string wrong =
                    pair.first.IsScalar() ? trim_text(pair.first.Scalar()) : "";
                const std::string right =
                    pair.second.IsScalar() ? trim_text(pair.second.Scalar()) : "";
                if (wrong.empty() || right.empty() || wrong == right)
                    check.add(line_of(pair.first), "a correction must change non-empty text");
                else
                    script.corrections.emplace_back(wrong, right);
            }
        }
    }
    parse_word_lists(root, check, script);
    if (const auto kinds = root["benefit_kinds"]; kinds && !kinds.IsNull()) {
        if (!kinds.IsMap()) {
            check.add(line_of(kinds), "benefit_kinds must map a kind id to its words");
        } else {
            for (const auto& pair : kinds) {
                const std::string id = pair.first.IsScalar() ? trim_text(pair.first.Scalar()) : "";
                if (!detail::valid_content_id(id)) {
                    check.add(line_of(pair.first), "benefit kind '" + id + "' is not a valid id");
                    continue;
                }
                YAML::Node wrapper;
                wrapper["words"] = pair.second;
                auto words = check.texts(wrapper, "words", "benefit kind '" + id + "'");
                if (words.empty())
                    check.add(line_of(pair.first), "benefit kind '" + id + "' has no words");
                script.benefit_kinds.emplace_back(id, std::move(words));
            }
        }
    }

    const YAML::Node intents = root["intents"];
    if (!intents || !intents.IsSequence() || intents.size() == 0) {
        check.add(line_of(root), "intents must be a non-empty list");
    } else {
        std::map<std::string, int> ids;
        std::map<std::string, std::string> command_owner;
        for (const auto& node : intents) {
            if (!node.IsMap()) {
                check.add(line_of(node), "an intent must be a map with id, commands and examples");
                continue;
            }
            IntentSpec spec;
            spec.line = line_of(node);
            spec.id = check.text(node, "id", "intent", true).value_or("");
            const std::string what = "intent '" + spec.id + "'";
            check.only_keys(node, {"id", "commands", "examples", "cues"}, what);
            if (!spec.id.empty() && !detail::valid_content_id(spec.id))
                check.add(spec.line, what + ": id must be 1-64 characters of a-z, 0-9, _ or -");
            if (!spec.id.empty() && !ids.emplace(spec.id, spec.line).second)
                check.add(spec.line, what + " is defined twice");
            spec.commands = check.texts(node, "commands", what);
            spec.examples = check.texts(node, "examples", what);
            spec.cues = check.texts(node, "cues", what);
            if (spec.commands.empty() && spec.examples.empty())
                check.add(spec.line, what + " needs commands or examples");
            for (const auto& word : spec.commands) {
                auto [it, inserted] = command_owner.emplace(word, spec.id);
                if (!inserted && it->second != spec.id)
                    check.add(spec.line, what + ": command '" + word + "' is also a command of '" +
                                             it->second + "'");
            }
            script.intents.push_back(std::move(spec));
        }
    }
    if (!problems.empty()) {
        std::stable_sort(problems.begin(), problems.end(),
                         [](const auto& a, const auto& b) { return a.line < b.line; });
        throw ScriptError(script.source, std::move(problems));
    }
    return script;
}

std::shared_ptr<const IntentModel> IntentModel::build(IntentScript script) {
    std::shared_ptr<IntentModel> model(new IntentModel());
    Script documents;
    documents.version = script.version;
    documents.source = script.source;
    documents.synonyms = script.synonyms;
    documents.corrections = script.corrections;
    for (const auto& intent : script.intents) {
        if (intent.examples.empty()) continue;
        Entry entry;
        entry.id = intent.id;
        entry.questions = intent.examples;
        entry.answer = intent.id;
        entry.legal = false;
        entry.line = intent.line;
        documents.entries.push_back(std::move(entry));
    }
    IndexOptions options;
    options.answer_weight = 0;  // intents have no answer text to lend evidence
    // The word model was chosen for the legal entries; on the intents it changed nothing measurable
    // (understand.yaml 265/273 either way), so intent scores stay as they were tuned.
    options.word_model_demote = 0;
    model->index_ = Index::build(documents, options);
    model->script_ = std::move(script);
    for (const auto& intent : model->script_.intents)
        for (const auto& word : intent.commands)
            model->commands_.emplace(model->fold(word), intent.id);
    auto folded = [&](const std::vector<std::string>& words) {
        std::vector<std::string> out;
        for (const auto& word : words) out.push_back(model->fold(word));
        return out;
    };
    for (const auto& filler : folded(model->script_.fillers))
        model->fillers_.push_back(text::decode_utf8(filler));
    model->serious_ = folded(model->script_.serious);
    model->emergency_ = folded(model->script_.emergency);
    model->self_harm_ = folded(model->script_.self_harm);
    model->threats_ = folded(model->script_.threats);
    model->threatened_ = folded(model->script_.threatened);
    model->flight_accident_ = folded(model->script_.flight_accident);
    model->flight_leaving_ = folded(model->script_.flight_leaving);
    model->not_danger_ = folded(model->script_.not_danger);
    model->question_ = folded(model->script_.question_words);
    for (const auto& [kind, words] : model->script_.benefit_kinds)
        model->kinds_.emplace_back(kind, folded(words));
    for (const auto& intent : model->script_.intents)
        if (!intent.cues.empty()) model->cues_.emplace_back(intent.id, folded(intent.cues));
    std::sort(model->fillers_.begin(), model->fillers_.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return model;
}

std::string IntentModel::fold(std::string_view text) const {
    std::string out;
    for (char32_t c : text::decode_utf8(text::fold_width(text))) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000) continue;
        if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
        text::append_utf8(out, c);
    }
    return out;
}

std::string IntentModel::strip_fillers(std::string_view cleaned) const {
    std::u32string code_points = text::decode_utf8(fold(cleaned));
    std::size_t begin = 0;
    std::size_t end = code_points.size();
    // Peel marks and fillers from both ends until nothing changes: "请帮我转人工一下吧！".
    for (bool changed = true; changed && begin < end;) {
        changed = false;
        while (begin < end && is_edge_mark(code_points[begin])) ++begin, changed = true;
        while (end > begin && is_edge_mark(code_points[end - 1])) --end, changed = true;
        for (const auto& word : fillers_) {
            const std::size_t length = word.size();
            if (length == 0 || end - begin <= length) continue;
            if (std::u32string_view(code_points).substr(begin, length) == word) {
                begin += length;
                changed = true;
            }
            if (end - begin > length &&
                std::u32string_view(code_points).substr(end - length, length) == word) {
                end -= length;
                changed = true;
            }
        }
    }
    return text::encode_utf8(std::u32string_view(code_points).substr(begin, end - begin));
}

std::optional<std::string> IntentModel::command(std::string_view cleaned) const {
    const std::string whole = fold(cleaned);
    if (auto found = commands_.find(whole); found != commands_.end()) return found->second;
    const std::string core = strip_fillers(cleaned);
    if (core.empty()) return std::nullopt;
    if (auto found = commands_.find(core); found != commands_.end()) return found->second;
    return std::nullopt;
}

std::vector<IntentScore> IntentModel::classify(std::string_view text, std::size_t top_k) const {
    std::vector<IntentScore> scores;
    for (const auto& hit : index_->search(text, {}, script_.intents.size()))
        scores.push_back({hit.entry->id, hit.score});
    if (!cues_.empty()) {
        const std::string folded = fold(text);
        for (const auto& [intent, cues] : cues_) {
            int found = 0;
            for (const auto& cue : cues)
                if (found < kMaxCues && folded.find(cue) != std::string::npos) ++found;
            if (found == 0) continue;
            auto score = std::find_if(scores.begin(), scores.end(),
                                      [&](const IntentScore& s) { return s.intent == intent; });
            if (score == scores.end()) score = scores.insert(scores.end(), {intent, 0.0});
            score->score += kCueWeight * found;
        }
    }
    std::stable_sort(scores.begin(), scores.end(),
                     [](const IntentScore& a, const IntentScore& b) { return a.score > b.score; });
    if (scores.size() > top_k) scores.resize(top_k);
    return scores;
}

bool IntentModel::contains_any(const std::string& folded, const std::vector<std::string>& words) {
    for (const auto& word : words)
        if (!word.empty() && folded.find(word) != std::string::npos) return true;
    return false;
}

bool IntentModel::mentions_any(std::string_view text, const std::vector<std::string>& words) const {
    const std::string folded = fold(text);
    for (const auto& word : words)
        if (contains_any(folded, {fold(word)})) return true;
    return false;
}

std::vector<std::string> IntentModel::benefit_kinds(std::string_view text) const {
    const std::string folded = fold(text);
    std::vector<std::string> kinds;
    for (const auto& [kind, words] : kinds_)
        if (contains_any(folded, words)) kinds.push_back(kind);
    return kinds;
}

bool has_a_not_a(std::string_view text) {
    const std::u32string code_points = text::decode_utf8(text);
    for (std::size_t i = 0; i + 2 < code_points.size(); ++i)
        // "不不不" is a refusal, not a question: the repeated character must not be 不 itself.
        if (code_points[i + 1] == U'不' && code_points[i] == code_points[i + 2] &&
            code_points[i] != U'不' && code_points[i] >= 0x4E00 && code_points[i] <= 0x9FFF)
            return true;
    return false;
}

bool ends_in_verb_not(std::string_view text) {
    std::u32string code_points = text::decode_utf8(text);
    static constexpr std::u32string_view kTrailing = U" \t\r\n？?！!。，,.~～…啊呀哈嘛呢捏哇";
    while (!code_points.empty() && kTrailing.find(code_points.back()) != std::u32string::npos)
        code_points.pop_back();
    if (code_points.size() < 3 || code_points.back() != U'不') return false;
    const char32_t before = code_points[code_points.size() - 2];
    // Before 不 these make a refusal or an adverb phrase, not a question.
    static constexpr std::u32string_view kRefusing = U"不也就偏可并都还我你他她绝决再要";
    return before >= 0x4E00 && before <= 0x9FFF && kRefusing.find(before) == std::u32string::npos;
}

std::string_view IntentModel::danger(std::string_view text) const {
    std::string folded = fold(text);
    // The script's not_danger words hold a danger word and mean no danger ("律师直接打我电话吧"
    // holds 打我): they are taken out first.
    for (const std::string& harmless : not_danger_)
        for (auto at = folded.find(harmless); at != std::string::npos; at = folded.find(harmless))
            folded.replace(at, harmless.size(), "，");
    // "明天我就开车去撞他们家大门 同归于尽": despair and revenge together.
    const bool despair = contains_any(folded, self_harm_);
    const bool revenge = contains_any(folded, threats_);
    if (despair && revenge) return "self_harm_threat";
    if (despair) return "self_harm";
    if (revenge) return "threat";
    if (contains_any(folded, threatened_)) return "threatened";
    if (contains_any(folded, flight_accident_) && contains_any(folded, flight_leaving_))
        return "flight";
    if (contains_any(folded, emergency_)) return "emergency";
    return {};
}

bool IntentModel::is_question(std::string_view text) const {
    const std::string folded = fold(text);
    return contains_any(folded, question_) || has_a_not_a(folded) || ends_in_verb_not(folded);
}

}  // namespace kayou::faq
