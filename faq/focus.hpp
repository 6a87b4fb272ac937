#pragma once
// The asking part of a long message. Drivers tell the story first and ask last ("…老板来看了一次
// 就没影了 工伤认定到底谁去报 有没有时间限制"); the story's words (倒车, 叉车, 老板) pull retrieval
// toward neighbouring entries, so the index also searches the question on its own.
#include <string>
#include <string_view>

namespace kayou::faq {

// The suffix of `text` from the clause before its last asking clause (one with 吗, 咋, 多少,
// 能不能, ？ …), or empty when the message is short or has too few clauses for a story: then
// the whole message is the question. Clauses are split at spaces and punctuation.
std::string_view question_focus(std::string_view text);

// A message that asks two things ("…停运损失能要吗 还有我腰也伤了 算工伤不", "超载扣几分？另外
// 超速20%扣几分"): the text before, and the text from, the first clause after an asking one that
// opens with 还有 / 另外 / 再问 …. Both empty when it asks one thing.
struct TwoQuestions {
    std::string_view first;
    std::string_view second;
};
TwoQuestions two_questions(std::string_view text);

// A message with two asking clauses and no word that opens a second question ("会员证丢了咋办
// 换了个 省跑车会籍咋转", "能直接去法院起诉吗仲裁结果不满意又咋办"): the text up to the end of the
// first asking clause, and the rest. As often the same question asked on ("…能找老板赔吗
// 按啥比例赔"), so with_two_questions answers both only when each part stands on its own
// (decide.hpp).
TwoQuestions two_asking_clauses(std::string_view text);

// "我不是问加油 我是问平台扣钱咋办": the text without the part he says he is not asking about,
// from "不是问" up to where he says what he does ask (我是问, 而是 …) or the clause's end. The
// disowned words drew the very entry he had turned away (legal helper, session 22). The text as
// it is when it disowns nothing or nothing would be left.
std::string without_disowned_part(std::string_view text);

}  // namespace kayou::faq
