#pragma once
// In-memory FAQ retrieval: BM25 over character unigrams and bigrams of every question variant,
// after the folding in analyzer.hpp. An Index is immutable once built, so hot reload is "build a
// new one, then swap a std::shared_ptr<const Index>"; searches on the old one finish safely.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "faq/analyzer.hpp"
#include "faq/script.hpp"

namespace kayou::faq {

// How much one sentence of an answer says about the question asked (0: nothing in common). A
// shortened answer keeps the sentences that score highest (faq::format_both).
using SentenceRelevance = std::function<double(std::string_view sentence)>;

struct Hit {
    const Entry* entry = nullptr;  // points into the Index; valid while the Index lives
    double score = 0;              // 0..1, see Index::search
    std::size_t variant = 0;       // which question of the entry matched best
    // How the score came about, for calibrating decisions (legal_eval --features): the share of
    // the matched variant's own weight the query covers, the share of the query's weight the
    // variant covers, the answer evidence share, and whether the long story's asking part won.
    float variant_coverage = 0;
    float query_coverage = 0;
    float answer_share = 0;
    bool from_focus = false;
    // The entry's share of the word-model posterior among the best candidates (see
    // IndexOptions::word_model_demote); 0 when the model is off or the hit was not among them.
    float word_model_share = 0;
};

// Retrieval parameters. The defaults were chosen on faq/data/eval.yaml (docs/BENCHMARKS.md);
// they are a struct so the evaluation tool can compare alternatives without a rebuild.
struct IndexOptions {
    double k1 = 1.2;
    double b = 0.75;
    double unigram_weight = 1.0;
    // idf is raised to this power: above 1 the rare, telling words (仲裁, 挂靠) outweigh the
    // situational ones every driver uses (老板, 车, 查).
    double idf_power = 1.0;
    double bigram_weight = 0.5;
    // How much a query term the index has never seen counts against the query, as a fraction of
    // the rarest known term's idf. Unknown words are what out-of-scope questions are made of.
    double unknown_weight = 1.0;
    enum class Normalize { by_variant, by_larger, cosine } normalize = Normalize::by_larger;
    // Evidence from an entry's answer and tags, which use far more words than its few question
    // variants: the share of the query's bigrams and synonym units found there fills this
    // fraction of the gap between the variant score and 1 (0 turns it off).
    double answer_weight = 0.8;
    // Evidence from all the entry's question variants pooled together, as a separate field: a
    // new driver's wording often takes one word from one variant and the next from another, so
    // no single variant scores well. The idf-weighted share of the query's meaningful terms found
    // anywhere in the pool closes this fraction of the remaining gap (0 turns it off). Chosen in
    // session 9 on blind sets scored before any content was tuned on them (docs/BENCHMARKS.md
    // "Session 9"), together with Thresholds::answer 0.57.
    double question_pool_weight = 0.7;
    // ... at full weight from this many query units (characters, synonyms, numbers), scaled
    // down linearly below: a short message that shares two words with an entry's variants
    // ("借给朋友的钱不还") is not a new wording of that entry, it is another question.
    double question_pool_from = 16;
    // ... and only for an entry that already scores this much on its own variants and answer:
    // pooled words must not lift an unrelated entry into the numbered choices (an out-of-scope
    // "咨询一下离婚的时候房子怎么分" reached legal_aid_services at 0.46 without it).
    double question_pool_floor = 0.30;
    // Each query term counts in the pooled share by its idf raised to this power: below 1 the
    // common words of a topic (工资, 公司) count nearly as much as its rare ones, which suits a
    // pool of ~18 phrasings where the rare words are often one variant's wording. 0.5 rather than
    // 1: bench/legal_unfitted.sh 67.3 -> 68.4 % right, 6.06 -> 6.11 % wrong with answer 0.57.
    double pool_idf_power = 0.5;
    // Function words (the 我/你/他/什么/这个/那个 synonym groups) form no bigrams: "{我}#" or
    // "欠{我}" says nothing about the topic. On since issue 5's "老板拖了三个月运费不给咋办" fix:
    // eval.yaml top-1 159 → 160 of 176, holdout top-3 79 → 81 of 84 (docs/BENCHMARKS.md).
    bool skip_function_bigrams = true;
    // A long story is also searched by its asking part alone (faq/focus.hpp); an entry's score is
    // the better of the two, the focus score scaled by this (0 turns it off).
    double focus_weight = 0.9;
    // ... but at most this much above the entry's score on the whole message: a story's asking
    // part alone ("能不能申请 要准备啥材料") matches every "X要准备什么材料" variant, and the
    // story says which X. Chosen over all readable blind sets in session 34 (docs/BENCHMARKS.md
    // "Session 34"): 0.3 / 0.2 / 0.15 / 0.1 gave right −1 / −7 / −23 / −70, wrong −4 / −9 /
    // −11 / −11 of 25,216 cases.
    double focus_lift = 0.2;
    // With Normalize::by_larger, the query's self-weight counts at most this many times the
    // variant's, so a long story that holds a variant's words is not marked down for every
    // sentence of background (0 turns the cap off). Chosen on the blind long-story set
    // faq/eval/legal_long_e.yaml (docs/faq-format.md "Long stories").
    double query_cap = 1.75;
    // ... and only for a query of at least this many units (characters, synonyms, numbers): a
    // short question longer than a short variant is a different question, not a story.
    double query_cap_from = 20;
    // A second opinion on the best candidates from another kind of evidence: each entry's variants
    // taken together as a word model (multinomial naive Bayes over the same units and bigrams,
    // additive smoothing word_model_alpha). BM25 asks how much of the query one variant holds;
    // the word model asks which entry's drivers talk like this, so a word two sibling entries
    // share counts for the one whose variants use it more, and a word only one of them uses
    // speaks against the other. Among the best word_model_candidates hits, with p the posterior
    // (uniform prior), each score loses word_model_demote * (p_best - p): the candidate the model
    // prefers keeps its score, the others fall behind it. Scores never rise, so an out-of-scope
    // question can only lose. Chosen in session 10 on the blind sets scored before any content
    // was tuned on them (docs/BENCHMARKS.md "Session 10"); 0 turns it off.
    double word_model_demote = 0.1;
    double word_model_alpha = 0.05;
    std::size_t word_model_candidates = 5;
    // A term in more variants than this (or than 4 % of them on a larger index) finds no
    // candidates by itself; it only adds to the variants the query's other terms found (see
    // Index::accumulate). A speed measure for large indexes that must not change scores.
    std::size_t common_term_docs = 2000;
};

class Index {
public:
    // Copies the script; throws nothing for a script that parse_script accepted.
    static std::shared_ptr<const Index> build(const Script& script, IndexOptions options = {});

