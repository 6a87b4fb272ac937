#include "faq/stations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "faq/detail/yaml_check.hpp"
#include "faq/sums.hpp"
#include "text/number.hpp"
#include "text/utf8.hpp"
#include "text/words.hpp"

namespace kayou::faq {

using detail::line_of;

const Station* StationCatalog::find(std::string_view id) const {
    for (const auto& station : stations)
        if (station.id == id) return &station;
    return nullptr;
}

namespace {

// 武进区, 溧阳市: a district, which a town named beside it narrows.
bool is_district_place(const Place& place) {
    for (const std::string_view suffix : {"区", "市", "县"})
        if (place.name.ends_with(suffix)) return true;
    return false;
}

}  // namespace

const Place* StationCatalog::find_place(std::string_view text) const {
    // "武进牛塘", "新北这个罗溪这边", "钟楼邹区": the town, not the district's centre (benefits
    // helper, session 25: 罗溪镇's station, 0.2 km away, was not shown). Among places of one kind
    // the longest name wins, then the one said last.
    struct Found {
        const Place* place = nullptr;
        bool district = false;
        std::size_t length = 0;
        std::size_t at = 0;
    };
    Found best;
    for (const auto& place : places) {
        const bool district = is_district_place(place);
        auto consider = [&](const std::string& name) {
            const auto at = text.rfind(name);
            if (name.empty() || at == std::string_view::npos) return;
            const Found found{&place, district, name.size(), at};
            const bool better =
                !best.place || (best.district && !district) ||
                (best.district == district &&
                 (found.length > best.length || (found.length == best.length && at > best.at)));
            if (better) best = found;
        };
        consider(place.name);
        for (const auto& alias : place.aliases) consider(alias);
    }
    return best.place;
}

StationCatalog parse_stations(std::string_view yaml_text, std::string_view source_name) {
    StationCatalog catalog;
    std::vector<ScriptProblem> problems;
    detail::YamlCheck check(problems);
    const YAML::Node root = check.load(yaml_text);
    if (!problems.empty()) throw ScriptError(std::string(source_name), std::move(problems));
    if (!root.IsMap()) {
        check.add(line_of(root), "a station file must be a map with version, stations and places");
        throw ScriptError(std::string(source_name), std::move(problems));
    }
    check.only_keys(root, {"version", "demo", "area", "fees", "stations", "places"},
                    "the station file");
    catalog.version = check.text(root, "version", "station file", true).value_or("");
    catalog.area = check.text(root, "area", "station file", false).value_or("");
    catalog.fees = check.text(root, "fees", "station file", false).value_or("");
    if (const auto demo = root["demo"]; demo && demo.IsScalar())
        catalog.demo = demo.as<bool>(false);

    const YAML::Node list = root["stations"];
    if (!list || !list.IsSequence() || list.size() == 0) {
        check.add(line_of(list ? list : root), "stations must be a non-empty list");
    } else {
        std::set<std::string> ids;
        for (const auto& node : list) {
            if (!node.IsMap()) {
                check.add(line_of(node), "a station must be a map");
                continue;
            }
            Station station;
            station.line = line_of(node);
            const std::string what = "station on line " + std::to_string(station.line);
            check.only_keys(node,
                            {"id", "name", "district", "lat", "lng", "address", "services", "hours",
                             "phone", "fees"},
                            what);
            station.id = check.text(node, "id", what, true).value_or("");
            if (!station.id.empty() && !detail::valid_content_id(station.id))
                check.add(line_of(node["id"]), what + ": id must match [a-z0-9_-]{1,64}");
            if (!station.id.empty() && !ids.insert(station.id).second)
                check.add(line_of(node["id"]), what + ": duplicate id '" + station.id + "'");
            station.name = check.text(node, "name", what, true).value_or("");
            station.district = check.text(node, "district", what, true).value_or("");
            // Redis GEO accepts latitudes up to ±85.05112878.
            station.lat = check.number(node, "lat", what, -85.05, 85.05).value_or(0);
            station.lng = check.number(node, "lng", what, -180, 180).value_or(0);
            station.address = check.text(node, "address", what, true).value_or("");
            station.services = check.texts(node, "services", what);
            station.hours = check.text(node, "hours", what, false).value_or("");
            station.phone = check.text(node, "phone", what, false).value_or("");
            station.fees = check.text(node, "fees", what, false).value_or("");
            catalog.stations.push_back(std::move(station));
        }
    }

    if (const YAML::Node places = root["places"]; places && !places.IsNull()) {
        if (!places.IsSequence()) {
            check.add(line_of(places), "places must be a list");
        } else {
            std::set<std::string> names;
            for (const auto& node : places) {
                if (!node.IsMap()) {
                    check.add(line_of(node), "a place must be a map");
                    continue;
                }
                Place place;
                const std::string what = "place on line " + std::to_string(line_of(node));
                check.only_keys(node, {"name", "aliases", "lat", "lng", "outside"}, what);
                place.name = check.text(node, "name", what, true).value_or("");
                place.aliases = check.texts(node, "aliases", what);
                place.lat = check.number(node, "lat", what, -85.05, 85.05).value_or(0);
                place.lng = check.number(node, "lng", what, -180, 180).value_or(0);
                if (const auto outside = node["outside"]; outside && outside.IsScalar())
                    place.outside = outside.as<bool>(false);
                std::vector<std::string> all = place.aliases;
                if (!place.name.empty()) all.push_back(place.name);
                for (const auto& name : all)
                    if (!names.insert(name).second)
                        check.add(line_of(node), what + ": '" + name + "' is named twice");
                catalog.places.push_back(std::move(place));
            }
        }
    }
    if (!problems.empty()) throw ScriptError(std::string(source_name), std::move(problems));
    return catalog;
}

double distance_km(double lat1, double lng1, double lat2, double lng2) {
    constexpr double kEarthRadiusKm = 6372.7976;  // Redis' geohash_helper.c value
    constexpr double kRad = M_PI / 180.0;
    const double dlat = (lat2 - lat1) * kRad;
    const double dlng = (lng2 - lng1) * kRad;
    const double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(a));
}

