#include "faq/decide.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "faq/focus.hpp"
#include "text/utf8.hpp"

namespace kayou::faq {

namespace {

// The best fit is a service answer (legal: false: buying a truck, a hotline, "ask a doctor") and
// the runner-up a legal one: the pair would read as a legal claim about a question that was not
// legal ("4米2的车能拉多少方" with the overload limits), so it is not answered as two.
bool service_then_legal(const Hit& first, const Hit& second) {
    return first.entry != nullptr && second.entry != nullptr && !first.entry->legal &&
           second.entry->legal;
}

}  // namespace

Thresholds channel_thresholds(const Thresholds& thresholds, std::size_t max_bytes, bool follow_up) {
    Thresholds channel = thresholds;
    if (max_bytes < kBothMinBytes) {
        channel.both_gap = 0;  // two answers do not fit a short channel's one text (SMS)
    } else if (follow_up || max_bytes >= kBothWholeBytes) {
        channel.both_gap = thresholds.both_gap_apart;
        channel.both_second = thresholds.both_second_apart;
    }
    return channel;
}

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
    // A service answer that fits best is sent alone even next to a close legal one: paired or
    // offered as a menu, the legal entry would answer a question that may not be legal at all.
    const bool service_first = hits.size() > 1 && service_then_legal(top, hits[1]);
    const bool answerable = top.score >= needed && (!close_second || service_first);
    // Two near-equal fits: both answers beat a menu (one more turn) and beat a coin toss. A third
    // too close to the second to call (`margin`) means the message is too vague for two answers
    // ("工资" alone matches five entries within 0.03): that is a menu.
    const bool both = thresholds.both_gap > 0 && hits.size() > 1 &&
                      top.score >= thresholds.both_top && hits[1].score >= thresholds.both_second &&
                      top.score - hits[1].score < thresholds.both_gap &&
                      (hits.size() < 3 || hits[1].score - hits[2].score >= thresholds.margin) &&
                      !service_first;
    if (both && (answerable || may_speak_unsure)) {
        decision.action = Action::both;
        decision.hits = {top, hits[1]};
        for (const auto& hit : decision.hits)
            if (hit.entry != nullptr && hit.entry->handoff) decision.offer_lawyer = true;
        return decision;
    }
    if (answerable) {
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

// "法律依据：《民法典》第170条、第579条；《民事诉讼法》。": each law named once, with its articles
// in the order the entry lists them. A law named alone beside its own articles adds nothing. An
// entry citing six articles of one rule had printed that rule's long name six times, and the
// bytes it took came out of the answer's room in one reply (faq/data/legal.yaml's longest).
std::string legal_basis_line(const Entry& entry,
                             std::size_t max_articles = std::numeric_limits<std::size_t>::max()) {
    if (entry.legal_basis.empty()) return {};
    const std::size_t shown = std::min(max_articles, entry.legal_basis.size());
    std::vector<std::pair<std::string_view, std::vector<std::string_view>>> laws;
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& basis = entry.legal_basis[i];
        auto law = std::find_if(laws.begin(), laws.end(),
                                [&](const auto& named) { return named.first == basis.law; });
        if (law == laws.end()) law = laws.insert(laws.end(), {basis.law, {}});
        if (!basis.article.empty()) law->second.push_back(basis.article);
    }
    std::string line = "法律依据：";
    for (std::size_t i = 0; i < laws.size(); ++i) {
        if (i > 0) line += "；";
        line += "《" + std::string(laws[i].first) + "》";
        for (std::size_t j = 0; j < laws[i].second.size(); ++j) {
            if (j > 0) line += "、";
            line += laws[i].second[j];
        }
    }
    if (shown < entry.legal_basis.size()) line += "等";
    return line + "。";
}

// The marks that end a sentence of an answer: where a plain cut prefers to stop, and where
// split_sentences splits.
constexpr std::string_view kSentenceEnds[] = {"。", "；", "！", "？", "\n"};

// Longest prefix of text within budget bytes, preferring to end after a sentence mark when one
// lies in the last half of the allowed length.
std::string_view cut_text(std::string_view text, std::size_t budget) {
    const std::size_t cut = text::utf8_prefix_length(text, budget);
    std::string_view prefix = text.substr(0, cut);
    std::size_t best = 0;
    for (std::string_view mark : kSentenceEnds) {
        const auto found = prefix.rfind(mark);
        if (found != std::string_view::npos) best = std::max(best, found + mark.size());
    }
    return best >= cut / 2 && best > 0 ? prefix.substr(0, best) : prefix;
}

constexpr std::string_view kEllipsis = "…";
// The least of an answer worth sending when it has to be shortened.
constexpr std::size_t kMinAnswerBytes = 30;

}  // namespace

