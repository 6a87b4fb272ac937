#include "faq/legal_service.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <utility>

#include "faq/content.hpp"
#include "faq/focus.hpp"
#include "faq/follow_up.hpp"
#include "faq/limitation.hpp"
#include "faq/live_content.hpp"
#include "faq/scrub.hpp"
#include "faq/sums.hpp"
#include "faq/tickets.hpp"
#include "text/beijing_time.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::faq {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kAboutLawyers[] = {"吗",   "多少", "怎么", "有用", "贵", "哪",
                                              "靠谱", "收费", "要钱", "？",   "?"};

// "…我当场报警的 找律师", "你老说一样的 帮我找个律师吧", "算了 人工吧": the request as the last
// clause, after his case or his complaint (these got the menu; legal helper, session 22).
bool ends_with_request(std::string_view text) {
    std::u32string points = text::decode_utf8(text);
    while (!points.empty() &&
           std::u32string_view(U" \t\r\n。！!～~").find(points.back()) != std::u32string_view::npos)
        points.pop_back();
    const std::size_t gap = points.find_last_of(U" \t\n，,。！!：:；;");
    if (gap == std::u32string::npos) return false;  // no earlier clause: the checks above
    std::u32string clause = points.substr(gap + 1);
    constexpr std::u32string_view kTails[] = {U"快点", U"赶紧", U"吧", U"啊",
                                              U"呀",   U"了",   U"嘛", U"哈"};
    for (bool cut = true; cut;) {
        cut = false;
        for (const auto tail : kTails)
            if (clause.size() > tail.size() && std::u32string_view(clause).ends_with(tail)) {
                clause.resize(clause.size() - tail.size());
                cut = true;
            }
    }
    constexpr std::u32string_view kRequests[] = {
        U"人工",         U"转人工",       U"找人工",     U"要人工",   U"我要人工",
        U"找律师",       U"要律师",       U"我要律师",   U"找个律师", U"帮我找律师",
        U"帮我找个律师", U"给我找个律师", U"我要找律师", U"找真人"};
    return std::any_of(std::begin(kRequests), std::end(kRequests),
                       [&](std::u32string_view request) { return clause == request; });
}

}  // namespace

bool leaves_legal_context(const LegalReply& reply) {
    const auto legal = [](const Hit& hit) { return hit.entry == nullptr || hit.entry->legal; };
    if (!answers(reply.action)) return reply.hits.empty() || legal(reply.hits.front());
    return std::any_of(reply.hits.begin(), reply.hits.end(), legal);
}

bool asks_for_person(std::string_view text) {
    // Short texts only: "律师说过要签合同" is a question that mentions a lawyer, not a request.
    constexpr std::string_view kPhrases[] = {"人工", "转人工", "找律师",   "律师",    "要律师",
                                             "真人", "找人工", "人工服务", "法律援助"};
    std::string trimmed;
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') trimmed += c;
    for (auto suffix : {std::string_view("。"), std::string_view("！"), std::string_view("!")})
        while (trimmed.size() >= suffix.size() &&
               std::string_view(trimmed).substr(trimmed.size() - suffix.size()) == suffix)
            trimmed.resize(trimmed.size() - suffix.size());
    for (auto phrase : kPhrases)
        if (trimmed == phrase) return true;
    // After the request, "要多少钱", "有用吗": a question about lawyers, not a request.
    const auto asks_about_lawyers = [](std::string_view rest) {
        return rest.size() <= 12 * 3 && text::contains_any(rest, kAboutLawyers);
    };
    // "我要找律师", "帮我转人工": a request phrase inside a short message.
    if (trimmed.size() <= 8 * 3)
        for (auto phrase : {std::string_view("找律师"), std::string_view("转人工"),
                            std::string_view("要律师"), std::string_view("人工服务")})
            if (const auto at = trimmed.find(phrase); at != std::string::npos)
                return !asks_about_lawyers(std::string_view(trimmed).substr(at + phrase.size()));
    // "找律师 我电话139… 常州金通物流欠我运费三万八": the request first, then his case after a
    // break ("找律师要多少钱", with no break, asks about lawyers).
    const std::string_view whole(text);
    const auto begin = whole.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return false;
    const std::string_view opened = whole.substr(begin);
    for (auto request :
         {std::string_view("找律师"), std::string_view("我要找律师"), std::string_view("我找律师"),
          std::string_view("帮我找律师"), std::string_view("转人工"), std::string_view("人工"),
          std::string_view("要律师"), std::string_view("我要律师")}) {
        if (!opened.starts_with(request)) continue;
        const std::string_view rest = opened.substr(request.size());
        if (asks_about_lawyers(rest)) return false;  // "找律师，要多少钱", "找律师 有用吗"
        for (auto gap : {std::string_view(" "), std::string_view("，"), std::string_view(","),
                         std::string_view("："), std::string_view(":"), std::string_view("。"),
                         std::string_view("！"), std::string_view("\n")})
            if (rest.starts_with(gap) && rest.size() > gap.size()) return true;
    }
    return ends_with_request(text);
}

std::string answer_gist(const Entry& entry, std::size_t max_chars) {
    // The answer's first sentence: what the driver would learn, so he can tell which one fits.
    // A bare "能。" or "不行！" tells him nothing of which question it answers: the sentence after
    // it comes too (a choice read "2. 能"; legal helper, session 24).
    constexpr std::size_t kShortestGist = 6;
    const std::u32string answer = text::decode_utf8(entry.answer);
    std::size_t end = answer.size();
    for (std::size_t i = kShortestGist; i < answer.size(); ++i) {
        if (answer[i] == U'。' || answer[i] == U'；' || answer[i] == U'！' || answer[i] == U'\n') {
            end = i;
            break;
        }
    }
    std::u32string gist = answer.substr(0, end);
    if (gist.size() > max_chars) gist = gist.substr(0, max_chars - 1) + U"…";
    return text::encode_utf8(gist);
}

