//! The `parkstat` command: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::{Args, Parser, Subcommand};
use parkstat::Error;
use parkstat::batch::{BatchOptions, FileResult, collect_inputs, read_all};
use parkstat::catalog::Catalog;
use parkstat::catalog::Method;
use parkstat::compute::frames::Cols;
use parkstat::compute::{ComputeOptions, UserInputs, compute_all};
use parkstat::ingest::{ReadOptions, read_file_partial};
use parkstat::isolate::{IsolationLimits, WorkerConfig, read_isolated};
use parkstat::layout::Overrides;
use parkstat::polars::prelude::IntoLazy;
use parkstat::present::{SummaryIndex, build_report_indexed, render_text};
use parkstat::tidy::FigureBlock;

#[derive(Parser)]
#[command(
    name = "parkstat",
    version,
    about = "Read, check and summarise the monthly returns (报表) of county industrial parks."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// parsed once per run; the size of the Convert variant does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Show what parkstat detects in each sheet: period, park, unit note, header rows, column roles, row matches.
    #[command(
        after_help = "Examples:\n  parkstat inspect \"2022-08 园区月报.xlsx\"\n  parkstat inspect --json returns/*.xls > detected.json"
    )]
    Inspect {
        /// Return files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Convert returns (files, folders, glob patterns) into tidy data, summaries, text and audit findings.
    #[command(
        after_help = "Examples:\n  parkstat convert fixtures/returns --tidy out/tidy.csv\n  parkstat convert returns/2022 --tidy tidy.parquet --report run.json --jobs 2\n  parkstat convert \"returns/**/*.xls\" --month 8 --year 2022 --park 青林县工业园区 --tidy tidy.csv\n\nExit codes: 0 all good; 1 some files failed or the audit found errors; 2 usage error."
    )]
    Convert {
        /// Files, folders (searched recursively) or glob patterns.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        outputs: Outputs,
        /// Worker threads (default: the number of cores).
        #[arg(long, short = 'j', default_value_t = 0)]
        jobs: usize,
        /// No progress output, warnings or summary line (the files that failed are still
        /// listed, with their errors).
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Read in the same process, without a supervised worker (faster to start; a file that
        /// makes the reading library abort then ends the run).
        #[arg(long)]
        no_isolate: bool,
        /// Memory limit of the worker process, in MB.
        #[arg(long, default_value_t = 8192, value_name = "MB")]
        max_memory: u64,
        /// Time limit per file, in seconds.
        #[arg(long, default_value_t = 120, value_name = "SECS")]
        timeout: u64,
        /// Stop at the first file that fails.
        #[arg(long)]
        fail_fast: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Internal: the worker process of an isolated batch (reads jobs on stdin).
    #[command(name = "__worker", hide = true)]
    Worker,
    /// Print the built-in indicator catalogue, or write it as a starting file for your own.
    #[command(
        after_help = "Examples:\n  parkstat catalog\n  parkstat catalog --write my-catalog.tsv   # edit, then: parkstat convert --catalog my-catalog.tsv …"
    )]
    Catalog {
        /// Write the catalogue file here instead of printing it.
        #[arg(long, value_name = "FILE")]
        write: Option<PathBuf>,
    },
}

#[derive(Args, Clone)]
struct Common {
    /// The park, when the returns do not say it (overrides the file).
    #[arg(long)]
    park: Option<String>,
    /// The year, when the returns do not say it (overrides the file).
    #[arg(long)]
    year: Option<i32>,
    /// The month, when the returns do not say it (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=12))]
    month: Option<u32>,
    /// Your own indicator catalogue (TSV or CSV, same columns as `parkstat catalog`), extending the built-in one.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Your own list of pillar industries (code, name, aliases, leading).
    #[arg(long, value_name = "FILE")]
    industries: Option<PathBuf>,
}

impl Common {
    fn catalog(&self) -> Result<Catalog, Error> {
        let mut c = Catalog::builtin();
        if let Some(p) = &self.catalog {
            c = c.with_user_file(p)?;
        }
        if let Some(p) = &self.industries {
            c = c.with_industries_file(p)?;
        }
        Ok(c)
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            overrides: Overrides {
                park: self.park.clone(),
                year: self.year,
                month: self.month,
            },
            ..Default::default()
        }
    }
}

/// `PARKSTAT_TIMINGS=1`: one phase's time on stderr (steps inside a phase are indented), and the
/// CPU time of this process's threads in it when given.
fn print_timing(name: &str, since: std::time::Instant, cpu: Option<std::time::Duration>) {
    let cpu = cpu
        .map(|c| format!("  (cpu {:.1} ms)", c.as_secs_f64() * 1e3))
        .unwrap_or_default();
    eprintln!(
        "timing: {name:<14} {:>8.1} ms{cpu}",
        since.elapsed().as_secs_f64() * 1e3
    );
}

