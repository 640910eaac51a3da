//! `dateline serve`: build the site for a local address and serve it.
//!
//! The site is built into a temporary folder with `base_url` set to the
//! address being served, so every link works locally and the deployable
//! output folder is never touched.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::BuildOptions;

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: std::net::IpAddr,
    pub port: u16,
}

/// Bind the address; a port in use is an error naming it.
pub fn bind(bind: std::net::IpAddr, port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(SocketAddr::new(bind, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} on {bind} is already in use: stop the other server, or pick another port with --port N (--port 0 picks a free one)"
        ),
        _ => format!("could not listen on {bind}:{port}: {e}"),
    })
}

/// Serve `site` (a built output folder) on `listener` until Ctrl-C.
pub fn run(listener: TcpListener, site: PathBuf) -> Result<(), String> {
    let not_found = ServeFile::new(site.join("404.html"));
    let app = Router::new().fallback_service(ServeDir::new(&site).not_found_service(not_found));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the server: {e}"))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("could not configure the listener: {e}"))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("could not configure the listener: {e}"))?;
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}
