"""Tests of the pykeepmum wheel, run against the installed wheel
(scripts/python-test.sh). Fixtures are synthetic: tokens are assembled from
repeating alphabets at run time, never stored whole."""

import threading
import time

import pytest

import pykeepmum
from pykeepmum import Scanner

# A classic GitHub PAT shape (ghp_ + 36 alphanumerics), assembled.
TOKEN = "ghp_" + "A1b2C3d4E5f6" * 3
# An AWS access key id shape (AKIA + 16 upper-case alphanumerics).
AWS_KEY = "AKIA" + "Q7R4T2W9" * 2
EMAIL = "dana.kowalski" + "@" + "northwind-mail.net"


@pytest.fixture(scope="module")
def scanner():
    return Scanner()


def test_finds_a_token_with_offsets_line_and_hash(scanner):
    text = f"first line\nh\u00e9 token = '{TOKEN}'\n"
    (f,) = scanner.scan(text)
    assert f.rule_id == "github-pat"
    assert f.category == "secret"
    assert f.line == 2
    # Byte offsets into the UTF-8; character offsets into the str.
    assert text.encode()[f.start : f.end] == TOKEN.encode()
    assert text[f.char_start : f.char_end] == TOKEN
    assert f.char_start == f.start - 1  # one two-byte character before it
    import hashlib

    assert f.hash == hashlib.sha1(TOKEN.encode()).hexdigest()
    assert TOKEN not in f.redacted and f.redacted.startswith("ghp_")


def test_raw_value_only_on_request(scanner):
    text = f"key={TOKEN}\n"
    (f,) = scanner.scan(text)
    assert f.secret is None
    assert TOKEN not in repr(f) and TOKEN not in str(f.to_dict())
    assert "secret" not in f.to_dict()
    (f,) = scanner.scan(text, reveal=True)
    assert f.secret == TOKEN
    assert f.to_dict()["secret"] == TOKEN
    (f,) = scanner.scan(text.encode(), reveal=True)
    assert f.secret == TOKEN.encode() and f.char_start is None


def test_finds_pii(scanner):
    found = scanner.scan(f"contact: {EMAIL}\n")
    assert [(f.rule_id, f.category) for f in found] == [("email-address", "pii")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "def add(a, b):\n    return a + b\n",
        # Near misses: too short, placeholder domain, a hash.
        "token = 'ghp_short'\n",
        "mail: someone@example.com\n",
        "sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n",
    ],
)
def test_clean_text_has_no_findings(scanner, text):
    assert scanner.scan(text) == []
    assert scanner.redact(text) == text


def test_every_input_type_gives_the_same_findings(scanner):
    text = f"a {TOKEN} b {EMAIL}\n"
    want = [(f.rule_id, f.start, f.end) for f in scanner.scan(text)]
    assert len(want) == 2
    for data in (text.encode(), bytearray(text.encode()), memoryview(text.encode())):
        assert [(f.rule_id, f.start, f.end) for f in scanner.scan(data)] == want


def test_redact(scanner):
    text = f"token={TOKEN}\nmail {EMAIL}\nok\n"
    out = scanner.redact(text)
    assert out == "token=[REDACTED:github-pat]\nmail [REDACTED:email-address]\nok\n"
    assert scanner.redact(text, mask="<{rule_id}>") == "token=<github-pat>\nmail <email-address>\nok\n"
    assert scanner.redact(text, mask="***") == "token=***\nmail ***\nok\n"
    assert scanner.redact(text.encode()) == out.encode()
    assert pykeepmum.DEFAULT_MASK == "[REDACTED:{rule_id}]"


def test_options_select_rules():
    text = f"t={TOKEN} m={EMAIL}\n"
    assert [f.rule_id for f in Scanner(pii=False).scan(text)] == ["github-pat"]
    assert [f.rule_id for f in Scanner(secrets=False).scan(text)] == ["email-address"]
    only = Scanner(rules=["email-address"])
    assert only.rule_ids == ["email-address"]
    assert [f.rule_id for f in only.scan(text)] == ["email-address"]
    assert [f.rule_id for f in Scanner(disabled_rules=["github-pat"]).scan(text)] == ["email-address"]
    assert len(Scanner().rule_ids) > 500


def test_allowlists():
    text = f"t={TOKEN} m={EMAIL}\n"
    assert [f.rule_id for f in Scanner(allow_words=["northwind"]).scan(text)] == ["github-pat"]
    assert [f.rule_id for f in Scanner(allow_regexes=["^ghp_A1b2"]).scan(text)] == ["email-address"]
    assert Scanner().scan(f"t={TOKEN}  # keepmum:allow\n") == []
    assert len(Scanner(inline_allow=False).scan(f"t={TOKEN}  # keepmum:allow\n")) == 1


