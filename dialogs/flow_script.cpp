#include "dialogs/flow_script.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace kayou::dialogs {
namespace {

int line_of(const YAML::Node& node) {
    const int line = node.Mark().line;
    return line >= 0 ? line + 1 : 0;
}

class Reader {
public:
    explicit Reader(std::string origin) : origin_(std::move(origin)) {}

    [[noreturn]] void fail(int line, const std::string& message) const {
        throw FlowScriptError(origin_, line, message);
    }

    void only_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                   const std::string& where) const {
        if (!map.IsMap()) fail(line_of(map), where + ": expected a mapping");
        for (const auto& item : map) {
            const auto key = item.first.as<std::string>();
            bool ok = false;
            for (auto a : allowed) ok = ok || key == a;
            if (!ok) fail(line_of(item.first), where + ": unknown key '" + key + "'");
        }
    }

    std::string string(const YAML::Node& map, const char* key, const std::string& where,
                       bool required) const {
        const YAML::Node value = map[key];
        if (!value || value.IsNull()) {
            if (required) fail(line_of(map), where + ": '" + key + "' is required");
            return {};
        }
        if (!value.IsScalar()) fail(line_of(value), where + "." + key + ": expected text");
        if (required && value.Scalar().empty())
            fail(line_of(value), where + "." + key + ": must not be empty");
        return value.Scalar();
    }

    std::vector<std::string> words(const YAML::Node& value, const std::string& where) const {
        std::vector<std::string> out;
        if (value.IsScalar()) {
            out.push_back(value.Scalar());
        } else if (value.IsSequence()) {
            for (const auto& item : value) {
                if (!item.IsScalar() || item.Scalar().empty())
                    fail(line_of(item), where + ": every keyword must be non-empty text");
                out.push_back(item.Scalar());
            }
        } else {
            fail(line_of(value), where + ": expected a keyword or a list of keywords");
        }
        if (out.empty()) fail(line_of(value), where + ": needs at least one keyword");
        return out;
    }

    const std::string& origin() const { return origin_; }

private:
    std::string origin_;
};

}  // namespace

FlowScriptError::FlowScriptError(std::string origin, int line, const std::string& message)
    : std::runtime_error(origin + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                         message),
      line_(line) {}

const FlowStep* FlowScript::find_step(std::string_view id) const {
    for (const auto& step : steps)
        if (step.id == id) return &step;
    return nullptr;
}

const FlowStep* FlowScript::step_for_slot(std::string_view slot) const {
    for (const auto& step : steps)
        if (step.kind == StepKind::slot && step.slot == slot) return &step;
    return nullptr;
}

const std::string& FlowScript::text(std::string_view key) const {
    auto found = texts.find(std::string(key));
    if (found == texts.end()) throw std::out_of_range("flow text '" + std::string(key) + "'");
    return found->second;
}

const std::set<std::string>& FlowScript::known_validators() {
    static const std::set<std::string> names{"name",  "id_card",  "mobile",
                                             "plate", "district", "employer"};
    return names;
}

const std::set<std::string>& FlowScript::required_texts() {
    // Everything the engine may say besides prompts and validator messages.
    static const std::set<std::string> keys{
        "welcome",
        "resume",
        "echo",
        "help",
        "unknown",
        "cancelled",
        "cancel_confirm",
        "nothing_to_cancel",
        "restarted",
        "too_many_failures",
        "human",
        "legal",
        "benefits",
        "in_flow_reminder",
        "value_kept",
        "value_early",
        "summary_header",
        "summary_footer",
        "confirm_hint",
        "employer_none",
        "submitted",
        "existing",
        "existing_other",
        "existing_other_fix",
        "district_ambiguous",
        "district_in_city",
        "district_unknown",
        "code_sent",
        "code_rate_minute",
        "code_rate_hour",
        "code_rate_day",
        "code_rate_sender",
        "code_busy",
        "code_wrong",
        "code_expired",
        "code_locked",
        "code_format",
        "code_failed",
        "progress_none",
        "progress_received",
        "progress_approved",
        "progress_rejected",
        "group_progress_private",
        "mobile_taken_back",
        "group_private",
        "group_private_link",
        "group_link_sent_privately",
        "group_form_private",
        "private_link",
        "group_personal_data",
        "edit_unknown",
        "edit_later",
        "filled_so_far",
        "filled_nothing",
        "store_failed",
    };
    return keys;
}

