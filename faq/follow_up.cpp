#include "faq/follow_up.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "faq/decide.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::faq {
namespace {

// The message without the spaces and punctuation around it (the chat's own edge cleaning,
// text::is_edge_punctuation).
std::u32string trimmed(std::string_view message) {
    std::u32string points = text::decode_utf8(message);
    std::size_t begin = 0, end = points.size();
    while (begin < end && text::is_edge_punctuation(points[begin])) ++begin;
    while (end > begin && text::is_edge_punctuation(points[end - 1])) --end;
    return points.substr(begin, end - begin);
}

std::size_t counted_chars(const std::u32string& points) {
    return static_cast<std::size_t>(std::count_if(
        points.begin(), points.end(), [](char32_t cp) { return !text::is_edge_punctuation(cp); }));
}

// Words that open a question about what was just said. Two-character words come before their
// first character's entry only for readability: any prefix match counts.
constexpr std::array<std::u32string_view, 22> kPointsBack = {
    U"那",
    U"还有",
    U"还能",
    U"还要",
    U"还得",
    U"还可以",
    U"要是",
    U"如果",
    U"万一",
    U"另外",
    U"然后",
    U"这样",
    U"这种",
    U"那种",
    U"假如",
    U"再",
    // Someone or something of the story: "他也没说录用条件是啥啊", "这钱谁出".
    U"他",
    U"她",
    U"对方",
    U"这个",
    U"这钱",
    U"这笔",
};
// Anywhere in a short message: both of what was just named ("两边都能拿吗").
constexpr std::array<std::u32string_view, 5> kBothOfThem = {U"两边", U"都能拿", U"也能拿",
                                                            U"都能要", U"两份"};

struct AspectWords {
    Aspect aspect;
    std::vector<std::u32string_view> asked;  // in the follow-up
    std::vector<std::u32string_view> said;   // in a sentence of the answer
};

const std::vector<AspectWords>& aspect_words() {
    static const std::vector<AspectWords> words = {
        {Aspect::papers,
         {U"材料", U"证据", U"带啥", U"带什么", U"准备啥", U"准备什么", U"手续", U"证件", U"啥东西",
          U"什么东西", U"证明"},
         {U"材料",   U"证据",   U"复印件", U"原件",   U"证明",   U"记录",  U"照片",   U"身份证",
          U"病历",   U"诊断",   U"发票",   U"单据",   U"截图",   U"收据",  U"工资条", U"对账单",
          U"决定书", U"驾驶证", U"行驶证", U"申请书", U"起诉状", U"社保卡"}},
        {Aspect::phone, {U"电话", U"热线", U"号码", U"打哪个", U"打多少", U"打几"}, {U"热线"}},
        {Aspect::money,
         {U"多少钱", U"钱多少", U"赔多少", U"给多少", U"拿多少", U"要多少", U"罚多少", U"扣多少",
          U"补多少", U"要钱", U"收费", U"花钱", U"费用", U"贵不贵", U"怎么算", U"咋算", U"标准"},
         {U"元", U"块", U"倍", U"%", U"个月工资", U"费", U"罚款", U"赔偿金", U"补偿", U"补助金",
          U"津贴", U"免费", U"不收"}},
        {Aspect::time,
         {U"多久", U"多长时间", U"多少时间", U"几天", U"多少天", U"几个月", U"多少个月", U"几年",
          U"多少年", U"啥时候", U"什么时候", U"时效", U"期限", U"多长", U"哪天", U"最晚", U"截止",
          U"多快"},
         {U"时效", U"期限", U"当天", U"当场", U"立即"}},
        {Aspect::place,
         {U"去哪", U"在哪", U"哪里", U"哪儿", U"找谁", U"哪个部门", U"找哪", U"向谁", U"上哪",
          U"谁管", U"归谁管", U"哪个单位", U"什么部门", U"啥部门"},
         {U"局", U"法院", U"委员会", U"仲裁委", U"交警", U"大队", U"窗口", U"中心", U"经办机构",
          U"部门", U"派出所", U"平台", U"客服", U"工会", U"热线", U"拨打", U"网站", U"小程序"}},
        // "那我该先干啥", "你说了半天 我到底该先干啥" got "已经说到了，不再重复" or "我还答不好"
        // (legal helper, session 30): the sentences that say what to do.
        {Aspect::steps,
         {U"先干啥", U"先干什么", U"先做啥", U"先做什么", U"先弄啥", U"先办啥", U"第一步",
          U"该干啥", U"该做啥", U"该干什么", U"该做什么", U"下一步", U"咋个弄", U"从哪下手"},
         {U"先", U"尽快", U"立即", U"马上", U"第一时间", U"申请", U"报警", U"拨打", U"打12",
          U"保存", U"留好", U"保留", U"拍照", U"收集", U"备齐", U"投诉", U"起诉"}},
    };
    return words;
}

bool contains_any(std::u32string_view text, const std::vector<std::u32string_view>& words) {
    return std::any_of(words.begin(), words.end(),
                       [&](std::u32string_view word) { return text.find(word) != text.npos; });
}

bool is_numeral(char32_t cp) {
    return (cp >= U'0' && cp <= U'9') || (cp >= U'０' && cp <= U'９') ||
           std::u32string_view(U"一二三四五六七八九十两半百几").find(cp) !=
               std::u32string_view::npos;
}

// "60个工作日", "1年", "5日内", "三个月": a number, an optional 个, then a unit of time.
bool names_a_duration(std::u32string_view sentence) {
    constexpr std::u32string_view kUnits[] = {U"工作日", U"日",   U"天", U"月",
                                              U"年",     U"小时", U"周", U"星期"};
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        if (!is_numeral(sentence[i])) continue;
        std::size_t next = i + 1;
        while (next < sentence.size() && is_numeral(sentence[next])) ++next;
        if (next < sentence.size() && sentence[next] == U'个') ++next;
        const std::u32string_view rest = sentence.substr(next);
        for (const auto unit : kUnits)
            if (rest.starts_with(unit)) return true;
        i = next - 1;
    }
    return false;
}

