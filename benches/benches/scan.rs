//! Criterion benchmarks for keepmum: engine build time, `scan_bytes`
//! throughput (clean source-like text, dense secrets, pathological inputs) and
//! whole-tree scans with 1 and 2 threads.
//!
//! Full run: `cargo bench -p keepmum-benches`. Quick mode (small inputs,
//! short measurements): `KEEPMUM_BENCH_QUICK=1 cargo bench -p
//! keepmum-benches`. Smoke test (each benchmark once, small inputs):
//! `cargo bench -p keepmum-benches -- --test` or `cargo test -p
//! keepmum-benches --benches`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use keepmum::{FileScan, Scanner, WalkEvent, Walker};
use keepmum_benches::{
    adversarial, assignments, digit_runs, may_run, quick_mode, single_line, Sizes, ADVERSARIAL,
    QUICK_ENV,
};
use keepmum_corpus::{dense_text, generate_tree, source_text, Config, Density};

/// Compiles `pattern` the way the engine does (byte-oriented, no Unicode).
fn compile(pattern: &str) -> Option<regex_automata::meta::Regex> {
    regex_automata::meta::Regex::builder()
        .syntax(
            regex_automata::util::syntax::Config::new()
                .unicode(false)
                .utf8(false),
        )
        .configure(regex_automata::meta::Regex::config().utf8_empty(false))
        .build(pattern)
        .ok()
}

fn bench_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.bench_function("default", |b| {
        b.iter(|| black_box(Scanner::builder().build().map(|s| s.rules().len())))
    });
    // For reference: what building would cost if every rule's regex were
    // compiled up front instead of lazily on first use (same syntax settings
    // as the engine: bytes, no Unicode).
    g.bench_function("all-regexes-compiled", |b| {
        b.iter(|| {
            let scanner = Scanner::builder().build();
            let compiled = scanner.map(|s| {
                s.rules()
                    .iter()
                    .filter(|r| compile(r.regex()).is_some())
                    .count()
            });
            black_box(compiled)
        })
    });
    g.finish();
}

fn bench_scan_bytes(c: &mut Criterion, sizes: Sizes) {
    let full = Scanner::new();
    let no_pii = match Scanner::builder().pii(false).build() {
        Ok(s) => s,
        Err(e) => panic!("scanner without PII: {e}"),
    };
    // Warm the lazily compiled regexes so the first sample is not special.
    let clean = source_text(1, sizes.text);
    let dense = dense_text(2, sizes.text, 512);
    let f_clean = full.scan_bytes(&clean).len();
    let f_dense = full.scan_bytes(&dense).len();
    eprintln!(
        "inputs: clean {} bytes -> {f_clean} findings; dense {} bytes -> {f_dense} findings",
        clean.len(),
        dense.len()
    );

    let mut g = c.benchmark_group("scan_bytes");
    g.throughput(Throughput::Bytes(clean.len() as u64));
    g.bench_function("source-no-findings", |b| {
        b.iter(|| black_box(full.scan_bytes(&clean).len()))
    });
    g.bench_function("source-no-findings-no-pii", |b| {
        b.iter(|| black_box(no_pii.scan_bytes(&clean).len()))
    });
    // The same input streamed in 4 MiB windows (cost of the overlap).
    g.bench_function("source-no-findings-scan-reader", |b| {
        b.iter(|| black_box(full.scan_reader(&clean[..], None).map(|f| f.len())))
    });
    g.throughput(Throughput::Bytes(dense.len() as u64));
    g.bench_function("dense-secrets", |b| {
        b.iter(|| black_box(full.scan_bytes(&dense).len()))
    });
    g.finish();

    let line = single_line(3, sizes.pathological);
    let assigns = assignments(sizes.assignments);
    let digits = digit_runs(4, sizes.pathological);
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    for (name, input) in [
        ("single-line", &line),
        ("a-equals-lines", &assigns),
        ("digit-runs", &digits),
    ] {
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| b.iter(|| black_box(full.scan_bytes(input).len())));
    }
    // The adversarial shapes of `benches/adversarial.sh` (dense keywords on
    // one line and on many, dense `@`, repeated PEM headers, one huge line
    // of token bytes, …): what a hostile hook payload costs per byte.
    for &name in ADVERSARIAL.iter().filter(|&&n| n != "digit-runs") {
        let Some(input) = adversarial(name, sizes.pathological) else {
            continue;
        };
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| black_box(full.scan_bytes(&input).len()))
        });
    }
    g.finish();
}

fn scan_tree(root: &Path, scanner: &Scanner, threads: usize) -> (u64, u64) {
    let bytes = AtomicU64::new(0);
    let findings = AtomicU64::new(0);
    let mut w = Walker::new();
    w.threads(threads);
    w.run(&[root], scanner, |ev| {
        if let WalkEvent::File {
            scan:
                FileScan::Scanned {
                    findings: f,
                    bytes: n,
                },
            ..
        } = ev
        {
            bytes.fetch_add(n, Ordering::Relaxed);
            findings.fetch_add(f.len() as u64, Ordering::Relaxed);
        }
    });
    (bytes.into_inner(), findings.into_inner())
}

fn bench_tree(c: &mut Criterion, sizes: Sizes) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("temp dir: {e}"),
    };
    let cfg = Config {
        size: sizes.tree,
        seed: 1,
        density: Density::Sparse,
    };
    let t = Instant::now();
    if let Err(e) = generate_tree(dir.path(), &cfg) {
        panic!("generating the corpus: {e}");
    }
    let scanner = Scanner::new();
    let (bytes, findings) = scan_tree(dir.path(), &scanner, 1);
    eprintln!(
        "tree: {bytes} bytes generated in {:.2} s; {findings} findings",
        t.elapsed().as_secs_f64()
    );
    let mut g = c.benchmark_group("tree");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    for threads in [1usize, 2] {
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &n| {
            b.iter(|| black_box(scan_tree(dir.path(), &scanner, n)))
        });
    }
    g.finish();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = quick_mode(&args, std::env::var(QUICK_ENV).ok().as_deref());
    let sizes = if quick { Sizes::QUICK } else { Sizes::FULL };

    // The very first build in a process also parses the embedded rule files:
    // that is what a short-lived hook process pays.
    let t = Instant::now();
    let first = Scanner::builder().build().map(|s| s.rules().len());
    eprintln!(
        "first engine build (parses embedded rules): {:.2} ms, {:?} rules",
        t.elapsed().as_secs_f64() * 1000.0,
        first
    );

    let mut c = Criterion::default().configure_from_args();
    if quick {
        c = c
            .sample_size(10)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_secs(1));
    }
    bench_build(&mut c);
    bench_scan_bytes(&mut c, sizes);
    if may_run(&args, "tree/threads/1") {
        bench_tree(&mut c, sizes);
    }
    c.final_summary();
}
