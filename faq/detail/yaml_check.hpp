#pragma once
// Shared by the benefit catalog and station parsers: read a YAML map key by key, collecting every
// problem with its line (like parse_script), so an editor fixes a file in one pass.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faq/script.hpp"

namespace kayou::faq::detail {

inline int line_of(const YAML::Node& node) {
    const int line = node.Mark().line;  // 0-based; -1 for a missing node
    return line < 0 ? 0 : line + 1;
}

inline std::string trim_text(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kSpace);
    return std::string(text.substr(first, last - first + 1));
}

// A key given twice in one map, with the line of each. YAML keeps the last silently; a
// line-based merge of two editors' versions of one item leaves exactly this, and one edit vanishes.
struct RepeatedKey {
    std::string key;
    int line = 0;
    int first_line = 0;
};

inline std::vector<RepeatedKey> repeated_keys(const YAML::Node& map) {
    std::vector<RepeatedKey> repeated;
    std::vector<std::pair<std::string, int>> seen;
    for (const auto& pair : map) {
        const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
        const auto first = std::find_if(seen.begin(), seen.end(),
                                        [&](const auto& item) { return item.first == key; });
        if (first == seen.end())
            seen.emplace_back(key, line_of(pair.first));
        else
            repeated.push_back({key, line_of(pair.first), first->second});
    }
    return repeated;
}

inline std::string repeated_key_message(const RepeatedKey& repeated, const std::string& what) {
    return what + " has a second '" + repeated.key + "' (first on line " +
           std::to_string(repeated.first_line) + "): keep one, merge what both say";
}

class YamlCheck {
public:
    explicit YamlCheck(std::vector<ScriptProblem>& problems) : problems_(problems) {}

    void add(int line, std::string message) { problems_.push_back({line, std::move(message)}); }

    // Loads the document; records a syntax error and returns a null node on failure.
    YAML::Node load(std::string_view text) {
        try {
            return YAML::Load(std::string(text));
        } catch (const YAML::Exception& error) {
            add(error.mark.line < 0 ? 0 : error.mark.line + 1, "YAML syntax error: " + error.msg);
            return YAML::Node(YAML::NodeType::Undefined);
        }
    }

    // Reports keys of `map` not in `known`, and keys given twice.
    void only_keys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                   const std::string& what) {
        for (const auto& repeated : repeated_keys(map))
            add(repeated.line, repeated_key_message(repeated, what));
        for (const auto& pair : map) {
            const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "";
            if (std::find(known.begin(), known.end(), key) == known.end())
                add(line_of(pair.first), "unknown key '" + key + "' in " + what);
        }
    }

    std::optional<std::string> text(const YAML::Node& map, const char* key, const std::string& what,
                                    bool required) {
        const YAML::Node node = map[key];
        if (!node || node.IsNull()) {
            if (required) add(line_of(map), what + ": " + key + " is missing");
            return std::nullopt;
        }
        if (!node.IsScalar()) {
            add(line_of(node), what + ": " + key + " must be text");
            return std::nullopt;
        }
        auto value = trim_text(node.Scalar());
        if (value.empty()) {
            if (required) add(line_of(node), what + ": " + key + " is empty");
            return std::nullopt;
        }
        return value;
    }

    std::optional<double> number(const YAML::Node& map, const char* key, const std::string& what,
                                 double min, double max) {
        const YAML::Node node = map[key];
        if (!node || node.IsNull()) {
            add(line_of(map), what + ": " + key + " is missing");
            return std::nullopt;
        }
        double value = 0;
        if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || value < min ||
            value > max) {
            add(line_of(node),
                what + ": " + key + " must be a number from " + format(min) + " to " + format(max));
            return std::nullopt;
        }
        return value;
    }

    // A list of text or a single text; absent = empty.
    std::vector<std::string> texts(const YAML::Node& map, const char* key,
                                   const std::string& what) {
        std::vector<std::string> out;
        const YAML::Node node = map[key];
        if (!node || node.IsNull()) return out;
        if (node.IsScalar()) {
            if (auto value = trim_text(node.Scalar()); !value.empty()) out.push_back(value);
            return out;
        }
        if (!node.IsSequence()) {
            add(line_of(node), what + ": " + key + " must be a list of text");
            return out;
        }
        for (const auto& item : node) {
            if (!item.IsScalar() || trim_text(item.Scalar()).empty()) {
                add(line_of(item), what + ": " + key + " has an empty or non-text item");
                continue;
            }
            out.push_back(trim_text(item.Scalar()));
        }
        return out;
    }

private:
    static std::string format(double value) {
        std::string text = std::to_string(value);
        while (!text.empty() && text.back() == '0') text.pop_back();
        if (!text.empty() && text.back() == '.') text.pop_back();
        return text;
    }

    std::vector<ScriptProblem>& problems_;
};

inline bool valid_content_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// "YYYY-MM-DD" with a plausible month and day (the calendar check is the editor's job).
inline bool valid_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (date[i] < '0' || date[i] > '9') return false;
    const int month = (date[5] - '0') * 10 + (date[6] - '0');
    const int day = (date[8] - '0') * 10 + (date[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace kayou::faq::detail