std::vector<std::string_view> split_sentences(std::string_view text) {
    std::vector<std::string_view> sentences;
    std::size_t start = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t mark = 0;
        for (std::string_view end : kSentenceEnds)
            if (text.substr(pos, end.size()) == end) mark = end.size();
        if (mark == 0) {
            ++pos;
            continue;
        }
        pos += mark;
        sentences.push_back(text.substr(start, pos - start));
        start = pos;
    }
    if (start < text.size()) sentences.push_back(text.substr(start));
    return sentences;
}

namespace {

// A sentence kept for its relevance shares at least this fraction of what the most relevant one
// does (bench/legal_unfitted.sh: 0.3 kept the most facts of 0, 0.3, 0.5, 0.7, 0.85).
constexpr double kRelevantShare = 0.3;

// The answer cut to what was asked: its opening sentence (the conclusion comes first), then the
// sentences most relevant to the question, then as many of the following sentences as fit, in
// the answer's order; "…" stands for each run left out and cut_mark ends the text when the end
// is left out (or anything is and cut_mark says how to get the rest). Empty when the opening
// alone does not fit or no sentence is relevant: the plain cut then does as well.
std::string cut_to_question(std::string_view answer, std::size_t budget, std::string_view cut_mark,
                            const SentenceRelevance& relevance) {
    const auto sentences = split_sentences(answer);
    if (sentences.size() < 2) return {};
    if (sentences[0].size() + cut_mark.size() > budget) return {};
    const std::size_t room = budget - cut_mark.size();
    std::vector<bool> kept(sentences.size(), false);
    kept[0] = true;
    std::size_t used = sentences[0].size();

    // Every kept sentence after the opening may follow a gap: its "…" is counted in advance.
    auto keep_if_it_fits = [&](std::size_t i) {
        if (kept[i] || used + sentences[i].size() + kEllipsis.size() > room) return false;
        kept[i] = true;
        used += sentences[i].size() + kEllipsis.size();
        return true;
    };
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t i = 1; i < sentences.size(); ++i) {
        const double score = relevance(sentences[i]);
        if (score > 0) ranked.emplace_back(-score, i);
    }
    if (ranked.empty()) return {};
    std::sort(ranked.begin(), ranked.end());
    // A sentence that shares only a common word or two with the question is not what was asked.
    const double best = -ranked.front().first;
    std::erase_if(ranked,
                  [&](const auto& scored) { return -scored.first < kRelevantShare * best; });
    for (const auto& [negative_score, i] : ranked) keep_if_it_fits(i);
    for (std::size_t i = 1; i < sentences.size(); ++i)
        if (!kept[i] && !keep_if_it_fits(i)) break;

    std::string text;
    bool left_out = false;
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        if (!kept[i]) {
            left_out = true;
            continue;
        }
        if (i > 0 && !kept[i - 1]) text += kEllipsis;
        text += sentences[i];
    }
    if (!kept.back() || (left_out && cut_mark != kEllipsis)) text += cut_mark;
    return text;
}

// The answer within budget bytes: whole, or cut followed by cut_mark (budget must leave room for
// the mark): to the sentences relevant to the question when there is one, else at a sentence end.
std::string fit_answer(const std::string& answer, std::size_t budget,
                       std::string_view cut_mark = kEllipsis,
                       const SentenceRelevance& relevance = {}) {
    if (answer.size() <= budget) return answer;
    if (relevance) {
        std::string cut = cut_to_question(answer, budget, cut_mark, relevance);
        if (!cut.empty() && cut.size() <= budget) return cut;
    }
    return std::string(cut_text(answer, budget - cut_mark.size())) + std::string(cut_mark);
}

// A shortened answer of two says how to get the rest: the reply keeps both entries for the
// driver's "1" or "2" (faq::answer_choice), which sends that answer whole.
constexpr std::string_view kFirstCut = "…（回复1看全文）";
constexpr std::string_view kSecondCut = "…（回复2看全文）";
static_assert(kFirstCut.size() == kSecondCut.size());

