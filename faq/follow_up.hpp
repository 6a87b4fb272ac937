#pragma once
// A short question that leans on the one before it ("那要多久", "要是单位不给报呢",
// "还有别的办法吗") says too little to be searched alone: searched alone, "要是单位不给报呢" after
// a work-injury question found a speeding-fine entry. In a private chat the legal service also
// searches it after the driver's last legal question (the topic) and keeps whichever search matches
// better (faq::answer_from). Pure functions, table-tested in tests/unit/faq_follow_up_test.cpp.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "faq/index.hpp"

namespace kayou::faq {

// A message longer than this many characters (code points, punctuation and spaces excluded)
// stands on its own.
inline constexpr std::size_t kFollowUpMaxChars = 16;

// The message asks something: a question word or mark ("咋", "多久", "吗", "？"), or ends in 不
// ("能要回来不"). "装车的时候我拍了视频", "好的 谢谢" do not.
bool asks_something(std::string_view message);

// The words with which a driver asks for a shorter answer ("太长了", "说简单点", "说重点",
// "太长咧额看不懂"), as faq::answer_from removes them to find what is left to ask.
std::span<const std::string_view> brevity_words();
// How many Chinese characters `text` says, leaving out the marks ，。？！ and any of `ignored`
// (fillers): what a message says beside the words taken out of it.
std::size_t characters_said(std::string_view text, std::u32string_view ignored = {});
// Whether `message` asks for a shorter answer (one of brevity_words()).
bool asks_for_brevity(std::string_view message);
// "后面呢 咋没说完", "我要看上一条完整的": the rest of an answer that was cut (legal helper,
// session 26: it got numbered choices twice).
bool asks_for_the_rest(std::string_view message);

// Whether `message` has the shape of a follow-up: short, and either opening with a word that
// points back (那, 那么, 还有, 还能, 要是, 如果, 万一, 另外, 然后, 这样, 这种 …), ending in 呢
// ("单位不给报呢"), or no more than an aspect (asks_only_aspect: "要多久", "多少钱"). Punctuation
// and spaces around it do not count.
bool leans_on_previous(std::string_view message);

// The text searched for a follow-up: the topic, then the message, so that the long-story search
// (faq/focus.hpp) takes the message as the asking part and the topic as its background.
std::string with_topic(std::string_view topic, std::string_view message);

// The topic a follow-up leans on, from the driver's earlier messages (oldest first, the follow-up
// itself not included): the latest one that stands on its own, reached back through follow-ups
// only ("工伤认定要多久" ← "那要准备啥" ← "要是单位不给报呢"). Empty when there is none.
std::string topic_of(std::span<const std::string> earlier);

// A follow-up's own search (`hits`, best first) among entries its words fit about as well: the one
// nearest its topic first ("那保险呢" after a work-injury story: the uninsured employer's entry,
// not the own-injury motor-insurance one that "保险" alone finds first). Hits within `near` of
// the best are ordered by score + kTopicWeight × the entry's score in `topic_hits` (a search of
// the topic); the scores stay where they were, so the decision (answer, both, choices) is the
// one the follow-up's words earned.
inline constexpr double kTopicWeight = 0.3;
inline constexpr double kNearTheBest = 0.1;
void prefer_topic(std::vector<Hit>& hits, const std::vector<Hit>& topic_hits,
                  double near = kNearTheBest);

// What a short question asks of the answer before it, when its words say so.
enum class Aspect {
    none,
    papers,  // 材料, 证据, 带啥, 手续
    phone,   // 电话, 热线, 号码
    money,   // 多少钱, 赔多少, 怎么算, 收费
    time,    // 多久, 几天, 啥时候, 时效
    place,   // 去哪, 找谁, 哪个部门
    steps,   // 先干啥, 第一步, 下一步
};

// The aspect a message asks about, checked in the order above ("要带啥材料去哪交" asks for
// papers); Aspect::none when no word of one is in it.
Aspect asked_aspect(std::string_view message);

// Whether a message asks for an aspect and names nothing else ("要准备啥材料", "那要多久",
// "去哪申请"): once the aspect's words, pointers back (那, 还) and fillers (要, 需要, 得, 能,
// 申请, 办 …) are taken out, at most one character is left. "罚款多少钱" names 罚款.
bool asks_only_aspect(std::string_view message);

// How a reply names the aspect: "时间", "钱", "去哪办", "材料", "电话", "先做什么"; "" for none.
std::string_view aspect_label(Aspect aspect);

// The sentences of `answer` that speak to `aspect` (faq::split_sentences), in
// their order and at most `max_sentences` of them; empty when none does. Time: a number with a
// unit of time (60个工作日, 1年, 5日) or 时效/期限; money: 元, 倍, %, 费, 赔偿金 …; place:
// 局, 法院, 委员会, 经办机构, 热线 …; papers: 材料, 证据, 记录, 病历, 发票 …; phone: five digits
// in a row or 热线.
std::vector<std::string> sentences_about(std::string_view answer, Aspect aspect,
                                         std::size_t max_sentences = 5);

// The reply to a follow-up about the answer just sent whose words name no aspect ("那黑名单多久
// 能消" after the ETC answer, "那要是超了百分之三十呢" after the overload fines): the sentences of
// that answer most relevant to it (`relevance`: Index::sentence_relevance of the follow-up), at
// most kPartSentences in the answer's order, each holding at least kRelevantPart of what it asks,
// and the sentence after the most relevant one. Empty when none does.
inline constexpr double kRelevantPart = 0.35;
// When the message's own search is unsure (numbered choices, or nothing) its sentences need less:
// a driver's "在医院抢救了三天才走的" shares only 抢救 with the 48-hour sentences (about 0.09),
// and the alternative is choices on another topic. Chosen on the blind tuning conversations
// (faq/eval/followups_blind_ca.yaml, docs/BENCHMARKS.md "Session 22").
inline constexpr double kRelevantWhenUnsure = 0.1;
// "你还没说 我能不能在武进法院告": he did not find it in the answer he got; whatever of it speaks
// to his words at all is better than "已经说到了，不再重复" (legal helper, session 24: the
// sentence was near the end of 800 characters).
inline constexpr double kRelevantWhenNotSeen = 0.05;
inline constexpr std::size_t kPartSentences = 3;
std::string relevant_part(std::string_view answer, const SentenceRelevance& relevance,
                          double min_share = kRelevantPart);

// The reply to a follow-up whose best match is the answer just sent ("老板欠我工资咋办" → "那要
// 多久"): the sentences of that answer on what it asks, not the whole answer again. Empty when
// the follow-up names no aspect or the answer says nothing of it.
std::string answer_part(std::string_view answer, std::string_view follow_up);

}  // namespace kayou::faq