/// The CPU time of every thread of this process so far (the worker processes' not included).
fn process_cpu() -> std::time::Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec, which lives on this stack.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } == 0 {
            return std::time::Duration::new(
                u64::try_from(ts.tv_sec).unwrap_or(0),
                u32::try_from(ts.tv_nsec).unwrap_or(0),
            );
        }
    }
    std::time::Duration::ZERO
}

/// Runs `f`, printing its time as a step of the current phase when `timings` is on.
fn timed<T>(timings: bool, name: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let r = f();
    if timings {
        print_timing(&format!("  {name}"), started, None);
    }
    r
}

/// glibc's malloc hands every allocation over its (adaptive) mmap threshold straight back to the
/// system when freed and trims the heap top beyond 128 KiB, so a batch that builds and drops
/// frames and grids of a few MB pays a page fault per page, again and again (the kernel's time,
/// mostly page faults, was 0.36-0.40 s of a batch run's 1.8 s of CPU). Keeping up to 64 MiB
/// allocations in the heap and trimming only past 256 MiB: a 1,000-return batch 1.09-1.14 s ->
/// 0.99-1.08 s, the large return 3.8-3.9 s -> 3.5 s (A/B runs), for 10-30 MB more peak memory.
/// (mimalloc gave no clear gain on 2 cores and 110 MB more.)
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets glibc's malloc parameters; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

fn main() -> ExitCode {
    // `parkstat inspect … | head` must end quietly, not panic on a closed pipe
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Inspect {
            files,
            json,
            common,
        } => inspect(&files, json, &common),
        Command::Convert {
            inputs,
            mut outputs,
            jobs,
            quiet,
            fail_fast,
            no_isolate,
            max_memory,
            timeout,
            common,
        } => {
            outputs.isolation = (!no_isolate && !fail_fast).then_some(IsolationLimits {
                memory_bytes: max_memory.saturating_mul(1 << 20),
                per_file: std::time::Duration::from_secs(timeout.max(1)),
            });
            convert(&inputs, &outputs, jobs, quiet, fail_fast, &common)
        }
        Command::Catalog { write } => catalog(write.as_deref()),
        Command::Worker => {
            let stdin = std::io::stdin();
            parkstat::isolate::worker_main(stdin.lock(), std::io::stdout())
                .map(|_| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parkstat: {e}");
            ExitCode::from(match e {
                Error::Usage(_) | Error::UserFile { .. } => 2,
                _ => 1,
            })
        }
    }
}

fn catalog(write: Option<&Path>) -> Result<ExitCode, Error> {
    match write {
        Some(p) => {
            parkstat::output::write_atomic(p, |w| {
                w.write_all(parkstat::catalog::BUILTIN_INDICATORS.as_bytes())
                    .map_err(|e| e.to_string())
            })?;
            eprintln!(
                "wrote {}: edit it, then pass it with --catalog",
                p.display()
            );
        }
        None => print!("{}", parkstat::catalog::BUILTIN_INDICATORS),
    }
    Ok(ExitCode::SUCCESS)
}