bool names_a_phone_number(std::u32string_view sentence) {
    std::size_t run = 0;
    for (char32_t cp : sentence) {
        run = (cp >= U'0' && cp <= U'9') ? run + 1 : 0;
        if (run >= 5) return true;
    }
    return false;
}

bool speaks_to(std::u32string_view sentence, const AspectWords& words) {
    if (contains_any(sentence, words.said)) return true;
    if (words.aspect == Aspect::time) return names_a_duration(sentence);
    if (words.aspect == Aspect::phone || words.aspect == Aspect::place)
        return names_a_phone_number(sentence);
    return false;
}

const AspectWords* words_of(Aspect aspect) {
    for (const auto& words : aspect_words())
        if (words.aspect == aspect) return &words;
    return nullptr;
}

}  // namespace

Aspect asked_aspect(std::string_view message) {
    const std::u32string points = text::decode_utf8(message);
    for (const auto& words : aspect_words())
        if (contains_any(points, words.asked)) return words.aspect;
    return Aspect::none;
}

bool asks_only_aspect(std::string_view message) {
    std::u32string rest = trimmed(message);
    const Aspect aspect = asked_aspect(message);
    if (aspect == Aspect::none) return false;
    const auto remove_all = [&](std::u32string_view word) {
        for (auto at = rest.find(word); at != rest.npos; at = rest.find(word))
            rest.erase(at, word.size());
    };
    for (const auto word : words_of(aspect)->asked) remove_all(word);
    constexpr std::u32string_view kFillers[] = {
        U"那么", U"那", U"还", U"需要", U"要", U"得", U"能", U"可以", U"申请", U"办理", U"办",
        U"交", U"报", U"去", U"的", U"吗", U"呢", U"啊", U"呀", U"一般", U"大概", U"请问", U"我",
        U"都", U"些", U"哪些", U"多少", U"准备", U"带", U"啥", U"什么",
        // "去哪告他", "找谁投诉": where to complain about what was just said is its place.
        U"告他", U"告", U"投诉", U"举报", U"他们", U"他",
        // "多久之内要提": the time of what was just said.
        U"之内", U"以内",
        // "我到底该先干啥": what to do next about what was just said.
        U"到底", U"应该", U"该"};
    for (const auto word : kFillers) remove_all(word);
    return counted_chars(rest) <= 1;
}

std::string_view aspect_label(Aspect aspect) {
    switch (aspect) {
        case Aspect::papers:
            return "材料";
        case Aspect::phone:
            return "电话";
        case Aspect::money:
            return "钱";
        case Aspect::time:
            return "时间";
        case Aspect::place:
            return "去哪办";
        case Aspect::steps:
            return "先做什么";
        case Aspect::none:
            break;
    }
    return {};
}

namespace {

// A sentence of an answer without its closing mark or leading punctuation: "。" is put back on
// every sentence quoted.
std::u32string bare_sentence(std::string_view marked) {
    std::u32string sentence = text::decode_utf8(marked);
    if (!sentence.empty() &&
        std::u32string_view(U"。；！？\n").find(sentence.back()) != std::u32string_view::npos)
        sentence.pop_back();
    while (!sentence.empty() && text::is_edge_punctuation(sentence.front()))
        sentence.erase(sentence.begin());
    return sentence;
}

}  // namespace

