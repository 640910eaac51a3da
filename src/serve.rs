//! `dateline serve`: build the site for a local address, serve it, watch
//! the site's files and bring every open tab up to date as they change.
//!
//! The site is built into a temporary folder with `base_url` set to the
//! address being served, so every link works locally and the deployable
//! output folder is never touched. Changes are collected until the files
//! have been quiet for a moment (an editor's save, a `git checkout`), then
//! [`Session::update`] renders what they affect. Pages get a small script,
//! added as they are served (never written into a build), that listens on
//! `/__dateline/events` (Server-Sent Events): it reloads the page, swaps
//! the stylesheet, or shows the build's errors over the page while the
//! last good build stays served.

use std::convert::Infallible;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use notify::Watcher;
use tokio::sync::{broadcast, watch};
use tower_http::services::ServeFile;

use crate::live::{Change, Session};

/// Where the live-reload script and its events are served.
pub const SCRIPT_PATH: &str = "/__dateline/live.js";
pub const WORKER_PATH: &str = "/__dateline/worker.js";
pub const EVENTS_PATH: &str = "/__dateline/events";

/// How long the files must be quiet before a rebuild starts, and the
/// longest a stream of changes can put it off.
const QUIET: Duration = Duration::from_millis(25);
const LONGEST_WAIT: Duration = Duration::from_secs(2);
/// Woken this long after a scheduled story's time, so that the clock has
/// surely passed it.
const CLOCK_MARGIN: Duration = Duration::from_millis(20);
/// The longest wait before the clock is looked at again: a wait is
/// counted on a clock that stops while a laptop sleeps, so a story due
/// during the sleep would otherwise go live that much late.
const CLOCK_CHECK: Duration = Duration::from_secs(30);

/// Bind the address; a port in use is an error naming it.
pub fn bind(bind: std::net::IpAddr, port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(SocketAddr::new(bind, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {bind} is already in use: stop the other server, or pick another port with --port N (--port 0 picks a free one)"
        ),
        _ => format!("could not listen on {bind}:{port}: {e}"),
    })
}

/// What an open tab is told. Each but a failure carries the version of
/// the site it tells of ([`Shared::version`]), as each page served does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// First, on every stream: which server, and which of its builds, the
    /// tab now hears from. A tab whose page is of another server, or of
    /// an older build of this one, reloads: the server started again, or
    /// rebuilt while the stream was down. The same one heard again (a
    /// stream cut and made again) changes nothing.
    Hello(String),
    /// Pages changed: reload.
    Reload(String),
    /// Only the stylesheet changed: swap it.
    Stylesheet(String),
    /// The last rebuild failed: show this over the page.
    Failed(String),
}

/// What the server's handlers share.
struct Shared {
    site: PathBuf,
    notices: broadcast::Sender<Notice>,
    /// The errors of the last rebuild, while they stand.
    failure: Mutex<Option<String>>,
    /// Flips to true when the server stops, to end event streams.
    stopping: watch::Receiver<bool>,
    /// This server, among others started at this address.
    started: String,
    /// How many times the tabs were told to reload or swap the stylesheet.
    changes: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// Which server, and which of its builds, is being served: said in
    /// `hello`, `reload` and `stylesheet` events.
    fn version(&self) -> String {
        let changes = self.changes.load(std::sync::atomic::Ordering::SeqCst);
        format!("{}.{changes}", self.started)
    }
}

/// What tells this server from another started at the same address: its
/// process, the moment it started, and a number drawn at random (for
/// clocks that stand still).
fn server_identity() -> String {
    use std::hash::{BuildHasher, Hasher};
    let drawn = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let now = jiff::Timestamp::now().as_nanosecond();
    format!("{}-{now}-{drawn:x}", std::process::id())
}

/// How long requests still being answered may take once the server is
/// asked to stop: a client that sends half a request, or stops reading a
/// download, must not keep it running.
const GRACE: Duration = Duration::from_secs(1);