std::vector<NearbyStation> nearest_in_memory(const StationCatalog& catalog, double lat, double lng,
                                             std::size_t count, double radius_km) {
    std::vector<NearbyStation> all;
    for (const auto& station : catalog.stations) {
        const double d = distance_km(lat, lng, station.lat, station.lng);
        if (d <= radius_km) all.push_back({&station, d});
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.distance_km < b.distance_km; });
    if (all.size() > count) all.resize(count);
    return all;
}

std::string wanted_service(const StationCatalog& catalog, std::string_view text) {
    // A driver's words for what the catalogs list (docs/understanding.md, the station finder).
    struct Words {
        std::string_view service;
        std::initializer_list<std::string_view> said;
    };
    static const Words kWords[] = {
        {"淋浴", {"洗澡", "冲澡", "冲个凉", "冲凉", "洗浴", "澡堂"}},
        {"洗衣", {"洗衣服", "洗衣机", "洗衣"}},
        {"手机充电", {"充电", "充个电"}},
        {"停车", {"停车", "停车位", "停车场", "停大车"}},
        {"热水", {"开水", "打水", "热水"}},
        {"休息室", {"休息", "睡觉", "睡一觉", "眯一会", "躺一会"}},
        {"微波炉", {"热饭", "热个饭", "微波炉"}},
        {"餐饮", {"吃饭", "吃的", "饭菜", "食堂"}},
        {"法律咨询", {"律师", "法律"}},
        {"小修", {"修车", "补胎", "维修"}},
        {"体检预约", {"体检"}},
    };
    std::set<std::string_view> offered;
    for (const auto& station : catalog.stations)
        for (const auto& service : station.services) offered.insert(service);
    // The catalog's own names first, longest first ("手机充电" before a word inside it).
    std::string_view best;
    for (const auto service : offered)
        if (service.size() > best.size() && text.find(service) != std::string_view::npos)
            best = service;
    if (!best.empty()) return std::string(best);
    for (const auto& words : kWords) {
        if (!offered.count(words.service)) continue;
        for (const auto said : words.said)
            if (text.find(said) != std::string_view::npos) return std::string(words.service);
    }
    return {};
}

namespace {

bool offers(const Station& station, std::string_view service) {
    return std::find(station.services.begin(), station.services.end(), service) !=
           station.services.end();
}

}  // namespace

namespace {

// "；服务：…；开放时间：…；电话：…", what a list or a detail says after a station's address.
std::string station_facts(const Station& station) {
    std::string facts;
    if (!station.services.empty()) {
        facts += "；服务：";
        for (std::size_t i = 0; i < station.services.size(); ++i)
            facts += (i ? "、" : "") + station.services[i];
    }
    if (!station.hours.empty()) facts += "；开放时间：" + station.hours;
    if (!station.phone.empty()) facts += "；电话：" + station.phone;
    return facts;
}

// "湖塘镇", or "您" when the driver sent a location.
std::string place_or_you(std::string_view from) {
    return from.empty() ? std::string("您") : std::string(from);
}

}  // namespace

