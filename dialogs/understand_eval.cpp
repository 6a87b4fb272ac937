#include "dialogs/understand_eval.hpp"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

namespace kayou::dialogs {
namespace {

std::string scalar(const YAML::Node& node, const char* key, std::string fallback = "") {
    const auto value = node[key];
    return value && value.IsScalar() ? value.Scalar() : fallback;
}

// The eval names the code step "code"; the flow's validator is "sms_code".
std::string step_validator(const std::string& step) {
    if (step == "none" || step.empty()) return "";
    if (step == "code") return "sms_code";
    return step;
}

std::string alnum_upper(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out += c;
    }
    return out;
}

}  // namespace

std::vector<UnderstandEvalCase> parse_understand_eval(std::string_view yaml_text) {
    std::vector<UnderstandEvalCase> cases;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        throw std::runtime_error("eval file: " + error.msg);
    }
    if (!root["cases"] || !root["cases"].IsSequence())
        throw std::runtime_error("eval file: cases must be a list");
    for (const auto& item : root["cases"]) {
        UnderstandEvalCase one;
        one.text = scalar(item, "text");
        one.intent = scalar(item, "intent");
        const YAML::Node context = item["context"];
        one.step = scalar(context, "step", "none");
        one.context.channel = scalar(context, "channel", "oa");
        one.context.in_group = scalar(context, "chat") == "group";
        one.context.mentioned = scalar(context, "mentioned") == "true";
        one.context.step = step_validator(one.step);
        one.context.application = scalar(context, "application", "none");
        one.context.offered = std::stoi(scalar(context, "offered", "0"));
        one.context.today = 20261203;
        if (const YAML::Node slots = item["slots"]; slots && slots.IsMap())
            for (const auto& pair : slots)
                if (pair.second.IsScalar())
                    one.slots[pair.first.as<std::string>()] = pair.second.Scalar();
        if (one.text.empty() || one.intent.empty())
            throw std::runtime_error("eval file: a case without text or intent");
        cases.push_back(std::move(one));
    }
    return cases;
}

UnderstandEvalResult score_understanding(const Understander& understander,
                                         const std::vector<UnderstandEvalCase>& cases,
                                         const faq::Index* legal) {
    UnderstandEvalResult result;
    for (const auto& item : cases) {
        auto got = understander.understand(item.text, item.context, legal);
        bool right = got.intent == item.intent;
        if (right && item.intent == "answer" && item.slots.count("value")) {
            const std::string& want = item.slots.at("value");
            right = got.slot("value") == want ||
                    (got.slot("value").empty() && alnum_upper(got.slot("raw")) == want);
        }
        if (right && item.intent == "choice" && item.slots.count("number"))
            right = got.slot("number") == item.slots.at("number");
        ++result.cases;
        auto& tally = result.per_intent[item.intent];
        ++tally.second;
        if (right) {
            ++result.right;
            ++tally.first;
            continue;
        }
        if (got.command) ++result.commands_inside_sentences;
        result.misses.push_back({&item, std::move(got)});
    }
    return result;
}

}  // namespace kayou::dialogs