fn inspect(files: &[PathBuf], json: bool, common: &Common) -> Result<ExitCode, Error> {
    let catalog = common.catalog()?;
    let opts = common.read_options();
    let mut failed = false;
    let mut all = Vec::new();
    for f in files {
        // what was detected is shown even when the file fails (period or park undecided)
        let (out, error) = match read_file_partial(f, &catalog, &opts) {
            Ok((out, error)) => (Some(out), error),
            Err(e) => (None, Some(e)),
        };
        if json {
            let mut v = serde_json::json!({"file": f});
            if let Some(o) = &out {
                v["tables"] = serde_json::json!(o.tables);
                v["warnings"] =
                    serde_json::json!(o.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>());
            }
            if let Some(e) = &error {
                v["error"] = serde_json::json!(e.to_string());
                v["kind"] = serde_json::json!(e.kind());
            }
            all.push(v);
        } else {
            print_inspection(f, out.as_ref(), error.as_ref());
        }
        failed |= error.is_some();
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Pads to a display width, counting a Chinese character as two columns.
fn pad(s: &str, width: usize) -> String {
    let w = parkstat::report::display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn print_inspection(f: &Path, out: Option<&parkstat::FileOutput>, error: Option<&Error>) {
    println!("== {}", f.display());
    if let Some(e) = error {
        println!("   error: {e}");
    }
    let Some(out) = out else { return };
    for t in &out.tables {
        println!("-- sheet [{}]: {:?} return", t.sheet, t.shape);
        println!("   title:       {}", t.title);
        println!(
            "   period:      {}年{}月 ({})",
            t.year.map(|y| y.to_string()).unwrap_or("?".into()),
            t.month.map(|m| m.to_string()).unwrap_or("?".into()),
            t.period_sources.join("; ")
        );
        println!(
            "   park:        {}",
            t.park
                .clone()
                .unwrap_or_else(|| "(per row or column)".into())
        );
        println!(
            "   unit note:   {}",
            if t.unit_note.is_empty() {
                "(none)"
            } else {
                &t.unit_note
            }
        );
        if t.turned {
            println!(
                "   turned:      the names run across, the times down; read with rows and \
                 columns swapped (a \"column\" below is the sheet's row from that cell)"
            );
        } else {
            println!(
                "   header rows: {}-{}; data rows: {}-{}",
                t.header_rows.0, t.header_rows.1, t.data_rows.0, t.data_rows.1
            );
        }
        for c in &t.columns {
            println!(
                "   column {:>3}  {} {}",
                c.column,
                pad(&c.header, 30),
                c.role
            );
        }
        for row in &t.rows {
            println!(
                "   row {:>4}  {:<24} {:<14} {}",
                row.row,
                row.label,
                row.indicator.clone().unwrap_or_else(|| "-".into()),
                row.how
            );
        }
    }
    for w in &out.warnings {
        println!("   warning: {w}");
    }
}

/// What `convert` writes.
#[derive(Args)]
struct Outputs {
    /// Write the tidy table (.csv or .parquet).
    #[arg(long, value_name = "OUT")]
    tidy: Option<PathBuf>,
    /// Write the summary frame (.csv or .parquet): growth, month values, projection, targets per park, indicator and period.
    #[arg(long, value_name = "OUT")]
    summary: Option<PathBuf>,
    /// Write the audit findings (.csv or .parquet).
    #[arg(long, value_name = "OUT")]
    audit: Option<PathBuf>,
    /// Write industry shares and contributions (.csv or .parquet).
    #[arg(long, value_name = "OUT")]
    shares: Option<PathBuf>,
    /// Write the ranking of parks (.csv or .parquet).
    #[arg(long, value_name = "OUT")]
    ranking: Option<PathBuf>,
    /// Write the projection backtest (.csv or .parquet).
    #[arg(long, value_name = "OUT")]
    backtest: Option<PathBuf>,
    /// Write the formatted summary workbook (.xlsx).
    #[arg(long, short = 'o', value_name = "summary.xlsx")]
    output: Option<PathBuf>,
    /// Write the report's sentences (Markdown or text).
    #[arg(long, value_name = "OUT.md")]
    text: Option<PathBuf>,
    /// Your own text template (placeholders like {IND_VA.ytd:num2}); default: the work report's section 一.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Targets, manual projections, rest-of-year growth: CSV or xlsx with park, indicator, target[, target_kind, projection, growth_rest].
    #[arg(long, value_name = "FILE")]
    targets: Option<PathBuf>,
    /// Projection method for an indicator, e.g. --method TAX_PAID=R (S, G, L, R, M, RC, K); repeatable.
    #[arg(long, value_name = "CODE=M")]
    method: Vec<String>,
    /// Project each indicator with the method that had the smallest error on earlier complete years in the batch.
    #[arg(long)]
    best_method: bool,
    /// Font of the workbook.
    #[arg(long, default_value = "宋体")]
    font: String,
    /// Write a machine-readable run report (JSON).
    #[arg(long, value_name = "run.json")]
    report: Option<PathBuf>,
    #[arg(skip)]
    isolation: Option<IsolationLimits>,
}

impl Outputs {
    fn wants_compute(&self) -> bool {
        self.summary.is_some()
            || self.audit.is_some()
            || self.shares.is_some()
            || self.ranking.is_some()
            || self.backtest.is_some()
            || self.output.is_some()
            || self.text.is_some()
    }

    fn compute_options(&self, catalog: &Catalog) -> Result<ComputeOptions, Error> {
        let mut opts = ComputeOptions {
            best_backtested: self.best_method,
            ..Default::default()
        };
        for m in &self.method {
            let (code, letter) = m.split_once('=').ok_or_else(|| {
                Error::Usage(format!(
                    "--method {m}: write it as CODE=METHOD, e.g. TAX_PAID=R"
                ))
            })?;
            if catalog.get(code).is_none() {
                return Err(Error::Usage(format!(
                    "--method {m}: unknown indicator code {code} (see `parkstat catalog`)"
                )));
            }
            let method = Method::parse(letter).ok_or_else(|| {
                Error::Usage(format!(
                    "--method {m}: unknown method {letter}; use S, G, L, R, M, RC or K"
                ))
            })?;
            opts.methods.insert(code.to_string(), method);
        }
        if let Some(p) = &self.targets {
            opts.inputs = UserInputs::from_file(p, catalog)?;
        }
        Ok(opts)
    }
}

fn convert(
    inputs: &[PathBuf],
    outs: &Outputs,
    jobs: usize,
    quiet: bool,
    fail_fast: bool,
    common: &Common,
) -> Result<ExitCode, Error> {
    let (tidy, report) = (outs.tidy.as_deref(), outs.report.as_deref());
    let catalog = common.catalog()?;
    let found = collect_inputs(inputs)?;
    if !quiet {
        for (p, why) in &found.skipped {
            eprintln!("skipped {}: {why}", p.display());
        }
    }
    if found.files.is_empty() {
        return Err(Error::Usage(
            "no spreadsheet files found in the inputs".into(),
        ));
    }
    let opts = BatchOptions {
        // convert keeps the figures, not what `inspect` shows row by row
        read: ReadOptions {
            skip_row_reports: true,
            ..common.read_options()
        },
        jobs,
        fail_fast,
    };
    let total = found.files.len();
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files {elapsed_precise} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let done = Mutex::new(0usize);
    let progress = |p: &Path, r: std::result::Result<usize, &Error>| {
        if let Some(b) = &bar {
            b.inc(1);
        } else if !quiet {
            let n = done.lock().map(|mut d| {
                *d += 1;
                *d
            });
            let n = n.unwrap_or(0);
            match r {
                Ok(count) => eprintln!("[{n}/{total}] {}: {count} figures", p.display()),
                Err(_) => eprintln!("[{n}/{total}] {}: failed", p.display()),
            }
        }
    };
    let started = std::time::Instant::now();
    // PARKSTAT_TIMINGS=1: the time of every phase on stderr (for profiling)
    let timings = std::env::var_os("PARKSTAT_TIMINGS").is_some();
    let last = std::cell::Cell::new((started, process_cpu()));
    // a phase's wall time, and the CPU time of this process's threads in it (how well the phase
    // uses the cores; the read's CPU is mostly the workers')
    let phase = |name: &str| {
        if timings {
            let (wall, cpu) = last.replace((std::time::Instant::now(), process_cpu()));
            print_timing(name, wall, Some(process_cpu().saturating_sub(cpu)));
        }
    };
    let results = match (&outs.isolation, std::env::current_exe()) {
        (Some(limits), Ok(exe)) => {
            let config = WorkerConfig {
                park: common.park.clone(),
                year: common.year,
                month: common.month,
                catalog: common.catalog.clone(),
                industries: common.industries.clone(),
                jobs: if jobs == 0 {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                } else {
                    jobs
                },
            };
            read_isolated(
                &found.files,
                &exe,
                &["__worker".to_string()],
                &config,
                limits,
                &|p, r: &FileResult| progress(p, r.as_ref().map(|o| o.figures.len())),
            )
        }
        _ => read_all(&found.files, &catalog, &opts, &|p, r: &FileResult| {
            progress(p, r.as_ref().map(|o| o.figures.len()))
        })?,
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    phase("read");
    // the tidy frame is built once, from the packed figures of every file
    let mut blocks: Vec<FigureBlock> = Vec::new();
    let mut warnings = Vec::new();
    let mut failures: Vec<(&Path, Error)> = Vec::new();
    let mut sources = Vec::new();
    for (p, r) in found.files.iter().zip(results) {
        match r {
            Ok(mut output) => {
                blocks.push(std::mem::take(&mut output.figures));
                warnings.append(&mut output.warnings);
                sources.push(p.display().to_string());
            }
            Err(e) => failures.push((p, e)),
        }
    }
    let figure_count: usize = blocks.iter().map(FigureBlock::len).sum();
    // the computations need the frame; a tidy CSV is written from the blocks themselves
    let frame = if outs.wants_compute() {
        let df = parkstat::tidy::blocks_to_frame(&blocks).map_err(|source| Error::Compute {
            what: "the tidy table".into(),
            source,
        })?;
        Some(df)
    } else {
        None
    };
    phase("frame");
    let compute_opts = outs.compute_options(&catalog)?;
    let template = match &outs.template {
        Some(p) => std::fs::read_to_string(p).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?,
        None => parkstat::report::DEFAULT_TEMPLATE.to_string(),
    };
    // what is made from the computations: the frames, the text and the workbook
    let from_computed = |computed: parkstat::compute::Computed| -> Result<(usize, usize), Error> {
        let audit_count = computed.audit.height();
        let audit_errors = Cols {
            df: &computed.audit,
        }
        .s("severity")
        .iter()
        .filter(|s| **s == "error")
        .count();
        let frames = [
            (&outs.summary, &computed.summary),
            (&outs.audit, &computed.audit),
            (&outs.shares, &computed.shares),
            (&outs.ranking, &computed.ranking),
            (&outs.backtest, &computed.backtest),
        ];
        for (path, df) in frames {
            if let Some(p) = path {
                parkstat::output::write_frame(df, p)?;
            }
        }
        phase("write frames");
        let index = SummaryIndex::new(&computed.summary);
        let rendered = render_text(&template, &index, &catalog)?;
        phase("text");
        if let Some(p) = &outs.text {
            let text = rendered.text.clone();
            parkstat::output::write_atomic(p, |w| {
                w.write_all(text.as_bytes()).map_err(|e| e.to_string())
            })?;
        }
        if !quiet && !rendered.warnings.is_empty() {
            // a batch of many parks leaves many gaps: the first few, then the count
            for w in rendered.warnings.iter().take(5) {
                eprintln!("text: {w}");
            }
            if rendered.warnings.len() > 5 {
                eprintln!(
                    "text: … {} gaps in all, each shown as 【缺:…】 in the text",
                    rendered.warnings.len()
                );
            }
        }
        if let Some(p) = &outs.output {
            let model = build_report_indexed(
                &computed,
                &index,
                &catalog,
                Some(rendered.text.clone()),
                sources,
            );
            let wopts = parkstat::report::WriteOptions {
                font: outs.font.clone(),
                ..Default::default()
            };
            parkstat::report::write_workbook_to_path(&model, &wopts, p)?;
            phase("workbook");
        }
        Ok((audit_count, audit_errors))
    };
    // the tidy file is written on one thread while the computations, the text and the workbook
    // are made on the other
    let (tidy_written, made) = std::thread::scope(|scope| {
        let (blocks, frame) = (&blocks, frame.as_ref());
        let writer = tidy.map(|path| {
            scope.spawn(move || {
                timed(timings, "tidy file", || {
                    parkstat::output::write_tidy(blocks, frame, path)
                })
            })
        });
        let made = frame.map(|df| {
            let computed = compute_all(df.clone().lazy(), &catalog, &compute_opts);
            phase("compute");
            computed.and_then(from_computed)
        });
        let written = writer.map(|w| {
            w.join()
                .unwrap_or_else(|_| Err(Error::Usage("the tidy writer stopped".into())))
        });
        (written, made)
    });
    if let Some(w) = tidy_written {
        w?;
    }
    let (audit_count, audit_errors) = made.transpose()?.unwrap_or((0, 0));
    if let Some(path) = report {
        let json = serde_json::json!({
            "files": found.files.len(),
            "read": found.files.len() - failures.len(),
            "failed": failures.iter().map(|(p, e)| serde_json::json!({"file": p, "kind": e.kind(), "error": e.to_string()})).collect::<Vec<_>>(),
            "skipped": found.skipped.iter().map(|(p, why)| serde_json::json!({"file": p, "reason": why})).collect::<Vec<_>>(),
            "figures": figure_count,
            "warnings": warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            "audit_findings": audit_count,
            "audit_errors": audit_errors,
            "seconds": started.elapsed().as_secs_f64(),
        });
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        parkstat::output::write_atomic(path, |w| {
            w.write_all(text.as_bytes()).map_err(|e| e.to_string())
        })?;
    }
    if !quiet {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    // a failure is no progress: --quiet still says which files failed, and why
    if !failures.is_empty() {
        eprintln!("\n{} file(s) failed:", failures.len());
        eprintln!("  kind               file: error");
        for (_, e) in &failures {
            eprintln!("  {:<18} {e}", e.kind());
        }
    }
    if !quiet {
        eprintln!(
            "\n{} file(s) read, {} failed, {} skipped; {} figures; {} warnings; {} audit findings ({} errors); {:.2} s",
            found.files.len() - failures.len(),
            failures.len(),
            found.skipped.len(),
            figure_count,
            warnings.len(),
            audit_count,
            audit_errors,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failures.is_empty() && audit_errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