/// Serve `session`'s folder on `listener`, rebuilding as the files under
/// `root` change, until `stop` turns true (Ctrl-C, `SIGTERM`: the caller
/// watches for them from before the first build, see
/// [`crate::interrupt::install_with`]). `report` prints each rebuild's
/// outcome; `ready` runs once the server listens.
pub fn run(
    listener: TcpListener,
    session: Session,
    failed: Option<&crate::BuildFailure>,
    root: &Path,
    report: impl Fn(&Result<crate::live::Update, crate::BuildFailure>) + Send + 'static,
    ready: impl FnOnce(),
    mut stop_asked: watch::Receiver<bool>,
) -> Result<(), String> {
    let (notices, _) = broadcast::channel(64);
    let (stop, stopping) = watch::channel(false);
    let shared = Arc::new(Shared {
        site: session.output().to_path_buf(),
        notices,
        // A first build that failed: the tabs show it until it is mended.
        failure: Mutex::new(failed.map(failure_text)),
        stopping,
        started: server_identity(),
        changes: std::sync::atomic::AtomicU64::new(0),
    });
    // Held by the watcher while it rebuilds: the folder it writes in is
    // removed only once it has let go.
    let rebuilding = Arc::new(Mutex::new(()));
    watch_site(root, session, shared.clone(), rebuilding.clone(), report)?;
    let app = Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(WORKER_PATH, get(worker))
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the server: {e}"))?;
    let served = runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("could not configure the listener: {e}"))?;
        // Each answer goes out as written: a streamed file's last part,
        // held back for the client's ACK (Nagle), cost 40 ms a request.
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("could not configure the listener: {e}"))?
            .tap_io(|stream| {
                let _ = stream.set_nodelay(true);
            });
        ready();
        let mut asked = stop_asked.clone();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop_asked.wait_for(|asked| *asked).await;
            let _ = stop.send(true);
        });
        // Open event streams end at once; requests still being answered
        // get a moment, and no more.
        tokio::select! {
            served = server => served.map_err(|e| format!("the server stopped: {e}")),
            _ = async {
                let _ = asked.wait_for(|asked| *asked).await;
                tokio::time::sleep(GRACE).await;
            } => Ok(()),
        }
    });
    // A file still being read for a client that stopped reading is not
    // waited for either.
    runtime.shutdown_timeout(GRACE);
    // A rebuild under way stops at its next step, since the signal asked
    // every build to, or finishes swapping its output in.
    let waiting = std::time::Instant::now();
    let deadline = waiting + REBUILD_WAIT;
    let mut said = false;
    while matches!(
        rebuilding.try_lock(),
        Err(std::sync::TryLockError::WouldBlock)
    ) && std::time::Instant::now() < deadline
    {
        // A page whose template never ends never lets go.
        if !said && waiting.elapsed() > GRACE {
            said = true;
            let _ = writeln!(
                std::io::stderr(),
                "waiting for the rebuild under way to stop (a second Ctrl-C or signal quits at once)"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    served
}

/// The longest the server waits, once stopped, for a rebuild to let go of
/// its folder.
const REBUILD_WAIT: Duration = Duration::from_secs(60);

/// Watch the site's files on a thread of its own, which rebuilds and tells
/// the tabs, for as long as the program runs.
fn watch_site(
    root: &Path,
    mut session: Session,
    shared: Arc<Shared>,
    rebuilding: Arc<Mutex<()>>,
    report: impl Fn(&Result<crate::live::Update, crate::BuildFailure>) + Send + 'static,
) -> Result<(), String> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .map_err(|e| format!("could not watch the site's files: {e}"))?;
    // Events name paths under the folder as watched: from its full name,
    // a folder's own events can be told by path.
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let watched = |e: notify::Error| format!("could not watch {}: {e}", root.display());
    // The root itself for site.toml and for folders created later.
    watcher
        .watch(root, notify::RecursiveMode::NonRecursive)
        .map_err(watched)?;
    // The site's own folders, watched whole.
    let folders: Vec<PathBuf> = crate::walk::INPUT_FOLDERS
        .iter()
        .map(|(folder, _)| root.join(folder))
        .collect();
    for dir in &folders {
        if dir.is_dir() {
            watcher
                .watch(dir, notify::RecursiveMode::Recursive)
                .map_err(watched)?;
        }
    }
    let mut folders_watched: Vec<bool> = folders.iter().map(|dir| dir.is_dir()).collect();
    let in_folders = folders.clone();
    // Where the site's symbolic links lead, and the links they pass
    // through, outside those folders: the folder holding each (which sees
    // it made again after it went, or a link re-pointed), and a folder
    // whole. A watch goes with the folder it was on (`rm -r`, a
    // copy, a `git checkout`): a folder gone and made again, or a new one
    // at its path, is watched again and named, since files may have been
    // made in it before the watch.
    let mut watched = std::collections::BTreeMap::new();
    let mut lost = std::collections::BTreeSet::new();
    let mut watch_links = move |watcher: &mut notify::RecommendedWatcher,
                                session: &Session,
                                changed: &[PathBuf]|
          -> Vec<PathBuf> {
        // A watched folder an event names may have gone, its watch with it
        // (a new folder at its path may even get its inode number).
        for dir in changed {
            if watched.remove(dir).is_some() {
                lost.insert(dir.clone());
            }
        }
        let mut dirs = std::collections::BTreeMap::new();
        for to in session.links() {
            if in_folders.iter().any(|dir| to.starts_with(dir)) {
                continue;
            }
            if let Some(parent) = to.parent() {
                dirs.entry(parent.to_path_buf())
                    .or_insert(notify::RecursiveMode::NonRecursive);
            }
            // A link on the way is watched from its folder, not followed.
            if std::fs::symlink_metadata(to).is_ok_and(|m| m.is_dir()) {
                dirs.insert(to.clone(), notify::RecursiveMode::Recursive);
            }
        }
        let mut renewed = Vec::new();
        for (dir, mode) in dirs {
            let Some(now) = folder_identity(&dir) else {
                continue;
            };
            let before = watched.insert(dir.clone(), now);
            if before != Some(now) {
                let _ = watcher.unwatch(&dir);
                let _ = watcher.watch(&dir, mode);
                if before.is_some() || lost.remove(&dir) {
                    renewed.push(dir);
                }
            }
        }
        renewed
    };
    watch_links(&mut watcher, &session, &[]);
    std::thread::spawn(move || loop {
        use std::sync::mpsc::RecvTimeoutError;
        // A change of files, or the moment a scheduled story goes live
        // (or one leaves the news sitemap), whichever comes first.
        let first = match session.valid_until() {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(until) => {
                let wait = until.duration_since(jiff::Timestamp::now());
                let wait = std::time::Duration::try_from(wait).unwrap_or_default();
                rx.recv_timeout((wait + CLOCK_MARGIN).min(CLOCK_CHECK))
            }
        };
        // Taken before a rebuild starts, and let go after its notices.
        let mut busy = None;
        let mut begin = || {
            busy = Some(rebuilding.lock().unwrap_or_else(|e| e.into_inner()));
            // Stopping: no rebuild starts.
            !crate::interrupt::requested()
        };
        let result = match first {
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) if !begin() => return,
            Err(RecvTimeoutError::Timeout) => match session.catch_up() {
                Some(result) => result,
                None => continue,
            },
            Ok(first) => {
                let mut paths = Vec::new();
                collect(first, &mut paths);
                let started = std::time::Instant::now();
                while started.elapsed() < LONGEST_WAIT {
                    match rx.recv_timeout(QUIET) {
                        Ok(event) => collect(event, &mut paths),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if paths.is_empty() {
                    // Only reads (the build's own among them): nothing changed.
                    continue;
                }
                // A folder created after the server started is watched too, and
                // one removed and made again (a `git checkout`, `rm -r` and a
                // copy) is watched afresh: the old watch went with the old
                // folder.
                for (dir, watching) in folders.iter().zip(&mut folders_watched) {
                    if *watching && paths.contains(dir) {
                        let _ = watcher.unwatch(dir);
                        *watching = false;
                    }
                    if !*watching && dir.is_dir() {
                        *watching = watcher.watch(dir, notify::RecursiveMode::Recursive).is_ok();
                        paths.push(dir.clone());
                    }
                }
                if !begin() {
                    return;
                }
                let mut result = session.update(&paths);
                let renewed = watch_links(&mut watcher, &session, &paths);
                if !renewed.is_empty() {
                    result = session.update(&renewed);
                }
                result
            }
        };
        // Stopped by the signal that stops the server: nothing to say.
        if result.as_ref().is_err_and(|failure| failure.interrupted) {
            return;
        }
        report(&result);
        // Told while the failure is held: a stream that opens meanwhile
        // hears of each change either in its `hello` or after it.
        let mut failure = shared.failure.lock().unwrap_or_else(|e| e.into_inner());
        let change: Option<fn(String) -> Notice> = match &result {
            // A fix reloads the tabs, whatever it changed: that clears
            // their message.
            Ok(update) if update.mended => {
                *failure = None;
                Some(Notice::Reload)
            }
            Ok(update) => match update.change {
                Change::Nothing => None,
                Change::Stylesheet => Some(Notice::Stylesheet),
                Change::Pages => Some(Notice::Reload),
            },
            Err(broken) => {
                let text = failure_text(broken);
                *failure = Some(text.clone());
                let _ = shared.notices.send(Notice::Failed(text));
                None
            }
        };
        if let Some(told) = change {
            shared
                .changes
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = shared.notices.send(told(shared.version()));
        }
        drop(failure);
    });
    Ok(())
}

/// What tells a folder from another made at the same path since: its
/// inode (elsewhere nothing, beside being there). `None` if it is not
/// there.
fn folder_identity(dir: &Path) -> Option<u64> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some(0)
    }
}

fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    if let Ok(event) = event {
        if !matches!(event.kind, notify::EventKind::Access(_)) {
            paths.extend(event.paths);
        }
    }
}

/// A failure as the overlay shows it: each error and warning on a line.
fn failure_text(failure: &crate::BuildFailure) -> String {
    let mut text = failure.errors.to_string();
    for w in &failure.warnings {
        text.push_str(&format!("\nwarning: {w}"));
    }
    text
}

/// The live-reload script.
async fn script() -> impl IntoResponse {
    javascript(include_str!("live.js"))
}

/// The shared worker that holds the one event stream of every tab.
async fn worker() -> impl IntoResponse {
    javascript(include_str!("live-worker.js"))
}

fn javascript(text: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
}

/// What a stream starts from, all at one moment with the failure held: the
/// version, told as `told` (a `hello`, or a `reload` for a stream that fell
/// behind), what stands, and every notice from then on.
fn snapshot(
    shared: &Shared,
    told: fn(String) -> Notice,
) -> (
    std::collections::VecDeque<Notice>,
    broadcast::Receiver<Notice>,
) {
    let failure = shared.failure.lock().unwrap_or_else(|e| e.into_inner());
    let notices = shared.notices.subscribe();
    let first = std::iter::once(told(shared.version()))
        .chain(failure.clone().map(Notice::Failed))
        .collect();
    (first, notices)
}

