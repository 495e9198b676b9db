"""Synthetic secrets and PII planted into real text, with labels.

Used by the recipe check (scripts/python/check_recipes.py) and the batch
benchmark (benches/python-batch.py). Every value is generated from a seeded
random.Random, so the same seed gives the same sample; values have the real
shapes (prefixes, lengths, check digits) and are fake by construction.

    rng = random.Random(18)
    text, labels = plant(real_text, rng, count=2)
    # labels: [Label(kind, category, value, start, end)], offsets in `text`
"""

import random
import string
from dataclasses import dataclass

ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
B64 = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class Label:
    kind: str  # "github-pat", "email", ...
    category: str  # "key" or "pii"
    value: str
    start: int  # code-point offsets of `value` in the planted text
    end: int


def _pick(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def _luhn_digit(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def _iban_de(rng):
    bban = "".join(rng.choice(string.digits) for _ in range(18))
    # Mod-97 check: BBAN + "DE00" with letters as numbers (D=13, E=14).
    check = 98 - int(bban + "131400") % 97
    return f"DE{check:02d}{bban}"


def _ipv4(rng):
    while True:
        a = rng.randint(11, 223)
        if a not in (10, 100, 127, 169, 172, 192, 198, 203):
            return f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _word(rng, n):
    return _pick(rng, string.ascii_lowercase, n)


# kind -> (category, value generator, line template with {v})
KINDS = {
    "github-pat": ("key", lambda r: "gh" + "p_" + _pick(r, ALNUM, 36), 'GITHUB_TOKEN = "{v}"'),
    "aws-access-key-id": ("key", lambda r: "AK" + "IA" + _pick(r, UPPER_ALNUM, 16), "aws_access_key_id = {v}"),
    "aws-secret-key": ("key", lambda r: _pick(r, B64, 40), "aws_secret_access_key = {v}"),
    "slack-bot-token": (
        "key",
        lambda r: "xo" + "xb-" + _pick(r, string.digits, 11) + "-" + _pick(r, string.digits, 12) + "-" + _pick(r, ALNUM, 24),
        "SLACK_BOT_TOKEN={v}",
    ),
    "stripe-secret-key": ("key", lambda r: "sk_" + "live_" + _pick(r, ALNUM, 32), 'stripe.api_key = "{v}"'),
    "private-key": (
        "key",
        lambda r: "\n".join(_pick(r, B64, 64) for _ in range(6)),
        "-----BEGIN RSA PRIVATE" + " KEY-----\nMIIEpAIBAAKCAQEA{v}\n-----END RSA PRIVATE KEY-----",
    ),
    "email": (
        "pii",
        lambda r: f"{_word(r, 5)}.{_word(r, 7)}@{_word(r, 8)}-{_word(r, 4)}.{r.choice(['com', 'net', 'io', 'de'])}",
        "customer_email = \"{v}\"",
    ),
    # The same shape where code keeps a maintainer's contact: keepmum's
    # defaults treat addresses in comments and attributions as published.
    "email-in-comment": (
        "pii",
        lambda r: f"{_word(r, 6)}.{_word(r, 5)}@{_word(r, 7)}-{_word(r, 5)}.{r.choice(['com', 'org', 'io'])}",
        "# questions: {v}",
    ),
    "phone": ("pii", lambda r: f"+44 20 {r.randint(3000, 8999)} {r.randint(1000, 9999)}", "phone: {v}"),
    "credit-card": (
        "pii",
        lambda r: (lambda d: " ".join((d + _luhn_digit(d))[i : i + 4] for i in range(0, 16, 4)))(
            "4" + _pick(r, string.digits, 14)
        ),
        "card_number: {v}",
    ),
    "iban": ("pii", _iban_de, "iban: {v}"),
    "us-ssn": (
        "pii",
        lambda r: f"{r.choice([r.randint(1, 665), r.randint(667, 899)]):03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}",
        "SSN: {v}",
    ),
    "ipv4": ("pii", _ipv4, 'server_addr = "{v}"'),
}


def plant(text, rng, count=1, kinds=None):
    """Inserts `count` planted lines at random line starts of `text`.
    Returns the new text and the labels (offsets in the new text)."""
    kinds = list(kinds or KINDS)
    lines = text.splitlines(keepends=True)
    chosen = []
    for _ in range(count):
        kind = rng.choice(kinds)
        category, gen, template = KINDS[kind]
        value = gen(rng)
        chosen.append((rng.randint(0, len(lines)), kind, category, value, template.format(v=value) + "\n"))
    # Insert from the end so earlier positions stay valid.
    for pos, _, _, _, line in sorted(chosen, key=lambda c: -c[0]):
        lines.insert(pos, line)
    out = "".join(lines)
    labels = []
    search_from = {}
    for _, kind, category, value, _ in chosen:
        start = out.find(value, search_from.get(value, 0))
        search_from[value] = start + 1
        labels.append(Label(kind, category, value, start, start + len(value)))
    return out, labels