std::string nearest_text(const std::vector<NearbyStation>& nearby, std::string_view from, bool demo,
                         std::string_view service) {
    if (nearby.empty())
        return "附近200公里内没有找到司机之家。可以发送您的位置，或回复\"附近的司机之家 + "
               "镇名\"再试。";
    std::string text = demo ? "（演示数据）" : "";
    const std::string where = place_or_you(from);
    text += service.empty() ? "离" + where + "最近的司机之家："
                            : "离" + where + "最近、有" + std::string(service) + "的司机之家：";
    int n = 0;
    for (const auto& item : nearby) {
        char distance[32];
        std::snprintf(distance, sizeof distance, "%.1f", item.distance_km);
        const Station& s = *item.station;
        text += "\n" + std::to_string(++n) + ". " + s.name + "（" + distance + "公里）" +
                s.address + station_facts(s);
    }
    return text;
}

namespace {

// The stations an answer shows: outside the area the nearest one; inside, up to three within
// kCoveredRadiusKm that offer `service`, or else the nearest three within 200 km.
struct Shown {
    std::vector<NearbyStation> items;
    bool outside = false;
    bool with_service = false;
};

Shown shown_stations(const std::vector<NearbyStation>& nearest, bool outside_place,
                     std::string_view service) {
    Shown shown;
    if (nearest.empty()) return shown;
    shown.outside = outside_place || nearest.front().distance_km > kCoveredRadiusKm;
    if (shown.outside) {
        shown.items.push_back(nearest.front());
        return shown;
    }
    constexpr std::size_t kShown = 3;
    for (const auto& item : nearest)
        if (shown.items.size() < kShown && item.distance_km <= kCoveredRadiusKm &&
            !service.empty() && offers(*item.station, service))
            shown.items.push_back(item);
    shown.with_service = !shown.items.empty();
    if (shown.with_service) return shown;
    for (const auto& item : nearest)
        if (shown.items.size() < kShown && item.distance_km <= 200) shown.items.push_back(item);
    return shown;
}

}  // namespace

std::vector<const Station*> listed_stations(const std::vector<NearbyStation>& nearest,
                                            bool outside_place, std::string_view service) {
    std::vector<const Station*> listed;
    for (const auto& item : shown_stations(nearest, outside_place, service).items)
        listed.push_back(item.station);
    return listed;
}

std::string stations_answer(const std::vector<NearbyStation>& nearest, std::string_view from,
                            bool demo, std::string_view area, bool outside_place,
                            std::string_view service) {
    if (nearest.empty()) return "司机之家名单正在更新，请稍后再问，或拨打全国职工服务热线12351。";
    const Shown shown = shown_stations(nearest, outside_place, service);
    if (!shown.outside) {
        if (shown.with_service) return nearest_text(shown.items, from, demo, service);
        if (service.empty()) return nearest_text(shown.items, from, demo);
        return place_or_you(from) + "附近的司机之家都没有" + std::string(service) + "。" +
               nearest_text(shown.items, from, demo);
    }
    const std::string where = from.empty() ? std::string("您的位置") : std::string(from);
    const std::string whom = place_or_you(from);
    std::string text = demo ? "（演示数据）" : "";
    text += where + "不在我们工会司机之家的服务范围";
    if (!area.empty()) text += "（" + std::string(area) + "）";
    const NearbyStation& first = shown.items.front();
    const Station& s = *first.station;
    char distance[32];
    std::snprintf(distance, sizeof distance, first.distance_km >= 100 ? "%.0f" : "%.1f",
                  first.distance_km);
    text += "。离" + whom + "最近的是：" + s.name + "（约" + distance + "公里）" + s.address;
    if (!s.hours.empty()) text += "；开放时间：" + s.hours;
    if (!s.phone.empty()) text += "；电话：" + s.phone;
    text += "。在当地需要帮助，请拨打全国职工服务热线12351。";
    return text;
}

