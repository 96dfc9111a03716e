//! `certwise serve`: one single-threaded runtime per core, each accepting on its own
//! socket bound to the same address, hyper serving the connections; graceful shutdown;
//! the periodic jobs of a running server; `/metrics` on a listener of its own.
//!
//! Shutdown (Ctrl-C or SIGTERM): the site's sockets close at once, open requests get up
//! to [`DRAIN`] to finish, the metrics listener stops with them, then the background jobs
//! (purges, content following, the lead outbox) are cancelled and awaited. A job cancelled
//! inside a transaction rolls it back; an outbox delivery cut short is retried by the next
//! process after its lease (at least once).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use crate::app::{Config, MetricsAddr, prepare};
use crate::store::Store;
use crate::web;
use crate::web::limits::{ConnectionGate, Peer, REFUSED};

/// `certwise serve`: serves until Ctrl-C or SIGTERM, then finishes open requests.
///
/// One single-threaded runtime per core, each accepting on its own socket bound to the
/// same address (`SO_REUSEPORT`, the kernel spreads connections), like nginx's worker
/// processes: a request is served start to finish on one thread, with no hand-offs.
pub async fn run(config: &Config, addr: SocketAddr) -> anyhow::Result<()> {
    // The store holds the lock that tells `certwise restore` the database is in use.
    let state = prepare(config).await?;
    // Bound before anything starts, so a taken address fails the start, not a scrape.
    let metrics = metrics_listener(config.metrics_addr).await?;
    let mut jobs = tokio::task::JoinSet::new();
    jobs.spawn(purge_periodically(
        state.store.clone(),
        config.consent_retention_days,
        config.leads.retention_days,
    ));
    // Lead notifications: the worker lives as long as the server (dropping it stops it).
    let lead_outbox = config.leads.webhook.clone().map(|webhook| {
        tracing::info!("lead notifications go to {}", webhook.display_url());
        crate::outbox::Worker::spawn(state.store.clone(), webhook, crate::outbox::Settings::default())
    });
    jobs.spawn(crate::live::follow(state.clone(), crate::live::POLL));
    if config.watch {
        let (store, dir, clock) = (state.store.clone(), config.content_dir.clone(), config.clock);
        jobs.spawn(async move {
            if let Err(e) = crate::live::watch(store, dir, std::time::Duration::from_millis(300), clock).await
            {
                tracing::error!("--watch stopped: {e:#}");
            }
        });
    } else {
        jobs.spawn(crate::live::report_drift(
            state.store.clone(),
            config.content_dir.clone(),
            config.database_url.clone(),
        ));
    }
    let signal = shutdown_signal();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let addr = probe(addr)?;
    // All listening before any serves, so that none is found alone by `alone_on`.
    let listeners = (0..workers)
        .map(|_| Ok(reuseport_listener(addr)?.listen(1024)?.into_std()?))
        .collect::<anyhow::Result<Vec<_>>>()?;
    #[cfg(target_os = "linux")]
    alone_on(addr, &listeners)?;
    tracing::info!(workers, "listening on http://{addr}");
    let gate = ConnectionGate::new(&state.limits);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let metrics_server = match metrics {
        Some(listener) => Some(serve_metrics(listener, state.clone(), stopped.clone(), &mut jobs)?),
        None => None,
    };
    let (ended_tx, mut ended) = tokio::sync::mpsc::channel::<()>(workers);
    let threads: Vec<_> = listeners
        .into_iter()
        .enumerate()
        .map(|(i, socket)| {
            let router = web::router(state.clone());
            let gate = gate.clone();
            let stopped = stopped.clone();
            let ended = ended_tx.clone();
            std::thread::Builder::new().name(format!("certwise-http-{i}")).spawn(move || {
                let result = serve_on(socket, router, gate, stopped);
                let _ = ended.try_send(());
                result
            })
        })
        .collect::<Result<_, _>>()?;
    // Until a signal, or until a worker stops on its own (an error: stop the others).
    tokio::select! {
        () = signal => {},
        _ = ended.recv() => tracing::error!("a server thread stopped; shutting down"),
    }
    let _ = stop.send(true);
    let mut first_error = None;
    // The workers drain on their own threads; joined off this runtime so its tasks (the
    // metrics listener finishing a scrape, the jobs) are not blocked while they do.
    let joined = tokio::task::spawn_blocking(move || {
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a server thread panicked"))))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_else(|e| vec![Err(anyhow::anyhow!("joining the server threads failed: {e}"))]);
    for result in joined {
        if let Err(e) = result {
            tracing::error!(error = %e, "server thread failed");
            first_error.get_or_insert(e);
        }
    }
    if let Some(server) = metrics_server {
        match tokio::time::timeout(DRAIN, server).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => tracing::error!(error = %e, "the metrics listener failed"),
            Ok(Err(e)) => tracing::error!(error = %e, "the metrics listener panicked"),
            Err(_) => tracing::warn!("the metrics listener did not stop within {DRAIN:?}"),
        }
    }
    // The background jobs: cancelled at their next await and awaited, so none is left
    // half-way when the process ends (the lead outbox stops when its worker is dropped).
    drop(lead_outbox);
    jobs.shutdown().await;
    // Only now may a restore replace the database (the store holds the lock).
    drop(state);
    tracing::info!("stopped");
    first_error.map_or(Ok(()), Err)
}

/// Where `/metrics` is served when nothing is configured: loopback only, never the site's
/// listener.
pub const DEFAULT_METRICS_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 9464);

