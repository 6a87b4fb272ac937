#include "faq/script.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "faq/detail/yaml_check.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {
namespace {

constexpr std::string_view kTopKeys[] = {"version", "synonyms", "corrections", "entries"};
constexpr std::string_view kEntryKeys[] = {"id",   "questions", "answer",  "legal_basis",
                                           "tags", "districts", "handoff", "legal"};
constexpr std::string_view kBasisKeys[] = {"law", "article"};

template <std::size_t N>
bool known(const std::string_view (&keys)[N], const std::string& key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

using detail::line_of;
using detail::trim_text;

bool valid_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// Collects problems instead of stopping at the first one, so an editor sees them all at once.
class Checker {
public:
    explicit Checker(std::vector<ScriptProblem>& problems) : problems_(problems) {}

    void add(int line, std::string message) { problems_.push_back({line, std::move(message)}); }

    // A scalar string, or nullopt-like empty result with a problem recorded.
    bool scalar(const YAML::Node& node, const std::string& what, std::string& out) {
        if (!node.IsScalar()) {
            add(line_of(node), what + " must be text");
            return false;
        }
        out = text::strip_control(node.Scalar());
        return true;
    }

    std::vector<std::string> string_list(const YAML::Node& node, const std::string& what) {
        std::vector<std::string> out;
        if (!node.IsSequence()) {
            add(line_of(node), what + " must be a list");
            return out;
        }
        for (const auto& item : node) {
            std::string value;
            if (!scalar(item, what + " item", value)) continue;
            value = trim_text(value);
            if (value.empty()) {
                add(line_of(item), what + " has an empty item");
                continue;
            }
            out.push_back(std::move(value));
        }
        return out;
    }

private:
    std::vector<ScriptProblem>& problems_;
};

void parse_synonyms(const YAML::Node& node, Checker& check, Script& script) {
    if (!node.IsSequence()) {
        check.add(line_of(node), "synonyms must be a list of groups");
        return;
    }
    std::map<std::string, int> seen;  // phrase -> line of its group
    for (const auto& group_node : node) {
        auto group = check.string_list(group_node, "synonym group");
        if (group_node.IsSequence() && group.size() < 2) {
            check.add(line_of(group_node), "a synonym group needs at least two phrases");
            continue;
        }
        for (const auto& phrase : group) {
            auto [it, inserted] = seen.emplace(phrase, line_of(group_node));
            if (!inserted)
                check.add(line_of(group_node), "synonym '" + phrase +
                                                   "' is already in the group on line " +
                                                   std::to_string(it->second));
        }
        if (!group.empty()) script.synonyms.push_back(std::move(group));
    }
}

void parse_corrections(const YAML::Node& node, Checker& check, Script& script) {
    if (!node.IsMap()) {
        check.add(line_of(node), "corrections must map a misspelling to its correction");
        return;
    }
    for (const auto& repeated : detail::repeated_keys(node))
        check.add(repeated.line, detail::repeated_key_message(repeated, "corrections"));
    for (const auto& pair : node) {
        std::string wrong, right;
        if (!check.scalar(pair.first, "a misspelling", wrong) ||
            !check.scalar(pair.second, "a correction", right))
            continue;
        wrong = trim_text(wrong), right = trim_text(right);
        if (wrong.empty() || right.empty() || wrong == right) {
            check.add(line_of(pair.first),
                      "correction '" + wrong + "' -> '" + right + "' must change non-empty text");
            continue;
        }
        script.corrections.emplace_back(std::move(wrong), std::move(right));
    }
}

void parse_basis(const YAML::Node& node, Checker& check, Entry& entry) {
    if (!node.IsSequence()) {
        check.add(line_of(node),
                  "legal_basis of '" + entry.id + "' must be a list of {law, article}");
        return;
    }
    for (const auto& item : node) {
        if (!item.IsMap()) {
            check.add(line_of(item), "legal_basis item must be a map with law and article");
            continue;
        }
        LegalBasis basis;
        for (const auto& repeated : detail::repeated_keys(item))
            check.add(repeated.line, detail::repeated_key_message(repeated, "legal_basis item"));
        for (const auto& pair : item) {
            const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
            if (!known(kBasisKeys, key)) {
                check.add(line_of(pair.first), "unknown key '" + key + "' in legal_basis");
                continue;
            }
            std::string value;
            if (!check.scalar(pair.second, key, value)) continue;
            (key == "law" ? basis.law : basis.article) = trim_text(value);
        }
        // Book-title marks are added when the answer is formatted; strip them if typed.
        for (std::string_view mark : {"《", "》"}) {
            for (auto pos = basis.law.find(mark); pos != std::string::npos;
                 pos = basis.law.find(mark))
                basis.law.erase(pos, mark.size());
        }
        if (basis.law.empty()) {
            check.add(line_of(item), "legal_basis item of '" + entry.id + "' has no law");
            continue;
        }
        entry.legal_basis.push_back(std::move(basis));
    }
}

void parse_bool(const YAML::Node& node, Checker& check, const std::string& what, bool& out) {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
        check.add(line_of(node), what + " must be true or false");
        return;
    }
    out = value;
}

void parse_entry(const YAML::Node& node, Checker& check, Entry& entry) {
    entry.line = line_of(node);
    bool has_questions = false, has_answer = false, has_basis = false;
    // Read the id first so every later message can name the entry.
    if (const auto id = node["id"]; id) {
        if (check.scalar(id, "id", entry.id)) {
            entry.id = trim_text(entry.id);
            if (!valid_id(entry.id))
                check.add(line_of(id),
                          "id '" + entry.id + "' must be 1-64 characters of a-z, 0-9, _ or -");
        }
    } else {
        check.add(entry.line, "entry has no id");
    }
    const std::string name = entry.id.empty() ? "entry" : "'" + entry.id + "'";
    for (const auto& repeated : detail::repeated_keys(node))
        check.add(repeated.line, detail::repeated_key_message(repeated, name));
    for (const auto& pair : node) {
        const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
        const auto& value = pair.second;
        if (!known(kEntryKeys, key)) {
            check.add(line_of(pair.first), "unknown key '" + key + "' in " + name);
        } else if (key == "questions") {
            has_questions = true;
            entry.questions = check.string_list(value, "questions of " + name);
            if (value.IsSequence() && entry.questions.empty())
                check.add(line_of(value), name + " has no questions");
        } else if (key == "answer") {
            has_answer = true;
            if (check.scalar(value, "answer of " + name, entry.answer)) {
                entry.answer = trim_text(entry.answer);
                if (entry.answer.empty()) check.add(line_of(value), name + " has an empty answer");
                // YAML reads "      - \"…\"" lines indented under an unquoted answer as more
                // answer text, so variants pasted one line too low vanish into the answer and the
                // driver gets them read out. Twice in content round 10.
                if (entry.answer.find(" - \"") != std::string::npos)
                    check.add(line_of(value), name +
                                                  " has what look like question variants (- \"…\") "
                                                  "inside its answer: move them under questions:");
            }
        } else if (key == "legal_basis") {
            has_basis = true;
            parse_basis(value, check, entry);
        } else if (key == "tags") {
            entry.tags = check.string_list(value, "tags of " + name);
        } else if (key == "districts") {
            entry.districts = check.string_list(value, "districts of " + name);
        } else if (key == "handoff") {
            parse_bool(value, check, "handoff of " + name, entry.handoff);
        } else if (key == "legal") {
            parse_bool(value, check, "legal of " + name, entry.legal);
        }
    }
    if (!has_questions) check.add(entry.line, name + " has no questions");
    if (!has_answer) check.add(entry.line, name + " has no answer");
    if (entry.legal && (!has_basis || entry.legal_basis.empty()) &&
        !(has_basis && !node["legal_basis"].IsSequence()))
        check.add(entry.line,
                  name +
                      " is a legal answer without legal_basis (set legal: false for service "
                      "information)");
}

}  // namespace