CUSTOM_TOML = r"""
[[rule]]
id = "acme-key"
description = "ACME API key"
regex = '''\b(acme_[a-z0-9]{24})\b'''
keywords = ["acme_"]
"""
ACME = "acme_" + "k3y" * 8


def test_custom_rules_as_toml_and_dicts():
    for custom in (
        CUSTOM_TOML,
        {"id": "acme-key", "description": "ACME API key", "regex": r"\b(acme_[a-z0-9]{24})\b", "keywords": ["acme_"]},
        [{"id": "acme-key", "description": "ACME API key", "regex": r"\b(acme_[a-z0-9]{24})\b", "keywords": ["acme_"]}],
    ):
        s = Scanner(custom_rules=custom)
        assert [f.rule_id for f in s.scan(f"k = {ACME}\n")] == ["acme-key"]
        assert "github-pat" in s.rule_ids
        only = Scanner(custom_rules=custom, builtin_rules=False)
        assert only.rule_ids == ["acme-key"]
        assert only.scan(f"k = {ACME} {TOKEN}\n")[0].rule_id == "acme-key"
        assert len(only.scan(f"k = {ACME} {TOKEN}\n")) == 1


def test_config_file(tmp_path):
    cfg = tmp_path / ".keepmum.toml"
    cfg.write_text('disabled_rules = ["github-pat"]\n[scan]\npii = false\n' + CUSTOM_TOML)
    s = Scanner(config=cfg)
    assert [f.rule_id for f in s.scan(f"{TOKEN} {EMAIL} {ACME}\n")] == ["acme-key"]
    # Arguments override the file.
    s = Scanner(config=str(cfg), pii=True)
    assert sorted(f.rule_id for f in s.scan(f"{TOKEN} {EMAIL} {ACME}\n")) == ["acme-key", "email-address"]