namespace {

// How many characters a request for a person must say besides it to carry his story.
constexpr std::size_t kStoryChars = 8;

// A follow-up that only finds the answer just sent again (and asks no aspect of it).
constexpr std::string_view kAnswerStands =
    "我这里能说的，刚才那条回答里都有了，怕没说到您要的点上。您可以把情况再多说几句（比如对方"
    "怎么说的、有没有证据、钱怎么算），我再找找；或者回复“人工”转律师值班，也可以拨打职工服务"
    "热线12351。";

// A corrected figure whose answer gives no sum: the answer stands.
constexpr std::string_view kCorrectionNoted =
    "好的，记下了。按您改过的情况，刚才的回答照样适用；要按您的情况细算的，回复“人工”转律师值班，"
    "也可以拨打职工服务热线12351。";

// The reply is `entry`'s alone, with `text`.
void answer_with_entry(LegalReply& reply, const Entry& entry, std::string text) {
    reply.action = Action::answer;
    reply.hits = {Hit{&entry, 1.0}};
    reply.entry_ids = {entry.id};
    reply.texts = {std::move(text)};
}

// The rule his figures work, and the sum: first among the answers sent, then among what his
// story finds (after a numbered pick or a side answer the rule may be a neighbour's: a grade-10
// story's "帮我算算" got the work-death benefits; "说错了 是欠了4个月" after a dismissal answer
// has the wage-arrears rule). Searched only when no answer sent works it.
struct WorkedSum {
    const Entry* entry = nullptr;
    std::string sum;
};
constexpr std::size_t kStoryHits = 5;

// `earlier`: his earlier messages, searched for the rule; `figures_before`: those whose figures
// count beside `text`'s ("" when `text` holds them already, corrected).
WorkedSum worked_sum(const Index& index, const LegalQuestion& question, std::string_view text,
                     const std::string& earlier, std::string_view figures_before, bool asked) {
    for (const std::string& id : question.answered_before)
        if (const Entry* entry = index.script().find(id))
            if (std::string sum =
                    sum_for_driver(*entry, text, figures_before, asked, question.today);
                !sum.empty())
                return {entry, std::move(sum)};
    for (const Hit& hit : index.search(earlier, question.district, kStoryHits))
        if (hit.entry)
            if (std::string sum =
                    sum_for_driver(*hit.entry, text, figures_before, asked, question.today);
                !sum.empty())
                return {hit.entry, std::move(sum)};
    return {};
}

// The first answer sent that is still in the script.
const Entry* first_answered(const Index& index, const LegalQuestion& question) {
    for (const std::string& id : question.answered_before)
        if (const Entry* entry = index.script().find(id)) return entry;
    return nullptr;
}

// "不是运费 是工资", "不是货拉拉 是满帮": 不是 before a word, not a figure (number_at).
bool renames_the_matter(std::string_view text) {
    constexpr std::string_view kNot = "不是";
    for (std::size_t at = text.find(kNot); at != std::string_view::npos;
         at = text.find(kNot, at + 1)) {
        std::size_t next = at + kNot.size();
        while (next < text.size() && text[next] == ' ') ++next;
        if (next >= text.size()) break;
        if (!number_at(text.substr(next))) return true;
    }
    return false;
}

// "说错了 是干了4年2个月", "不对 修了12天不是8天" right after an answer (legal helper, session 25:
// the severance rule's sentences came again, or "没看懂"): the sum of the answer he got, worked
// again with the figure he means and the question he asked, or that the answer stands. False
// when the message corrects nothing or there is no answer before it.
bool answer_correction(LegalReply& reply, const Index* index, const LegalQuestion& question) {
    if (!index || question.answered_before.empty() || question.topic.empty() ||
        !corrects_a_figure(question.text))
        return false;
    const Entry* first = index->script().find(question.answered_before.front());
    if (!first) return false;
    // His earlier messages hold the question and the rest of his figures (the topic alone may be
    // an earlier correction); the figure he means comes first, the one he denies is gone.
    // Where it denies a figure ("是扣3分 不是6分") the earlier one is replaced, and said once:
    // points add up.
    const std::string& earlier =
        question.said_before.empty() ? question.topic : question.said_before;
    const std::string corrected = with_corrected_figures(question.text, earlier);
    const std::string asked =
        corrected != earlier ? corrected : without_denied_figures(question.text) + " " + earlier;
    // `asked` holds his earlier messages already: with them again, "不对 是51吨" after "称了52吨"
    // kept the larger 52 while saying it used his figure (legal helper, session 29).
    const WorkedSum worked = worked_sum(*index, question, asked, earlier, {}, false);
    // "不是运费 是工资 …": he corrects what the matter is, not only a figure; "刚才的回答照样适用"
    // would keep an answer that said wages were no case for arbitration (regression helper,
    // session 29). The message is answered as a question of its own.
    if (worked.sum.empty() && renames_the_matter(question.text)) return false;
    // "说错了不是50是80 还有…会员费能退不", "说的不对啊 我没单位 就问新农合断了2年现在交 几个月
    // 能报": a correction that asks something new, with no sum to work, is that question; "刚才的
    // 回答照样适用" dropped it (platform helper, session 30).
    if (worked.sum.empty() && asks_something(question.text)) return false;
    answer_with_entry(reply, worked.entry ? *worked.entry : *first,
                      worked.sum.empty()
                          ? std::string(kCorrectionNoted)
                          : "好的，按您改过的数重新算：\n" + worked.sum + "其他的和刚才说的一样。");
    return true;
}

// A sum no rule of his answers works ("一共能拿多少" after a crash with shared fault).
constexpr std::string_view kSumNeedsALawyer =
    "这个数要按您的具体情况细算（比如责任比例、当地标准、已经拿到的钱），我这里算不准。"
    "回复“人工”转律师值班帮您算，也可以拨打职工服务热线12351。";

// "修车报价1万2 停了5天 一天跑一趟净挣800 那我总共能要多少" (the benefits list, then "答不好"),
// "那我住院这20天工资他要给不 我一个月7500" (choices without the sum; legal helper, session 27):
// his figures for the rule just answered, asked as a sum or whether it is paid. Only the answers
// sent are tried: a new question with figures is searched as any other.
bool answer_figures_given(LegalReply& reply, const Index& index, const LegalQuestion& question,
                          const std::string& earlier) {
    constexpr std::size_t kLongestFiguresFollowUp = 48;
    if (text::code_point_count(question.text) > kLongestFiguresFollowUp) return false;
    // "我是1974年的 男的" after the pension answer asked for it: figures and nothing asked.
    const bool only_figures = !asks_something(question.text) && figures_in(question.text).any();
    if (!only_figures && !asks_for_a_sum(question.text) &&
        !text::contains_any(question.text, {"给不", "给吗", "发不发", "要给", "该给"}))
        return false;
    // The message's own figures must work the rule: "骨折要是评个十级 能拿多少" after the paid
    // leave's sum got that sum again, three times (legal helper, session 27).
    for (const std::string& id : question.answered_before)
        if (const Entry* entry = index.script().find(id))
            if (!sum_for_driver(*entry, question.text).empty()) {
                std::string sum =
                    sum_for_driver(*entry, question.text, earlier, false, question.today);
                answer_with_entry(reply, *entry, std::move(sum) + kReachPerson);
                return true;
            }
    return false;
}

// "那我一共能拿多少 你帮我算算" right after an answer whose rule works a sum (legal helper,
// session 26: after the wage-arrears answer it found the work-death benefits and the disability
// table): that sum from his figures, or which figures it still needs. False when the message
// asks for no sum, is longer than a short follow-up, or has words of its own and no rule works
// its sum (then it is searched as any question).
bool answer_sum_asked(LegalReply& reply, const Index* index, const LegalQuestion& question) {
    // "二倍工资 10个月 每月7000 是不是7万块": his own sum, checked (it was taken for a correction
    // and told "刚才的回答照样适用"; money helper, session 26).
    const std::optional<long> his_sum = sum_he_states(question.text);
    const bool bare = asks_only_for_a_sum(question.text);
    // "一个月8000 欠3个月 是不是24000" after a miss: no answer before it, his story is searched.
    if (!index || (question.answered_before.empty() && !his_sum)) return false;
    const std::string& earlier =
        question.said_before.empty() ? question.topic : question.said_before;
    if (!his_sum && !bare) return answer_figures_given(reply, *index, question, earlier);
    if (text::code_point_count(question.text) > kShortAfterAnswerChars) return false;
    if (WorkedSum worked = worked_sum(*index, question, question.text, earlier, earlier, true);
        worked.entry) {
        std::string text;
        constexpr double kRoundedShare = 0.02;
        if (his_sum && sum_holds(worked.sum, *his_sum))
            text = "对，您算的" + std::to_string(*his_sum) + "元没错：\n";
        else if (his_sum && sum_holds(worked.sum, *his_sum, kRoundedShare))
            text = "对，差不多是这个数（" + std::to_string(*his_sum) + "元左右）：\n";
        else if (his_sum)
            text = "和您算的" + std::to_string(*his_sum) + "元不一样，按规定是这样算：\n";
        answer_with_entry(reply, *worked.entry, std::move(text) + worked.sum + kReachPerson);
        return true;
    }
    // No rule works it: a bare ask gets which figures the answer needs, or a lawyer, never
    // another topic's table; a question of its own ("一次性工亡补助金到底是多少钱 是不是100来万")
    // is searched as any other.
    if (!bare) return false;
    const Entry* first = first_answered(*index, question);
    if (!first)
        for (const Hit& hit : index->search(earlier, question.district, kStoryHits))
            if (!first && hit.entry) first = hit.entry;
    if (!first) return false;
    const std::string needs = figures_a_sum_needs(*first);
    answer_with_entry(reply, *first,
                      needs.empty() ? std::string(kSumNeedsALawyer)
                                    : "要按您的情况算，还差这几个数：" + needs +
                                          "。发给我，我帮您算；要律师细算的，回复“人工”。");
    return true;
}

// "后面呢 咋没说完" right after a shortened answer: that answer whole, as far as the channel takes
// it (it got numbered choices twice; legal helper, session 26).
bool answer_the_rest(LegalReply& reply, const Index* index, const LegalQuestion& question) {
    if (!index || question.answered_before.empty() || !asks_for_the_rest(question.text) ||
        text::code_point_count(question.text) > kShortAfterAnswerChars)
        return false;
    const Entry* entry = index->script().find(question.answered_before.front());
    if (!entry) return false;
    // A channel that sends one message per turn gets what fits.
    std::string whole = format_answer(*entry, std::numeric_limits<std::size_t>::max());
    if (whole.size() <= question.max_bytes || !question.follow_up) {
        answer_with_entry(reply, *entry,
                          whole.size() <= question.max_bytes
                              ? std::move(whole)
                              : format_answer(*entry, question.max_bytes));
        return true;
    }
    // Longer than one message takes: as many as it needs, each ending a sentence (the whole cut
    // again ended in "…"; money helper, session 26).
    std::vector<std::string> parts;
    std::string rest = entry->answer + "\n" + kReachPerson;
    constexpr std::string_view kStop = "。";
    while (!rest.empty()) {
        std::size_t cut = rest.size();
        if (cut > question.max_bytes) {
            cut = rest.rfind(kStop, question.max_bytes - kStop.size());
            cut = cut == std::string::npos ? text::utf8_prefix_length(rest, question.max_bytes)
                                           : cut + kStop.size();
        }
        parts.push_back(rest.substr(0, cut));
        rest.erase(0, cut);
    }
    answer_with_entry(reply, *entry, parts.front());
    reply.follow_ups.assign(parts.begin() + 1, parts.end());
    return true;
}

// "你还没说…", "没看到说…": the answer he got did not show him what he asked.
bool says_not_answered(std::string_view text) {
    return text::contains_any(text,
                              {"还没说", "没说", "没回答", "没看到", "没看见", "没讲", "没提"});
}

// "要准备啥材料" right after an answer asks what that answer says of it: searched, the bare
// aspect drifts to another topic's entry (a wage answer's "要准备啥材料" found the freight
// lawsuit's materials). The entry answered first, when it says something of the aspect.
const Entry* bare_aspect_target(const Index* index, const LegalQuestion& question) {
    if (!index || question.answered_before.empty() || !asks_only_aspect(question.text))
        return nullptr;
    return index->script().find(question.answered_before.front());
}

// Whether `hit` is an entry the turn before answered.
bool answered_before(const LegalQuestion& question, const Hit& hit) {
    const auto& before = question.answered_before;
    return std::find(before.begin(), before.end(), hit.entry->id) != before.end();
}

// A follow-up whose best match is the answer just sent ("老板欠我工资咋办" → "那要多久").
const Entry* repeated_target(const Decision& decision, const LegalQuestion& question) {
    if (!answers(decision.action) || decision.hits.empty() || !decision.hits.front().entry)
        return nullptr;
    if (!answered_before(question, decision.hits.front())) return nullptr;
    return decision.hits.front().entry;
}

// Fills `reply` with `part` of the answer just sent (`answered`) and the way to a person; false
// (reply untouched) when there is no part or it does not fit the channel.
bool answer_with(LegalReply& reply, const Entry& answered, std::string part,
                 const LegalQuestion& question) {
    if (part.empty()) return false;
    // His figures worked through first, as a whole answer has them ("躺了两个月 一个月能挣1万2 能赔
    // 多少" got the lost-earnings sentences and no sum; money helper, session 26).
    part.insert(
        0, sum_for_driver(answered, question.text, question.said_before, false, question.today));
    part += "\n";
    part += kReachPerson;
    if (part.size() > question.max_bytes) return false;
    reply.action = Action::answer;
    // The hit is the answered entry's: whether the reply is a legal one is read from it
    // (bot/app.cpp legal_answer), and a search's other hits are not what was sent.
    Hit hit;
    hit.entry = &answered;
    hit.score = reply.hits.empty() ? 1.0 : reply.hits.front().score;
    reply.hits = {hit};
    reply.entry_ids = {answered.id};
    reply.texts = {std::move(part)};
    return true;
}

// The sentences of `answered` that speak to the aspect the follow-up asks (faq::answer_part).
bool answer_with_part(LegalReply& reply, const Entry* answered, const LegalQuestion& question) {
    return answered &&
           answer_with(reply, *answered, answer_part(answered->answer, question.text), question);
}

// Whether `entry`'s first tag (its topic: 工资, 运费, 工伤) is a tag of the entry answered last.
bool on_the_answered_topic(const Index& index, const LegalQuestion& question, const Entry* entry) {
    if (!entry || entry->tags.empty() || question.answered_before.empty()) return false;
    const Entry* answered = index.script().find(question.answered_before.front());
    return answered && std::find(answered->tags.begin(), answered->tags.end(),
                                 entry->tags.front()) != answered->tags.end();
}

// A follow-up paired with the answer just sent gets the new one alone; so does one whose first
// answer is on the topic just answered and whose second is not ("多久能拿到钱" after the wage
// answer: the wage timeline, not the court-enforcement one beside it; legal helper, session 30).
void keep_the_new_one(Decision& decision, const LegalQuestion& question, const Index& index) {
    if (decision.action != Action::both || answered_before(question, decision.hits.front())) return;
    const bool second_answered = answered_before(question, decision.hits[1]);
    const bool first_on_topic = on_the_answered_topic(index, question, decision.hits[0].entry) &&
                                !on_the_answered_topic(index, question, decision.hits[1].entry);
    if (second_answered || first_on_topic) {
        decision.action = Action::answer;
        decision.hits.resize(1);
    }
}

// The sentences of `answered` most relevant to the follow-up (faq::relevant_part).
bool answer_with_relevant_part(LegalReply& reply, const Entry* answered,
                               const LegalQuestion& question, const Index* index,
                               double min_share = kRelevantPart) {
    if (!answered || !index) return false;
    return answer_with(
        reply, *answered,
        relevant_part(answered->answer, index->sentence_relevance(question.text), min_share),
        question);
}

// The tags of the entry answered last ("工伤", "工资 欠薪"): the topic in the words the entries
// use, where the driver's story is long and says much else.
std::string answered_topic(const Index& index, const LegalQuestion& question) {
    if (question.answered_before.empty()) return {};
    const Entry* answered = index.script().find(question.answered_before.front());
    if (!answered) return {};
    constexpr std::size_t kTopicTags = 3;
    std::string topic;
    for (std::size_t i = 0; i < answered->tags.size() && i < kTopicTags; ++i)
        topic += (topic.empty() ? "" : " ") + answered->tags[i];
    return topic;
}

// Whether one of `entry`'s tags is in `text` ("那运费呢": 运费).
bool names_a_tag_of(const Entry* entry, std::string_view text) {
    return entry &&
           std::any_of(entry->tags.begin(), entry->tags.end(), [&](const std::string& tag) {
               return !tag.empty() && text.find(tag) != std::string_view::npos;
           });
}

// Whether a follow-up names the topic its own best match is about (one of the entry's tags is in
// it: "那运费呢", "那社保呢"), rather than leaning on the topic before it ("那他开我要赔钱吗" found
// a motor-accident entry by 开 and 赔钱; "两边都能拿吗" a pension entry).
bool names_own_topic(const std::vector<Hit>& hits, std::string_view text) {
    return !hits.empty() && names_a_tag_of(hits.front().entry, text);
}

// Whether an entry is about joining the union (its tags hold 入会).
bool about_joining(const Entry* entry) {
    return entry && std::find(entry->tags.begin(), entry->tags.end(), "入会") != entry->tags.end();
}

// "我是挂靠的 也一样吗" after an accident answer found "挂靠 drivers can join too" (legal helper,
// session 25, three times): after an answer on another topic, a follow-up that names neither the
// union nor joining asks about that topic, so entries about joining leave its hits.
void keep_off_joining(const Index& index, const LegalQuestion& question, std::vector<Hit>& hits) {
    if (question.answered_before.empty()) return;
    if (about_joining(index.script().find(question.answered_before.front()))) return;
    if (text::contains_any(question.text, {"工会", "入会", "会员", "会费", "入个会"})) return;
    std::erase_if(hits, [](const Hit& hit) { return about_joining(hit.entry); });
}

// A follow-up ("那保险呢", "要是老板不认呢", "两边都能拿吗") read with its topic
// (faq/follow_up.hpp): its own search ordered by the topic among near ties; searched after the
// driver's story, which wins when it matches better; and, when it names no topic of its own,
// searched after the answered entry's tags, which wins when it matches well enough. `hits` and
// `searched` become the winner's.
void read_with_topic(const Index& index, const LegalQuestion& question, std::vector<Hit>& hits,
                     std::string& searched) {
    constexpr std::size_t kTopicHits = 20;
    // A search after the tags that finds this little is no reading of the follow-up either.
    constexpr double kTaggedEnough = 0.6;
    const std::string tags = answered_topic(index, question);
    const std::string& topic_words = tags.empty() ? question.topic : tags;
    if (!topic_words.empty())
        prefer_topic(hits, index.search(topic_words, question.district, kTopicHits));
    const bool own_topic = names_own_topic(hits, question.text);
    const std::size_t top_k = PriorSearch::kPriorSearchTopK;
    if (!question.topic.empty()) {
        std::string joined_text = with_topic(question.topic, question.text);
        auto joined = index.search(joined_text, question.district, top_k);
        if (!joined.empty() && (hits.empty() || joined.front().score >= hits.front().score)) {
            hits = std::move(joined);
            searched = std::move(joined_text);
        }
    }
    if (tags.empty() || own_topic) return;
    std::string tagged_text = with_topic(tags, question.text);
    auto tagged = index.search(tagged_text, question.district, top_k);
    if (!tagged.empty() && tagged.front().score >= kTaggedEnough) {
        hits = std::move(tagged);
        searched = std::move(tagged_text);
    }
}

// At most this many characters, a message after an answer may be a bare ask ("要啥条件", "需要啥
// 手续"); longer ones say what they are about.
constexpr std::size_t kBareAskChars = 4;

// A short message right after a legal answer whose own words leave it unsure, or find that answer
// again ("要补多少 会罚款吗" after the ETC answer drew overload and paid-leave choices; "老板说给我
// 两万了事 要不要签" after a work-injury answer, a 挂靠 accident entry): read with its topic too
// (read_with_topic). When that reading is clear (one new answer), or finds the answer just sent
// (then the answer's part that speaks to it is sent), it is taken: `hits`, `searched` and
// `decision` become its, and true. A short question clear on its own keeps its own answer.
bool lean_on_topic(const Index& index, const LegalQuestion& question, const Thresholds& channel,
                   std::vector<Hit>& hits, std::string& searched, Decision& decision) {
    if (text::code_point_count(question.text) > kShortAfterAnswerChars) return false;
    // A clear new answer stands, unless the message is a few words that name nothing of that
    // answer's topic ("要啥条件" after the legal-aid answer found the green lane's conditions).
    const bool bare_ask = text::code_point_count(question.text) <= kBareAskChars;
    if (decision.action == Action::answer && !answered_before(question, decision.hits.front()) &&
        (!bare_ask || names_a_tag_of(decision.hits.front().entry, question.text)))
        return false;
    // "工伤认定要多久" after the ETC answer names a topic of its own (its best match's tag 工伤):
    // a new question, however weakly it matches.
    if (names_own_topic(hits, question.text)) return false;
    std::vector<Hit> topical_hits = hits;
    std::string topical_text = question.text;
    read_with_topic(index, question, topical_hits, topical_text);
    keep_off_joining(index, question, topical_hits);
    Decision topical = decide(topical_hits, channel, question.in_group, question.mentioned);
    if (!answers(topical.action)) return false;
    keep_the_new_one(topical, question, index);
    const bool about_answered = answered_before(question, topical.hits.front());
    if (!about_answered && topical.action != Action::answer &&
        !(bare_ask && topical.action == Action::both))
        return false;
    hits = std::move(topical_hits);
    searched = std::move(topical_text);
    decision = topical;
    return true;
}

// A short message right after an answer that the search leaves unsure (numbered choices, or
// nothing): the sentences of the answer just sent that speak to it, when there are any ("在医院抢
// 救了三天才走的" after the sudden-death answer got choices; its 48-hour sentence is the answer).
// The answers' order is the reply's: the first that has such sentences. A message naming a topic
// of its own ("ETC被拉黑了咋办" after a work-injury answer) is a new question, choices and all.
bool answer_from_answered(LegalReply& reply, const Index& index, const LegalQuestion& question,
                          const std::vector<Hit>& hits) {
    if (question.answered_before.empty() ||
        text::code_point_count(question.text) > kShortAfterAnswerChars)
        return false;
    // "没备案已经看完病了呢" names 备案, a tag of its best match and of the answer just sent too.
    const bool names_answered_topic =
        std::any_of(question.answered_before.begin(), question.answered_before.end(),
                    [&](const std::string& id) {
                        return names_a_tag_of(index.script().find(id), question.text);
                    });
    if (names_own_topic(hits, question.text) && !names_answered_topic) return false;
    for (const auto& id : question.answered_before) {
        const Entry* answered = index.script().find(id);
        if (answer_with_relevant_part(reply, answered, question, &index, kRelevantWhenUnsure))
            return true;
    }
    return false;
}

// "…被个小轿车追尾了 交警定的他全责…修车花了8000 停了3天 一天挣600 能要多少" got "我还答不
// 好" twice, then choices without the sum (legal helper, session 27): a story unsure as a whole
// that asks for a sum, where one of the entries it found works that sum with his figures, is
// answered with that entry.
void answer_the_sum_found(Decision& decision, const std::vector<Hit>& hits,
                          const Thresholds& channel, const LegalQuestion& question) {
    if (!asks_for_a_sum(question.text) && !sum_he_states(question.text)) return;
    constexpr std::size_t kSumHits = 5;
    for (std::size_t i = 0; i < hits.size() && i < kSumHits; ++i) {
        const Hit& hit = hits[i];
        if (!hit.entry || hit.score < channel.suggest) break;
        // His limitation period is no sum he asked for: "…两万押金 … 是不是就过期了" reads as
        // checking a sum of 20,000 (sum_he_states), and an entry was picked for its period.
        if (!limitation_for_driver(*hit.entry, question.text, question.today).empty()) continue;
        if (worked_sum_for_driver(*hit.entry, question.text, question.said_before, true,
                                  question.today)
                .empty())
            continue;
        decision.action = Action::answer;
        decision.hits = {hit};
        decision.offer_lawyer = hit.entry->handoff;
        return;
    }
}

// What the first hit with a rule gives for his figures (faq::sum_for_driver), or "".
std::string sum_from_hits(const std::vector<Hit>& hits, const LegalQuestion& question) {
    for (const Hit& hit : hits)
        if (hit.entry)
            if (std::string sum = sum_for_driver(*hit.entry, question.text, question.said_before,
                                                 false, question.today);
                !sum.empty())
                return sum;
    return {};
}

// The reply to `decision`: the answer (shortened to what was asked, `searched_text`), the
// choices, or the desk's offer.
void fill_reply(LegalReply& reply, const Decision& decision, const LegalQuestion& question,
                const Index* index, const std::string& searched_text) {
    switch (decision.action) {
        case Action::answer:
        case Action::both: {
            for (const auto& hit : decision.hits) reply.entry_ids.push_back(hit.entry->id);
            // A shortened answer keeps what the driver asked about (faq::format_answer).
            SentenceRelevance relevance;
            if (index) relevance = index->sentence_relevance(searched_text);
            // A group's short answer carries his figures worked through too: "4轴的车 总重38吨"
            // got the limits table cut before the fine (legal helper, session 25).
            if (question.in_group && decision.action == Action::answer) {
                reply.texts.push_back(sum_from_hits(decision.hits, question) +
                                      format_group_answer(*decision.hits.front().entry, relevance));
                break;
            }
            // His own figures worked through, first; his earlier messages may hold some of them
            // ("干了3年 工资7000" then "被开除了能赔多少"). The latest figure wins.
            const std::string sum = sum_from_hits(decision.hits, question);
            const std::size_t room = question.max_bytes > sum.size() * 2
                                         ? question.max_bytes - sum.size()
                                         : question.max_bytes;
            auto messages = answer_messages(decision, room, relevance, question.follow_up);
            messages.front().insert(0, sum);
            reply.texts.push_back(std::move(messages.front()));
            for (std::size_t i = 1; i < messages.size(); ++i)
                reply.follow_ups.push_back(std::move(messages[i]));
            break;
        }
        case Action::choices: {
            for (const auto& hit : decision.hits) reply.entry_ids.push_back(hit.entry->id);
            // "我干了4年零3个月 月薪8500 能赔多少" got choices and no sum (legal helper, session
            // 23): what the rule of a choice gives for his figures still comes first.
            std::string sum = sum_from_hits(decision.hits, question);
            reply.texts.push_back(sum + choices_text(decision.hits));
            break;
        }
        case Action::silence:
            break;
        case Action::handoff:
            reply.texts.push_back(handoff_offer_text());
            break;
    }
}

}  // namespace

