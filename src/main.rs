//! The `dateline` command line: parses arguments, runs a command, prints
//! every error and warning, and sets the exit code.

use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use dateline::live::Session;
use dateline::{
    build_site, explain_related, scaffold, serve, BuildFailure, BuildOptions, BuildReport,
    RelatedExplained,
};

/// Print a line. A reader that has gone away (`dateline build | head -1`)
/// is no failure: the work is done, and `println!` would panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// [`say!`] to standard error.
macro_rules! tell {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// A static news-site generator: Markdown articles in, a complete
/// publication site out.
#[derive(Parser)]
#[command(name = "dateline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (site.toml's output_dir, default public/)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Write the site here (from the current folder, like --root) instead
        /// of site.toml's output_dir (which is inside the site)
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of site.toml's, e.g. for a preview deployment
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Render every page even when nothing changed since the last build
        #[arg(long)]
        full: bool,
        /// Print only warnings and errors (for cron jobs, which mail any
        /// output): no summary, nothing on standard output
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build the site and serve it on a local address
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The address to listen on (an IP address, or `localhost`); only
        /// loopback unless you say otherwise
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = listen_address)]
        bind: IpAddr,
        /// The port to listen on (0 picks a free one)
        #[arg(long, value_name = "N", default_value_t = 1111)]
        port: u16,
        /// The address the pages link to, when others reach this server by
        /// another one than 127.0.0.1 (with --bind), e.g.
        /// http://192.168.1.20:1111/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Open the site in the default web browser
        #[arg(long)]
        open: bool,
    },
    /// Explain the related-stories ranking: each related story with its
    /// score and the tags it shares
    Related {
        #[command(flatten)]
        site: SiteArgs,
        /// One article, by content path (business/some-story.md) or URL path
        /// (/business/some-story/); every published article when omitted
        article: Option<String>,
        /// One JSON object per line: {"url", "related": [{"url", "score",
        /// "shared_tags", "pinned"}]}
        #[arg(long)]
        json: bool,
    },
    /// List the default theme's templates, or copy them into the site's
    /// templates/ to read and change them there
    Theme {
        /// The site folder, holding site.toml
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The templates to copy into templates/ (article.html, base.html,
        /// style.css, ...); a file already there is never written over
        #[arg(value_name = "NAME")]
        names: Vec<String>,
        /// Copy every built-in template the site does not replace yet
        #[arg(long, conflicts_with = "names")]
        all: bool,
    },
    /// Create a new site in DIR that builds as it is
    Init {
        /// The folder to create; it may exist (a fresh git repository, say)
        /// if it holds no site.toml, content, static, templates or public
        dir: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder, holding site.toml
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Publish drafts (draft = true) too
    #[arg(long)]
    drafts: bool,
    /// Publish articles dated in the future too
    #[arg(long)]
    future: bool,
    /// Fail on warnings too (a missing image_alt, merged tag spellings, ...)
    #[arg(long)]
    strict: bool,
    /// Build as if it were this moment: what is published, the news
    /// sitemap's 48 hours. 2026-05-01T09:00:00Z or -04:00, or without an
    /// offset (2026-05-01T09:00, 2026-05-01) in the site's time zone
    #[arg(long, value_name = "TIME", value_parser = moment)]
    now: Option<Moment>,
}

/// `--now`'s value: a moment, or a date and time of the site's zone.
#[derive(Debug, Clone, Copy)]
enum Moment {
    At(jiff::Timestamp),
    Local(jiff::civil::DateTime),
}

/// `--now`'s value, or what was expected.
fn moment(text: &str) -> Result<Moment, String> {
    let text = text.trim();
    if let Ok(at) = text.parse() {
        return Ok(Moment::At(at));
    }
    // Without an offset: a date and time, or a date (its first moment).
    // After the date, an offset or a zone's name (`[Asia/Tokyo]`), which
    // only a moment may have.
    let offset = (text.get(10..)).is_none_or(|rest| rest.contains(['Z', 'z', '+', '-', '[']));
    if !offset {
        let local = (text.parse::<jiff::civil::DateTime>()).or_else(|_| {
            text.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        });
        if let Ok(local) = local {
            return Ok(Moment::Local(local));
        }
    }
    // A well-formed moment that is none (February 30th) says why.
    let why = match text.parse::<jiff::Timestamp>() {
        Err(e) if text.starts_with(|c: char| c.is_ascii_digit()) => format!(" ({e})"),
        _ => String::new(),
    };
    Err(format!(
        "expected a moment such as 2026-05-01T09:00:00Z or 2026-05-01T09:00:00-04:00, or a \
         date and time in the site's time zone, 2026-05-01T09:00 or 2026-05-01{why}"
    ))
}

impl SiteArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
            strict: self.strict,
            now: match self.now {
                Some(Moment::At(at)) => Some(at),
                _ => None,
            },
            now_local: match self.now {
                Some(Moment::Local(local)) => Some(local),
                _ => None,
            },
            progress: std::io::stderr().is_terminal(),
            ..BuildOptions::new(self.root)
        }
    }
}