    // Up to top_k distinct entries, best first, scores in [0, 1]. An entry's score is the best of
    // its variants: BM25(query, variant) divided by the larger of the two self-scores
    // (BM25(variant, variant) and the query's own weight under the same statistics), so 1 means
    // "same text after folding" and a long query that merely contains a short variant, or a short
    // query that covers a fraction of a long variant, scores lower. Entries scoped to districts
    // are only returned when `district` is one of them. An empty, emoji-only or punctuation-only
    // question returns no hits. The answer and pooled-question evidence then raise the scores,
    // and the word model lowers all but its favourite among the best (see IndexOptions).
    std::vector<Hit> search(std::string_view question, std::string_view district = {},
                            std::size_t top_k = 3) const;

    // The relevance of an answer's sentences to `question`: the idf-weighted share of the
    // question's meaningful units (bigrams, synonym groups, numbers; the answer evidence's units)
    // that a sentence holds, each counted once. Empty for a question with no such unit. The
    // function refers to this Index and must not outlive it.
    SentenceRelevance sentence_relevance(std::string_view question) const;

    // The idf-weighted share of `question`'s meaningful units (as sentence_relevance's) that
    // `answered` holds nowhere (answer, tags or any variant) and `other` does: how much of the
    // question only the other entry speaks to (faq::with_complement). 0 for a question with no
    // such unit.
    double uncovered_share(std::string_view question, const Entry& answered,
                           const Entry& other) const;

    // For studying decisions (legal_eval --cases): each meaningful unit of `question` (as
    // answer_terms) with how many entries' answers and variant pools hold it, and whether
    // `entry`'s do.
    struct TermEvidence {
        std::uint64_t key = 0;
        std::size_t answer_entries = 0;
        std::size_t pool_entries = 0;
        bool in_answer = false;
        bool in_pool = false;
    };
    std::vector<TermEvidence> term_evidence(std::string_view question, const Entry& entry) const;