const Entry* Script::find(std::string_view id) const {
    for (const auto& entry : entries)
        if (entry.id == id) return &entry;
    return nullptr;
}

namespace {
std::string describe(const std::string& source, const std::vector<ScriptProblem>& problems) {
    std::string out = source + ": " + std::to_string(problems.size()) + " problem" +
                      (problems.size() == 1 ? "" : "s");
    for (const auto& problem : problems) {
        out += "\n" + source + ":";
        if (problem.line > 0) out += std::to_string(problem.line) + ":";
        out += " " + problem.message;
    }
    return out;
}
}  // namespace

ScriptError::ScriptError(std::string source, std::vector<ScriptProblem> problems)
    : std::runtime_error(describe(source, problems)), problems_(std::move(problems)) {}

Script parse_script(std::string_view yaml_text, std::string_view source_name) {
    Script script;
    script.source = std::string(source_name);
    std::vector<ScriptProblem> problems;
    Checker check(problems);

    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        problems.push_back(
            {error.mark.line < 0 ? 0 : error.mark.line + 1, "YAML syntax error: " + error.msg});
        throw ScriptError(script.source, std::move(problems));
    }
    if (!root.IsMap()) {
        check.add(line_of(root), "a script must be a map with version, synonyms and entries");
        throw ScriptError(script.source, std::move(problems));
    }

    bool has_entries = false;
    for (const auto& repeated : detail::repeated_keys(root))
        check.add(repeated.line, detail::repeated_key_message(repeated, "the script"));
    for (const auto& pair : root) {
        const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
        if (!known(kTopKeys, key)) {
            check.add(line_of(pair.first), "unknown top-level key '" + key + "'");
        } else if (key == "version") {
            if (check.scalar(pair.second, "version", script.version))
                script.version = trim_text(script.version);
        } else if (key == "synonyms") {
            parse_synonyms(pair.second, check, script);
        } else if (key == "corrections") {
            parse_corrections(pair.second, check, script);
        } else if (key == "entries") {
            has_entries = true;
            if (!pair.second.IsSequence()) {
                check.add(line_of(pair.second), "entries must be a list");
                continue;
            }
            for (const auto& node : pair.second) {
                Entry entry;
                if (!node.IsMap()) {
                    check.add(line_of(node), "an entry must be a map");
                    continue;
                }
                parse_entry(node, check, entry);
                script.entries.push_back(std::move(entry));
            }
        }
    }
    if (script.version.empty()) check.add(1, "version is missing");
    if (!has_entries) check.add(1, "entries are missing");

    // Cross-entry checks: ids and question variants must be unique, or retrieval is ambiguous.
    std::map<std::string, const Entry*> ids;
    std::map<std::string, const Entry*> questions;
    for (const auto& entry : script.entries) {
        if (!entry.id.empty()) {
            auto [it, inserted] = ids.emplace(entry.id, &entry);
            if (!inserted)
                check.add(entry.line, "duplicate id '" + entry.id + "' (first on line " +
                                          std::to_string(it->second->line) + ")");
        }
        for (const auto& question : entry.questions) {
            auto [it, inserted] = questions.emplace(question, &entry);
            if (inserted) continue;
            // Listed twice in one entry: a merge of two editors' variants kept both copies.
            if (it->second == &entry)
                check.add(entry.line,
                          "question '" + question + "' is listed twice in '" + entry.id + "'");
            else
                check.add(entry.line, "question '" + question + "' of '" + entry.id +
                                          "' is also in '" + it->second->id + "'");
        }
    }
    if (!problems.empty()) {
        std::stable_sort(problems.begin(), problems.end(),
                         [](const auto& a, const auto& b) { return a.line < b.line; });
        throw ScriptError(script.source, std::move(problems));
    }
    return script;
}

}  // namespace kayou::faq
