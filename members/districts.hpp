#pragma once
// The districts (区县) a city's union is organized in, and matching a driver's free-text answer
// ("我在湖塘镇", "常州武进") to one of them. The catalog is data (config); this file only gives it
// a shape and a matcher. Pure: no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace kayou::members {

// Where drivers find the district's union in person: every answer that says "找所在区县工会"
// leads to it ("金坛区工会服务站在哪 电话多少" got a ticket note; benefits helper, session 25).
// Empty fields are not said.
struct Office {
    std::string name;     // "武进区总工会职工服务中心"
    std::string address;  // "武进区湖塘镇…"
    std::string phone;    // "0519-…"
    std::string hours;    // "工作日 8:30-17:00"
};

struct District {
    std::string id;    // stable key used in Redis and by reviewers: "wujin"
    std::string name;  // official name: "武进区"
    // Towns, streets, short names: "武进", "湖塘镇", "湖塘". Two districts may share an alias;
    // a text that hits only that alias is then ambiguous and the dialog asks.
    std::vector<std::string> aliases;
    Office office;
};

// A place's name without its administrative suffix, as the matcher reads it ("武进区" -> "武进",
// "南大街街道" -> "南大街"); the name itself when there is none to strip or the rest would be one
// character ("城区").
std::string short_name(std::string_view name);

// The city whose districts these are ("常州市", aliases "常州"). A driver asked for his district
// often names only the city: he is in the union's area, and must be asked which district, not told
// to join elsewhere (join helper, session 24).
struct City {
    std::string name;
    std::vector<std::string> aliases;
};

class DistrictCatalog {
public:
    // Throws std::runtime_error on an empty or duplicate id or an empty name.
    explicit DistrictCatalog(std::vector<District> districts, City city = {});

    // YAML: either a list of districts or a map with a `districts:` list; each item has `id`,
    // `name` and optional `aliases` (a list or one string):
    //   districts:
    //     - id: wujin
    //       name: 武进区
    //       aliases: [武进, 湖塘镇]
    // A district's optional `office` map has `name` (required there), `address`, `phone` and
    // `hours`.
    // An optional `city:` map beside `districts:` has a `name` and optional `aliases`:
    //   city: {name: 常州市, aliases: [常州]}
    // Throws std::runtime_error naming the line (1-based) on bad data: YAML syntax, no districts,
    // a missing or empty id or name, a duplicate id, an empty or non-string alias.
    static DistrictCatalog from_yaml(std::string_view yaml_text);

    struct Match {
        // city: no district is named, but the catalog's city is ("常州", "就在常州市里跑");
        // candidates are every district.
        enum class Kind { unique, ambiguous, city, none };
        Kind kind = Kind::none;
        // Pointers into this catalog, in catalog order; valid while the catalog lives and is not
        // copied (moving it keeps them valid).
        std::vector<const District*> candidates;
    };

    // Rules, in order:
    //  1. the whole text (trimmed, width-folded, punctuation removed) equals an id
    //     (case-insensitive), a name, or a name without its 区/县/市/镇/乡/街道 suffix → that
    //     district, even if it is also someone else's alias;
    //  2. the whole text equals an alias (or an alias without its suffix) → the districts
    //     having it;
    //  3. otherwise every name, alias and their suffix-less stems (at least 2 characters) found
    //     inside the text: a hit inside a longer hit for another district is dropped ("天宁区"
    //     does not also hit an alias "宁区"), and at the same span a name beats an alias.
    // One district left → unique; several → ambiguous (all of them); none → city when the text
    // holds the city's name, its stem or an alias, else none.
    Match match(std::string_view free_text) const;

    const District* find(std::string_view id) const;
    const std::vector<District>& all() const { return districts_; }
    const City& city() const { return city_; }

private:
    struct Key {
        std::u32string text;  // normalized like the driver's text
        bool is_name = false;
    };
    std::vector<District> districts_;
    std::vector<std::vector<Key>> keys_;  // parallel to districts_
    City city_;
    std::vector<std::u32string> city_keys_;  // normalized name, stem and aliases
};

}  // namespace kayou::members