/// The event stream a tab listens on. A new listener first hears which
/// server it reached ([`Notice::Hello`]), then about a failure that still
/// stands.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let (first, notices) = snapshot(&shared, Notice::Hello);
    let state = (first, notices, shared.stopping.clone(), shared);
    let stream = futures_util::stream::unfold(
        state,
        |(mut first, mut rx, mut stopping, shared)| async move {
            let notice = match first.pop_front() {
                Some(notice) => notice,
                None if *stopping.borrow() => return None,
                None => {
                    let got = tokio::select! {
                        got = rx.recv() => got,
                        _ = stopping.changed() => return None,
                    };
                    match got {
                        Ok(notice) => notice,
                        // Too far behind to know what changed: start again
                        // from what is, with a reload.
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            (first, rx) = snapshot(&shared, Notice::Reload);
                            first.pop_front()?
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            };
            let event = match notice {
                Notice::Hello(version) => Event::default().event("hello").data(version),
                Notice::Reload(version) => Event::default().event("reload").data(version),
                Notice::Stylesheet(version) => Event::default().event("stylesheet").data(version),
                Notice::Failed(text) => Event::default().event("failed").data(text),
            };
            Some((Ok(event), (first, rx, stopping, shared)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// A file of the built site: `index.html` for a folder, the site's
/// `404.html` with status 404 for anything missing or outside it. Pages
/// are read whole, to take the script; any other file is sent as it is
/// read, with ranges (a video's seeking) and `If-Modified-Since` answered.
async fn file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    match resolve(&shared.site, uri.path()) {
        Resolved::File(path) if !is_page(&path) => {
            let sent = ServeFile::new_with_mime(&path, &content_type(&path))
                .try_call(request)
                .await;
            match sent {
                Ok(mut response) => {
                    let headers = response.headers_mut();
                    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    response.map(Body::new)
                }
                Err(_) => not_found(&shared).await,
            }
        }
        Resolved::File(path) => {
            // Taken before the page is read: a page newer than it said
            // is at worst reloaded once more.
            let version = shared.version();
            match tokio::fs::read(&path).await {
                Ok(bytes) => respond(StatusCode::OK, &path, bytes, &version),
                Err(_) => not_found(&shared).await,
            }
        }
        Resolved::Folder => {
            // One `/` first: `//city/` would be another host's address.
            let mut to = format!("/{}/", uri.path().trim_start_matches('/'));
            if let Some(query) = uri.query() {
                to = format!("{to}?{query}");
            }
            Response::builder()
                .status(StatusCode::PERMANENT_REDIRECT)
                .header(header::LOCATION, to)
                .body(Body::empty())
                .unwrap_or_default()
        }
        Resolved::Missing => not_found(&shared).await,
    }
}

async fn not_found(shared: &Shared) -> Response {
    let page = shared.site.join("404.html");
    let version = shared.version();
    let bytes = match tokio::fs::read(&page).await {
        Ok(bytes) => bytes,
        // No site yet (its first build failed): a page that carries the
        // script, which shows the errors and reloads once they are fixed.
        Err(_) => {
            let failure = shared.failure.lock().unwrap_or_else(|e| e.into_inner());
            not_built(failure.as_deref()).into_bytes()
        }
    };
    respond(StatusCode::NOT_FOUND, &page, bytes, &version)
}

/// The page of a site not built yet, with the errors that stop it: the
/// live script shows them over the page too, but a page fetched without
/// scripts (curl, a text browser) has them as well.
fn not_built(failure: Option<&str>) -> String {
    let errors = failure.map_or(String::new(), |text| {
        format!("\n<pre>{}</pre>", crate::markdown::escape(text))
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\" data-not-built>\n<head><meta charset=\"utf-8\"><title>Not built yet</title></head>\n<body><p>The site has not built yet; fix what is listed here and in the terminal, and the page reloads by itself.</p>{errors}</body>\n</html>\n"
    )
}

/// Whether the file is a page, which gets the live-reload script.
fn is_page(path: &Path) -> bool {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        == "text/html"
}

/// The file's content type, by its extension; text in UTF-8, as a build
/// writes it.
fn content_type(path: &Path) -> mime_guess::Mime {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "image/svg+xml"
        || mime.suffix() == Some(mime_guess::mime::XML)
        || mime.suffix() == Some(mime_guess::mime::JSON)
        || mime.essence_str() == "application/json";
    let with_charset = format!("{}; charset=utf-8", mime.essence_str());
    match text {
        true => with_charset.parse().unwrap_or(mime),
        false => mime,
    }
}

/// A file of the site as served; a page with the live-reload script, which
/// knows the `version` ([`Shared::version`]) the page is of.
fn respond(status: StatusCode, path: &Path, mut bytes: Vec<u8>, version: &str) -> Response {
    if is_page(path) {
        bytes = with_script(bytes, version);
    }
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type(path).as_ref())
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(bytes))
        .unwrap_or_default()
}

/// The page with the live-reload script before its `</body>`.
fn with_script(bytes: Vec<u8>, version: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-version=\"{version}\" defer></script>\n");
    let at = bytes
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(bytes.len() + tag.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&bytes[at..]);
    out
}

/// What a request path leads to in the site folder.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(PathBuf),
    /// A folder asked for without its `/`.
    Folder,
    Missing,
}

/// The file of the site folder `site` that the request path `raw` names.
/// Nothing outside the folder is ever named: `..` and `.` segments (also
/// percent-encoded), backslashes, NULs and drive letters are refused, and a
/// symbolic link leading out of the folder is treated as missing.
fn resolve(site: &Path, raw: &str) -> Resolved {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::Missing;
    };
    let mut path = site.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "."
            || part == ".."
            || part.contains(['\\', '\0', ':'])
            || Path::new(part).is_absolute()
        {
            return Resolved::Missing;
        }
        path.push(part);
    }
    if path.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Folder;
        }
        path.push("index.html");
    } else if decoded.ends_with('/') {
        // A file asked for as a folder (`/style.css/`) is not there.
        return Resolved::Missing;
    }
    let (Ok(real), Ok(home)) = (path.canonicalize(), site.canonicalize()) else {
        return Resolved::Missing;
    };
    match real.starts_with(&home) && real.is_file() {
        true => Resolved::File(real),
        false => Resolved::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("news")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("news/index.html"), "news").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let file = |p: &str| Resolved::File(site.join(p).canonicalize().unwrap());
        assert_eq!(resolve(&site, "/"), file("index.html"));
        assert_eq!(resolve(&site, "/news/"), file("news/index.html"));
        assert_eq!(resolve(&site, "/news"), Resolved::Folder);
        for bad in [
            "/../secret.txt",
            "/news/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/news%00.html",
            "//etc/passwd",
            "/c:/secret.txt",
            "/missing.html",
        ] {
            assert_eq!(resolve(&site, bad), Resolved::Missing, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("out.txt"))
                .unwrap();
            assert_eq!(resolve(&site, "/out.txt"), Resolved::Missing);
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = with_script(b"<html><body><p>x</p></body></html>".to_vec(), "7-1.2");
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with(&format!(
            "<p>x</p><script src=\"{SCRIPT_PATH}\" data-version=\"7-1.2\" defer></script>\n</body></html>"
        )));
    }
}