def test_errors_are_keepmum_errors_with_one_line_messages(tmp_path):
    with pytest.raises(pykeepmum.RuleError) as e:
        Scanner(custom_rules='[[rule]]\nid = "bad"\ndescription = "x"\nregex = "(unclosed"\nkeywords = ["x"]\n')
    assert "bad" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(pykeepmum.KeepmumError):
        Scanner(custom_rules="[[rule]]\nid = 3\n")
    with pytest.raises(pykeepmum.ConfigError, match="no-such-rule"):
        Scanner(rules=["no-such-rule"])
    with pytest.raises(pykeepmum.ConfigError, match="no-such-rule"):
        Scanner(disabled_rules=["no-such-rule"])
    with pytest.raises(pykeepmum.ConfigError):
        Scanner(allow_regexes=["(unclosed"])
    with pytest.raises(pykeepmum.ConfigError):
        Scanner(builtin_rules=False)
    with pytest.raises(pykeepmum.ReadError):
        Scanner(config=tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[scan]\npiii = true\n")
    with pytest.raises(pykeepmum.ConfigError, match="piii"):
        Scanner(config=bad)
    assert issubclass(pykeepmum.ConfigError, pykeepmum.KeepmumError)
    assert issubclass(pykeepmum.KeepmumError, Exception)


def test_bad_input_raises(scanner):
    for bad in (None, 42, 1.5, ["a"], {"a": 1}):
        with pytest.raises(TypeError):
            scanner.scan(bad)
        with pytest.raises(TypeError):
            scanner.redact(bad)
    with pytest.raises(TypeError):
        scanner.scan_batch("one string is not a batch")
    with pytest.raises(TypeError):
        scanner.scan_batch(42)
    with pytest.raises(TypeError):
        scanner.scan_batch(["ok", 42])
    with pytest.raises(ValueError):
        scanner.scan_batch(["ok"], threads=0)
    with pytest.raises(ValueError):
        Scanner(threads=0)
    with pytest.raises(TypeError):
        Scanner(rules="github-pat")  # a str is not a list of ids
    with pytest.raises(TypeError):
        Scanner(unknown_option=True)
    # Lone surrogates cannot be UTF-8.
    with pytest.raises(UnicodeEncodeError):
        scanner.scan("bad \ud800 surrogate")


def test_hostile_input_does_not_crash(scanner):
    # Long lines, NULs, invalid UTF-8, dense keywords: no exception.
    samples = [
        b"\x00\xff" * 100_000,
        ("ghp_" * 50_000).encode(),
        b"-----BEGIN RSA PRIVATE KEY-----\n" * 2_000,
        ("a" * 1_000_000).encode(),
        bytes(range(256)) * 1000,
    ]
    for s in samples:
        scanner.scan(s)
        scanner.redact(s)
    scanner.scan_batch(samples)


def batch_items():
    items = []
    for i in range(200):
        if i % 3 == 0:
            items.append(f"row {i}: token {TOKEN}\n")
        elif i % 3 == 1:
            items.append(f"row {i}: write to {EMAIL}\n".encode())
        else:
            items.append(f"row {i}: nothing here\n")
    return items


@pytest.mark.parametrize("threads", [None, 1, 2, 4])
def test_batch_equals_per_item(scanner, threads):
    items = batch_items() + [None]
    got = scanner.scan_batch(items, threads=threads)
    assert len(got) == len(items)
    for item, fs in zip(items, got):
        if item is None:
            assert fs == []
            continue
        want = [(f.rule_id, f.start, f.end, f.char_start, f.hash) for f in scanner.scan(item)]
        assert [(f.rule_id, f.start, f.end, f.char_start, f.hash) for f in fs] == want
    red = scanner.redact_batch(items, threads=threads, mask="<{rule_id}>")
    assert red[-1] is None
    assert red[:-1] == [scanner.redact(item, mask="<{rule_id}>") for item in items[:-1]]
    assert all(TOKEN not in (r if isinstance(r, str) else r.decode()) for r in red[:-1])


def test_batch_accepts_any_iterable(scanner):
    gen = (f"{i} {TOKEN}" for i in range(5))
    assert [len(fs) for fs in scanner.scan_batch(gen)] == [1] * 5
    assert scanner.scan_batch([]) == []


def test_arrow_arrays():
    pa = pytest.importorskip("pyarrow")
    s = Scanner()
    rows = [f"a {TOKEN}", None, "clean row", f"m {EMAIL}", "\u00e9t\u00e9 " + TOKEN]
    for typ in (pa.string(), pa.large_string()):
        arr = pa.array(rows, type=typ)
        got = s.scan_batch(arr)
        assert [[f.rule_id for f in fs] for fs in got] == [["github-pat"], [], [], ["email-address"], ["github-pat"]]
        assert got[4][0].char_start == 4
        red = s.redact_batch(arr)
        assert red.type == typ
        assert red.to_pylist() == [None if r is None else s.redact(r) for r in rows]
        # Slices and chunked arrays keep their offsets.
        assert s.redact_batch(arr.slice(2, 3)).to_pylist() == red.to_pylist()[2:5]
        chunked = pa.chunked_array([arr.slice(0, 2), arr.slice(2)])
        assert s.redact_batch(chunked).to_pylist() == red.to_pylist()
        assert [len(fs) for fs in s.scan_batch(chunked)] == [1, 0, 0, 1, 1]
    for typ in (pa.binary(), pa.large_binary()):
        arr = pa.array([None if r is None else r.encode() for r in rows], type=typ)
        red = s.redact_batch(arr)
        assert red.type == typ
        assert red.to_pylist() == [None if r is None else s.redact(r).encode() for r in rows]
        assert s.scan_batch(arr)[0][0].char_start is None
    with pytest.raises(TypeError, match="int64"):
        s.scan_batch(pa.array([1, 2]))
    clean = pa.array(["x"] * 10)
    assert s.redact_batch(clean).equals(clean)


def test_batches_release_the_gil_and_overlap():
    """Two Python threads each run a batch on their own thread (threads=1).
    Holding the GIL would run them one after the other; released, they run
    at the same time, so their spans overlap for most of the shorter one."""
    s = Scanner()
    big = [("x = 1\n" * 200_000) + f"t={TOKEN}\n" for _ in range(40)]
    s.scan_batch(big[:1], threads=1)  # warm up (lazy regex compilation)
    spans = {}
    start = threading.Barrier(2)

    def work(name):
        start.wait()
        t0 = time.perf_counter()
        got = s.scan_batch(big, threads=1)
        spans[name] = (t0, time.perf_counter())
        assert all(len(fs) == 1 for fs in got)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (a0, a1), (b0, b1) = spans["a"], spans["b"]
    overlap = min(a1, b1) - max(a0, b0)
    assert overlap > 0.5 * min(a1 - a0, b1 - b0), (spans, overlap)


def test_version():
    assert pykeepmum.__version__.count(".") == 2
