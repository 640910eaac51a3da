//! The `dateline` command line: parses arguments, runs a command, prints
//! every error and warning, and sets the exit code.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use dateline::{build, scaffold, serve, BuildFailure, BuildOptions, BuildReport};

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
        /// Write the site here instead of site.toml's output_dir
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of site.toml's, e.g. for a preview deployment
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Build the site and serve it on a local address
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The address to listen on; only loopback unless you say otherwise
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port to listen on (0 picks a free one)
        #[arg(long, value_name = "N", default_value_t = 1111)]
        port: u16,
    },
    /// Create a new site in DIR that builds as it is
    Init {
        /// The folder to create (it must not exist, or be empty)
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
}

impl SiteArgs {
    fn options(self) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
            ..BuildOptions::new(self.root)
        }
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build {
            site,
            output,
            base_url,
        } => {
            let options = BuildOptions {
                output,
                base_url,
                ..site.options()
            };
            run_build(&options).map(|_| ())
        }
        Command::Serve { site, bind, port } => run_serve(site.options(), bind, port),
        Command::Init { dir } => scaffold::init(&dir)
            .map(|()| {
                println!(
                    "created a new site in {0}; build it with `dateline build --root {0}`",
                    dir.display()
                );
            })
            .map_err(|e| eprintln!("error: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::FAILURE,
    }
}

/// Build, print warnings, errors and the summary.
fn run_build(options: &BuildOptions) -> Result<BuildReport, ()> {
    match build(options) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            println!("{}", summary(&report));
            if let Some((date, file)) = &report.next_scheduled {
                let when = date.strftime("%Y-%m-%d %H:%M %Z");
                println!(
                    "next scheduled article: {} goes live at {when}; rebuild then",
                    file.display()
                );
            }
            Ok(report)
        }
        Err(BuildFailure { errors, warnings }) => {
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            eprintln!("{errors}");
            if !warnings.is_empty() || !errors.0.is_empty() {
                eprintln!("the previous output was left as it was");
            }
            Err(())
        }
    }
}

fn summary(report: &BuildReport) -> String {
    let pages: usize = report.pages.values().sum();
    let kinds: Vec<String> = report
        .pages
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    format!(
        "built {pages} pages ({}) and copied {} static files into {} in {:.2} s",
        kinds.join(", "),
        report.static_files,
        report.output.display(),
        report.elapsed.as_secs_f64()
    )
}

fn run_serve(mut options: BuildOptions, bind: IpAddr, port: u16) -> Result<(), ()> {
    let listener = serve::bind(bind, port).map_err(|e| eprintln!("error: {e}"))?;
    let addr = listener.local_addr().map_err(|e| eprintln!("error: {e}"))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    let dir = tempfile::tempdir()
        .map_err(|e| eprintln!("error: could not create a folder to serve from: {e}"))?;
    let site = dir.path().join("site");
    options.output = Some(site.clone());
    options.base_url = Some(url.clone());
    run_build(&options)?;
    if std::io::stdout().is_terminal() {
        println!("serving at {url} (press Ctrl-C to stop)");
    } else {
        println!("serving at {url}");
    }
    serve::run(listener, site).map_err(|e| eprintln!("error: {e}"))
}
