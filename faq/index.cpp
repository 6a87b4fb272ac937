#include "faq/index.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "faq/focus.hpp"

namespace kayou::faq {
namespace {

constexpr std::uint64_t kUnigramMark = 0xFFFFFFFFull << 32;
constexpr std::size_t kCommonTermShare = 25;  // 1/25 = 4 % of the variants
constexpr std::size_t kCommonScanFactor = 2;

bool is_bigram_key(std::uint64_t key) { return (key & kUnigramMark) != kUnigramMark; }

}  // namespace

std::vector<std::pair<Index::TermKey, int>> Index::term_counts(std::string_view text) const {
    std::unordered_map<TermKey, int> counts;
    for (const auto& segment : analyzer_.segments(text)) {
        for (std::size_t i = 0; i < segment.size(); ++i) {
            ++counts[kUnigramMark | segment[i]];
            if (i + 1 >= segment.size()) continue;
            if (options_.skip_function_bigrams && (analyzer_.is_function_unit(segment[i]) ||
                                                   analyzer_.is_function_unit(segment[i + 1])))
                continue;
            ++counts[(static_cast<std::uint64_t>(segment[i]) << 32) | segment[i + 1]];
        }
    }
    return {counts.begin(), counts.end()};
}

std::vector<Index::TermKey> Index::answer_terms(std::string_view text) const {
    return answer_terms(term_counts(text));
}

std::vector<Index::TermKey> Index::answer_terms(
    const std::vector<std::pair<TermKey, int>>& counts) const {
    std::vector<TermKey> out;
    for (const auto& [key, count] : counts) {
        const auto unit = static_cast<Unit>(key & 0xFFFFFFFFu);
        // Numbers and latin words ("12348", "etc") are as telling as a bigram.
        if (is_bigram_key(key) || unit >= kHashedBase ||
            (unit >= kSynonymBase && !analyzer_.is_function_unit(unit)))
            out.push_back(key);
    }
    return out;
}

SentenceRelevance Index::sentence_relevance(std::string_view question) const {
    std::vector<std::pair<TermKey, double>> weighted;
    double total = 0;
    for (const auto key : answer_terms(question)) {
        const double idf = answer_term_idf(key);
        weighted.emplace_back(key, idf);
        total += idf;
    }
    if (weighted.empty() || total <= 0) return {};
    std::sort(weighted.begin(), weighted.end());
    return [this, weighted = std::move(weighted), total](std::string_view sentence) {
        auto held = answer_terms(sentence);
        std::sort(held.begin(), held.end());
        held.erase(std::unique(held.begin(), held.end()), held.end());
        double shared = 0;
        for (const auto& [key, idf] : weighted)
            if (std::binary_search(held.begin(), held.end(), key)) shared += idf;
        return shared / total;
    };
}

namespace {

// How many entries one field (answer_postings_ or pool_postings_) holds `key` in, and whether
// entry `number` is one of them.
template <typename Field>
std::pair<std::size_t, bool> field_entries(const Field& field, std::uint64_t key,
                                           std::uint32_t number) {
    const auto it = field.find(key);
    if (it == field.end()) return {0, false};
    const bool held = std::find(it->second.begin(), it->second.end(), number) != it->second.end();
    return {it->second.size(), held};
}

}  // namespace

std::uint32_t Index::entry_number(const Entry& entry) const {
    return static_cast<std::uint32_t>(&entry - script_.entries.data());
}

bool Index::speaks_of(const Entry& entry, TermKey key) const {
    const auto number = entry_number(entry);
    return field_entries(answer_postings_, key, number).second ||
           field_entries(pool_postings_, key, number).second;
}

double Index::uncovered_share(std::string_view question, const Entry& answered,
                              const Entry& other) const {
    double total = 0;
    double uncovered = 0;
    for (const auto key : answer_terms(question)) {  // each key once (term_counts)
        const double idf = answer_term_idf(key);
        total += idf;
        if (!speaks_of(answered, key) && speaks_of(other, key)) uncovered += idf;
    }
    return total > 0 ? uncovered / total : 0.0;
}

std::vector<Index::TermEvidence> Index::term_evidence(std::string_view question,
                                                      const Entry& entry) const {
    const auto number = entry_number(entry);
    std::vector<TermEvidence> out;
    for (const auto key : answer_terms(question)) {
        TermEvidence evidence;
        evidence.key = key;
        std::tie(evidence.answer_entries, evidence.in_answer) =
            field_entries(answer_postings_, key, number);
        std::tie(evidence.pool_entries, evidence.in_pool) =
            field_entries(pool_postings_, key, number);
        out.push_back(evidence);
    }
    return out;
}

double Index::answer_term_idf(TermKey key) const {
    const auto it = answer_postings_.find(key);
    return answer_idf(it == answer_postings_.end() ? 0 : it->second.size());
}

double Index::answer_idf(std::size_t entries_with_term) const {
    const double n = static_cast<double>(script_.entries.size());
    const double df = static_cast<double>(entries_with_term);
    return std::log(1 + (n - df + 0.5) / (df + 0.5));
}

// The idf-weighted share of the query's meaningful terms that one field (answer and tags, or
// the pooled variants) holds, for each candidate entry. Terms the field never holds weigh as the
// rarest, so a query full of unknown words gains little. Only candidates (entry_best set) count.
void Index::add_field_shares(const std::vector<TermKey>& query_terms, const FieldPostings& field,
                             const std::vector<double>& entry_best,
                             const std::vector<std::uint32_t>& candidates,
                             std::vector<double>& shares, double power) const {
    double total = 0;
    for (const auto key : query_terms) {
        const auto it = field.find(key);
        const double idf = std::pow(answer_idf(it == field.end() ? 0 : it->second.size()), power);
        total += idf;
        if (it == field.end()) continue;
        for (const auto entry : it->second)
            if (entry_best[entry] >= 0) shares[entry] += idf;
    }
    if (total > 0)
        for (const auto e : candidates) shares[e] /= total;
}

double Index::length_norm(double length) const {
    return options_.k1 * (1 - options_.b + options_.b * length / average_length_);
}

std::shared_ptr<const Index> Index::build(const Script& script, IndexOptions options) {
    std::shared_ptr<Index> index(new Index());
    index->script_ = script;
    index->options_ = options;
    index->analyzer_ = Analyzer(index->script_);

    // First pass: terms and lengths of every variant.
    struct Raw {
        std::vector<std::pair<TermKey, int>> terms;
        double length = 0;
    };
    std::vector<Raw> raw;
    double total_length = 0;
    const auto& entries = index->script_.entries;
    for (std::uint32_t e = 0; e < entries.size(); ++e) {
        for (std::uint32_t v = 0; v < entries[e].questions.size(); ++v) {
            Raw doc;
            doc.terms = index->term_counts(entries[e].questions[v]);
            for (const auto& [key, count] : doc.terms)
                if (!is_bigram_key(key)) doc.length += count;
            if (doc.terms.empty()) continue;  // a variant made only of punctuation finds nothing
            total_length += doc.length;
            index->docs_.push_back({e, v, 0});
            raw.push_back(std::move(doc));
        }
    }
    if (!raw.empty()) index->average_length_ = std::max(1.0, total_length / raw.size());

    for (std::uint32_t d = 0; d < raw.size(); ++d) {
        for (const auto& [key, count] : raw[d].terms) {
            auto [it, inserted] =
                index->term_ids_.emplace(key, static_cast<std::uint32_t>(index->postings_.size()));
            if (inserted) {
                index->postings_.emplace_back();
                index->is_bigram_.push_back(is_bigram_key(key));
            }
            const double tf = count;
            const double weight = tf * (options.k1 + 1) / (tf + index->length_norm(raw[d].length));
            index->postings_[it->second].push_back({d, static_cast<float>(weight)});
        }
    }
    if (options.word_model_demote > 0) {
        std::vector<std::unordered_map<TermKey, float>> counts(entries.size());
        for (std::uint32_t d = 0; d < raw.size(); ++d)
            for (const auto& [key, count] : raw[d].terms)
                counts[index->docs_[d].entry][key] += static_cast<float>(count);
        index->entry_terms_.resize(entries.size());
        index->entry_term_totals_.assign(entries.size(), 0.0);
        for (std::uint32_t e = 0; e < entries.size(); ++e) {
            auto& terms = index->entry_terms_[e];
            terms.assign(counts[e].begin(), counts[e].end());
            std::sort(terms.begin(), terms.end());
            for (const auto& [key, count] : terms) index->entry_term_totals_[e] += count;
        }
    }
    const double n = static_cast<double>(raw.size());
    index->idf_.resize(index->postings_.size());
    index->max_idf_ = std::pow(std::log(1 + (n + 0.5) / 1.5), options.idf_power);  // df = 1
    for (std::size_t t = 0; t < index->postings_.size(); ++t) {
        const double df = static_cast<double>(index->postings_[t].size());
        const double field = index->is_bigram_[t] ? options.bigram_weight : options.unigram_weight;
        index->idf_[t] =
            field * std::pow(std::log(1 + (n - df + 0.5) / (df + 0.5)), options.idf_power);
    }
    // The answer field (answer and tags) and the question pool field (all variants together):
    // for each meaningful term, the entries whose text holds it.
    const auto add_field = [&](FieldPostings& field, const auto& text_of) {
        for (std::uint32_t e = 0; e < entries.size(); ++e)
            for (const auto key : index->answer_terms(text_of(entries[e]))) field[key].push_back(e);
    };
    if (options.answer_weight > 0)
        add_field(index->answer_postings_, [](const Entry& entry) {
            std::string text = entry.answer;
            for (const auto& tag : entry.tags) text += "\n" + tag;
            return text;
        });
    if (options.question_pool_weight > 0)
        add_field(index->pool_postings_, [](const Entry& entry) {
            std::string text;
            for (const auto& question : entry.questions) text += question + "\n";
            return text;
        });
    // Self-scores: the best any query can do against each variant.
    for (std::uint32_t d = 0; d < raw.size(); ++d) {
        double self = 0;
        for (const auto& [key, count] : raw[d].terms) {
            const auto t = index->term_ids_.at(key);
            const double tf = count;
            self +=
                index->idf_[t] * tf * (options.k1 + 1) / (tf + index->length_norm(raw[d].length));
        }
        index->docs_[d].self_score = self;
    }
    return index;
}

namespace {

// What a variant's raw BM25 score is divided by, so that scores fall in 0..1.
double normalizer(const IndexOptions& options, double variant_self, double query_self,
                  double query_length) {
    switch (options.normalize) {
        case IndexOptions::Normalize::by_variant:
            break;
        case IndexOptions::Normalize::by_larger:
            if (options.query_cap > 0 && query_length >= options.query_cap_from)
                query_self = std::min(query_self, options.query_cap * variant_self);
            return std::max(variant_self, query_self);
        case IndexOptions::Normalize::cosine:
            return std::sqrt(variant_self * query_self);
    }
    return variant_self;
}

}  // namespace

std::vector<Hit> Index::search(std::string_view question, std::string_view district,
                               std::size_t top_k) const {
    if (top_k == 0 || docs_.empty()) return {};
    const auto question_terms = term_counts(question);
    std::vector<Hit> hits = candidates(question_terms, district);
    const std::string_view focus = options_.focus_weight > 0 ? question_focus(question) : "";
    if (!focus.empty()) {
        // Where each entry sits in hits, so merging costs the candidates, not their product.
        thread_local std::vector<std::int32_t> position;
        if (position.size() < script_.entries.size()) position.resize(script_.entries.size(), -1);
        for (std::size_t i = 0; i < hits.size(); ++i)
            position[entry_number(*hits[i].entry)] = static_cast<std::int32_t>(i);
        for (auto focused : candidates(term_counts(focus), district)) {
            focused.score *= options_.focus_weight;
            focused.from_focus = true;
            const std::int32_t at = position[entry_number(*focused.entry)];
            const double whole = at < 0 ? 0.0 : hits[at].score;
            focused.score = std::min(focused.score, whole + options_.focus_lift);
            if (at < 0)
                hits.push_back(focused);
            else if (focused.score > hits[at].score)
                hits[at] = focused;
        }
        for (const auto& hit : hits) position[entry_number(*hit.entry)] = -1;
    }
    // Ties break on file order so results are deterministic across runs and platforms.
    const auto better = [](const Hit& a, const Hit& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.entry < b.entry;
    };
    const bool word_model = !entry_terms_.empty() && options_.word_model_candidates > 1;
    const std::size_t ranked =
        std::min(word_model ? std::max(top_k, options_.word_model_candidates) : top_k, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + ranked, hits.end(), better);
    if (word_model) {
        const std::size_t judged = std::min(options_.word_model_candidates, ranked);
        apply_word_model(question_terms, hits, judged);
        std::sort(hits.begin(), hits.begin() + judged, better);
    }
    hits.resize(std::min(top_k, ranked));
    return hits;
}

void Index::apply_word_model(const std::vector<std::pair<TermKey, int>>& terms,
                             std::vector<Hit>& hits, std::size_t count) const {
    if (count < 2) return;
    const double alpha = options_.word_model_alpha;
    const double vocabulary = static_cast<double>(postings_.size());
    // log P(question | entry) over the distinct query terms; then, in place, each candidate's
    // likelihood relative to the most likely one, whose posterior (uniform prior) is 1 / total.
    thread_local std::vector<double> likelihood;
    likelihood.assign(count, 0.0);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t entry = entry_number(*hits[i].entry);
        const auto& entry_terms = entry_terms_[entry];
        const double denominator = std::log(entry_term_totals_[entry] + alpha * vocabulary);
        for (const auto& [key, unused_count] : terms) {
            const auto found = std::lower_bound(entry_terms.begin(), entry_terms.end(), key,
                                                [](const std::pair<TermKey, float>& term,
                                                   TermKey wanted) { return term.first < wanted; });
            const double seen =
                found != entry_terms.end() && found->first == key ? found->second : 0.0;
            likelihood[i] += std::log(seen + alpha) - denominator;
        }
    }
    const double most_likely = *std::max_element(likelihood.begin(), likelihood.end());
    double total = 0;
    for (auto& value : likelihood) {
        value = std::exp(value - most_likely);
        total += value;
    }
    const double best_share = 1.0 / total;
    for (std::size_t i = 0; i < count; ++i) {
        const double share = likelihood[i] / total;
        hits[i].word_model_share = static_cast<float>(share);
        const double lowered = hits[i].score - options_.word_model_demote * (best_share - share);
        hits[i].score = std::max(0.0, lowered);
    }
}

