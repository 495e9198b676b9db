//! The `keepmum-precommit` binary: parses detect-secrets-hook's arguments
//! and runs the hook (see the library docs).

fn main() {
    let args = keepmum_precommit::parse(std::env::args_os().skip(1));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let code = keepmum_precommit::run(
        &args,
        &mut keepmum_precommit::Io {
            out: &mut out,
            err: &mut err,
        },
    );
    let _ = std::io::Write::flush(&mut out);
    let _ = std::io::Write::flush(&mut err);
    drop(out);
    drop(err);
    std::process::exit(code);
}