const std::set<std::string>& FlowScript::known_intents() {
    static const std::set<std::string> names{"join",   "legal", "benefits", "progress",
                                             "cancel", "human", "help"};
    return names;
}

const std::set<std::string>& FlowScript::known_commands() {
    static const std::set<std::string> names{"cancel", "restart", "edit",    "progress", "help",
                                             "human",  "resend",  "confirm", "keep",     "where"};
    return names;
}

namespace {

// One entry of `steps`, checked on its own (check_links checks the links).
FlowStep read_step(Reader& reader, const YAML::Node& node, const FlowScript& script) {
    const std::string where = "steps[" + std::to_string(script.steps.size()) + "]";
    reader.only_keys(node,
                     {"id", "kind", "slot", "label", "validator", "mask", "edit_words", "prompt",
                      "next", "optional"},
                     where);
    FlowStep step;
    step.line = line_of(node);
    step.id = reader.string(node, "id", where, true);
    const std::string here = "step '" + step.id + "'";
    if (script.find_step(step.id)) reader.fail(step.line, here + ": duplicate id");
    const std::string kind = reader.string(node, "kind", here, false);
    if (kind.empty() || kind == "slot")
        step.kind = StepKind::slot;
    else if (kind == "sms_code")
        step.kind = StepKind::sms_code;
    else if (kind == "confirm")
        step.kind = StepKind::confirm;
    else
        reader.fail(line_of(node["kind"]), here + ": unknown kind '" + kind + "'");
    step.prompt = reader.string(node, "prompt", here, false);
    if (step.prompt.empty()) reader.fail(step.line, here + ": missing prompt");
    step.label = reader.string(node, "label", here, false);
    step.next = reader.string(node, "next", here, false);
    if (const auto optional = node["optional"]) step.optional = optional.as<bool>(false);
    if (const auto edit = node["edit_words"])
        step.edit_words = reader.words(edit, here + ".edit_words");
    if (step.kind == StepKind::slot) {
        step.slot = reader.string(node, "slot", here, false);
        if (step.slot.empty()) step.slot = step.id;
        step.validator = reader.string(node, "validator", here, true);
        if (!FlowScript::known_validators().count(step.validator))
            reader.fail(line_of(node["validator"]),
                        here + ": unknown validator '" + step.validator + "'");
        step.mask = reader.string(node, "mask", here, false);
        if (step.mask.empty()) step.mask = "none";
        if (step.mask != "none" && step.mask != "name" && step.mask != "id_card" &&
            step.mask != "mobile" && step.mask != "plate")
            reader.fail(line_of(node["mask"]), here + ": unknown mask '" + step.mask + "'");
        step.personal = step.mask != "none";
        if (step.label.empty()) reader.fail(step.line, here + ": missing label");
    } else if (node["validator"]) {
        reader.fail(line_of(node["validator"]), here + ": only slot steps have a validator");
    }
    if (step.kind != StepKind::confirm && step.next.empty())
        reader.fail(step.line, here + ": missing next (only a confirm step ends a flow)");
    return step;
}

// Links, reachability and the path to a confirm step.
void check_links(Reader& reader, const FlowScript& script) {
    for (const auto& step : script.steps)
        if (!step.next.empty() && !script.find_step(step.next))
            reader.fail(step.line,
                        "step '" + step.id + "': next names no step: '" + step.next + "'");
    std::set<std::string> reached;
    std::set<std::string> slots_before;
    bool mobile_seen = false;
    for (const FlowStep* step = &script.steps.front(); step && !reached.count(step->id);
         step = step->next.empty() ? nullptr : script.find_step(step->next)) {
        reached.insert(step->id);
        if (step->kind == StepKind::slot && step->validator == "mobile") mobile_seen = true;
        if (step->kind == StepKind::sms_code && !mobile_seen)
            reader.fail(step->line,
                        "step '" + step->id + "': an sms_code step needs a mobile slot before it");
        if (step->kind == StepKind::slot && !slots_before.insert(step->slot).second)
            reader.fail(step->line,
                        "step '" + step->id + "': slot '" + step->slot + "' filled twice");
        if (step->kind == StepKind::confirm) break;
    }
    for (const auto& step : script.steps)
        if (!reached.count(step.id))
            reader.fail(step.line, "step '" + step.id + "' is unreachable from the first step");
    bool has_confirm = false;
    for (const auto& step : script.steps)
        has_confirm = has_confirm || (step.kind == StepKind::confirm && reached.count(step.id));
    if (!has_confirm) reader.fail(0, "steps: no path from the first step reaches a confirm step");
}

}  // namespace

