//! `keepmum-throughput [--input clean|dense|line|digits|assign|SHAPE|file:PATH]
//! [--size 8MB] [--secs 5] [--iters N] [--no-pii] [--write PATH] [--shapes]`: scans one in-memory
//! input repeatedly on one thread and prints throughput by wall time and by
//! CPU time, and the kernel that ran (see `KEEPMUM_KERNEL`). SHAPE is one of
//! the adversarial inputs (`kw-line`, `kw-lines`, `at-dense`, …; `--shapes`
//! lists them); `--write` saves the input to a file instead. `file:PATH`
//! scans a file's first `--size` bytes (e.g. real source concatenated with
//! `cat`). CPU time makes the figure meaningful on a busy shared machine,
//! and `best_gbps` (the fastest single scan) is the least disturbed one;
//! the criterion benches report wall time only. `--iters N` runs exactly N
//! timed scans (under callgrind, the difference between two counts of
//! iterations is the instructions of one scan).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use keepmum::Scanner;
use keepmum_benches::{adversarial, assignments, digit_runs, single_line, ADVERSARIAL};
use keepmum_corpus::{dense_text, parse_size, source_text};

/// This thread's CPU time (user + system) from `/proc/thread-self/stat`, in
/// seconds; `None` where that file does not exist.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall (11th and 12th after the name).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn run(args: &[String]) -> Result<(), String> {
    let mut input = "clean".to_string();
    let mut size = 8usize << 20;
    let mut secs = 5.0f64;
    let mut pii = true;
    let mut write = None;
    let mut fixed_iters: Option<u64> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--input" => input = val()?,
            "--size" => {
                let v = val()?;
                size = parse_size(&v).ok_or_else(|| format!("bad size {v:?}"))? as usize;
            }
            "--secs" => {
                let v = val()?;
                secs = v.parse().map_err(|_| format!("bad seconds {v:?}"))?;
            }
            "--iters" => {
                let v = val()?;
                fixed_iters = Some(v.parse().map_err(|_| format!("bad count {v:?}"))?);
            }
            "--no-pii" => pii = false,
            "--write" => write = Some(val()?),
            "--shapes" => {
                println!("{}", ADVERSARIAL.join(" "));
                return Ok(());
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    let data = match input.as_str() {
        "clean" => source_text(1, size),
        "dense" => dense_text(2, size, 512),
        "line" => single_line(3, size),
        "digits" => digit_runs(4, size),
        "assign" => assignments(size / 3),
        other if other.starts_with("file:") => {
            let path = &other["file:".len()..];
            let mut bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            bytes.truncate(size);
            bytes
        }
        other => adversarial(other, size).ok_or_else(|| format!("unknown input {other:?}"))?,
    };
    if let Some(path) = write {
        return std::fs::write(&path, &data).map_err(|e| format!("{path}: {e}"));
    }
    let t = Instant::now();
    let scanner = Scanner::builder()
        .pii(pii)
        .build()
        .map_err(|e| e.to_string())?;
    let build = t.elapsed();
    // The first scan of a short input pays for making the vector kernel.
    let t = Instant::now();
    std::hint::black_box(scanner.scan_bytes(b"let port = 8080; // short input\n"));
    let first_us = t.elapsed().as_secs_f64() * 1e6;
    let findings = scanner.scan_bytes(&data).len();
    // Candidate windows the prefilter hands to regexes (an unstable,
    // doc-hidden API meant for exactly this kind of diagnosis).
    let (windows, window_bytes) = scanner.work_units(&data);
    let cpu0 = thread_cpu_secs();
    let t0 = Instant::now();
    let mut iters = 0u64;
    // The fastest single scan: on a shared machine, the run least disturbed
    // by other tenants.
    let mut fastest = Duration::MAX;
    let more = |iters: u64| match fixed_iters {
        Some(n) => iters < n,
        None => t0.elapsed() < Duration::from_secs_f64(secs) || iters == 0,
    };
    while more(iters) {
        let t = Instant::now();
        std::hint::black_box(scanner.scan_bytes(std::hint::black_box(&data)));
        fastest = fastest.min(t.elapsed());
        iters += 1;
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = match (cpu0, thread_cpu_secs()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let total = data.len() as f64 * iters as f64;
    println!(
        "input={input} kernel={} bytes={} rules={} pii={pii} findings={findings} windows={windows} window_bytes={window_bytes} build_ms={:.2} first_scan_us={first_us:.0} iters={iters} wall_gbps={:.3} best_gbps={:.3} cpu_gbps={}",
        scanner.kernel_name(),
        data.len(),
        scanner.rules().len(),
        build.as_secs_f64() * 1000.0,
        total / wall / 1e9,
        data.len() as f64 / fastest.as_secs_f64().max(1e-9) / 1e9,
        cpu.map_or("n/a".to_string(), |c| format!("{:.3}", total / c / 1e9)),
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepmum-throughput: {e}");
            ExitCode::from(2)
        }
    }
}
