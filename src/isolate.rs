//! Reading files in a supervised worker process, so that no input can take the batch down.
//!
//! The library's guards refuse what is known to exhaust memory or make calamine abort, and catch
//! calamine's panics; what no guard can foresee (an allocation failure aborts a process, and no
//! `catch_unwind` stops that; a parser that never returns) is contained here. The batch runs in
//! one worker process under a memory limit (`RLIMIT_AS`); the worker announces each file it
//! starts and finishes on its stdout. When a file runs past the time limit the worker is killed
//! and the file reported; when the worker dies, the files it had in flight are retried one by one
//! in fresh workers to find the one that killed it, and the others go on. A healthy batch pays
//! only the cost of one extra process and of passing its figures back.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::batch::FileResult;
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::ingest::{FileOutput, ReadOptions, read_file};
use crate::layout::Overrides;
use crate::tidy::FigureBlock;

mod frames;

/// What the worker needs to read files the way the caller would.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkerConfig {
    /// Park override.
    pub park: Option<String>,
    /// Year override.
    pub year: Option<i32>,
    /// Month override.
    pub month: Option<u32>,
    /// A user catalogue file.
    pub catalog: Option<PathBuf>,
    /// A user industries file.
    pub industries: Option<PathBuf>,
    /// Worker threads.
    pub jobs: usize,
}

/// Limits of the worker.
#[derive(Debug, Clone, Copy)]
pub struct IsolationLimits {
    /// Address-space limit of the worker process, in bytes (0: none).
    pub memory_bytes: u64,
    /// Time one file may take.
    pub per_file: Duration,
}