/// Rendering a site allocates many small strings on two or more threads;
/// mimalloc does that faster than the system allocator, and without its
/// long pauses to consolidate freed memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Open `url` in the user's browser, which keeps huge pages if it wants
/// them: the setting passes to the processes we start.
fn open_browser(url: &str) -> Result<(), opener::OpenError> {
    dateline::huge_pages(true);
    let opened = opener::open_browser(url);
    dateline::huge_pages(false);
    opened
}

fn main() -> ExitCode {
    dateline::huge_pages(false);
    let result = match Cli::parse().command {
        Command::Build {
            site,
            output,
            base_url,
            full,
            quiet,
        } => {
            // A path given on the command line is from where the command
            // runs, as `--root` is; the build resolves others from the root.
            let output = output.map(|dir| std::path::absolute(&dir).unwrap_or(dir));
            let options = BuildOptions {
                output,
                base_url,
                full,
                quiet,
                ..site.options()
            };
            if let Err(e) = dateline::interrupt::install(INTERRUPTED) {
                tell!("warning: {e}");
            }
            match run_build(&options, quiet) {
                Ok(_) => Ok(()),
                Err(code) => return code,
            }
        }
        Command::Serve {
            site,
            bind,
            port,
            base_url,
            open,
        } => run_serve(site.options(), (bind, port), base_url, open),
        Command::Related {
            site,
            article,
            json,
        } => run_related(&site.options(), article.as_deref(), json),
        Command::Theme { root, names, all } => run_theme(&root, &names, all),
        Command::Init { dir } => scaffold::init(&dir)
            .map(|made| {
                say!(
                    "created a new site in {0}; build it with `dateline build --root {0}`",
                    dir.display()
                );
                if made.kept_gitignore {
                    say!(
                        "kept the .gitignore there; to keep builds out of git, add:\n{}",
                        scaffold::GITIGNORE.trim_end()
                    );
                }
            })
            .map_err(|e| tell!("error: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}

/// `dateline theme`: list the built-in templates, or copy some.
fn run_theme(root: &std::path::Path, names: &[String], all: bool) -> Result<(), ()> {
    if names.is_empty() && !all {
        let templates = match scaffold::theme(root) {
            Ok(templates) => templates,
            Err(e) => {
                tell!("error: {e}");
                return Err(());
            }
        };
        let width = templates.iter().map(|t| t.name.len()).max().unwrap_or(0);
        for t in &templates {
            match &t.replaced_by {
                Some(own) => say!(
                    "{:width$}  replaced by the site's {}",
                    t.name,
                    own.display()
                ),
                None => say!("{:width$}  built-in", t.name),
            }
        }
        say!(
            "`dateline theme NAME...` copies built-in templates into templates/ to change them \
             there; `--all` copies every one the site does not replace yet"
        );
        return Ok(());
    }
    match scaffold::copy_theme(root, names, all) {
        Ok(copied) => {
            for own in &copied.kept {
                say!("kept {} (the site's own)", own.display());
            }
            for own in &copied.written {
                say!("wrote {}", own.display());
            }
            if copied.written.is_empty() {
                say!("every built-in template is replaced already: nothing to copy");
            }
            Ok(())
        }
        Err(failed) => {
            for e in &failed.errors {
                tell!("error: {e}");
            }
            match failed.written.is_empty() {
                true => tell!("nothing was copied"),
                false => {
                    let written: Vec<String> = failed
                        .written
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect();
                    tell!("copied before the error: {}", written.join(", "));
                }
            }
            Err(())
        }
    }
}

/// `--bind`: an IP address, or `localhost` for 127.0.0.1.
fn listen_address(text: &str) -> Result<IpAddr, String> {
    match text {
        "localhost" => Ok(IpAddr::from([127, 0, 0, 1])),
        _ => text.parse().map_err(|_| {
            format!("{text:?} is not an IP address (like 127.0.0.1, 0.0.0.0 or ::1) or localhost")
        }),
    }
}

/// The exit code of a build stopped by Ctrl-C (128 + SIGINT, as shells do).
const INTERRUPTED: i32 = 130;

/// Build, print warnings, errors and (unless `quiet`) the summary; the
/// exit code on failure.
fn run_build(options: &BuildOptions, quiet: bool) -> Result<BuildReport, ExitCode> {
    match build_site(options) {
        Ok((report, site)) => {
            // The process ends next, and the system takes its memory back
            // at once: freeing a large site piece by piece first would
            // only make the build slower.
            std::mem::forget(site);
            for w in &report.warnings {
                tell!("warning: {w}");
            }
            if quiet {
                return Ok(report);
            }
            say!("{}", summary(&report));
            said_removed(&report.abandoned, "a build");
            if let Some((date, file)) = &report.next_scheduled {
                let when = to_the_second(date);
                say!(
                    "next scheduled article: {} goes live at {when}; rebuild then",
                    file.display()
                );
            }
            Ok(report)
        }
        Err(failure) if failure.interrupted => {
            said_removed(&failure.abandoned, "a build");
            // The terminal may be gone (SIGHUP): no reason to panic.
            let _ = writeln!(
                std::io::stderr(),
                "build stopped before it finished: nothing of it was kept, and the previous output was left as it was"
            );
            Err(ExitCode::from(INTERRUPTED as u8))
        }
        Err(failure) => {
            said_removed(&failure.abandoned, "a build");
            print_failure(&failure);
            match failure.had_output {
                true => tell!("the previous output was left as it was"),
                false => tell!("no output was written"),
            }
            Err(ExitCode::FAILURE)
        }
    }
}

/// One line for each folder left by `whose` process, stopped outright,
/// that was removed ("a build", "a dev server").
fn said_removed(abandoned: &[PathBuf], whose: &str) {
    for folder in abandoned {
        say!(
            "removed {}, which {whose} stopped outright had left",
            folder.display()
        );
    }
}

/// A moment as a scheduler is set: to the minute, or to the second when
/// it falls within a minute, rounded up so that a rebuild at the time
/// shown publishes what waits for it.
fn to_the_second(date: &jiff::Zoned) -> String {
    let up = jiff::ZonedRound::new()
        .smallest(jiff::Unit::Second)
        .mode(jiff::RoundMode::Ceil);
    let date = date.round(up).unwrap_or_else(|_| date.clone());
    match date.second() {
        0 => date.strftime("%Y-%m-%d %H:%M %Z").to_string(),
        _ => date.strftime("%Y-%m-%d %H:%M:%S %Z").to_string(),
    }
}

fn print_failure(failure: &BuildFailure) {
    for w in &failure.warnings {
        tell!("warning: {w}");
    }
    tell!("{}", failure.errors);
}

fn run_related(options: &BuildOptions, article: Option<&str>, json: bool) -> Result<(), ()> {
    let explained = explain_related(options, article).map_err(|f| {
        for w in &f.warnings {
            tell!("warning: {w}");
        }
        tell!("{}", f.errors.listed("nothing explained"));
    })?;
    let mut out = std::io::stdout().lock();
    for e in &explained {
        let written = if json {
            serde_json::to_string(e)
                .map_err(std::io::Error::other)
                .and_then(|line| writeln!(out, "{line}"))
        } else {
            write_explained(&mut out, e)
        };
        if written.is_err() {
            // The reader went away (a closed pipe): stop quietly.
            return Ok(());
        }
    }
    Ok(())
}

fn write_explained(out: &mut impl Write, e: &RelatedExplained) -> std::io::Result<()> {
    // Addresses as a reader reads them (`/חדשות/נמל/`), not escaped: a pin
    // written either way finds its story.
    let shown = |url: &str| {
        percent_encoding::percent_decode_str(url)
            .decode_utf8_lossy()
            .into_owned()
    };
    writeln!(out, "{} ({})", shown(&e.url), e.file.display())?;
    if e.related.is_empty() {
        writeln!(
            out,
            "  no related stories: no other published article shares a tag"
        )?;
    }
    for (n, r) in e.related.iter().enumerate() {
        let pinned = if r.pinned { " (pinned)" } else { "" };
        let shared = match r.shared_tags.is_empty() {
            true => "no tags".to_string(),
            false => r.shared_tags.join(", "),
        };
        writeln!(
            out,
            "  {}. {:.4}  {}{pinned}  shared: {shared}",
            n + 1,
            r.score,
            shown(&r.url)
        )?;
    }
    Ok(())
}

/// What a build did: pages by kind, files written and kept, and the time
/// (and peak memory) of each stage.
fn summary(report: &BuildReport) -> String {
    let pages: usize = report.pages.values().sum();
    let kinds: Vec<String> = report
        .pages
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|s| match s.peak_memory {
            Some(bytes) => format!(
                "{} {:.2} s ({} MB)",
                s.name,
                s.elapsed.as_secs_f64(),
                bytes.div_ceil(1 << 20)
            ),
            None => format!("{} {:.2} s", s.name, s.elapsed.as_secs_f64()),
        })
        .collect();
    let head = if report.up_to_date {
        format!(
            "nothing changed since the last build: {} is up to date ({pages} pages: {}; {} static files); checked in {:.2} s",
            report.output.display(),
            kinds.join(", "),
            report.static_files,
            report.elapsed.as_secs_f64()
        )
    } else {
        let removed = match report.files.removed {
            0 => String::new(),
            n => format!(", {n} removed"),
        };
        format!(
            "built {pages} pages ({}) and copied {} static files into {} in {:.2} s\nfiles: {} written, {} unchanged (kept from the last build){removed}",
            kinds.join(", "),
            report.static_files,
            report.output.display(),
            report.elapsed.as_secs_f64(),
            report.files.written,
            report.files.kept,
        )
    };
    format!("{head}\nstages: {}", stages.join(", "))
}

fn run_serve(
    mut options: BuildOptions,
    (bind, port): (IpAddr, u16),
    base_url: Option<String>,
    open: bool,
) -> Result<(), ()> {
    // The site is served from its root: a base URL with a path would
    // send every link past it.
    if let Some(given) = &base_url {
        let parsed =
            dateline::config::BaseUrl::parse(given).map_err(|e| tell!("error: --base-url: {e}"))?;
        if parsed.url("/") != "/" {
            tell!(
                "error: --base-url: the dev server serves the site at the root of its address, \
                 so the URL must have no path, like http://192.168.1.20:1111/; found {given:?}"
            );
            return Err(());
        }
    }
    if !options.root.is_dir() {
        tell!(
            "error: --root: there is no folder {}; give the folder that holds site.toml",
            options.root.display()
        );
        return Err(());
    }
    let listener = serve::bind(bind, port).map_err(|e| tell!("error: {e}"))?;
    let addr = listener.local_addr().map_err(|e| tell!("error: {e}"))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    if base_url.is_none() && addr.ip().is_unspecified() {
        tell!(
            "note: listening on every address of this machine, but the pages link to {url}, \
             which reaches only this machine; give the address others use with \
             --base-url, like --base-url http://192.168.1.20:{}/",
            addr.port()
        );
    }
    // From before its folder is made to the end, the first build (which a
    // signal stops as it stops any build) included: the server stops in
    // order on Ctrl-C, SIGTERM or SIGHUP, and removes its folder.
    let (stop, stop_asked) = tokio::sync::watch::channel(false);
    let stopping = "stopping the server";
    if let Err(e) = dateline::interrupt::install_with(INTERRUPTED, stopping, move || {
        let _ = stop.send(true);
    }) {
        tell!("warning: {e}");
    }
    let dir = dateline::output::ServeFolder::new()
        .map_err(|e| tell!("error: could not create a folder to serve from: {e}"))?;
    said_removed(&dir.abandoned, "a dev server");
    options.output = Some(dir.path().join("site"));
    options.base_url = Some(base_url.clone().unwrap_or_else(|| url.clone()));
    let root = options.root.clone();
    let (session, built) = Session::begin(options);
    if dateline::interrupt::requested() {
        drop(session);
        drop(dir);
        say!("stopped");
        return Ok(());
    }
    match &built {
        Ok(report) => {
            for w in &report.warnings {
                tell!("warning: {w}");
            }
            say!("{}", summary(report));
        }
        Err(failure) => {
            print_failure(failure);
            tell!("the open tabs show these errors until they are fixed");
        }
    }
    let ready = || {
        say!(
            "serving at {url} (press Ctrl-C to stop); watching {} for changes",
            root.display()
        );
        if let Some(base_url) = &base_url {
            say!("the pages link to {base_url}");
        }
        let _ = std::io::stdout().flush();
        if open {
            if let Err(e) = open_browser(&url) {
                tell!("warning: could not open a browser: {e}");
            }
        }
    };
    let result = serve::run(
        listener,
        session,
        built.as_ref().err(),
        &root,
        print_update,
        ready,
        stop_asked,
    )
    .map_err(|e| tell!("error: {e}"));
    drop(dir);
    say!("stopped");
    result
}

/// One line per rebuild while serving; a failure's errors in full.
fn print_update(result: &Result<dateline::live::Update, BuildFailure>) {
    let now = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
    match result {
        // A change to nothing of the site's.
        Ok(update) if !update.relevant => {}
        Ok(update) => {
            for w in &update.warnings {
                tell!("warning: {w}");
            }
            let how = if update.full { "full build" } else { "partial" };
            let mended = match update.mended {
                true => "; the site builds again",
                false => "",
            };
            say!(
                "[{now}] rebuilt in {} ms ({how}): {} files changed{mended}",
                update.elapsed.as_millis(),
                update.files
            );
        }
        Err(failure) => {
            print_failure(failure);
            tell!("[{now}] still serving the last good build; the open tabs show these errors");
        }
    }
    let _ = std::io::stdout().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheduled_time_is_shown_so_that_a_rebuild_then_publishes() {
        let at = |text: &str| to_the_second(&text.parse::<jiff::Zoned>().unwrap());
        assert_eq!(at("2027-01-10T09:30:00[UTC]"), "2027-01-10 09:30 UTC");
        assert_eq!(at("2027-01-10T09:30:45[UTC]"), "2027-01-10 09:30:45 UTC");
        assert_eq!(at("2027-01-10T09:30:45.2[UTC]"), "2027-01-10 09:30:46 UTC");
        assert_eq!(at("2027-01-10T09:30:59.5[UTC]"), "2027-01-10 09:31 UTC");
    }
}
