#include "faq/stations.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "faq/detail/yaml_check.hpp"

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
    check.only_keys(root, {"version", "demo", "area", "stations", "places"}, "the station file");
    catalog.version = check.text(root, "version", "station file", true).value_or("");
    catalog.area = check.text(root, "area", "station file", false).value_or("");
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
            check.only_keys(
                node,
                {"id", "name", "district", "lat", "lng", "address", "services", "hours", "phone"},
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
        text += "\n" + std::to_string(++n) + ". " + s.name + "（" + distance + "公里）" + s.address;
        if (!s.services.empty()) {
            text += "；服务：";
            for (std::size_t i = 0; i < s.services.size(); ++i)
                text += (i ? "、" : "") + s.services[i];
        }
        if (!s.hours.empty()) text += "；开放时间：" + s.hours;
        if (!s.phone.empty()) text += "；电话：" + s.phone;
    }
    return text;
}

std::string stations_answer(const std::vector<NearbyStation>& nearest, std::string_view from,
                            bool demo, std::string_view area, bool outside_place,
                            std::string_view service) {
    if (nearest.empty()) return "司机之家名单正在更新，请稍后再问，或拨打全国职工服务热线12351。";
    const bool outside = outside_place || nearest.front().distance_km > kCoveredRadiusKm;
    if (!outside) {
        constexpr std::size_t kShown = 3;
        std::vector<NearbyStation> with_service;
        for (const auto& item : nearest)
            if (with_service.size() < kShown && item.distance_km <= kCoveredRadiusKm &&
                !service.empty() && offers(*item.station, service))
                with_service.push_back(item);
        if (!with_service.empty()) return nearest_text(with_service, from, demo, service);
        std::vector<NearbyStation> shown;
        for (const auto& item : nearest)
            if (shown.size() < kShown && item.distance_km <= 200) shown.push_back(item);
        if (service.empty()) return nearest_text(shown, from, demo);
        return place_or_you(from) + "附近的司机之家都没有" + std::string(service) + "。" +
               nearest_text(shown, from, demo);
    }
    const std::string where = from.empty() ? std::string("您的位置") : std::string(from);
    const std::string whom = place_or_you(from);
    std::string text = demo ? "（演示数据）" : "";
    text += where + "不在我们工会司机之家的服务范围";
    if (!area.empty()) text += "（" + std::string(area) + "）";
    const NearbyStation& first = nearest.front();
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

}  // namespace kayou::faq
