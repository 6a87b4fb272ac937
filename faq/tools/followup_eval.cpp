// followup_eval: what short messages after an answer get, conversation by conversation, the way a
// private chat asks them (faq::answer_from with the topic and the entries answered the turn
// before; dialogs/router_dialog.cpp answer_legal).
//
//   followup_eval SCRIPT.yaml CONVERSATIONS.txt [--quiet | --text]
//
// CONVERSATIONS.txt: one message per line, a blank line between conversations, '#' lines are
// comments. A line "message => id id …" expects the reply's first entry to be one of those ids
// (a quoted part of the answer just sent counts as that entry). Prints each reply and the count
// of expectations met. Exit status: 0 on success, 1 on bad input.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "faq/decide.hpp"
#include "faq/eval.hpp"
#include "faq/follow_up.hpp"
#include "faq/index.hpp"
#include "faq/legal_service.hpp"
#include "faq/script.hpp"

namespace {

using namespace kayou::faq;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Tally {
    int expected = 0;
    int met = 0;
};

// One message of a conversation: asked with what came before, printed, counted.
void ask(const std::shared_ptr<const Index>& index, const std::string& line,
         std::vector<std::string>& earlier, std::vector<std::string>& answered, Tally& tally,
         bool quiet, bool show_text) {
    std::string text = line;
    std::string expected;
    if (const auto arrow = line.find(" => "); arrow != std::string::npos) {
        expected = " " + line.substr(arrow + 4) + " ";
        text = line.substr(0, arrow);
    }
    LegalQuestion question;
    question.text = text;
    question.follow_up = true;
    if (!earlier.empty()) {
        question.topic = topic_of(earlier);
        question.answered_before = answered;
    }
    const LegalReply reply = answer_from(index, 1, question, Thresholds{});
    std::string got(action_name(reply.action));
    for (const auto& id : reply.entry_ids) got += " " + id;
    const bool part = !reply.texts.empty() && reply.texts.front().rfind("刚才", 0) == 0;
    if (part) got += " (part)";
    if (!expected.empty()) {
        ++tally.expected;
        const bool met = answers(reply.action) && !reply.entry_ids.empty() &&
                         expected.find(" " + reply.entry_ids.front() + " ") != std::string::npos;
        if (met) ++tally.met;
        got += met ? "  ok" : "  MISSED (expected" + expected + ")";
    }
    if (!quiet) std::cout << text << "\n    " << got << "\n";
    if (show_text)
        for (const auto& sent : reply.texts) std::cout << "    | " << sent << "\n";
    earlier.push_back(text);
    answered = answers(reply.action) ? reply.entry_ids : std::vector<std::string>{};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: followup_eval SCRIPT.yaml CONVERSATIONS.txt [--quiet | --text]\n";
        return 1;
    }
    const bool quiet = argc > 3 && std::string(argv[3]) == "--quiet";
    // Each reply's text under its message, for reading what a follow-up was sent.
    const bool show_text = argc > 3 && std::string(argv[3]) == "--text";
    try {
        const std::shared_ptr<const Index> index =
            Index::build(parse_script(read_file(argv[1]), argv[1]));
        std::istringstream conversations(read_file(argv[2]));
        std::vector<std::string> earlier;
        std::vector<std::string> answered;
        Tally tally;
        for (std::string line; std::getline(conversations, line);) {
            if (!line.empty() && line.front() == '#') continue;
            if (line.empty()) {
                earlier.clear();
                answered.clear();
                if (!quiet) std::cout << "\n";
                continue;
            }
            ask(index, line, earlier, answered, tally, quiet, show_text);
        }
        std::cout << "expectations met: " << tally.met << " / " << tally.expected << "\n";
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
    return 0;
}
