#pragma once
// A scripted flow (docs/flows.md): the steps, prompts, slot validators by name, retries, the
// keyword sets for intent routing and global commands, and every text the bot says. The script is
// data (config/flows/<flow>.yaml); code holds only the validators and the step machine
// (dialogs/join_engine.hpp). Loading checks the script so that a typo fails at start-up with the
// line, never in front of a driver.
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::dialogs {

class FlowScriptError : public std::runtime_error {
public:
    FlowScriptError(std::string origin, int line, const std::string& message);
    int line() const { return line_; }

private:
    int line_;
};

enum class StepKind {
    slot,      // ask, validate with a named validator, store the slot
    sms_code,  // confirm the mobile slot with a 6-digit code sent by SMS
    confirm,   // show the masked summary; "确认" submits, "修改<field>" edits
};

struct FlowStep {
    std::string id;
    StepKind kind = StepKind::slot;
    std::string slot;       // slot steps: the slot name (defaults to the step id)
    std::string label;      // what the summary and "修改<label>" call it: "手机号"
    std::string validator;  // slot steps: a name from FlowScript::known_validators()
    std::string mask;       // how the summary shows it: name | id_card | mobile | plate | none
    std::vector<std::string> edit_words;  // "修改手机号", "改电话": words naming this field
    std::string prompt;
    std::string next;  // the step after this one; empty only for the confirm step
    bool optional = false;
    bool personal = false;  // sealed at rest and never shown unmasked (derived from mask)
    int line = 0;
};

struct FlowScript {
    std::string flow;   // "join"
    std::string title;  // "入会申请"
    int max_failures = 3;
    std::vector<FlowStep> steps;  // steps[0] is where the flow starts
    // intent -> keywords; intents: join legal benefits progress cancel human help
    std::map<std::string, std::vector<std::string>> intents;
    // command -> keywords; commands: cancel restart edit progress help human resend confirm
    std::map<std::string, std::vector<std::string>> commands;
    std::map<std::string, std::string> texts;

    const FlowStep* find_step(std::string_view id) const;
    const FlowStep* step_for_slot(std::string_view slot) const;
    // The text for `key`; throws std::out_of_range for a key load() did not require (a bug).
    const std::string& text(std::string_view key) const;

    static const std::set<std::string>& known_validators();
    static const std::set<std::string>& required_texts();
    static const std::set<std::string>& known_intents();
    static const std::set<std::string>& known_commands();

    // Parses and checks a script. Throws FlowScriptError (origin + line) on: bad YAML, unknown
    // keys, a step without id or prompt, a duplicate id, an unknown kind, validator or mask, a
    // `next` naming no step, a step no path from the first step reaches, a path that never
    // reaches a confirm step, an sms_code step before any mobile slot, a missing text or
    // keyword set, an unknown intent or command name.
    static FlowScript from_yaml(std::string_view yaml_text, const std::string& origin = "flow");
    static FlowScript load_file(const std::string& path);
};

// "{name}" placeholders replaced from `values`; unknown placeholders are left as they are.
std::string fill_text(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace kayou::dialogs