/// The metrics listener's socket: `None` when metrics are off, or when the default address
/// is taken (another instance on this machine has it; logged) — an address given
/// explicitly that cannot be bound fails the start.
async fn metrics_listener(addr: MetricsAddr) -> anyhow::Result<Option<tokio::net::TcpListener>> {
    let (addr, explicit) = match addr {
        MetricsAddr::Off => return Ok(None),
        MetricsAddr::Default => (DEFAULT_METRICS_ADDR, false),
        MetricsAddr::At(addr) => (addr, true),
    };
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => Ok(Some(listener)),
        Err(e) if !explicit => {
            tracing::warn!(
                "metrics are not served: the default address {addr} is taken ({e}); give each instance its own \
                 --metrics-addr, or `off`"
            );
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| {
            format!("binding the metrics address {addr} (--metrics-addr; `off` disables metrics)")
        }),
    }
}

/// Installs the recorder and serves `GET /metrics` on `listener` until `stopped`; the
/// gauges are read from `state` at each scrape, and the recorder's upkeep runs as a job.
fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: web::AppState,
    mut stopped: tokio::sync::watch::Receiver<bool>,
    jobs: &mut tokio::task::JoinSet<()>,
) -> anyhow::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let handle = crate::metrics::install().context("installing the metrics recorder")?;
    let upkeep = handle.clone();
    jobs.spawn(async move {
        let mut every = tokio::time::interval(crate::metrics::UPKEEP);
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    let scrape = move || {
        let snapshot = state.published.current();
        crate::metrics::observe(crate::metrics::Observed {
            cache_bytes: state.pages.bytes(),
            cache_pages: state.pages.len(),
            generation: snapshot.content_generation,
            pool: state.store.pool_use(),
        });
        let text = handle.render();
        async move { ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text) }
    };
    let app = axum::Router::new().route("/metrics", axum::routing::get(scrape));
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("metrics on http://{addr}/metrics");
    }
    Ok(tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await
    }))
}

/// How long open connections may take to finish after a shutdown signal.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a client may take to send a request's headers: a client that trickles them
/// cannot hold a connection (and a worker's attention) for longer.
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// One worker: a single-threaded runtime accepting on one socket until `stopped`, then
/// finishing open connections for at most [`DRAIN`].
///
/// hyper directly rather than `axum::serve`, for the header-read timeout and the bounded
/// drain, which `axum::serve` does not offer.
fn serve_on(
    socket: std::net::TcpListener,
    router: web::App,
    gate: Arc<ConnectionGate>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(socket)?;
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).keep_alive(true);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = stopped.wait_for(|s| *s) => break,
            };
            let (tcp, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin or stop.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            // Responses go out whole; there is nothing to gain from Nagle's delay.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set");
            }
            // Connections in total and per client: over the limit, a 503 and close.
            let Some(admitted) = gate.admit(peer.ip()) else {
                tokio::spawn(refuse(tcp));
                continue;
            };
            let ip = peer.ip();
            let service = TowerToHyperService::new(tower::ServiceExt::map_request(
                router.clone(),
                move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(Peer(ip));
                    req
                },
            ));
            let connection = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                drop(admitted);
            });
        }
        // Stop taking connections at once: a new client gets a refusal (and tries another
        // instance) rather than waiting in the backlog of a server that is leaving.
        drop(listener);
        tokio::select! {
            () = graceful.shutdown() => {},
            () = tokio::time::sleep(DRAIN) => tracing::warn!("connections still open {DRAIN:?} after shutdown; closing them"),
        }
        Ok(())
    })
}

/// Answers a connection over the limits with a 503, then closes it (bounded in time: a
/// client that does not read cannot hold the refusal open).
async fn refuse(mut tcp: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt as _;
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        let _ = tcp.write_all(REFUSED).await;
        let _ = tcp.shutdown().await;
    })
    .await;
}

/// Checks that nobody else holds `addr` and resolves port 0: with `SO_REUSEPORT` alone, a
/// second certwise on the same address would silently share the port instead of failing.
///
/// The probe binds without listening: a listening probe would accept connections into its
/// backlog and reset them when dropped, failing a client that connects during start-up.
fn probe(addr: SocketAddr) -> anyhow::Result<SocketAddr> {
    let socket =
        if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr).with_context(|| format!("binding {addr}"))?;
    Ok(socket.local_addr()?)
}

