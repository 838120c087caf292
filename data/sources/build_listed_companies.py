#!/usr/bin/env python3
"""Builds data/listed_companies.tsv: listed companies of mainland China (A shares), Hong Kong
and the US, with the short names news uses, from three public GitHub snapshots.

Sources (read from local git mirrors at pinned commits, see data/README.md):
  A shares  wwy2020211/data_KG           stock_basic.csv              (code, short name)
  HK        TheStepTwo/quantitative_trading hk_stock_list.csv         (code, short name)
  US        rreichel3/US-Stock-Symbols   {nasdaq,nyse,amex}/*_full_tickers.json (ticker, name, cap)

Usage:
  python3 data/sources/build_listed_companies.py \
      --a-share MIRROR_DIR --hk MIRROR_DIR --us MIRROR_DIR > data/listed_companies.tsv

Each MIRROR_DIR is a git directory (bare or not) of the repository named above; the script
reads the pinned commit with `git show`, so the output is the same on every run. Needs the
`jieba` Python package (the same dictionary jieba-rs ships) to mark names that are also
ordinary words, and `opencc-python-reimplemented` to write Hong Kong names in Simplified;
everything else is the standard library (pip install jieba opencc-python-reimplemented).

Output columns (tab-separated; the gazetteer reads them with src/table.rs):
  type  name  name_en  aliases  listing
where `aliases` are `|`-separated and a leading `~` marks a WEAK alias: a form that is also
an ordinary word or phrase (苹果, 新希望, 平安银行, Apple, Target), which counts only with
business context (see src/recognize/entity/gazetteer.rs).
"""

import argparse
import unicodedata
import json
import re
import subprocess
import sys

A_COMMIT = "bdff9162c2ddc61a365f2f6ef8de94b572520cc9"
HK_COMMIT = "163cac8c8d3522b0181566fe7d694af6546d9f7c"
US_COMMIT = "7d1d22185692e23e8d60e34cafecb03d5e19f2d1"
# How many US companies, largest market value first: the ones news names.
US_TOP = 2500

HAN = re.compile(r"[\u3400-\u9fff]")


