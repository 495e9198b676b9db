//! The `keepmum-hook` binary: reads one hook event from stdin, asks the
//! library for a decision and answers in the host's protocol.
//!
//! Usage: `keepmum-hook claude|cursor|codex [--fail-open] [--config FILE]`;
//! `install|uninstall|doctor|audit-shell|audit|print` go to the controls
//! module. Arguments are parsed by hand to keep start-up cheap.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use keepmum_hook::{Host, Options, MAX_INPUT};

const USAGE: &str = "usage: keepmum-hook claude|cursor|codex [--fail-open] [--config FILE]\n       keepmum-hook install|uninstall|doctor|audit-shell|audit|print [ARGS...]\n       keepmum-hook git-hook pre-commit|pre-push";

fn main() -> ExitCode {
    // A panic is caught by `handle` and becomes a one-line reason; the
    // default hook's backtrace text must not reach the host.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(first) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let host = match first.as_str() {
        "claude" => Host::Claude,
        "cursor" => Host::Cursor,
        "codex" => Host::Codex,
        "install" | "uninstall" | "doctor" | "audit-shell" | "audit" | "print" => {
            let code = keepmum_hook::controls::run(first, &args[1..]);
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
        "git-hook" => {
            let kind = args.get(1).map(String::as_str).unwrap_or("");
            let mut input = Vec::new();
            if kind == "pre-push" {
                let _ = std::io::stdin()
                    .lock()
                    .take(1 << 20)
                    .read_to_end(&mut input);
            }
            let o = keepmum_hook::git_hook(kind, &input);
            let _ = std::io::stderr().write_all(o.stderr.as_bytes());
            return ExitCode::from(u8::try_from(o.code).unwrap_or(2));
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "-V" | "--version" => {
            println!("keepmum-hook {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("keepmum-hook: unknown host `{other}`\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut opts = Options {
        exit_after: true,
        ..Options::default()
    };
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--fail-open" => opts.fail_open = true,
            "--fail-closed" => opts.fail_open = false,
            "--config" => match rest.next() {
                Some(file) => opts.config = Some(PathBuf::from(file)),
                None => {
                    eprintln!("keepmum-hook: --config needs a file");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--config=") => {
                opts.config = Some(PathBuf::from(&s["--config=".len()..]));
            }
            other => {
                eprintln!("keepmum-hook: unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    opts.env_project_dir = ["CLAUDE_PROJECT_DIR", "CURSOR_PROJECT_DIR"]
        .iter()
        .find_map(|k| std::env::var_os(k).filter(|v| !v.is_empty()))
        .map(PathBuf::from);

    // Read at most one byte past the cap so an oversized event is detected
    // without buffering all of it.
    let mut input = Vec::with_capacity(64 << 10);
    let read = std::io::stdin()
        .lock()
        .take(MAX_INPUT as u64 + 1)
        .read_to_end(&mut input);
    let outcome = match read {
        Ok(_) => keepmum_hook::handle(host, &input, &opts),
        Err(e) => keepmum_hook::failure(
            host,
            &opts,
            &format!("cannot read the event from stdin: {e}"),
        ),
    };
    // A closed pipe is not worth a panic; the exit code still decides.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    ExitCode::from(u8::try_from(outcome.code).unwrap_or(2))
}
