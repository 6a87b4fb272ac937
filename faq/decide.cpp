#include "faq/decide.hpp"

#include <algorithm>
#include <string_view>

#include "text/utf8.hpp"

namespace kayou::faq {

Decision decide(const std::vector<Hit>& hits, const Thresholds& thresholds, bool in_group,
                bool mentioned) {
    Decision decision;
    // In a group only a confident answer may speak unasked; anything less is noise to the others.
    const bool may_speak_unsure = !in_group || mentioned;
    if (hits.empty() || hits.front().score < thresholds.suggest) {
        decision.action = may_speak_unsure ? Action::handoff : Action::silence;
        return decision;
    }
    const Hit& top = hits.front();
    const bool close_second = hits.size() > 1 && hits[1].score >= thresholds.suggest &&
                              top.score - hits[1].score < thresholds.margin;
    const bool lone = hits.size() < 2 || hits[1].score < thresholds.suggest;
    // A lone match is often one shared phrase ("晚上" in 吃什么 and in 喝了酒): it needs `lone`.
    const double needed = lone ? std::max(thresholds.answer, thresholds.lone) : thresholds.answer;
    if (top.score >= needed && !close_second) {
        decision.action = Action::answer;
        decision.hits = {top};
        decision.offer_lawyer = top.entry != nullptr && top.entry->handoff;
        return decision;
    }
    if (!may_speak_unsure) {
        decision.action = Action::silence;
        return decision;
    }
    // Choices are for two or more close candidates; one weak candidate is not worth a menu.
    if (lone) {
        decision.action = Action::handoff;
        return decision;
    }
    decision.action = Action::choices;
    for (const auto& hit : hits) {
        if (decision.hits.size() == 3) break;
        if (hit.score >= thresholds.suggest) decision.hits.push_back(hit);
    }
    return decision;
}

namespace {

std::string legal_basis_line(const Entry& entry) {
    if (entry.legal_basis.empty()) return {};
    std::string line = "法律依据：";
    for (std::size_t i = 0; i < entry.legal_basis.size(); ++i) {
        if (i > 0) line += "；";
        line += "《" + entry.legal_basis[i].law + "》" + entry.legal_basis[i].article;
    }
    return line + "。";
}

// Longest prefix of text within budget bytes, preferring to end after a sentence mark when one
// lies in the last half of the allowed length.
std::string_view cut_text(std::string_view text, std::size_t budget) {
    const std::size_t cut = text::utf8_prefix_length(text, budget);
    std::string_view prefix = text.substr(0, cut);
    std::size_t best = 0;
    for (std::string_view mark : {"。", "；", "！", "？", "\n"}) {
        const auto found = prefix.rfind(mark);
        if (found != std::string_view::npos) best = std::max(best, found + mark.size());
    }
    return best >= cut / 2 && best > 0 ? prefix.substr(0, best) : prefix;
}

}  // namespace

std::string format_answer(const Entry& entry, std::size_t max_bytes) {
    const std::string basis = legal_basis_line(entry);
    std::string tail;
    if (!basis.empty()) tail += "\n" + basis;
    tail += "\n";
    tail += kReachPerson;

    const std::string full = entry.answer + tail;
    if (full.size() <= max_bytes) return full;

    static constexpr std::string_view kEllipsis = "…";
    // Keep at least a meaningful piece of the answer; below that, the tail is what matters
    // least to lose last, so fall back to a plain cut of the whole text.
    constexpr std::size_t kMinAnswerBytes = 30;
    if (max_bytes >= tail.size() + kEllipsis.size() + kMinAnswerBytes) {
        std::string out(cut_text(entry.answer, max_bytes - tail.size() - kEllipsis.size()));
        out += kEllipsis;
        return out + tail;
    }
    return full.substr(0, text::utf8_prefix_length(full, max_bytes));
}

}  // namespace kayou::faq
