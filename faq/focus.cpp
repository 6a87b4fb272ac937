#include "faq/focus.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "faq/intents.hpp"

namespace kayou::faq {
namespace {

// Below this many code points a message is one question, however it is punctuated.
constexpr std::size_t kStoryLength = 24;
// A story has at least this many clauses.
constexpr std::size_t kStoryClauses = 4;
// A focus shorter than this many code points (spaces included) takes in the clause before it.
constexpr std::size_t kLeastFocus = 8;

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

// Drivers ask with a verb and 不 / 没 at the clause's end ("劳动仲裁要钱不", "有时限没"); 不 as
// the intent script reads it (a refusal such as "我不" or "就不" does not ask).
bool asks(std::string_view clause) {
    for (const auto mark : kAskingMarks)
        if (clause.find(mark) != std::string_view::npos) return true;
    return ends_in_verb_not(clause) || clause.ends_with("没") || clause.ends_with("没有");
}

// Voice input comes without punctuation ("…押了我一万块钱押金说是怕我把车开跑了然后我现在不想干了
// 他说押金要扣五千这个他能扣吗还有就是…"): its clauses start at the words a speaker strings them
// with, and end after a sentence particle.
constexpr std::array<std::string_view, 14> kSpokenOpenings = {
    "然后", "还有就是", "还有", "就是", "他说", "说是",   "但是",
    "可是", "结果",     "现在", "所以", "这个", "我想问", "请问"};
constexpr std::array<std::string_view, 4> kSpokenEndings = {"吗", "呢", "啊", "吧"};

// `clause` split where a spoken opening starts or after a spoken ending, into `out`.
void split_spoken(std::string_view text, Clause clause, std::vector<Clause>& out) {
    std::size_t begin = clause.begin;
    for (std::size_t pos = clause.begin; pos < clause.end;) {
        const auto rest = text.substr(pos, clause.end - pos);
        bool opens = false;
        for (const auto word : kSpokenOpenings) opens = opens || rest.starts_with(word);
        if (opens && pos > begin) {
            out.push_back({begin, pos});
            begin = pos;
        }
        std::size_t width = 1;
        while (pos + width < clause.end &&
               (static_cast<unsigned char>(text[pos + width]) & 0xC0) == 0x80)
            ++width;
        const auto point = text.substr(pos, width);
        pos += width;
        for (const auto word : kSpokenEndings)
            if (point == word && pos < clause.end) {
                out.push_back({begin, pos});
                begin = pos;
            }
    }
    if (clause.end > begin) out.push_back({begin, clause.end});
}

std::size_t break_at(std::string_view text, std::size_t pos) {
    for (const auto mark : kClauseBreaks)
        if (text.substr(pos, mark.size()) == mark) return mark.size();
    return 0;
}

// The clauses of `text` between breaks.
std::vector<Clause> clauses_of(std::string_view text) {
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
    return clauses;
}

// Words that open a second question ("还有我腰也伤了 算工伤不").
// ("第二天…" goes on with the story: only 第二个 / 第二点 / 第二件.)
constexpr std::array<std::string_view, 10> kSecondAsk = {
    "还有", "另外", "再问", "顺便问", "还想问", "以及", "再一个", "第二个", "第二点", "第二件"};

// Shorter than this, two asking words are one question ("能不能要 怎么要").
constexpr std::size_t kTwoAsksLength = 10;
// Each of two questions has at least this many code points.
constexpr std::size_t kLeastPart = 4;

// The clauses of `text` for finding two questions: split at breaks, after a question mark (it
// stays with the question it ends: "扣几分？另外超速…") and where spoken clauses start or end.
std::vector<Clause> asking_clauses(std::string_view text) {
    std::vector<Clause> clauses;
    for (const auto clause : clauses_of(text)) {
        std::size_t begin = clause.begin;
        for (std::size_t pos = clause.begin; pos < clause.end;) {
            std::size_t width = 0;
            for (const std::string_view mark : {"？", "?"})
                if (text.substr(pos, mark.size()) == mark) width = mark.size();
            if (width == 0) {
                ++pos;
                continue;
            }
            pos += width;
            if (pos < clause.end) {
                split_spoken(text, {begin, pos}, clauses);
                begin = pos;
            }
        }
        split_spoken(text, {begin, clause.end}, clauses);
    }
    return clauses;
}

std::string_view clause_text(std::string_view text, const Clause& clause) {
    return text.substr(clause.begin, clause.end - clause.begin);
}

// The text before clause `second` and the text from it, or both empty when a part is too short.
TwoQuestions parts_at(std::string_view text, const std::vector<Clause>& clauses,
                      std::size_t second) {
    TwoQuestions parts{text.substr(0, clauses[second - 1].end), text.substr(clauses[second].begin)};
    if (code_points(parts.first) < kLeastPart || code_points(parts.second) < kLeastPart) return {};
    return parts;
}

// The first clause that asks, or clauses.size().
std::size_t first_asking(std::string_view text, const std::vector<Clause>& clauses,
                         std::size_t from) {
    while (from < clauses.size() && !asks(clause_text(text, clauses[from]))) ++from;
    return from;
}

}  // namespace

TwoQuestions two_questions(std::string_view text) {
    if (code_points(text) < kTwoAsksLength) return {};
    const std::vector<Clause> clauses = asking_clauses(text);
    const std::size_t first = first_asking(text, clauses, 0);
    if (first + 1 >= clauses.size()) return {};
    std::size_t second = clauses.size();
    for (std::size_t i = first + 1; i < clauses.size() && second == clauses.size(); ++i)
        for (const auto word : kSecondAsk)
            if (clause_text(text, clauses[i]).starts_with(word)) second = i;
    // Without such a word a later asking clause is as often the same question asked on ("…能找老板
    // 赔吗 按啥比例赔", "…都能申请吗还是要开什么证明"): one question.
    if (second == clauses.size()) return {};
    return parts_at(text, clauses, second);
}

TwoQuestions two_asking_clauses(std::string_view text) {
    if (code_points(text) < kTwoAsksLength) return {};
    const std::vector<Clause> clauses = asking_clauses(text);
    const std::size_t first = first_asking(text, clauses, 0);
    if (first_asking(text, clauses, first + 1) >= clauses.size()) return {};
    return parts_at(text, clauses, first + 1);
}

std::string_view question_focus(std::string_view text) {
    if (code_points(text) < kStoryLength) return {};
    std::vector<Clause> clauses = clauses_of(text);
    if (clauses.size() < kStoryClauses) {
        std::vector<Clause> spoken;
        for (const auto clause : clauses) split_spoken(text, clause, spoken);
        clauses = std::move(spoken);
    }
    if (clauses.size() < kStoryClauses) return {};
    for (std::size_t i = clauses.size(); i-- > 0;) {
        const auto clause = text.substr(clauses[i].begin, clauses[i].end - clauses[i].begin);
        if (!asks(clause)) continue;
        // The asking clause and the one before it; more clauses while that says too little to
        // find an entry by ("…平台说他们只是信息中介 不管 真这样吗": "不管 真这样吗" alone
        // matches every "管不管").
        std::size_t first = i > 0 ? i - 1 : i;
        while (first > 0 && code_points(text.substr(clauses[first].begin)) < kLeastFocus) --first;
        if (first == 0) return {};
        return text.substr(clauses[first].begin);
    }
    return {};
}

std::string without_disowned_part(std::string_view text) {
    constexpr std::string_view kDisown[] = {"我问的不是", "问的不是", "我不是问",
                                            "不是问",     "不是想问", "不是要问"};
    constexpr std::string_view kAsks[] = {"我是问", "我问的是", "是问",   "而是",
                                          "我想问", "我要问",   "我就问", "想问"};
    constexpr std::string_view kClauseEnd[] = {"，", "。", "！", "？", ",", "!", "?", " "};
    std::size_t disown = std::string_view::npos;
    std::size_t after = 0;
    for (const std::string_view marker : kDisown)
        if (const auto at = text.find(marker); at != std::string_view::npos) {
            disown = at;
            after = at + marker.size();
            break;
        }
    if (disown == std::string_view::npos) return std::string(text);
    // "我不是问加油": the 我 before "不是问" goes with it.
    const std::size_t begin = text.substr(0, disown).ends_with("我") ? disown - 3 : disown;
    std::size_t end = std::string_view::npos;
    for (const std::string_view marker : kAsks)
        if (const auto at = text.find(marker, after); at != std::string_view::npos)
            end = std::min(end, at);
    if (end == std::string_view::npos)
        for (const std::string_view mark : kClauseEnd)
            if (const auto at = text.find(mark, after); at != std::string_view::npos)
                end = std::min(end, at + mark.size());
    if (end == std::string_view::npos) return std::string(text);
    std::string rest = std::string(text.substr(0, begin)) + std::string(text.substr(end));
    if (rest.find_first_not_of(" ，。,") == std::string::npos) return std::string(text);
    return rest;
}

}  // namespace kayou::faq