    const Script& script() const { return script_; }
    const Analyzer& analyzer() const { return analyzer_; }
    std::size_t documents() const { return docs_.size(); }
    std::size_t terms() const { return idf_.size(); }

    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

private:
    Index() = default;

    using TermKey = std::uint64_t;
    struct Posting {
        std::uint32_t doc;
        float weight;  // BM25 term-frequency part, idf and field weight applied at search time
    };
    struct Doc {
        std::uint32_t entry;
        std::uint32_t variant;
        double self_score;
    };
    struct QueryTerm {
        std::uint32_t term;
        double weight;  // idf * n-gram weight * query count factor
    };

    // Every candidate entry for one text (its term_counts), unsorted: search() without the focus
    // and the cut.
    std::vector<Hit> candidates(const std::vector<std::pair<TermKey, int>>& terms,
                                std::string_view district) const;
    // BM25 per variant for the known query terms (candidates' first step).
    void accumulate(const std::vector<QueryTerm>& known, std::vector<double>& scores,
                    std::vector<std::uint32_t>& touched) const;
    // Re-weighs hits[0..count) (the best by score, sorted) by the word model, see IndexOptions.
    void apply_word_model(const std::vector<std::pair<TermKey, int>>& question_terms,
                          std::vector<Hit>& hits, std::size_t count) const;
    // Term keys with their counts for one text.
    std::vector<std::pair<TermKey, int>> term_counts(std::string_view text) const;
    // Bigrams and synonym-group unigrams only: the meaningful units of a long text.
    std::vector<TermKey> answer_terms(std::string_view text) const;
    // The same, from the text's term_counts() (search has them already).
    std::vector<TermKey> answer_terms(const std::vector<std::pair<TermKey, int>>& counts) const;
    double length_norm(double length) const;
    // Whether `entry`'s answer, tags or any variant holds the term.
    bool speaks_of(const Entry& entry, TermKey key) const;
    // `entry`'s place in script_.entries (an Entry of this Index).
    std::uint32_t entry_number(const Entry& entry) const;

    Script script_;
    IndexOptions options_;
    Analyzer analyzer_;
    std::vector<Doc> docs_;
    std::unordered_map<TermKey, std::uint32_t> term_ids_;
    std::vector<double> idf_;
    std::vector<bool> is_bigram_;
    std::vector<std::vector<Posting>> postings_;
    // Answer field: for each term key, the entries whose answer or tags contain it.
    using FieldPostings = std::unordered_map<TermKey, std::vector<std::uint32_t>>;
    FieldPostings answer_postings_;
    // Question pool field: for each term key, the entries whose variants (any of them) contain it.
    FieldPostings pool_postings_;
    double answer_idf(std::size_t entries_with_term) const;
    // answer_idf of a term by the entries whose answer or tags hold it (sentence relevance and
    // uncovered_share weigh the question's terms by it).
    double answer_term_idf(TermKey key) const;
    void add_field_shares(const std::vector<TermKey>& query_terms, const FieldPostings& field,
                          const std::vector<double>& entry_best,
                          const std::vector<std::uint32_t>& candidates, std::vector<double>& shares,
                          double power) const;
    // Word model: for each entry, its variants' term keys with their counts, sorted by key.
    std::vector<std::vector<std::pair<TermKey, float>>> entry_terms_;
    std::vector<double> entry_term_totals_;
    double average_length_ = 1;
    double max_idf_ = 1;
};

// A search already made for a message, so that one turn searches it once (the understanding
// step, then the answer): the index it ran on (kept alive: the hits point into it), the text
// searched without a district filter, and its top hits.
struct PriorSearch {
    std::shared_ptr<const Index> index;
    std::string text;
    std::vector<Hit> hits;

    // How many hits the search keeps: what a legal answer searches for.
    static constexpr std::size_t kPriorSearchTopK = 3;

    // These hits stand for index->search(wanted_text, district, kPriorSearchTopK).
    bool answers(const Index* wanted, std::string_view wanted_text,
                 std::string_view district) const {
        return index && index.get() == wanted && text == wanted_text && district.empty();
    }
};

}  // namespace kayou::faq