// BM25 of the query's known terms for every variant that holds one, into scores (indexed by
// doc); each variant touched for the first time is appended to touched.
void Index::accumulate(const std::vector<QueryTerm>& known, std::vector<double>& scores,
                       std::vector<std::uint32_t>& touched) const {
    // Terms in a large share of the index ("请问", "我", "能") cost the most postings and find
    // no candidate of their own. Past common_term_docs, or 4 % of the variants on a larger index,
    // they only add to variants the other terms found: reading their postings is cheap, it is
    // touching every variant that holds one that costs (on the 5,000-entry synthetic index, 72k
    // variants, 4 % rather than 25 % took the CPU p99 from 1.5 ms to 0.5-0.8 ms;
    // docs/BENCHMARKS.md). They still count in full where they do count, so a word crossing the
    // line as the content grows does not lower every score it appears in (it once cost 10 right
    // answers when 能 did). Only past kCommonScanFactor times the line (none on today's real
    // index; on the synthetic one 的, 我 and the like) is a term left out of the sum, as all
    // common terms once were: reading all of those postings cost the synthetic index 30 % of its
    // p50.
    const std::size_t common_limit =
        std::max<std::size_t>(options_.common_term_docs, docs_.size() / kCommonTermShare);
    for (const auto& term : known) {
        if (postings_[term.term].size() > common_limit) continue;
        for (const auto& posting : postings_[term.term]) {
            if (scores[posting.doc] == 0.0) touched.push_back(posting.doc);
            scores[posting.doc] += term.weight * posting.weight;
        }
    }
    // Then the common terms, in the variants the others touched.
    for (const auto& term : known) {
        const std::size_t docs = postings_[term.term].size();
        if (docs <= common_limit || docs > kCommonScanFactor * common_limit) continue;
        for (const auto& posting : postings_[term.term])
            if (scores[posting.doc] != 0.0) scores[posting.doc] += term.weight * posting.weight;
    }
}

