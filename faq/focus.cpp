#include "faq/focus.hpp"

#include <array>
#include <vector>

namespace kayou::faq {
namespace {

// Below this many code points a message is one question, however it is punctuated.
constexpr std::size_t kStoryLength = 24;
// A story has at least this many clauses.
constexpr std::size_t kStoryClauses = 4;

constexpr std::array<std::string_view, 22> kAskingMarks = {
    "吗",   "嘛",       "么",     "呢",     "咋", "怎", "啥",     "什么", "多少", "几", "能不能",
    "能否", "可不可以", "有没有", "是不是", "谁", "哪", "算不算", "合法", "合理", "？", "?"};

constexpr std::array<std::string_view, 14> kClauseBreaks = {
    " ", "\t", "\n", "，", "。", "！", "；", "、", ",", ".", "!", ";", "…", "\u3000"};

struct Clause {
    std::size_t begin;
    std::size_t end;
};

std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char byte : text)
        if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) ++count;
    return count;
}

bool asks(std::string_view clause) {
    for (const auto mark : kAskingMarks)
        if (clause.find(mark) != std::string_view::npos) return true;
    return false;
}

std::size_t break_at(std::string_view text, std::size_t pos) {
    for (const auto mark : kClauseBreaks)
        if (text.substr(pos, mark.size()) == mark) return mark.size();
    return 0;
}

}  // namespace

std::string_view question_focus(std::string_view text) {
    if (code_points(text) < kStoryLength) return {};
    std::vector<Clause> clauses;
    std::size_t begin = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        if (const auto width = break_at(text, pos); width > 0) {
            if (pos > begin) clauses.push_back({begin, pos});
            pos += width;
            begin = pos;
        } else {
            ++pos;
        }
    }
    if (text.size() > begin) clauses.push_back({begin, text.size()});
    if (clauses.size() < kStoryClauses) return {};
    for (std::size_t i = clauses.size(); i-- > 0;) {
        const auto clause = text.substr(clauses[i].begin, clauses[i].end - clauses[i].begin);
        if (!asks(clause)) continue;
        const std::size_t from = i > 0 ? clauses[i - 1].begin : clauses[i].begin;
        if (from == clauses.front().begin) return {};
        return text.substr(from);
    }
    return {};
}

}  // namespace kayou::faq