def git_show(repo, commit, path):
    raw = subprocess.check_output(["git", "-C", repo, "show", f"{commit}:{path}"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # the A-share table is written in GBK


# --- Chinese short names -------------------------------------------------------------------

# Markers exchanges add to a short name that news does not write: special treatment (ST,
# *ST), share class (A, B), Stock Connect (s), weighted voting rights (-W, -SW), new (-新).
ZH_PREFIXES = ("*ST", "S*ST", "SST", "ST", "XD", "XR", "DR", "N")
ZH_SUFFIXES = ("-SW", "-W", "-S", "-B", "-新", "五百", "A", "B", "s")
# Company heads a news story drops (腾讯控股 -> 腾讯, 吉利汽车控股 -> 吉利汽车).
ZH_HEADS = ("控股集团", "控股", "集团", "股份")
# A row that is a fund, trust, bond or other product, not a company.
ZH_PRODUCT = re.compile(r"ETF|基金|信託|信托|－Ｒ|指數|指数|債|债|牛|熊|房託|REIT")


_t2s = None


def clean_zh(name):
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    # Simplified, as the text normalisation writes it (the HK table is in Traditional), and
    # without a bracketed part (香港小輪（集團） -> 香港小轮).
    name = unicodedata.normalize("NFKC", _t2s.convert(name.strip())).replace(" ", "")
    name = re.sub(r"[（(][^）)]*[）)]", "", name)
    changed = True
    while changed:
        changed = False
        for p in ZH_PREFIXES:
            if name.startswith(p) and len(HAN.findall(name[len(p):])) >= 2 and HAN.match(name[len(p)]):
                name, changed = name[len(p):], True
        for s in ZH_SUFFIXES:
            if name.endswith(s) and len(HAN.findall(name[: -len(s)])) >= 2:
                name, changed = name[: -len(s)], True
    return name


def zh_short(name):
    """The name without a company head (腾讯控股 -> 腾讯), when two characters remain."""
    for h in ZH_HEADS:
        if name.endswith(h) and len(name) - len(h) >= 2:
            return name[: -len(h)]
    return None


_jieba = None


def zh_weak(form):
    """Is a Chinese form also an ordinary word or phrase? Strong only when it has three or
    more characters and jieba reads it as an organisation word (中国移动, 工商银行),
    or as a phrase holding a word the dictionary lacks or knows as a person or brand name
    (宁德时代 = 宁德 + 时代, 泡泡玛特 = 泡泡 + 玛特). A phrase of common words (新希望 = 新 +
    希望, 平安银行 = 平安 + 银行), a place (张家界, 深圳机场) or a place plus a common word
    (西安旅游) has a reading as ordinary text, and so needs business context."""
    global _jieba
    if _jieba is None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        jieba.initialize()
        _jieba = jieba
    if len(form) <= 2:
        return True
    if not all(HAN.match(c) for c in form):
        return False  # a Latin or digit part (TCL科技) is no ordinary word
    freq = _jieba.dt.FREQ
    words = [(w.word, w.flag) for w in _jieba.posseg.cut(form)]
    if len(words) == 1:
        # One dictionary word: a name only when the dictionary says organisation (nt) or
        # abbreviation (j); nz (新世纪, 格力电器) mixes brands with common terms.
        return words[0][1] not in ("nt", "j") or form not in freq
    proper = ("nr", "nrt", "nz", "nt", "j")
    return not any(w not in freq or not freq.get(w) or f in proper for w, f in words)


def zh_verb_like(form):
    """A form that is one dictionary word and no noun (联合, 跨境, 当代, 节能): news uses it
    as a word far more often than as a name, and no context rule can tell them apart, so the
    form is left out (the company keeps its other forms)."""
    zh_weak(form)  # loads jieba
    words = list(_jieba.posseg.cut(form))
    return (
        len(words) == 1
        and form in _jieba.dt.FREQ
        and not words[0].flag.startswith("n")
        and words[0].flag != "j"
    )


# --- English names -------------------------------------------------------------------------

# Words after which a NASDAQ listing name describes the security, not the company.
SECURITY_WORDS = re.compile(
    r"\s+(Common Stock|Common Shares|Common shares|Ordinary Shares|Ordinary Share|Class [A-Z]\b|"
    r"Series [A-Z]\b|American Depositary|American Depository|Depositary|New York Registry|"
    r"Capital Stock|Subordinate Voting|Sponsored ADR|ADS\b|Units?\b|Warrants?\b|Rights?\b|"
    r"\(The\)|\(Canada\)|\(DE\)|\(MD\)|\(NV\)|\(Holding Company\)|Voting Trust).*$"
)
SKIP_SECURITY = re.compile(r"Preferred|Pfd|Notes? due|Debentures|Depositary Shares, each|Warrant|Units?$|Acquisition Corp")
# Legal-form and holding words a news story drops (Apple Inc. -> Apple).
EN_SUFFIXES = [
    "Incorporated", "Inc.", "Inc", "Corporation", "Corp.", "Corp", "Company", "Co.", "Co",
    "Limited", "Ltd.", "Ltd", "plc", "plc.", "PLC", "Plc", "N.V.", "NV", "S.A.", "SA", "AG", "SE",
    "L.P.", "LP", "LLC", "Holdings", "Holding", "Group", "& Co.", "& Co", "and Company", "The",
]


def clean_en(name):
    name = SECURITY_WORDS.sub("", name.strip()).strip().rstrip(",").strip()
    name = re.sub(r"\s+", " ", name)
    if name.startswith("The "):
        name = name[4:]
    return name


def en_short(legal):
    words = legal.replace(",", " ").split()
    while len(words) > 1 and (
        words[-1] in EN_SUFFIXES or " ".join(words[-2:]) in EN_SUFFIXES or words[-1] in ("&", "and")
    ):
        if " ".join(words[-2:]) in EN_SUFFIXES:
            words = words[:-2]
        else:
            words = words[:-1]
    return " ".join(words)


# A trade word after a one-word brand that news often drops (Toyota Motor -> Toyota, Uber
# Technologies -> Uber).
EN_TRADE = {
    "Motor", "Motors", "Technologies", "Technology", "Platforms", "Systems", "Networks",
    "Pharmaceuticals", "Therapeutics", "Entertainment", "Airlines", "Software", "Semiconductor",
    "Communications", "Financial", "Energy", "Brands", "Industries", "International", "Labs",
    "Bancorp", "Interactive", "Biotech", "Healthcare", "Health", "Resources", "Petroleum",
}


def en_brand(short):
    if short.endswith(".com") and len(short) > 6:
        return short[:-4]  # Amazon.com -> Amazon
    words = short.split()
    if len(words) == 2 and words[1] in EN_TRADE and re.match(r"[A-Z][A-Za-z.'-]+$", words[0]):
        return words[0]
    return None


def load_set(path, column=0, kinds=None):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if kinds is not None:
                if cells[0] in kinds:
                    out.update(cells[1].split())
            else:
                out.add(cells[column].strip())
    return out


def en_weak(form, common, given, stop):
    """A one-word English name that is also a common word (Apple, Target, Shell), a given
    name or a sentence opener, or that is short (three letters or fewer), needs context."""
    if " " in form:
        return False
    return form.lower() in common or form in given or form in stop or len(form) <= 3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a-share", required=True)
    ap.add_argument("--hk", required=True)
    ap.add_argument("--us", required=True)
    ap.add_argument(
        "--words",
        default="/usr/share/dict/american-english",
        help="an English word list (Debian package wamerican); its lower-case words are common words",
    )
    args = ap.parse_args()
    common = load_set("data/common_words_en.tsv")
    with open(args.words, encoding="utf-8") as f:
        common.update(w.strip() for w in f if w.strip().islower())
    given = load_set("data/entity_cues.tsv", kinds={"given"})
    stop = load_set("data/entity_cues.tsv", kinds={"stop"})

    rows = []
    seen = set()

    def zh_row(listing, raw):
        name = clean_zh(raw)
        if not HAN.search(name) or ZH_PRODUCT.search(name) or name in seen or zh_verb_like(name):
            return
        seen.add(name)
        aliases = []
        short = zh_short(name)
        if short and short not in seen and not zh_verb_like(short):
            seen.add(short)
            aliases.append(("~" if zh_weak(short) else "") + short)
        if zh_weak(name):
            aliases.insert(0, "~" + name)
        rows.append(("ORG", name, "", "|".join(aliases), listing))

    text = git_show(args.a_share, A_COMMIT, "stock_basic.csv")
    for line in text.splitlines()[1:]:
        cells = line.split(",")
        if len(cells) < 4:
            continue
        ts_code, name = cells[1], cells[3]
        code, _, exch = ts_code.partition(".")
        if code.startswith(("200", "900")):  # B shares
            continue
        zh_row(f"{exch}:{code}", name)

    text = git_show(args.hk, HK_COMMIT, "hk_stock_list.csv")
    for line in text.splitlines()[1:]:
        cells = line.split(",")
        if len(cells) < 2 or not cells[0].isdigit() or int(cells[0]) >= 80000:
            continue
        zh_row(f"HK:{cells[0]}", cells[1])

    us = []
    for ex in ("nasdaq", "nyse", "amex"):
        data = json.loads(git_show(args.us, US_COMMIT, f"{ex}/{ex}_full_tickers.json"))
        for r in data:
            try:
                cap = float(r.get("marketCap") or 0)
            except ValueError:
                cap = 0
            if cap > 0 and not SKIP_SECURITY.search(r["name"]):
                us.append((cap, r["symbol"].strip(), r["name"]))
    us.sort(key=lambda x: (-x[0], x[1]))
    seen_en = set()
    taken = 0
    for cap, symbol, raw in us:
        if taken >= US_TOP:
            break
        legal = clean_en(raw)
        short = en_short(legal)
        if len(short) < 2 or short in seen_en or not re.match(r"[A-Z0-9]", short):
            continue
        seen_en.add(short)
        taken += 1
        aliases = []
        if legal != short:
            aliases.append(legal)
        brand = en_brand(short)
        if brand and brand not in seen_en:
            seen_en.add(brand)
            # A brand cut out of a longer name (Jackson of Jackson Financial, Permian of
            # Permian Resources) is often a surname or a place too: always weak.
            aliases.append("~" + brand)
        if en_weak(short, common, given, stop):
            aliases.insert(0, "~" + short)
        rows.append(("ORG", short, short, "|".join(aliases), f"US:{symbol}"))

    out = sys.stdout
    out.write(
        "# Listed companies: A shares, Hong Kong and US. GENERATED by\n"
        "# data/sources/build_listed_companies.py from the sources in data/README.md; do not edit.\n"
        "# type\tname\tname_en\taliases\tlisting\n"
        "# aliases: `|`-separated; a leading `~` marks a weak alias (also an ordinary word: needs\n"
        "# business context). listing: exchange:code (SH, SZ, BJ, HK, US).\n"
    )
    for r in rows:
        out.write("\t".join(r) + "\n")


if __name__ == "__main__":
    main()