std::string basis_block(const Entry& entry,
                        std::size_t max_articles = std::numeric_limits<std::size_t>::max()) {
    const std::string basis = legal_basis_line(entry, max_articles);
    return basis.empty() ? std::string() : "\n" + basis;
}

}  // namespace

std::string format_answer(const Entry& entry, std::size_t max_bytes,
                          const SentenceRelevance& relevance) {
    const std::string tail = basis_block(entry) + "\n" + kReachPerson;

    const std::string full = entry.answer + tail;
    if (full.size() <= max_bytes) return full;

    // Below a meaningful piece of the answer, the tail is what matters least to lose last, so
    // fall back to a plain cut of the whole text.
    if (max_bytes >= tail.size() + kEllipsis.size() + kMinAnswerBytes)
        return fit_answer(entry.answer, max_bytes - tail.size(), kEllipsis, relevance) + tail;
    // Too little room for the articles too (a sum of his figures before a brief answer): the
    // answer cut at a sentence and marked, without them. A plain cut had ended "受害人是残疾的，
    // 还" (victims helper, session 31).
    if (max_bytes >= kEllipsis.size() + kMinAnswerBytes)
        return fit_answer(entry.answer, max_bytes, kEllipsis, relevance);
    return full.substr(0, text::utf8_prefix_length(full, max_bytes));
}

std::string format_group_answer(const Entry& entry, const SentenceRelevance& relevance) {
    // The articles the answer rests on first; a list of ten pushes the talk off the screen.
    constexpr std::size_t kGroupArticles = 3;
    return fit_answer(entry.answer, kGroupAnswerBytes, kEllipsis, relevance) +
           basis_block(entry, kGroupArticles) + "\n" + kGroupClosing;
}

std::size_t whole_reply_bytes(const Entry& entry) {
    return format_answer(entry, std::numeric_limits<std::size_t>::max()).size();
}

namespace {

// The pieces of format_both's one text around the two answers.
struct BothFrame {
    std::string opening;
    std::string between;
    std::string closing;

    BothFrame(const Entry& first, const Entry& second, bool two_questions = false)
        : opening(std::string(two_questions ? kTwoQuestionsOpening : kBothOpening) + "\n①"),
          between(basis_block(first) + "\n②"),
          closing(basis_block(second) + "\n" + kReachPerson) {}
    std::size_t size() const { return opening.size() + between.size() + closing.size(); }
    bool fits_whole(const Entry& first, const Entry& second, std::size_t max_bytes) const {
        return size() + first.answer.size() + second.answer.size() <= max_bytes;
    }
};

}  // namespace

std::string format_both(const Entry& first, const Entry& second, std::size_t max_bytes,
                        const SentenceRelevance& relevance, bool two_questions) {
    const BothFrame frame(first, second, two_questions);
    const auto& [opening, between, closing] = frame;
    const std::size_t fixed = frame.size();
    const std::size_t first_size = first.answer.size();
    const std::size_t second_size = second.answer.size();
    if (frame.fits_whole(first, second, max_bytes))
        return opening + first.answer + between + second.answer + closing;
    const std::size_t least = kSecondCut.size() + kMinAnswerBytes;
    if (max_bytes < fixed + 2 * least) return format_answer(first, max_bytes, relevance);
    // The best match keeps as much of its answer as it can; the runner-up keeps at least a sixth
    // of the room (its opening sentences, which say what it is about) and whatever is left over.
    const std::size_t room = max_bytes - fixed;
    const std::size_t second_least = std::min(second_size, std::max(room / 6, least));
    const std::size_t first_budget = std::min(first_size, room - second_least);
    const std::size_t second_budget = room - first_budget;
    return opening + fit_answer(first.answer, first_budget, kFirstCut, relevance) + between +
           fit_answer(second.answer, second_budget, kSecondCut, relevance) + closing;
}

std::vector<std::string> format_both_apart(const Entry& first, const Entry& second,
                                           std::size_t max_bytes,
                                           const SentenceRelevance& relevance, bool two_questions) {
    const std::string opening =
        std::string(two_questions ? kTwoQuestionsApartOpening : kBothApartOpening) + "\n①";
    const std::string first_tail = basis_block(first);
    const std::string second_opening = "②";
    const std::string second_tail = basis_block(second) + "\n" + kReachPerson;
    const std::size_t least = kSecondCut.size() + kMinAnswerBytes;
    if (max_bytes < opening.size() + first_tail.size() + least ||
        max_bytes < second_opening.size() + second_tail.size() + least)
        return {format_both(first, second, max_bytes, relevance, two_questions)};
    const std::size_t first_budget = max_bytes - opening.size() - first_tail.size();
    const std::size_t second_budget = max_bytes - second_opening.size() - second_tail.size();
    std::vector<std::string> messages;
    messages.push_back(opening + fit_answer(first.answer, first_budget, kFirstCut, relevance) +
                       first_tail);
    messages.push_back(second_opening +
                       fit_answer(second.answer, second_budget, kSecondCut, relevance) +
                       second_tail);
    return messages;
}