std::string choices_text(const std::vector<Hit>& hits) {
    std::string text = "您问的可能是下面哪一种？";
    int n = 0;
    for (const auto& hit : hits) {
        if (!hit.entry || hit.entry->questions.empty()) continue;
        text += "\n" + std::to_string(++n) + ". " + answer_gist(*hit.entry, 40);
    }
    text += "\n" + std::to_string(n + 1) + ". 都不是 → 转人工";
    text += "\n回复数字即可";
    return text;
}

std::string handoff_offer_text() {
    return "这个问题我还答不好。回复\"人工\"或\"找律师\"，我帮您转律师值班并给您一个工单号；"
           "也可以拨打职工服务热线12351。";
}

namespace {

// "简单点说 2万给不给 去哪告", "又是这一大段 看不完": he asks for less. His words without the
// asking for it are the question, or with nothing else his last question is; either is answered
// in at most kBriefAnswerBytes (the rest is a "回复1看全文" away), and not as a follow-up that
// would say the answer was already given (legal helper, session 24: two long blocks again).
std::optional<LegalQuestion> asked_briefly(const LegalQuestion& question) {
    if (!asks_for_brevity(question.text) || asks_for_person(question.text)) return std::nullopt;
    std::string rest = text::replace_each_with_space(question.text, brevity_words());
    constexpr std::size_t kShortestQuestion = 4;
    LegalQuestion brief = question;
    brief.searched = {};
    brief.follow_up = false;
    brief.max_bytes = std::min(question.max_bytes, kBriefAnswerBytes);
    // "太长了 直接说能不能要" leaves "能不能要", which alone found the 精神损失费 entry three
    // times in three topics (legal helper, session 28): a few words lean on his question.
    constexpr std::size_t kLeansOnTopic = 6;
    if (characters_said(rest) >= kShortestQuestion) {
        const bool leans = characters_said(rest) <= kLeansOnTopic && !question.topic.empty();
        brief.text = leans ? question.topic + " " + rest : std::move(rest);
        return brief;
    }
    if (question.topic.empty()) return std::nullopt;
    brief.text = question.topic;
    brief.topic.clear();
    brief.answered_before.clear();
    return brief;
}

LegalReply answer_as_asked(std::shared_ptr<const Index> index, int version,
                           const LegalQuestion& question, const Thresholds& thresholds);

}  // namespace