FlowScript FlowScript::from_yaml(std::string_view yaml_text, const std::string& origin) {
    Reader reader(origin);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        reader.fail(error.mark.line + 1, "not valid YAML: " + error.msg);
    }
    if (!root || !root.IsMap()) reader.fail(0, "expected a mapping with flow, steps and texts");
    reader.only_keys(
        root, {"flow", "title", "max_failures", "intents", "commands", "steps", "texts"}, "script");

    FlowScript script;
    script.flow = reader.string(root, "flow", "script", true);
    script.title = reader.string(root, "title", "script", false);
    if (const auto max = root["max_failures"]) {
        try {
            script.max_failures = max.as<int>();
        } catch (const YAML::Exception&) {
            reader.fail(line_of(max), "max_failures: expected a whole number");
        }
        if (script.max_failures < 1 || script.max_failures > 10)
            reader.fail(line_of(max), "max_failures: expected 1 to 10");
    }

    auto read_sets = [&](const char* key, const std::set<std::string>& known,
                         std::map<std::string, std::vector<std::string>>& out) {
        const YAML::Node node = root[key];
        if (!node || !node.IsMap())
            reader.fail(line_of(root), std::string(key) + ": required mapping");
        for (const auto& item : node) {
            const auto name = item.first.as<std::string>();
            if (!known.count(name))
                reader.fail(line_of(item.first),
                            std::string(key) + ": unknown name '" + name + "'");
            out[name] = reader.words(item.second, std::string(key) + "." + name);
        }
        for (const auto& name : known)
            if (!out.count(name))
                reader.fail(line_of(node),
                            std::string(key) + ": missing keyword set '" + name + "'");
    };
    read_sets("intents", known_intents(), script.intents);
    read_sets("commands", known_commands(), script.commands);

    const YAML::Node texts = root["texts"];
    if (!texts || !texts.IsMap()) reader.fail(line_of(root), "texts: required mapping");
    for (const auto& item : texts) {
        const auto key = item.first.as<std::string>();
        if (!item.second.IsScalar() || item.second.Scalar().empty())
            reader.fail(line_of(item.second), "texts." + key + ": expected non-empty text");
        script.texts[key] = item.second.Scalar();
    }
    for (const auto& key : required_texts())
        if (!script.texts.count(key)) reader.fail(line_of(texts), "texts: missing '" + key + "'");

    const YAML::Node steps = root["steps"];
    if (!steps || !steps.IsSequence() || steps.size() == 0)
        reader.fail(line_of(root), "steps: required non-empty list");
    for (const auto& node : steps) script.steps.push_back(read_step(reader, node, script));

    check_links(reader, script);
    return script;
}

FlowScript FlowScript::load_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw FlowScriptError(path, 0, "cannot open the flow script");
    std::stringstream text;
    text << file.rdbuf();
    return from_yaml(text.str(), path);
}

std::string fill_text(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            const auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                auto found = values.find(std::string(text.substr(i + 1, close - i - 1)));
                if (found != values.end()) {
                    out += found->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace kayou::dialogs