namespace {

using text::contains_any;

// The first words of a station's name that say which one it is: "湖塘镇司机之家" → "湖塘",
// "牛塘物流园驿站" → "牛塘", "青洋北路司机之家" → "青洋北路"; "" when fewer than two characters
// are left.
std::string name_head(std::string_view name) {
    static constexpr std::string_view kEnds[] = {"镇",   "街道",     "综合", "物流园", "货运",
                                                 "货车", "司机之家", "驿站", "服务区", "加油站"};
    std::size_t end = name.size();
    for (const auto word : kEnds)
        if (const auto at = name.find(word); at != std::string_view::npos && at < end) end = at;
    const std::string_view head = name.substr(0, end);
    return text::code_point_count(head) >= 2 ? std::string(head) : std::string();
}

// "能停半挂不", "13米的能停吗": a question about room for a big truck, not about parking at all.
bool asks_about_big_vehicle(std::string_view text) {
    return contains_any(text, {"半挂", "挂车", "大车", "大货", "13米", "十三米", "17米", "十七米",
                               "9米6", "九米六", "车位大", "停得下", "停的下", "停得开"});
}

// "晚上11点到", "夜里十点多", "下午5点": the hour, on a 24-hour clock; -1 when none is said.
int arrival_hour_in(std::string_view text) {
    const std::u32string points = text::decode_utf8(text);
    static constexpr std::u32string_view kNumerals = U"零一二三四五六七八九十";
    for (std::size_t at = points.find(U'点'); at != std::u32string::npos;
         at = points.find(U'点', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && (text::is_ascii_digit(points[begin - 1]) ||
                             kNumerals.find(points[begin - 1]) != std::u32string_view::npos))
            --begin;
        if (begin == at || at - begin > 3) continue;
        const auto said = number_at(text::encode_utf8(points.substr(begin, at - begin)));
        if (!said || *said < 0 || *said > 24) continue;
        int hour = static_cast<int>(*said);
        const std::u32string_view before(points.data(), begin);
        const bool late_night = before.find(U"半夜") != std::u32string_view::npos;
        const bool evening = late_night || before.find(U"晚上") != std::u32string_view::npos ||
                             before.find(U"夜里") != std::u32string_view::npos ||
                             before.find(U"下午") != std::u32string_view::npos;
        if (late_night && hour == 12) return 24;
        if (evening && hour < 12) hour += 12;
        return hour;
    }
    return -1;
}

// Whether a station open "7:00-22:00" is open at `hour` (0–24); nullopt when its hours say no
// times.
std::optional<bool> open_at(std::string_view hours, int hour) {
    int from = -1, to = -1, from_minutes = 0, to_minutes = 0;
    if (std::sscanf(std::string(hours).c_str(), "%d:%d-%d:%d", &from, &from_minutes, &to,
                    &to_minutes) != 4)
        return std::nullopt;
    const int at = hour * 60;
    return at >= from * 60 + from_minutes && at < to * 60 + to_minutes;
}

// What he asked of one station, in the order he is likely to care: a service, room for his
// truck, hours, fees, phone, address. Each part ends in "。".
std::string answers_for(const StationCatalog& catalog, const Station& station,
                        const StationQuestion& question) {
    std::string text;
    const std::string ask_there = station.phone.empty() ? "到站里问" : "去之前打站里电话问";
    if (!question.service.empty() && !(question.big_vehicle && question.service == "停车"))
        text += offers(station, question.service) ? "有" + question.service + "。"
                                                  : "没有" + question.service + "。";
    if (question.big_vehicle)
        text += offers(station, "停车")
                    ? "有停车位，但能停多大的车（半挂、13米以上）名单里没有写，" + ask_there + "。"
                    : "这个站名单里没有停车服务。";
    if (question.hours) {
        text += station.hours.empty() ? "开放时间名单里没有写，" + ask_there + "。"
                : station.hours == "24小时" ? std::string("24小时开放，不关门。")
                                            : "开放时间：" + station.hours + "。";
        // "我晚上11点到 还能进不": yes or no for his hour (it got the hours alone; benefits
        // helper, session 29).
        if (question.arrival_hour >= 0 && station.hours != "24小时")
            if (const auto open = open_at(station.hours, question.arrival_hour))
                text += *open ? "您" + std::to_string(question.arrival_hour) + "点到的时候开着。"
                              : "您" + std::to_string(question.arrival_hour) +
                                    "点到的时候已经关门了，要找24小时开的站。";
    }
    if (question.fees) {
        const std::string& fees = station.fees.empty() ? catalog.fees : station.fees;
        text += fees.empty() ? "收不收费名单里没有写，" + ask_there + "。" : fees + "。";
    }
    if (question.phone)
        text += station.phone.empty() ? "名单里没有这个站的电话；有事可以拨打职工服务热线12351。"
                                      : "电话：" + station.phone + "。";
    if (question.address) text += "地址：" + station.address + "。";
    return text;
}

// A bare "2" picks as the list numbers them (it got the main menu; join helper, session 31): the
// number, or 0.
std::size_t bare_list_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.size() != 1 || text[0] < '1' || text[0] > '9') return 0;
    return static_cast<std::size_t>(text[0] - '0');
}

}  // namespace

