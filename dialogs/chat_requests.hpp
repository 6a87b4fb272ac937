#pragma once
// Short requests the chat router recognizes before anything else runs: a pick among numbered
// choices ("2", "第二个", "２") and a grievance (诉求: "我要投诉 乱罚款"). Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kayou::dialogs {

// The number a driver picks among numbered choices, 1..9, or 0 when the text is not a pick.
// Accepts "2", "２" (full width), "2.", "2号", "第2个", "第二个", "第二条", "选2", "选第三个",
// "二"; rejects anything with more words ("2个月", "二倍工资", "12").
int choice_number(std::string_view text);
// "1和2", "1、3都要", "1和2都是我问的": two or more numbered choices at once (in the order said, no
// repeats); empty unless the message is only numbers, their joining words and "都要"-like words.
std::vector<int> choice_numbers(std::string_view text);

// The grievance categories, in the order they are offered as 1..3: TicketDesk subcategories.
inline constexpr std::string_view kGrievanceCategories[] = {"fines", "enforcement", "services"};

struct GrievanceRequest {
    std::string category;  // one of kGrievanceCategories, or "" when the text does not say
};

// "我要投诉…", "我想举报…", "投诉：…", "提个诉求…": a grievance, with the category its words
// point to (罚款 → fines; 交警/路政/扣车 → enforcement; 服务区/司机之家/窗口 → services; fines
// wins over enforcement, enforcement over services). "怎么投诉平台" is a question, not a
// grievance: nullopt.
std::optional<GrievanceRequest> grievance_request(std::string_view text);

// "我的工单呢", "工单怎么样了", "律师回了没", "律师咋还没联系我": a short message about the ticket
// he opened, not a question for the FAQ (which would answer about the 12345 hotline's 工单).
bool asks_about_ticket(std::string_view text);

// "要等多久", "什么时候打给我", "怎么没人回": a short message asking when someone answers. The
// router takes it as about his ticket only while one waits (elsewhere "要等多久" may ask how long
// a procedure takes).
bool asks_when_answered(std::string_view text);
// Whether he has said (in any of `said`, his recent messages) that a private person hired him,
// not a company ("给私人老板开车 不是公司", "老板没营业执照"); "个体户" in the same message is a
// registered employer.
bool says_boss_is_a_private_person(const std::vector<std::string>& said);
// Of asks_when_answered's, those about a person answering at all ("啥时候有人回", "人呢"), not
// how long something takes: with no ticket waiting, they are told so.
bool asks_for_a_reply(std::string_view text);

// A group message not addressed to the bot that asks the group something the FAQ may answer:
// "谁知道高速超载罚多少", "挂靠公司不给退押金咋整". Statements, advice and complaints
// ("满帮扣钱太狠了", "公司不给报你自己去人社局报啊") and what one member says to another
// ("老李你那个工伤认定下来没", "@老王 …") are talk among members: false, and the bot stays quiet.
bool asks_the_group(std::string_view text);

// RouteView::asks: the message asks something (faq::asks_something) or has the shape of a
// follow-up (faq::leans_on_previous: "女的呢").
bool asks_or_follows_up(std::string_view text);

// "我入会填到哪了", "刚才填的表呢", "接着填": the join form he already started, not a new one.
bool asks_about_form_in_progress(std::string_view text);

// "链接再发一个", "把入会链接给我": the join link asked for again.
bool asks_for_join_link(std::string_view text);

// "今天礼拜天 有人审吗 啥时候能好", "审核要多久啊 明天能领礼包不": when his own application is
// settled, which his status answers with its deadline (a driver who has applied got numbered
// choices or the general rule; benefits helper, session 24).
bool asks_about_own_review(std::string_view text);

// "我手机号要换了 审核结果短信能发新号不": a submitted application's phone to change, which only
// staff may do (the status alone was the reply; benefits helper, session 24).
bool asks_to_change_phone(std::string_view text);

// "同问", "+1", "我也要 同上": a group member saying the last question is his too; read as a new
// topic they got an unrelated answer or numbered choices (benefits helper, session 24).
bool echoes_another(std::string_view text);

// "我不记得以前入没入过 你帮我查查 身份证3204…": whether he is a member, asked by an ID number
// (which proves nothing: anyone may hold another's number).
bool asks_membership_by_id(std::string_view text);

// "算了不用律师了 我自己去仲裁 取消吧", "问题解决了 工单撤了吧": he no longer wants his ticket.
bool withdraws_ticket(std::string_view text);

