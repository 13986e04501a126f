#!/usr/bin/python3
"""Trains zkspark's bundled model: a small Llama (GQA) on Ambrose Bierce's "The Devil's Dictionary".

Reproduce (Debian: apt-get install python3-torch dict-devil):
    /usr/bin/python3 datasets/training/train.py --out datasets/src/main/resources/dev/zkspark/datasets/bundled

Corpus: /usr/share/dictd/devil.dict.dz from Debian's dict-devil (public domain, copyright expired).
Every 20th dictionary entry is held out for perplexity (heldout.txt); the rest is training text.
Outputs (llama2.c formats): model.bin (legacy header, tied classifier, q/k in the interleaved Meta
RoPE layout as llama2.c expects), tokenizer.bin, heldout.txt, and reference.json (logits of a fixed
token sequence under this model, for the Java loader/forward-pass test).
"""
import argparse, gzip, json, math, re, struct, time, random
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--steps", type=int, default=1500)
p.add_argument("--seed", type=int, default=1234)
p.add_argument("--vocab", type=int, default=512)
args = p.parse_args()
torch.manual_seed(args.seed)
random.seed(args.seed)
torch.set_num_threads(2)

# ---------------------------------------------------------------- corpus
raw = gzip.open("/usr/share/dictd/devil.dict.dz").read().decode("latin-1")
entries = [e.strip() for e in re.split(r"\n\s*\n", raw) if e.strip()]
entries = [e for e in entries if not e.startswith("00-database") and "dictd" not in e]
entries = [re.sub(r"[{}]", "", e) for e in entries]
entries = [re.sub(r"[ \t]+", " ", e) for e in entries]
train_entries = [e for i, e in enumerate(entries) if i % 20 != 7]
held_entries = [e for i, e in enumerate(entries) if i % 20 == 7]
train_text = "\n\n".join(train_entries)
held_text = "\n\n".join(held_entries)

# ---------------------------------------------------------------- tokenizer (llama2.c style BPE)
# ids: 0 <unk>, 1 <s>, 2 </s>, 3..258 byte fallback <0xXX>, then characters, then merges.
SPECIAL = ["<unk>", "\n<s>\n", "\n</s>\n"]
vocab = list(SPECIAL) + ["<0x%02X>" % b for b in range(256)]
chars = sorted(set(train_text))
vocab += [c for c in chars if c not in vocab]
scores = [0.0] * len(vocab)

def pieces_of(text):
    # llama2.c encodes with a dummy prefix space and looks up single characters first
    return [c for c in " " + text]

words = {}
for w in re.findall(r" ?[^ ]+|  +", " " + train_text.replace("\n", " \n ")):
    words[tuple(w)] = words.get(tuple(w), 0) + 1
merges = []
while len(vocab) < args.vocab:
    pairs = {}
    for w, n in words.items():
        for a, b in zip(w, w[1:]):
            pairs[(a, b)] = pairs.get((a, b), 0) + n
    if not pairs:
        break
    (a, b), n = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
    if n < 2:
        break
    merged = a + b
    merges.append(merged)
    vocab.append(merged)
    scores.append(-float(len(merges)))
    new = {}
    for w, c in words.items():
        out, i = [], 0
        while i < len(w):
            if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                out.append(merged); i += 2
            else:
                out.append(w[i]); i += 1
        new[tuple(out)] = new.get(tuple(out), 0) + c
    words = new
index = {t: i for i, t in enumerate(vocab)}
_cache = {}

def encode_fast(text):
    """Encodes chunk by chunk (a leading space starts a chunk, as in training): no merge can cross a
    chunk boundary because no token has a space after its first character, so this equals the
    global greedy of encode() on the same text, in linear time."""
    ids = []
    s = " " + text
    for chunk in re.findall(r" ?[^ ]*", s):
        if not chunk:
            continue
        if chunk not in _cache:
            _cache[chunk] = encode(chunk[1:] if chunk.startswith(" ") else chunk, bos=False, prefix=chunk.startswith(" "))
        ids.extend(_cache[chunk])
    return ids