LegalReply answer_from(std::shared_ptr<const Index> index, int version,
                       const LegalQuestion& question, const Thresholds& thresholds) {
    if (const auto brief = asked_briefly(question))
        return answer_as_asked(std::move(index), version, *brief, thresholds);
    return answer_as_asked(std::move(index), version, question, thresholds);
}

namespace {

LegalReply answer_as_asked(std::shared_ptr<const Index> index, int version,
                           const LegalQuestion& question, const Thresholds& thresholds) {
    LegalReply reply;
    reply.version = version;
    reply.asked_for_person = asks_for_person(question.text);
    if (reply.asked_for_person) {
        reply.action = Action::handoff;
        reply.index = std::move(index);
        return reply;
    }
    if (answer_correction(reply, index.get(), question) ||
        answer_sum_asked(reply, index.get(), question) ||
        answer_the_rest(reply, index.get(), question) ||
        answer_with_part(reply, bare_aspect_target(index.get(), question), question)) {
        reply.index = std::move(index);
        return reply;
    }
    std::vector<Hit> hits;
    const std::size_t top_k = PriorSearch::kPriorSearchTopK;
    // A plate or phone number in his story is searched as if it were not there (the prior search,
    // made on the message as typed, is no use then).
    const std::string plain =
        without_personal_data_for_search(without_disowned_part(question.text));
    if (plain == question.text &&
        question.searched.answers(index.get(), question.text, question.district))
        hits = question.searched.hits;
    else if (index)
        hits = index->search(plain, question.district, top_k);
    // A follow-up is also searched after its topic; the better match wins, so a follow-up that
    // names a topic of its own ("那运费呢") can still stand alone.
    std::string searched_text = question.text;
    const bool has_topic = !question.topic.empty() || !question.answered_before.empty();
    const bool follow_up = leans_on_previous(question.text);
    if (index && has_topic && follow_up) read_with_topic(*index, question, hits, searched_text);
    const bool short_after_answer = text::code_point_count(question.text) <= kShortAfterAnswerChars;
    if (index && has_topic && (follow_up || short_after_answer))
        keep_off_joining(*index, question, hits);
    if (searched_text != question.text) reply.searched_text = searched_text;
    // A group gets one short answer (format_group_answer): never two, so no pairing there.
    const std::size_t pairing_bytes =
        question.in_group ? std::min(question.max_bytes, kGroupAnswerBytes) : question.max_bytes;
    const Thresholds channel = channel_thresholds(thresholds, pairing_bytes, question.follow_up);
    Decision decision = decide(hits, channel, question.in_group, question.mentioned);
    if (index && !follow_up) {
        // "我想不干了 要提前多久说 押金能退吗": one answer for each (a follow-up is one question).
        decision = with_two_questions(*index, plain, question.district, decision, channel,
                                      question.in_group, question.mentioned);
        // "挂靠费不交会咋样" answered with the fine entry alone: 挂靠费 is only in the runner-up.
        decision = with_complement(*index, plain, hits, decision, channel);
    }
    if (decision.action == Action::handoff || decision.action == Action::choices)
        answer_the_sum_found(decision, hits, channel, question);
    // A short message right after a legal answer that its own words leave unsure reads as a
    // follow-up when its topic makes it clear (lean_on_topic).
    bool leaning = follow_up;
    if (index && has_topic && !follow_up &&
        lean_on_topic(*index, question, channel, hits, searched_text, decision)) {
        leaning = true;
        reply.searched_text = searched_text;
    }
    if (leaning && index) keep_the_new_one(decision, question, *index);
    reply.action = decision.action;
    reply.hits = decision.hits;
    const Entry* repeated = leaning ? repeated_target(decision, question) : nullptr;
    if (answer_with_part(reply, repeated, question) ||
        answer_with_relevant_part(reply, repeated, question, index.get())) {
        reply.index = std::move(index);
        return reply;
    }
    // "要是老板不认呢" after a wage answer found the wage answer again and sent it word for word:
    // the driver reads that he was not heard. What else the search found, when it is clear;
    // otherwise that the answer stands, and the way to a person.
    if (repeated) {
        std::erase_if(hits, [&](const Hit& hit) { return answered_before(question, hit); });
        decision = decide(hits, channel, question.in_group, question.mentioned);
        reply.action = decision.action;
        reply.hits = decision.hits;
        // A group member who did not address the bot hears nothing.
        if (decision.action == Action::silence) {
            reply.texts.clear();
            reply.index = std::move(index);
            return reply;
        }
        // Nothing else found: the answer's sentences that speak to it at all, before saying the
        // answer stands ("没备案已经看完病了呢" after the off-site filing answer: 补办).
        if (decision.action == Action::handoff &&
            answer_from_answered(reply, *index, question, hits)) {
            reply.index = std::move(index);
            return reply;
        }
        if (decision.action == Action::handoff && says_not_answered(question.text) &&
            answer_with_relevant_part(reply, index->script().find(question.answered_before.front()),
                                      question, index.get(), kRelevantWhenNotSeen)) {
            reply.index = std::move(index);
            return reply;
        }
        // Not answered: a miss for the inbox (with its topic), and the second in a row opens a
        // ticket as any miss does.
        if (decision.action == Action::handoff) {
            reply.action = Action::handoff;
            reply.hits.clear();
            reply.texts = {std::string(kAnswerStands)};
            reply.index = std::move(index);
            return reply;
        }
    }
    if (index && !answers(decision.action) && answer_from_answered(reply, *index, question, hits)) {
        reply.index = std::move(index);
        return reply;
    }
    fill_reply(reply, decision, question, index.get(), searched_text);
    reply.index = std::move(index);
    return reply;
}

}  // namespace