// "你先别转人工 我就问住院期间工资给不给", "不要转人工 我就想知道…": a person declined, so the
// message is his question (both opened a ticket nobody asked for; legal helper, session 27).
bool declines_a_person(std::string_view text);
// "律师啥时候回我 我电话139… 直接打给我" without the number and the call request ("律师啥时候回我
//  "): what is left asks about his ticket (asks_about_ticket, asks_when_answered read short
// messages only, and the number made it long).
std::string without_call_request(std::string_view text);
// The message without the words that decline a person ("你先 我就问住院期间工资给不给"): they
// would draw the how-to-reach-a-lawyer entry into the search.
std::string without_declined_person(std::string_view text);

// "金坛区工会服务站在哪 电话多少", "溧阳工会在哪 要带啥", "武进区工会在哪里 我直接过去交材料":
// where the district's union is, to go in person (they got a ticket note, the benefit list or
// choices; benefits helper, session 25), or its phone ("工会电话多少" opened a ticket: the
// offices' phones and 12351 are the answer). Not the stations, joining, a lawyer, arbitration, a
// court or the hotline named.
bool asks_for_union_office(std::string_view text);

// Whether a message names benefits in general ("有啥福利", "优惠呢"), which the benefit kinds of
// the intent script do not name: a district or a "where" read as benefits names none.
bool names_benefits_at_all(std::string_view text);

// What a short message right after a union office was named asks of it (benefits helper,
// session 26: "周六有人吗" got the menu, "要带啥" the papers for an arbitration hearing,
// "多久能到账" the insurer's deadlines, "电话打不通" a lawyer's ticket).
enum class OfficeAsk { none, hours, unreachable, bring, payout };
OfficeAsk office_ask(std::string_view text);

// "入会才半个月 算不算", "我已经入了 问的是住院能不能报": he is a member already, asking about
// it (the form started and kept asking his name; benefits helper, session 26).
bool says_he_is_a_member(std::string_view text);

// "停车场一天收我80块停车费…合不合法 能去哪里告", "我不是找停车的地方 我问车被交警扣了": a
// parking word in a question of law (an impound, a fee, a fine), not a search for a place to stop
// (legal helper, session 26: both got the list of stations with parking).
bool names_a_legal_matter(std::string_view text);
// "那就弄吧", "行 帮我办一下", "好 入吧": go ahead with what was just said, nothing more.
bool goes_ahead(std::string_view text);
// A name and nothing else: 2–4 characters that pass the name step's check ("陈二狗").
bool says_only_a_name(std::string_view text);
// The answer sent last was the union's own (joining, dues, a benefit): entry ids union_…,
// benefit_….
bool answered_about_the_union(const std::vector<std::string>& answered);
// A short question with no case or place of its own ("要交钱吗", "多久能批"): asked in the
// middle of the join form, it is about joining.
bool asks_about_the_form(std::string_view text);

// "加油站给我加的油不足量…投诉打啥电话", "不是要优惠 是投诉": a complaint about a seller, which
// names 加油 or 优惠 without asking for the members' fuel discount (it was sent twice; legal
// helper, session 26).
bool complains_about_a_seller(std::string_view text);

// "麻烦回个电话", "让律师给我打电话", "电话联系我": he wants a call, not only an answer in the chat
// (it went unmentioned when his ticket opened; group helper, session 22).
bool asks_for_a_call(std::string_view text);

// "帮我查下老王的入会批了没", "我老婆的申请通过没", "帮他看看进度": a progress question about
// another driver's application (he, she, a relative, a friend, a name after 老/小).
bool asks_about_someone_else(std::string_view text);

// "那我先问个别的 交强险保险公司拒赔咋办", "顺便问一下 超载罚多少": he says plainly a new
// question follows. The question after the lead-in, or "" when there is no such lead-in (or
// nothing after it).
std::string_view after_new_question_lead(std::string_view text);

// The application number inside a message ("申请编号RH20261205000002", "rh 2026…" with spaces
// between the digits), upper-cased and joined, or "" when there is none: "RH" and 14 digits, the
// form members::format_application_id gives. A longer run of digits is no application number.
std::string application_number_in(std::string_view text);

// What a ticket for a person says the driver asked. `said` is the message that asked for the
// person; `recent` his last messages, oldest first, `said` last. A request and nothing more
// ("人工", "找律师", the desk's number among choices) says nothing to the desk: then his longest
// earlier message that is not a request or a number, his story as a rule; `said` when none.
std::string desk_question(const std::vector<std::string>& recent, std::string_view said,
                          bool (*is_request)(std::string_view));

// "您要反映哪一类问题？\n1. 罚款…\n2. 执法…\n3. 服务…\n回复数字即可".
std::string grievance_choices_text();

// The category for choice `number` (1-based) of grievance_choices_text(); "" out of range.
std::string_view grievance_category(int number);

}  // namespace kayou::dialogs