def encode(text, bos=True, prefix=True):
    ids = []
    for ch in (pieces_of(text) if prefix else list(text)):
        if ch in index:
            ids.append(index[ch])
        else:
            ids.extend(3 + b for b in ch.encode("utf-8"))
    while True:
        best, best_i = None, -1
        for i in range(len(ids) - 1):
            s = vocab[ids[i]] + vocab[ids[i + 1]]
            j = index.get(s)
            if j is not None and j >= 259 and (best is None or scores[j] > scores[best]):
                best, best_i = j, i
        if best is None:
            break
        ids[best_i:best_i + 2] = [best]
    return ([1] if bos else []) + ids

# ---------------------------------------------------------------- model (HF Llama, rotate-half RoPE)
DIM, LAYERS, HEADS, KV, HIDDEN, SEQ = 128, 4, 4, 2, 352, 256
V = len(vocab)
HD = DIM // HEADS
EPS, THETA = 1e-5, 10000.0

class RMSNorm(nn.Module):
    def __init__(s, d):
        super().__init__(); s.weight = nn.Parameter(torch.ones(d))
    def forward(s, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * s.weight

def rope(x, pos):
    inv = 1.0 / (THETA ** (torch.arange(0, HD, 2).float() / HD))
    ang = pos[:, None].float() * inv[None, :]
    cos = torch.cat([ang.cos(), ang.cos()], -1); sin = torch.cat([ang.sin(), ang.sin()], -1)
    x1, x2 = x[..., :HD // 2], x[..., HD // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin

class Block(nn.Module):
    def __init__(s):
        super().__init__()
        s.input_layernorm = RMSNorm(DIM); s.post_attention_layernorm = RMSNorm(DIM)
        s.q = nn.Linear(DIM, DIM, bias=False); s.k = nn.Linear(DIM, KV * HD, bias=False)
        s.v = nn.Linear(DIM, KV * HD, bias=False); s.o = nn.Linear(DIM, DIM, bias=False)
        s.gate = nn.Linear(DIM, HIDDEN, bias=False); s.up = nn.Linear(DIM, HIDDEN, bias=False)
        s.down = nn.Linear(HIDDEN, DIM, bias=False)
    def forward(s, x):
        B, T, _ = x.shape
        h = s.input_layernorm(x)
        pos = torch.arange(T)
        q = rope(s.q(h).view(B, T, HEADS, HD).transpose(1, 2), pos)
        k = rope(s.k(h).view(B, T, KV, HD).transpose(1, 2), pos)
        v = s.v(h).view(B, T, KV, HD).transpose(1, 2)
        k = k.repeat_interleave(HEADS // KV, 1); v = v.repeat_interleave(HEADS // KV, 1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(HD)
        att = att.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        x = x + s.o((att @ v).transpose(1, 2).reshape(B, T, DIM))
        h = s.post_attention_layernorm(x)
        return x + s.down(F.silu(s.gate(h)) * s.up(h))

class Llama(nn.Module):
    def __init__(s):
        super().__init__()
        s.embed = nn.Embedding(V, DIM); s.layers = nn.ModuleList([Block() for _ in range(LAYERS)])
        s.norm = RMSNorm(DIM)
        nn.init.normal_(s.embed.weight, std=0.02)
    def forward(s, idx):
        x = s.embed(idx)
        for b in s.layers:
            x = b(x)
        return s.norm(x) @ s.embed.weight.T  # tied classifier

model = Llama()
nparams = sum(p.numel() for p in model.parameters())
data = torch.tensor(encode_fast(train_text), dtype=torch.long)
held = torch.tensor(encode_fast(held_text), dtype=torch.long)
assert encode_fast("A fool, n. and the rest") == encode("A fool, n. and the rest", bos=False)
print(f"vocab {V}, params {nparams}, train tokens {len(data)}, held-out tokens {len(held)}", flush=True)

opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.05)
B, T = 32, 128
t0 = time.time()
log = []
for step in range(args.steps):
    lr = 3e-3 * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
    for g in opt.param_groups:
        g["lr"] = lr
    ix = torch.randint(len(data) - T - 1, (B,))
    x = torch.stack([data[i:i + T] for i in ix]); y = torch.stack([data[i + 1:i + T + 1] for i in ix])
    loss = F.cross_entropy(model(x).view(-1, V), y.view(-1))
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
    if step % 100 == 0 or step == args.steps - 1:
        log.append((step, round(loss.item(), 4)))
        print(f"step {step} loss {loss.item():.4f} lr {lr:.5f} {time.time() - t0:.0f}s", flush=True)

model.eval()
with torch.no_grad():
    nll, n = 0.0, 0
    for i in range(0, len(held) - T - 1, T):
        x = held[i:i + T][None]; y = held[i + 1:i + T + 1][None]
        nll += F.cross_entropy(model(x).view(-1, V), y.view(-1), reduction="sum").item(); n += T
    held_ppl = math.exp(nll / n)
print(f"held-out perplexity {held_ppl:.3f}", flush=True)

# ---------------------------------------------------------------- export (llama2.c legacy format)
def meta_layout(w, heads):
    # HF rotate-half rows -> Meta interleaved rows (inverse of HF's conversion permute)
    d1, d2 = w.shape
    return w.view(heads, 2, d1 // heads // 2, d2).transpose(1, 2).reshape(d1, d2)

out = args.out
with open(f"{out}/model.bin", "wb") as f:
    f.write(struct.pack("7i", DIM, HIDDEN, LAYERS, HEADS, KV, V, SEQ))
    def w(t):
        f.write(t.detach().float().contiguous().numpy().tobytes())
    w(model.embed.weight)
    for b in model.layers: w(b.input_layernorm.weight)
    for b in model.layers: w(meta_layout(b.q.weight, HEADS))
    for b in model.layers: w(meta_layout(b.k.weight, KV))
    for b in model.layers: w(b.v.weight)
    for b in model.layers: w(b.o.weight)
    for b in model.layers: w(b.post_attention_layernorm.weight)
    for b in model.layers: w(b.gate.weight)
    for b in model.layers: w(b.down.weight)
    for b in model.layers: w(b.up.weight)
    w(model.norm.weight)
    inv = 1.0 / (THETA ** (torch.arange(0, HD, 2).float() / HD))
    ang = torch.arange(SEQ)[:, None].float() * inv[None, :]
    w(ang.cos()); w(ang.sin())
with open(f"{out}/tokenizer.bin", "wb") as f:
    bs = [t.encode("utf-8") for t in vocab]
    f.write(struct.pack("i", max(len(b) for b in bs)))
    for b, s in zip(bs, scores):
        f.write(struct.pack("fi", s, len(b))); f.write(b)
with open(f"{out}/heldout.txt", "w") as f:
    f.write(held_text)
probe = "POLITICS, n. A strife of interests masquerading"
ids = encode(probe)
with torch.no_grad():
    logits = model(torch.tensor([ids]))[0]
    gen = list(ids)
    for _ in range(24):
        gen.append(int(model(torch.tensor([gen]))[0, -1].argmax()))
with open(f"{out}/reference.json", "w") as f:
    json.dump({"text": probe, "ids": ids, "last_logits": [round(v, 5) for v in logits[-1].tolist()],
               "first_logits": [round(v, 5) for v in logits[0].tolist()[:16]], "greedy_ids": gen,
               "params": nparams, "steps": args.steps, "seed": args.seed, "train_seconds": round(time.time() - t0),
               "final_loss": log[-1][1], "loss_log": log, "heldout_perplexity": round(held_ppl, 4),
               "train_tokens": len(data), "heldout_tokens": len(held)}, f, indent=1)
print("greedy:", "".join(vocab[i] if not vocab[i].startswith("<0x") else "?" for i in gen[1:]))