std::optional<std::string> answer_choice(const Index& index,
                                         const std::vector<std::string>& entry_ids, int number,
                                         std::size_t max_bytes, bool in_group) {
    if (number < 1 || static_cast<std::size_t>(number) > entry_ids.size()) return std::nullopt;
    const Entry* entry = index.script().find(entry_ids[static_cast<std::size_t>(number) - 1]);
    if (!entry) return std::nullopt;
    if (in_group) return format_group_answer(*entry, {});
    return format_answer(*entry, max_bytes);
}

bool opens_ticket(const LegalQuestion& question, const LegalReply& reply) {
    const bool addressed = !question.in_group || question.mentioned;
    if (reply.asked_for_person) return addressed;
    return !question.in_group && reply.action == Action::handoff &&
           question.misses_before + 1 >= kMissesForTicket;
}

std::string missed_ticket_text(std::string_view number) {
    return "这个问题我答不好，已经替您转给律师值班，工单号" + std::string(number) +
           "。律师一般在工作时间内答复，答复会在这里告诉您（入会时验证过手机号的，也会短信通知）；"
           "发送工单号可随时查询进度。急事请拨打职工服务热线12351。";
}

LegalService::LegalService(LiveContent& content, TicketDesk& tickets, Thresholds thresholds)
    : content_(content), tickets_(tickets), thresholds_(thresholds) {}