impl Default for IsolationLimits {
    fn default() -> Self {
        IsolationLimits {
            memory_bytes: 8 << 30,
            per_file: Duration::from_secs(120),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Job {
    i: usize,
    path: PathBuf,
}

/// A file's result on the wire (MessagePack, in frames: see [`frames`]): its figures packed.
#[derive(Serialize, Deserialize)]
struct WireFile {
    block: FigureBlock,
    totals: Vec<crate::model::TotalRow>,
    warnings: Vec<crate::model::Warning>,
}

/// The longest message a worker may send (a longer run of frames is a broken stream).
const MAX_MESSAGE: usize = 1 << 31;

/// Writes `e` as one message of frames (see [`frames`]), encoding it straight into `w` in one
/// pass.
fn write_message(w: &mut impl Write, e: &Event) -> std::io::Result<()> {
    let mut f = frames::FrameWriter::new(w, MAX_MESSAGE);
    rmp_serde::encode::write(&mut f, e).map_err(std::io::Error::other)?;
    f.finish()?;
    w.flush()
}

/// The next message of `r`, decoded as its frames arrive: `None` when the stream ends or
/// breaks; `Some(None)` for a whole message that is not an event.
fn read_event(r: &mut impl std::io::Read) -> Option<Option<Event>> {
    let mut f = frames::FrameReader::new(r, MAX_MESSAGE);
    if !f.begin() {
        return None;
    }
    let event = rmp_serde::from_read::<_, Event>(&mut f).ok();
    f.drain().ok()?;
    Some(event)
}

#[derive(Serialize, Deserialize)]
struct Failure {
    kind: String,
    message: String,
}

#[derive(Serialize, Deserialize)]
enum Event {
    Done {
        d: usize,
        ok: Option<Box<WireFile>>,
        err: Option<Failure>,
    },
    Start {
        s: usize,
    },
}

const KINDS: &[&str] = &[
    "io",
    "encrypted",
    "not_a_spreadsheet",
    "refused",
    "parse",
    "period",
    "park",
    "no_table",
    "user_file",
    "cell",
    "compute",
    "write",
    "report",
    "usage",
    "reader_panic",
    "crashed",
    "timeout",
];

fn static_kind(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| **k == kind)
        .copied()
        .unwrap_or("parse")
}

/// The worker's side: reads the config and the jobs from `input`, writes events to `output`.
///
/// # Errors
/// [`Error::Usage`] when the input is not what the supervisor sends.
pub fn worker_main(input: impl BufRead, output: impl Write + Send) -> Result<()> {
    let mut lines = input.lines();
    let bad = |e: String| Error::Usage(format!("worker: {e}"));
    let config: WorkerConfig = match lines.next() {
        Some(Ok(l)) => serde_json::from_str(&l).map_err(|e| bad(e.to_string()))?,
        _ => return Err(bad("no configuration".into())),
    };
    let jobs: Vec<Job> = lines
        .map_while(|l| l.ok())
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect();
    let mut catalog = Catalog::builtin();
    if let Some(p) = &config.catalog {
        catalog = catalog.with_user_file(p)?;
    }
    if let Some(p) = &config.industries {
        catalog = catalog.with_industries_file(p)?;
    }
    let opts = ReadOptions {
        overrides: Overrides {
            park: config.park.clone(),
            year: config.year,
            month: config.month,
        },
        // the supervisor keeps the figures only (the tables' reports are for `inspect`)
        skip_row_reports: true,
        ..Default::default()
    };
    let out = std::sync::Mutex::new(std::io::BufWriter::with_capacity(1 << 16, output));
    let emit = |e: &Event| {
        if let Ok(mut w) = out.lock() {
            let _ = write_message(&mut *w, e);
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| bad(e.to_string()))?;
    // hooks for the supervisor's own tests: abort or hang on a file whose name contains the text
    let abort_on = std::env::var("PARKSTAT_TEST_ABORT_ON")
        .ok()
        .filter(|s| !s.is_empty());
    let hang_on = std::env::var("PARKSTAT_TEST_HANG_ON")
        .ok()
        .filter(|s| !s.is_empty());
    let hit = |hook: &Option<String>, p: &Path| {
        hook.as_ref()
            .is_some_and(|h| p.to_string_lossy().contains(h.as_str()))
    };
    pool.install(|| {
        jobs.par_iter().with_max_len(1).for_each(|job| {
            emit(&Event::Start { s: job.i });
            if hit(&abort_on, &job.path) {
                std::process::abort();
            }
            if hit(&hang_on, &job.path) {
                std::thread::sleep(Duration::from_secs(3600));
            }
            let event = match read_file(&job.path, &catalog, &opts) {
                Ok(o) => Event::Done {
                    d: job.i,
                    ok: Some(Box::new(WireFile {
                        block: o.figures,
                        totals: o.totals,
                        warnings: o.warnings,
                    })),
                    err: None,
                },
                Err(e) => Event::Done {
                    d: job.i,
                    ok: None,
                    err: Some(Failure {
                        kind: e.kind().to_string(),
                        message: e.to_string(),
                    }),
                },
            };
            emit(&event);
        })
    });
    Ok(())
}

fn spawn(exe: &Path, args: &[String], limits: &IsolationLimits) -> std::io::Result<Child> {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    if limits.memory_bytes > 0 {
        use std::os::unix::process::CommandExt;
        let bytes = limits.memory_bytes as libc::rlim_t;
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    cmd.spawn()
}

/// Reads `files` in supervised worker processes started as `exe args…` (which must call
/// [`worker_main`]); results come back in the order of `files`.
pub fn read_isolated(
    files: &[PathBuf],
    exe: &Path,
    args: &[String],
    config: &WorkerConfig,
    limits: &IsolationLimits,
    progress: &(dyn Fn(&Path, &FileResult) + Sync),
) -> Vec<FileResult> {
    let mut results: Vec<Option<FileResult>> = (0..files.len()).map(|_| None).collect();
    let mut queue: VecDeque<Vec<usize>> = VecDeque::new();
    queue.push_back((0..files.len()).collect());
    while let Some(batch) = queue.pop_front() {
        let todo: Vec<usize> = batch
            .into_iter()
            .filter(|&i| results[i].is_none())
            .collect();
        if todo.is_empty() {
            continue;
        }
        let cfg = if todo.len() == 1 {
            WorkerConfig {
                jobs: 1,
                ..config.clone()
            }
        } else {
            config.clone()
        };
        let outcome = run_worker(
            files,
            &todo,
            exe,
            args,
            &cfg,
            limits,
            &mut results,
            progress,
        );
        match outcome {
            WorkerEnd::Finished => {}
            WorkerEnd::Died {
                in_flight,
                not_started,
                status,
            } => {
                if in_flight.len() == 1 {
                    let i = in_flight[0];
                    let r = Err(Error::Isolated {
                        path: files[i].clone(),
                        kind: "crashed",
                        message: format!(
                            "{}: the reader crashed on this file ({status}); the rest of the batch went on",
                            files[i].display()
                        ),
                    });
                    progress(&files[i], &r);
                    results[i] = Some(r);
                } else {
                    for i in in_flight {
                        queue.push_back(vec![i]);
                    }
                }
                if !not_started.is_empty() {
                    queue.push_back(not_started);
                }
            }
            WorkerEnd::TimedOut { victims, rest } => {
                for i in victims {
                    let r = Err(Error::Isolated {
                        path: files[i].clone(),
                        kind: "timeout",
                        message: format!(
                            "{}: reading took longer than {} s and was stopped",
                            files[i].display(),
                            limits.per_file.as_secs()
                        ),
                    });
                    progress(&files[i], &r);
                    results[i] = Some(r);
                }
                if !rest.is_empty() {
                    queue.push_back(rest);
                }
            }
            WorkerEnd::CannotStart(message) => {
                for i in todo {
                    if results[i].is_none() {
                        results[i] = Some(Err(Error::Usage(format!(
                            "{}: cannot start a worker process: {message}",
                            files[i].display()
                        ))));
                    }
                }
            }
        }
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| Err(Error::Usage(format!("{}: not read", files[i].display()))))
        })
        .collect()
}

enum WorkerEnd {
    Finished,
    Died {
        in_flight: Vec<usize>,
        not_started: Vec<usize>,
        status: String,
    },
    TimedOut {
        victims: Vec<usize>,
        rest: Vec<usize>,
    },
    CannotStart(String),
}

#[allow(clippy::too_many_arguments)]
fn run_worker(
    files: &[PathBuf],
    todo: &[usize],
    exe: &Path,
    args: &[String],
    config: &WorkerConfig,
    limits: &IsolationLimits,
    results: &mut [Option<FileResult>],
    progress: &(dyn Fn(&Path, &FileResult) + Sync),
) -> WorkerEnd {
    let mut child = match spawn(exe, args, limits) {
        Ok(c) => c,
        Err(e) => return WorkerEnd::CannotStart(e.to_string()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let mut text = serde_json::to_string(config).unwrap_or_default();
        text.push('\n');
        for &i in todo {
            text.push_str(
                &serde_json::to_string(&Job {
                    i,
                    path: files[i].clone(),
                })
                .unwrap_or_default(),
            );
            text.push('\n');
        }
        // a worker that dies at once closes the pipe: that shows below as a death
        let _ = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    }
    let Some(stdout) = child.stdout.take() else {
        return WorkerEnd::CannotStart("no stdout".into());
    };
    // the messages are decoded here, as they arrive, beside the worker's encoding of the next
    let (tx, rx) = mpsc::channel::<Event>();
    std::thread::spawn(move || {
        let mut r = BufReader::with_capacity(1 << 16, stdout);
        while let Some(event) = read_event(&mut r) {
            if let Some(e) = event
                && tx.send(e).is_err()
            {
                break;
            }
        }
    });
    let mut in_flight: HashMap<usize, Instant> = HashMap::new();
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(event) => match event {
                Event::Start { s } => {
                    in_flight.insert(s, Instant::now());
                }
                Event::Done { d, ok, err } => {
                    in_flight.remove(&d);
                    let Some(path) = files.get(d) else { continue };
                    let r = match (ok, err) {
                        (Some(o), _) => Ok(FileOutput {
                            path: path.clone(),
                            figures: o.block,
                            totals: o.totals,
                            warnings: o.warnings,
                            tables: Vec::new(),
                        }),
                        (None, Some(f)) => Err(Error::Isolated {
                            path: path.clone(),
                            kind: static_kind(&f.kind),
                            message: f.message,
                        }),
                        (None, None) => Err(Error::Usage(format!(
                            "{}: the worker sent no result",
                            path.display()
                        ))),
                    };
                    progress(path, &r);
                    results[d] = Some(r);
                    if todo.iter().all(|i| results[*i].is_some()) {
                        // everything is in: the worker has nothing left but freeing memory,
                        // which the system does at once when it ends
                        let _ = child.kill();
                        let _ = child.wait();
                        return WorkerEnd::Finished;
                    }
                }
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let late: Vec<usize> = in_flight
                    .iter()
                    .filter(|(_, t)| t.elapsed() > limits.per_file)
                    .map(|(i, _)| *i)
                    .collect();
                if !late.is_empty() {
                    let _ = child.kill();
                    let _ = child.wait();
                    let rest = todo
                        .iter()
                        .copied()
                        .filter(|i| results[*i].is_none() && !late.contains(i))
                        .collect();
                    return WorkerEnd::TimedOut {
                        victims: late,
                        rest,
                    };
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let status = child
        .wait()
        .map(|s| s.to_string())
        .unwrap_or_else(|e| e.to_string());
    if todo.iter().all(|i| results[*i].is_some()) {
        return WorkerEnd::Finished;
    }
    let in_flight: Vec<usize> = in_flight.into_keys().collect();
    let not_started = todo
        .iter()
        .copied()
        .filter(|i| results[*i].is_none() && !in_flight.contains(i))
        .collect();
    WorkerEnd::Died {
        in_flight,
        not_started,
        status,
    }
}