std::vector<std::string> sentences_about(std::string_view answer, Aspect aspect,
                                         std::size_t max_sentences) {
    std::vector<std::string> found;
    const AspectWords* words = words_of(aspect);
    if (!words) return found;
    for (const std::string_view marked : split_sentences(answer)) {
        if (found.size() >= max_sentences) break;
        const std::u32string sentence = bare_sentence(marked);
        if (sentence.empty() || !speaks_to(sentence, *words)) continue;
        found.push_back(text::encode_utf8(sentence) + "。");
    }
    return found;
}

std::string answer_part(std::string_view answer, std::string_view follow_up) {
    const Aspect aspect = asked_aspect(follow_up);
    // Steps are numbered, at most four: what to do, in the answer's order.
    constexpr std::size_t kMostSteps = 4;
    const bool steps = aspect == Aspect::steps;
    constexpr std::size_t kAllSentences = 64;
    auto sentences =
        steps ? sentences_about(answer, aspect, kAllSentences) : sentences_about(answer, aspect);
    if (sentences.empty()) return {};
    if (steps) {
        // What to do first comes first ("先保存好…证据" sat fifth behind the offices).
        std::stable_partition(sentences.begin(), sentences.end(), [](const std::string& sentence) {
            return text::contains_any(sentence, {"先", "尽快", "立即", "马上", "第一时间"});
        });
        if (sentences.size() > kMostSteps) sentences.resize(kMostSteps);
    }
    std::string text =
        steps ? std::string("按刚才说的，可以这样做：")
              : "刚才的回答里，说到" + std::string(aspect_label(aspect)) + "的是这几句：";
    for (std::size_t i = 0; i < sentences.size(); ++i)
        text += "\n" + (steps ? std::to_string(i + 1) + ". " : std::string()) + sentences[i];
    return text;
}

std::string relevant_part(std::string_view answer, const SentenceRelevance& relevance,
                          double min_share) {
    if (!relevance) return {};
    const auto sentences = split_sentences(answer);
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t i = 0; i < sentences.size(); ++i)
        if (const double share = relevance(sentences[i]); share >= min_share)
            ranked.emplace_back(-share, i);
    if (ranked.empty()) return {};
    std::sort(ranked.begin(), ranked.end());
    if (ranked.size() > kPartSentences) ranked.resize(kPartSentences);
    std::vector<std::size_t> kept;
    for (const auto& [negative_share, i] : ranked) kept.push_back(i);
    // The sentence after the best one goes too: an answer's condition is often followed by
    // what it means ("…出钱给你做专业技术培训约定服务期" then "…违约金不得超过培训费用"; blind
    // tuning conversations, session 22: CC 88 -> 90 right).
    if (const std::size_t next = ranked.front().second + 1;
        next < sentences.size() && std::find(kept.begin(), kept.end(), next) == kept.end())
        kept.push_back(next);
    std::sort(kept.begin(), kept.end());
    std::string text = "刚才的回答里，和您问的有关的是这几句：";
    for (const std::size_t i : kept)
        if (const std::u32string sentence = bare_sentence(sentences[i]); !sentence.empty())
            text += "\n" + text::encode_utf8(sentence) + "。";
    return text;
}

std::span<const std::string_view> brevity_words() {
    static constexpr std::string_view kBrief[] = {
        "说简单点", "简单点说", "简单点", "简单说", "说重点", "长话短说", "直接说", "看不完",
        "太长了",   "太长咧",   "太长啦", "太长",   "一大段", "说人话",   "又是这"};
    return kBrief;
}

std::size_t characters_said(std::string_view text, std::u32string_view ignored) {
    const std::u32string points = text::decode_utf8(text);
    return static_cast<std::size_t>(std::count_if(points.begin(), points.end(), [&](char32_t cp) {
        return cp > 0x2FFF && cp != U'，' && cp != U'。' && cp != U'？' && cp != U'！' &&
               ignored.find(cp) == std::u32string_view::npos;
    }));
}