std::optional<std::size_t> picked_station(std::string_view text,
                                          const std::vector<const Station*>& listed) {
    if (listed.empty()) return std::nullopt;
    // "新北区工会在哪 周六上班不" asks for the union's office, not the 新北 station (join helper,
    // session 30: the station's address came twice).
    if (contains_any(text, {"工会", "办公"})) return std::nullopt;
    if (const std::size_t n = text::list_ordinal(text); n >= 1 && n <= listed.size()) return n - 1;
    if (const std::size_t n = bare_list_number(text); n >= 1 && n <= listed.size()) return n - 1;
    if (contains_any(
            text, {"头一个", "头一家", "最近的那", "最近那", "离我最近", "最近的一个", "最近一个"}))
        return 0;
    if (contains_any(text, {"最后那", "最后一个", "最后一家", "最远那", "最远的那"}))
        return listed.size() - 1;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const std::string head = name_head(listed[i]->name);
        if (!head.empty() && text.find(head) != std::string_view::npos) return i;
    }
    return std::nullopt;
}

StationQuestion station_question(const StationCatalog& catalog, std::string_view text) {
    StationQuestion question;
    question.hours =
        contains_any(text, {"几点", "关门", "开门", "营业", "开到", "开放时间", "24小时", "晚上",
                            "夜里", "半夜", "通宵", "还能进", "进得去"});
    question.phone = contains_any(text, {"电话", "号码", "联系方式", "咋联系", "怎么联系"});
    question.fees = contains_any(text, {"要钱", "收费", "收钱", "免费", "花钱", "多少钱", "给钱",
                                        "掏钱", "付钱", "要不要钱"});
    question.address =
        contains_any(text, {"在哪", "地址", "怎么走", "咋走", "位置", "具体在", "导航"});
    question.big_vehicle = asks_about_big_vehicle(text);
    question.service = wanted_service(catalog, text);
    question.arrival_hour = arrival_hour_in(text);
    if (question.arrival_hour >= 0) question.hours = true;
    return question;
}

std::string station_detail_text(const StationCatalog& catalog, const Station& station,
                                const StationQuestion& question) {
    std::string text = catalog.demo ? "（演示数据）" : "";
    text += station.name + "：";
    if (const std::string answers = answers_for(catalog, station, question); !answers.empty())
        text += answers + "\n地址：";
    return text + station.address + station_facts(station);
}

std::string listed_stations_text(const StationCatalog& catalog,
                                 const std::vector<const Station*>& listed,
                                 const StationQuestion& question) {
    std::string text = catalog.demo ? "（演示数据）" : "";
    text += "刚才那几个站：";
    for (std::size_t i = 0; i < listed.size(); ++i)
        text += "\n" + std::to_string(i + 1) + ". " + listed[i]->name + "：" +
                answers_for(catalog, *listed[i], question);
    return text + "\n问哪一个的详细情况，回复\"第几个\"。";
}

std::optional<StationFollowUp> about_listed_stations(const StationCatalog& catalog,
                                                     const std::vector<std::string>& listed_ids,
                                                     int picked_before, std::string_view text) {
    std::vector<const Station*> listed;
    for (const auto& id : listed_ids)
        if (const Station* station = catalog.find(id)) listed.push_back(station);
    if (listed.empty()) return std::nullopt;
    const StationQuestion question = station_question(catalog, text);
    const auto picked = picked_station(text, listed);
    // A name alone ("湖塘") is another place to look; "湖塘那个" or "湖塘的几点关门" picks.
    const bool named_only =
        picked && text::list_ordinal(text) == 0 && bare_list_number(text) == 0 && !question.any() &&
        !contains_any(text,
                      {"那个", "这个", "那家", "这家", "那站", "那里", "最近", "最后", "头一"});
    if (picked && !named_only) {
        const Station& station = *listed[*picked];
        return StationFollowUp{station_detail_text(catalog, station, question),
                               static_cast<int>(*picked)};
    }
    if (!question.any()) return std::nullopt;
    // "天宁区的司机之家在哪" right after a list for 罗溪 asks about another place (it got
    // "刚才那几个 站"; benefits helper, session 29).
    if (!picked && catalog.find_place(text) != nullptr) return std::nullopt;
    // "有洗澡的吗": a search near the place again, with the service (the caller's).
    const bool service_only = !question.service.empty() && !question.hours && !question.phone &&
                              !question.fees && !question.address && !question.big_vehicle;
    if (picked_before >= 0 && static_cast<std::size_t>(picked_before) < listed.size())
        return StationFollowUp{
            station_detail_text(catalog, *listed[static_cast<std::size_t>(picked_before)],
                                question),
            picked_before};
    if (service_only) return std::nullopt;
    return StationFollowUp{listed_stations_text(catalog, listed, question), -1};
}

}  // namespace kayou::faq