/// Linux: fails when a socket of another process listens on `addr` beside `ours`. Two
/// servers started at the same moment both pass [`probe`] (neither listens yet) and would
/// then share the address through `SO_REUSEPORT`, each taking some of the connections and
/// resetting those queued to it when it stops. The kernel's table of TCP sockets
/// (/proc/net/tcp, tcp6) names every listening socket by its inode: one on `addr` that is
/// not ours is another's. Both servers may then refuse to start; never do both serve.
#[cfg(target_os = "linux")]
fn alone_on(addr: SocketAddr, ours: &[std::net::TcpListener]) -> anyhow::Result<()> {
    use std::os::fd::AsFd as _;
    let ours =
        ours.iter().map(|l| rustix::fs::fstat(l.as_fd()).map(|s| s.st_ino)).collect::<Result<Vec<_>, _>>()?;
    let table = if addr.is_ipv4() { "/proc/net/tcp" } else { "/proc/net/tcp6" };
    // Without /proc there is nothing to compare with: the probe's check stands alone.
    let Ok(text) = std::fs::read_to_string(table) else { return Ok(()) };
    for line in text.lines().skip(1) {
        // sl local_address rem_address st tx_queue:rx_queue tr:when retrnsmt uid timeout inode …
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(local), Some(&"0A"), Some(inode)) = (fields.get(1), fields.get(3), fields.get(9)) else {
            continue;
        };
        let on_addr = proc_net_addr(local).is_some_and(|a| a.ip() == addr.ip() && a.port() == addr.port());
        if on_addr && inode.parse::<u64>().is_ok_and(|i| !ours.contains(&i)) {
            anyhow::bail!("binding {addr}: another process listens on it too (started at the same moment?)");
        }
    }
    Ok(())
}

/// An address as /proc/net/tcp prints it: `0100007F:1F90` is 127.0.0.1:8080 — the IP as
/// the kernel holds it, in 32-bit words printed in the machine's byte order (4 of them for
/// IPv6), and the port in hexadecimal.
#[cfg(target_os = "linux")]
fn proc_net_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let mut bytes = Vec::with_capacity(16);
    for word in ip.as_bytes().chunks(8) {
        let word = u32::from_str_radix(std::str::from_utf8(word).ok()?, 16).ok()?;
        bytes.extend_from_slice(&word.to_ne_bytes());
    }
    let ip = match <[u8; 4]>::try_from(bytes.as_slice()) {
        Ok(v4) => std::net::IpAddr::from(v4),
        Err(_) => std::net::IpAddr::from(<[u8; 16]>::try_from(bytes.as_slice()).ok()?),
    };
    Some(SocketAddr::new(ip, port))
}

/// A socket bound to `addr` that other sockets may bind too.
fn reuseport_listener(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpSocket> {
    let socket =
        if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    socket.set_reuseport(true)?;
    socket.bind(addr).with_context(|| format!("binding {addr}"))?;
    Ok(socket)
}

/// Applies the retention periods (consent records, leads) at start and once a day.
async fn purge_periodically(store: Arc<dyn Store>, consent_days: u32, lead_days: u32) {
    let mut every_day = tokio::time::interval(std::time::Duration::from_secs(86_400));
    let days_ago = |days: u32| chrono::Utc::now().checked_sub_signed(chrono::Duration::days(i64::from(days)));
    loop {
        every_day.tick().await;
        // Once across the instances sharing the database: held until the purges are done.
        let _turn = match store.job_turn(crate::store::Job::Purge).await {
            Ok(Some(turn)) => turn,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(error = %e, "purging: the database did not answer");
                continue;
            }
        };
        if let Some(before) = days_ago(consent_days) {
            match store.purge_consent(before).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(records = n, %before, "purged proof-of-consent records past retention");
                }
                Err(e) => tracing::error!(error = %e, "purging proof-of-consent records failed"),
            }
        }
        if let Some(before) = days_ago(lead_days) {
            match store.purge_leads(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(leads = n, %before, "purged leads past retention"),
                Err(e) => tracing::error!(error = %e, "purging leads failed"),
            }
        }
    }
}

/// Waits for Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: a signal that arrives while the workers start must not
/// find the default action (ending the process without draining).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let terminate = async {
            match terminate {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::{alone_on, proc_net_addr, reuseport_listener};

    #[test]
    fn addresses_are_read_as_the_kernel_prints_them() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
        let found =
            table.lines().skip(1).filter_map(|l| l.split_whitespace().nth(1)).filter_map(proc_net_addr);
        assert!(found.into_iter().any(|a| a == addr), "{addr} not in {table}");
        assert_eq!(proc_net_addr("nonsense"), None);
    }

    #[tokio::test]
    async fn a_listener_on_the_address_that_is_not_ours_is_found() {
        let first = reuseport_listener("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = first.local_addr().unwrap();
        let first = first.listen(8).unwrap().into_std().unwrap();
        let second = reuseport_listener(addr).unwrap().listen(8).unwrap().into_std().unwrap();
        alone_on(addr, &[first.try_clone().unwrap(), second.try_clone().unwrap()]).unwrap();
        let err = alone_on(addr, &[first]).unwrap_err();
        assert!(err.to_string().contains("another process listens on it too"), "{err}");
    }
}
