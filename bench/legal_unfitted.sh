#!/usr/bin/env bash
# Scores each blind legal dev set against the content as it stood when that set was frozen, before
# anyone tuned on it: an unfitted figure for a change to retrieval or to the decision rule, which
# the current content (fitted to every dev set) can no longer give. docs/BENCHMARKS.md, "Session 8".
#   bench/legal_unfitted.sh [legal_eval flags, e.g. --set answer=0.45]
# Needs the git history (the freeze commits) and a built build/dialogs/legal_eval
# (KAYOU_LEGAL_EVAL overrides the path).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
legal_eval="${KAYOU_LEGAL_EVAL:-$root/build/dialogs/legal_eval}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# set -> the commit that froze it (the content then had never seen the set).
freezes=(
    "legal_dev_a f5f5d6e" "legal_dev_b f5f5d6e"
    "legal_dev_c e915c09" "legal_dev_d e915c09"
    "legal_long_e f1d126a" "legal_dev_f a8e16c0"
    "legal_dev_g 33064bd" "legal_dev_h 33064bd" "legal_dev_i 33064bd"
    "legal_dev_j 9cd62b8" "legal_dev_k ba6548b"
    "legal_dev_l 8d8bbb8" "legal_dev_m 8d8bbb8"
    "legal_dev_n 6a82e95" "legal_dev_o a4ff8eb" "legal_dev_p a4ff8eb"
    "legal_dev_q a4ff8eb" "legal_dev_r a4ff8eb" "legal_dev_s cbed0d1"
    "legal_dev_t e2364d2" "legal_dev_u 7c9cea4" "legal_dev_v a34a9c4"
    "legal_dev_w a34a9c4" "legal_dev_x 6908a2d" "legal_dev_y 47c285a"
    "legal_dev_z 111730c" "legal_dev_aa 6df2154" "legal_dev_ab 6df2154"
    "legal_dev_ac 6df2154" "legal_dev_ad 1b7382d" "legal_dev_ae 07f3284"
    "legal_dev_af 5fb0f76" "legal_dev_ag e75d1c5" "legal_dev_ah 80cd426"
    "legal_dev_al 75a1695" "legal_dev_am 6ab0482" "legal_dev_an 318b65b"
    "legal_dev_ao 016ece7" "legal_dev_ap 016ece7"
    "legal_dev_aq 607866f" "legal_dev_ar 607866f" "legal_dev_at 9a03347"
    "legal_dev_au f9fb8d5" "legal_dev_av 5d57f03" "legal_dev_aw 4554b0e"
    "legal_dev_ay 15fa73b" "legal_dev_az 56c5f36" "legal_dev_bc 05857a4" "legal_dev_ba 82764fe"
    "legal_dev_bd 9f396eb" "legal_dev_bf 20912dd" "legal_dev_be c19c087"
    "legal_dev_bh a0f55aa" "legal_dev_bi a0f55aa" "legal_dev_bj a0f55aa"
)
if [[ -n "${KAYOU_UNFITTED_EXTRA:-}" ]]; then
    # "set commit;set commit": sets frozen later, e.g. by the session that adds them.
    IFS=';' read -r -a extra <<<"$KAYOU_UNFITTED_EXTRA"
    freezes+=("${extra[@]}")
fi
for pair in "${freezes[@]}"; do
    read -r set commit <<<"$pair"
    # Some old versions have question variants indented one level too deep under an unquoted
    # answer (YAML read them as answer text; parse_script refuses that since session 10). Put
    # them back under the questions they were written for, which end right above the answer.
    git -C "$root" show "$commit:faq/data/legal.yaml" | awk '
        /^    answer: [^"\x27|>]/ { held = $0; next }
        held != "" && /^      - "/ { print; next }
        held != "" { print held; held = "" }
        { print }
        END { if (held != "") print held }' >"$work/moved.yaml"
    # Others (AD's freeze) hold an entry key twice after a line-based merge; YAML kept the last,
    # parse_script refuses it since session 10: drop the earlier one, as the old parser did.
    awk '
        function flush(   i) { for (i = 1; i <= n; ++i) if (!(i in dropped)) print line[i]; n = 0; delete dropped; delete at }
        /^  - id: / || /^[^ ]/ || /^  #/ { flush() }
        { line[++n] = $0 }
        /^    [a-z_]+:/ {
            key = $1
            if (key in at) { for (i = at[key]; i < n && (i == at[key] || line[i] ~ /^      /); ++i) dropped[i] = 1 }
            at[key] = n
        }
        END { flush() }' "$work/moved.yaml" >"$work/once.yaml"
    # And some list a variant twice in one entry, or a misspelling twice under corrections (line
    # merges again; refused since session 11): keep the first (retrieval then counted it twice).
    awk '
        /^  - id: / || /^[^ ]/ { delete seen; section = $0 }
        (/^      - / || section ~ /^corrections:/ && /^  [^ -]/) && ($0 in seen) { next }
        { seen[$0] = 1; print }' "$work/once.yaml" >"$work/legal.yaml"
    git -C "$root" show "$commit:faq/data/intents.yaml" >"$work/intents.yaml"
    "$legal_eval" --summary --legal "$work/legal.yaml" --intents "$work/intents.yaml" "$@" \
        "$root/faq/eval/$set.yaml" | sed -n 2,3p | sed "s/^/[$commit] /"
done