LegalReply LegalService::dry_run(const LegalQuestion& question) const {
    // One load: the index and its version number may change between two reads.
    auto index = content_.faq();
    if (question.today != 0)
        return answer_from(index, content_.version(ContentKind::faq), question, thresholds_);
    // The clock read here, at the edge: an age he gives and the dates of his case are worked
    // against today.
    LegalQuestion dated = question;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    dated.today = text::beijing_yyyymmdd(now);
    return answer_from(index, content_.version(ContentKind::faq), dated, thresholds_);
}

asio::awaitable<LegalReply> LegalService::ask(LegalQuestion question) {
    LegalReply reply = dry_run(question);
    if (!opens_ticket(question, reply)) co_return reply;
    NewTicket ticket;
    ticket.category = "legal";
    // "人工" alone says nothing: the desk needs the question the driver asked before.
    // if, not ?: (docs/coroutines.md).
    ticket.question = question.text;
    if (reply.asked_for_person && !question.previous_question.empty())
        ticket.question = question.previous_question + "（随后要求人工：" + question.text + "）";
    // The second miss in a row: the desk sees both questions.
    if (!reply.asked_for_person && !question.previous_question.empty())
        ticket.question = question.previous_question + "（随后又问：" + question.text + "）";
    ticket.channel = question.channel;
    ticket.chat_id = question.chat_id;
    ticket.sender_id = question.sender_id;
    // In a group the phone is never used: the driver did not give it there.
    if (!question.in_group) ticket.phone = question.phone;
    reply.ticket = co_await tickets_.open(std::move(ticket));
    reply.action = Action::handoff;
    // if, not ?: (docs/coroutines.md).
    std::string told = ticket_opened_text(reply.ticket);
    if (!reply.asked_for_person) told = missed_ticket_text(reply.ticket);
    if (question.in_group) told = group_ticket_opened_text(reply.ticket);
    // "我是刚才群里那个货拉拉封号的 人工" with no question before it: the lawyer knows nothing yet
    // and he was never asked ("律师知道我啥事不"; legal helper, session 27).
    // A request that tells the story itself ("货主压着尾款一万二不给 … 我要找律师") was asked for
    // it again (danger helper, session 29): it is in the ticket; evidence may follow.
    if (reply.asked_for_person && question.previous_question.empty() && !question.in_group) {
        const bool story_told = characters_said(text::replace_each_with_space(
                                    question.text, {"我要找律师", "找律师", "转人工", "人工",
                                                    "律师", "我要", "帮我", "转"})) >= kStoryChars;
        if (story_told)
            told +=
                "您说的情况已经写进工单，律师会看到；合同、聊天记录、转账记录这些证据，也可以发在"
                "这里补充。";
        else
            told +=
                "律师还不知道您的情况：请把事情经过发在这里（什么时候、发生了什么、对方是谁、"
                "想要什么结果），会补充到这个工单。";
    }
    reply.texts.clear();
    reply.texts.push_back(std::move(told));
    co_return reply;
}

}  // namespace kayou::faq