std::vector<std::string> answer_messages(const Decision& decision, std::size_t max_bytes,
                                         const SentenceRelevance& relevance, bool follow_up) {
    std::vector<std::string> messages;
    if (!answers(decision.action)) return messages;
    if (decision.action == Action::both && follow_up) {
        const Entry& first = *decision.hits[0].entry;
        const Entry& second = *decision.hits[1].entry;
        // Two whole answers that fit one text stay one message.
        if (!BothFrame(first, second, decision.two_questions).fits_whole(first, second, max_bytes))
            return format_both_apart(first, second, max_bytes, relevance, decision.two_questions);
    }
    messages.push_back(answer_text(decision, max_bytes, relevance));
    return messages;
}

std::string answer_text(const Decision& decision, std::size_t max_bytes,
                        const SentenceRelevance& relevance) {
    if (decision.action == Action::answer)
        return format_answer(*decision.hits.front().entry, max_bytes, relevance);
    if (decision.action == Action::both)
        return format_both(*decision.hits[0].entry, *decision.hits[1].entry, max_bytes, relevance,
                           decision.two_questions);
    return {};
}

Decision with_two_questions(const Index& index, std::string_view text, std::string_view district,
                            const Decision& decision, const Thresholds& thresholds, bool in_group,
                            bool mentioned) {
    if (!thresholds.two_questions || thresholds.both_gap <= 0) return decision;
    TwoQuestions parts = two_questions(text);
    const bool marked = !parts.first.empty();
    if (!marked && thresholds.two_questions_unmarked) parts = two_asking_clauses(text);
    if (parts.first.empty()) return decision;
    const auto one_answer = [&](std::string_view part) {
        return decide(index.search(part, district), thresholds, in_group, mentioned);
    };
    // Each part answered (two readings of a part: its best).
    const Decision first = one_answer(parts.first);
    if (!answers(first.action)) return decision;
    const Decision second = one_answer(parts.second);
    if (!answers(second.action)) return decision;
    const Entry* first_entry = first.hits.front().entry;
    const Entry* second_entry = second.hits.front().entry;
    if (first_entry == second_entry) return decision;
    // Without a word that opens a second question, the parts may be one question asked on: they
    // never drop an entry the whole message is answered with.
    if (!marked && answers(decision.action))
        for (const Hit& hit : decision.hits)
            if (hit.entry != first_entry && hit.entry != second_entry) return decision;
    Decision both;
    both.action = Action::both;
    both.hits = {first.hits.front(), second.hits.front()};
    both.offer_lawyer = first.offer_lawyer || second.offer_lawyer;
    both.two_questions = true;
    return both;
}

Decision with_complement(const Index& index, std::string_view text, const std::vector<Hit>& hits,
                         const Decision& decision, const Thresholds& thresholds) {
    if (thresholds.complement_share <= 0 || thresholds.both_gap <= 0 ||
        decision.action != Action::answer || hits.size() < 2)
        return decision;
    const Hit& top = hits.front();
    const Hit* best = nullptr;
    double best_share = 0;
    const std::size_t runners_up = std::min<std::size_t>(hits.size(), 3);
    for (std::size_t i = 1; i < runners_up; ++i) {
        const Hit& hit = hits[i];
        if (hit.score < thresholds.complement_second ||
            top.score - hit.score > thresholds.complement_gap || service_then_legal(top, hit))
            continue;
        const double share = index.uncovered_share(text, *top.entry, *hit.entry);
        if (share > best_share) {
            best = &hit;
            best_share = share;
        }
    }
    if (best == nullptr || best_share < thresholds.complement_share) return decision;
    Decision both = decision;
    both.action = Action::both;
    both.hits = {top, *best};
    both.offer_lawyer = decision.offer_lawyer || best->entry->handoff;
    return both;
}

}  // namespace kayou::faq
