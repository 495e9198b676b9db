//! A progress line on stderr for long scans.
//!
//! Worker threads bump atomic [`Counters`]; a separate thread reads them and,
//! once the scan has run for more than a second, redraws one line on stderr
//! (files and bytes done) a few times a second. Nothing is drawn unless
//! stderr is a terminal; the line is erased when the scan ends.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Counters shared by the scan threads and the progress thread.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Files scanned so far.
    pub(crate) files: AtomicU64,
    /// Bytes scanned so far.
    pub(crate) bytes: AtomicU64,
}

impl Counters {
    /// Records one scanned file of `bytes` bytes.
    pub(crate) fn add(&self, bytes: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// The progress thread; stops and erases its line when finished or dropped.
#[derive(Debug)]
pub(crate) struct Progress {
    stop: Arc<(Mutex<bool>, Condvar)>,
    drawn: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// Wait before showing anything.
const DELAY: Duration = Duration::from_secs(1);
/// Time between redraws.
const TICK: Duration = Duration::from_millis(200);

impl Progress {
    /// Starts the progress thread when stderr is a terminal, showing files
    /// and bytes scanned.
    pub(crate) fn start(counters: Arc<Counters>) -> Progress {
        Progress::start_with(move |secs| {
            let files = counters.files.load(Ordering::Relaxed);
            let bytes = counters.bytes.load(Ordering::Relaxed);
            format!(
                "scanning: {files} files, {} ({secs:.0}s)",
                keepmum::report::text::human_bytes(bytes)
            )
        })
    }

    /// Starts the progress thread when stderr is a terminal; `line(seconds)`
    /// renders the progress line.
    pub(crate) fn start_with(line: impl Fn(f64) -> String + Send + 'static) -> Progress {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let drawn = Arc::new(AtomicBool::new(false));
        let handle = if std::io::stderr().is_terminal() {
            let stop = Arc::clone(&stop);
            let drawn = Arc::clone(&drawn);
            std::thread::Builder::new()
                .name("keepmum-progress".into())
                .spawn(move || run(&line, &stop, &drawn))
                .ok()
        } else {
            None
        };
        Progress {
            stop,
            drawn,
            handle,
        }
    }

    /// Stops the thread and erases the line.
    pub(crate) fn finish(&mut self) {
        if let Some(h) = self.handle.take() {
            let (lock, cv) = &*self.stop;
            if let Ok(mut s) = lock.lock() {
                *s = true;
            }
            cv.notify_all();
            let _ = h.join();
            if self.drawn.load(Ordering::Relaxed) {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K");
                let _ = err.flush();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn run(line: &dyn Fn(f64) -> String, stop: &(Mutex<bool>, Condvar), drawn: &AtomicBool) {
    let start = Instant::now();
    let (lock, cv) = stop;
    let Ok(mut stopped) = lock.lock() else {
        return;
    };
    loop {
        let wait = if start.elapsed() < DELAY {
            DELAY - start.elapsed()
        } else {
            TICK
        };
        let Ok((guard, _)) = cv.wait_timeout(stopped, wait) else {
            return;
        };
        stopped = guard;
        if *stopped {
            return;
        }
        if start.elapsed() >= DELAY {
            let text = line(start.elapsed().as_secs_f64());
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K{text}");
            let _ = err.flush();
            drawn.store(true, Ordering::Relaxed);
        }
    }
}