namespace {

// Whether one of `words` ends within `reach` bytes before `at`.
bool said_just_before(std::string_view message, std::size_t at, std::size_t reach,
                      std::initializer_list<std::string_view> words) {
    const std::size_t from = at > reach ? at - reach : 0;
    return text::contains_any(message.substr(from, at - from), words);
}

// A brevity word at `at` that is about his case, not the answer: "有没有简单点的程序" (a simpler
// procedure), "老板直接说你明天别来了" (what the boss said), "试用期太长了". Each cut a whole
// answer to its first sentence, which then lacked what he asked (session 31, the scorer read
// what answer_from sends).
bool about_his_case(std::string_view message, std::string_view word, std::size_t at) {
    constexpr std::size_t kTwoCharacters = 6;
    constexpr std::size_t kFourCharacters = 12;
    const std::size_t after = at + word.size();
    if (word == "简单点" || word == "简单说")
        return message.substr(after).starts_with("的") ||
               said_just_before(message, at, kTwoCharacters, {"有没有", "有", "更"});
    // Said to the bot: at the start, after 你/就/请, or before 吧/重点/能不能.
    if (word == "直接说") {
        const std::string_view before = message.substr(0, at);
        const bool to_the_bot =
            before.find_first_not_of(" ，,") == std::string_view::npos ||
            said_just_before(message, at, kTwoCharacters, {"你", "您", "就", "请", "麻烦"}) ||
            text::contains_any(
                message.substr(after, kFourCharacters),
                {"吧", "重点", "结果", "能不能", "行不行", "可以不", "答案", "到底", "一句"});
        return !to_the_bot;
    }
    if (word.starts_with("太长"))
        return said_just_before(message, at, kFourCharacters,
                                {"期", "时间", "工时", "合同", "班", "小时", "路", "时长", "天"});
    return false;
}

}  // namespace

bool asks_for_brevity(std::string_view message) {
    for (const std::string_view word : brevity_words())
        for (std::size_t at = message.find(word); at != std::string_view::npos;
             at = message.find(word, at + word.size()))
            if (!about_his_case(message, word, at)) return true;
    return false;
}

bool asks_for_the_rest(std::string_view message) {
    constexpr std::string_view kRest[] = {"后面呢",   "没说完",   "没发完",   "后半截",
                                          "看全文",   "全文",     "完整的",   "完整版",
                                          "全部发来", "全部发给", "剩下的呢", "下面呢"};
    return text::contains_any(message, kRest);
}

bool asks_something(std::string_view message) {
    const std::string text = text::fold_width(message);
    constexpr std::string_view kAsking[] = {
        "?",      "？",     "吗",     "么",     "咋",       "啥",     "谁",
        "哪",     "多少",   "多久",   "多长",   "如何",     "怎样",   "请问",
        "问一下", "问下",   "求助",   "能不能", "可不可以", "是不是", "有没有",
        "要不要", "算不算", "会不会", "可以不", "行不行",   "管不管", "给不给"};
    if (std::any_of(std::begin(kAsking), std::end(kAsking),
                    [&](std::string_view word) { return text.find(word) != std::string::npos; }))
        return true;
    // "能要回来不", "算工伤不": a question that ends in 不 (a statement ending in 没 is "还没").
    const std::u32string points = trimmed(text);
    return counted_chars(points) > 1 && points.back() == U'不';
}

bool leans_on_previous(std::string_view message) {
    const std::u32string points = trimmed(message);
    const std::size_t chars = counted_chars(points);
    if (chars == 0 || chars > kFollowUpMaxChars) return false;
    for (const auto word : kPointsBack)
        if (points.starts_with(word)) return true;
    for (const auto word : kBothOfThem)
        if (points.find(word) != std::u32string::npos) return true;
    // "要多久", "多少钱", "去哪办": an aspect and nothing else asks about what was said
    // ("加班费怎么算" names its own topic).
    if (asks_only_aspect(message)) return true;
    return points.back() == U'呢';
}

std::string with_topic(std::string_view topic, std::string_view message) {
    std::string text(topic);
    text += " ";
    text += message;
    return text;
}

std::string topic_of(std::span<const std::string> earlier) {
    for (auto message = earlier.rbegin(); message != earlier.rend(); ++message) {
        if (counted_chars(trimmed(*message)) == 0) return {};
        if (!leans_on_previous(*message)) return *message;
    }
    return {};
}

void prefer_topic(std::vector<Hit>& hits, const std::vector<Hit>& topic_hits, double near) {
    if (hits.size() < 2) return;
    const auto topic_score = [&](const Entry* entry) {
        for (const auto& hit : topic_hits)
            if (hit.entry == entry) return hit.score;
        return 0.0;
    };
    std::size_t close = 1;
    while (close < hits.size() && hits[close].score >= hits.front().score - near) ++close;
    std::vector<double> scores;
    for (std::size_t i = 0; i < close; ++i) scores.push_back(hits[i].score);
    std::stable_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(close),
                     [&](const Hit& a, const Hit& b) {
                         return a.score + kTopicWeight * topic_score(a.entry) >
                                b.score + kTopicWeight * topic_score(b.entry);
                     });
    for (std::size_t i = 0; i < close; ++i) hits[i].score = scores[i];
}

}  // namespace kayou::faq