std::vector<Hit> Index::candidates(const std::vector<std::pair<TermKey, int>>& terms,
                                   std::string_view district) const {
    double query_length = 0;
    for (const auto& [key, count] : terms)
        if (!is_bigram_key(key)) query_length += count;
    if (terms.empty()) return {};

    // The query's own weight under the index statistics; unknown terms count as rare ones.
    double query_self = 0;
    std::vector<QueryTerm> known;
    for (const auto& [key, count] : terms) {
        const double tf = count;
        const double saturation = tf * (options_.k1 + 1) / (tf + length_norm(query_length));
        if (const auto it = term_ids_.find(key); it != term_ids_.end()) {
            known.push_back({it->second, idf_[it->second]});
            query_self += idf_[it->second] * saturation;
        } else {
            const double field =
                is_bigram_key(key) ? options_.bigram_weight : options_.unigram_weight;
            query_self += options_.unknown_weight * field * max_idf_ * saturation;
        }
    }
    if (known.empty()) return {};

    // Accumulate BM25 per variant. Query terms count once: a repeated word in a chat message is
    // emphasis, not extra evidence. Scratch arrays are per thread and reset only where touched,
    // so a search costs the postings it reads, not the size of the index.
    thread_local std::vector<double> scores;
    thread_local std::vector<std::uint32_t> touched;
    thread_local std::vector<double> entry_best;
    thread_local std::vector<std::uint32_t> entry_variant;
    thread_local std::vector<std::pair<float, float>> entry_coverage;
    thread_local std::vector<double> entry_share;
    thread_local std::vector<double> entry_pool_share;
    thread_local std::vector<std::uint32_t> entries_touched;
    const std::size_t entry_count = script_.entries.size();
    if (scores.size() < docs_.size()) scores.resize(docs_.size(), 0.0);
    if (entry_best.size() < entry_count) {
        entry_best.resize(entry_count, -1.0);
        entry_variant.resize(entry_count, 0);
        entry_coverage.resize(entry_count);
        entry_share.resize(entry_count, 0.0);
        entry_pool_share.resize(entry_count, 0.0);
    }
    touched.clear();
    entries_touched.clear();
    accumulate(known, scores, touched);

    // Best variant per entry, normalized to 0..1.
    for (const auto d : touched) {
        const double raw = scores[d];
        scores[d] = 0.0;
        const Doc& doc = docs_[d];
        const Entry& entry = script_.entries[doc.entry];
        if (!entry.districts.empty() && std::find(entry.districts.begin(), entry.districts.end(),
                                                  district) == entry.districts.end())
            continue;
        const double denominator = normalizer(options_, doc.self_score, query_self, query_length);
        if (denominator <= 0) continue;
        const double score = std::min(1.0, raw / denominator);
        if (entry_best[doc.entry] < 0) entries_touched.push_back(doc.entry);
        if (score > entry_best[doc.entry]) {
            entry_best[doc.entry] = score;
            entry_variant[doc.entry] = doc.variant;
            entry_coverage[doc.entry] = {static_cast<float>(raw / doc.self_score),
                                         static_cast<float>(raw / query_self)};
        }
    }

    // Evidence from the answer field, then from the pooled variants (scaled down for a short
    // query): shares of the query's meaningful terms, see add_field_shares.
    const auto meaningful = answer_terms(terms);
    if (options_.answer_weight > 0 && !entries_touched.empty())
        add_field_shares(meaningful, answer_postings_, entry_best, entries_touched, entry_share,
                         1.0);
    const double pool_weight = options_.question_pool_from > 0
                                   ? options_.question_pool_weight *
                                         std::min(1.0, query_length / options_.question_pool_from)
                                   : options_.question_pool_weight;
    if (pool_weight > 0 && !entries_touched.empty())
        add_field_shares(meaningful, pool_postings_, entry_best, entries_touched, entry_pool_share,
                         options_.pool_idf_power);

    std::vector<Hit> hits;
    hits.reserve(entries_touched.size());
    for (const auto e : entries_touched) {
        Hit hit{&script_.entries[e], entry_best[e], entry_variant[e]};
        hit.variant_coverage = entry_coverage[e].first;
        hit.query_coverage = entry_coverage[e].second;
        hit.answer_share = static_cast<float>(entry_share[e]);
        // Soft OR: answer evidence closes part of the gap to 1, an exact variant stays at 1.
        hit.score += options_.answer_weight * entry_share[e] * (1 - hit.score);
        if (hit.score >= options_.question_pool_floor)
            hit.score += pool_weight * entry_pool_share[e] * (1 - hit.score);
        hits.push_back(hit);
        entry_best[e] = -1.0;
        entry_share[e] = 0.0;
        entry_pool_share[e] = 0.0;
    }
    return hits;
}

}  // namespace kayou::faq
