#pragma once
// FAQ scripts: the YAML files content editors maintain (format: docs/faq-format.md). Parsing is
// all-or-nothing: a script with any problem throws ScriptError listing every problem with its line,
// so the caller keeps serving the previous index and the editor can fix everything in one pass.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kayou::faq {

struct LegalBasis {
    std::string law;      // without book-title marks: "劳动合同法"
    std::string article;  // "第30条"; empty when the law as a whole is cited
};

struct Entry {
    std::string id;
    std::vector<std::string> questions;  // variants; each one is a retrieval document
    std::string answer;
    std::vector<LegalBasis> legal_basis;
    std::vector<std::string> tags;
    std::vector<std::string> districts;  // empty: every district
    bool handoff = false;                // always offer a lawyer with this answer
    bool legal = true;                   // false for service information (no legal_basis needed)
    int line = 0;                        // 1-based line of the entry in its file
};

struct Script {
    std::string version;
    std::string source;  // file or storage name, for messages
    // Each group: the first phrase is canonical, the rest mean the same for retrieval.
    std::vector<std::vector<std::string>> synonyms;
    // Common typing mistakes (mostly pinyin-input homophones) and their correction.
    std::vector<std::pair<std::string, std::string>> corrections;
    std::vector<Entry> entries;

    const Entry* find(std::string_view id) const;
};

struct ScriptProblem {
    int line = 0;  // 1-based; 0 when no position is known
    std::string message;
};

class ScriptError : public std::runtime_error {
public:
    ScriptError(std::string source, std::vector<ScriptProblem> problems);
    const std::vector<ScriptProblem>& problems() const { return problems_; }

private:
    std::vector<ScriptProblem> problems_;
};

// Parses and validates one script. Throws ScriptError (never anything else for bad input).
Script parse_script(std::string_view yaml_text, std::string_view source_name);

}  // namespace kayou::faq
