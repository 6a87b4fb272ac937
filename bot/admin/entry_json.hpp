#pragma once
// One FAQ entry as the console's form sends and shows it (JSON), and the 422 answer for an edited
// entry: the parser's line messages, each with the form field its line holds when it is inside
// the entry's block (faq/script_edit.hpp), so the page puts the message next to that field.
#include <nlohmann/json.hpp>
#include <vector>

#include "faq/script.hpp"
#include "faq/script_edit.hpp"

namespace kayou::bot::admin {

// {id, questions, answer, legal_basis: [{law, article}], tags, districts, handoff, legal}; absent
// keys take the parser's defaults. Texts are taken as given: parse_script judges them.
inline faq::Entry entry_from_json(const nlohmann::json& body) {
    faq::Entry entry;
    auto text = [&](const char* key) {
        const auto it = body.find(key);
        return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto texts = [&](const char* key) {
        std::vector<std::string> out;
        const auto it = body.find(key);
        if (it != body.end() && it->is_array())
            for (const auto& item : *it)
                if (item.is_string()) out.push_back(item.get<std::string>());
        return out;
    };
    entry.id = text("id");
    entry.answer = text("answer");
    entry.questions = texts("questions");
    entry.tags = texts("tags");
    entry.districts = texts("districts");
    if (const auto it = body.find("legal"); it != body.end() && it->is_boolean())
        entry.legal = it->get<bool>();
    if (const auto it = body.find("handoff"); it != body.end() && it->is_boolean())
        entry.handoff = it->get<bool>();
    if (const auto it = body.find("legal_basis"); it != body.end() && it->is_array())
        for (const auto& basis : *it)
            if (basis.is_object())
                entry.legal_basis.push_back({basis.value("law", ""), basis.value("article", "")});
    return entry;
}

inline nlohmann::json entry_to_json(const faq::Entry& entry) {
    nlohmann::json basis = nlohmann::json::array();
    for (const auto& b : entry.legal_basis)
        basis.push_back({{"law", b.law}, {"article", b.article}});
    return {
        {"id", entry.id},           {"questions", entry.questions}, {"answer", entry.answer},
        {"legal_basis", basis},     {"tags", entry.tags},           {"districts", entry.districts},
        {"handoff", entry.handoff}, {"legal", entry.legal},         {"line", entry.line}};
}

// [{line, message, field?, index?}]: field and index for lines inside the edited entry's block.
inline nlohmann::json problems_json(const std::vector<faq::ScriptProblem>& problems,
                                    const faq::EntryEdit& edit) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : problems) {
        nlohmann::json item{{"line", p.line}, {"message", p.message}};
        if (const faq::EntryLine* written = edit.at(p.line)) {
            item["field"] = written->field;
            if (written->index >= 0) item["index"] = written->index;
        }
        list.push_back(std::move(item));
    }
    return list;
}

}  // namespace kayou::bot::admin
