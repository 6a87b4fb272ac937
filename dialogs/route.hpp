#pragma once
// route(understanding, conversation) -> what to do: the one routing decision, pure and
// table-tested (tests/unit/dialogs_route_test.cpp). RouterDialog does the I/O around it: loads
// the conversation, calls understand() and route(), then runs the action (the join engine, the
// FAQ, benefits, stations, a ticket for a person) and saves.
#include <string>

#include "dialogs/understand.hpp"

namespace kayou::dialogs {

// What route() needs to know of the conversation.
struct RouteView {
    bool in_group = false;
    bool mentioned = false;        // group: @-mentioned (1:1 chats are always addressed)
    bool sms = false;              // an SMS reply
    std::string step;              // validator of the join step waiting ("" = no flow running)
    std::string application;       // none | received | approved | rejected ("" = not looked up)
    int misses_before = 0;         // turns in a row kayou did not understand, before this one
    bool choices_offered = false;  // numbered choices (FAQ or menu) are waiting for a pick
    bool legal_context = false;    // the last turn was a legal question (人工 -> the legal desk)
    bool ticket_open = false;      // a private chat whose ticket for a person may still be open
    bool asks_the_group = false;   // group: the message asks the group something (asks_the_group)
    // The message asks something, or has a follow-up's shape ("女的呢"): asks_or_follows_up.
    bool asks = false;
    // A name and nothing else ("陈二狗"): never the second miss that opens a ticket.
    bool only_a_name = false;
};

enum class Do {
    flow,            // hand `flow_text` to the join flow (an answer or one of its commands)
    start_join,      // start the join form
    join_status,     // wants to join but has an application: its status and the promise
    change_applied,  // wants to cancel or change a submitted application: who can, and its status
    status,          // the application's progress
    benefits,        // the benefit catalogue (slots: district, benefit)
    stations,        // driver stations near a place or a location
    legal,           // the FAQ (slots: serious -> offer the legal desk at once)
    person,          // a ticket for a person: `desk` staff (joining) or legal
    emergency,       // 120/110/122/119 first
    menu,            // the numbered help menu
    greet,           // a short hello and the menu
    thanks,          // a short "不客气"
    pick,            // a numbered choice among those offered
    opt_out,         // SMS: stop sending (recorded by the SMS route)
    not_understood,  // say what kayou can do, without echoing the message
    small_talk,      // chit-chat ("哈哈哈"): say what kayou can do; never a miss, never a ticket
    silence,         // a group message not meant for kayou
    group_join,      // a join asked in a group: the private path (never personal data here)
    ticket_note,     // what he adds to his open ticket ("补充"): for the desk, never a miss
    wait,       // "等会 我先去装货" / "好了 回来了 继续": the form waits, or goes on
    same_here,  // "@卡友小助手 同问" in a group: the answer above is his too; how to ask his own
    union_office,  // where his district's union is (config/districts.yaml office)
};

struct Route {
    Do action = Do::not_understood;
    std::string flow_text;     // Do::flow: what the flow engine receives
    std::string desk;          // Do::person: staff | legal
    bool resume = false;       // a detour inside the join flow: repeat where it stands afterwards
    bool offer_desk = false;   // a serious case: offer the legal desk with the answer
    bool counts_miss = false;  // this turn was not understood (the next miss hands off)
    // A legal question while his ticket is open: answered, and added to the ticket too.
    bool adds_to_ticket = false;
};

Route route(const Understanding& understanding, const RouteView& view);

// The flow engine's word for a command intent ("cancel" -> "取消"), "" for none.
std::string flow_command_text(const Understanding& understanding);

}  // namespace kayou::dialogs
