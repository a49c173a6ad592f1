//! The servers an exercise's tests talk to (`services = ["postgres"]` / `["redis"]`).
//!
//! Redis: one `redis-server` per check, started by the harness inside the check's own process
//! tree (in the grader's jail when grading) on a unix socket in the check's run folder, with no
//! TCP port and no persistence; it dies with the check on every exit path (the harness stops it,
//! and a check killed at its deadline is killed with its whole process group or PID namespace).
//! The tests find it in `BACKENDLINGS_REDIS_URL` (`unix:///path/to/redis.sock`, what
//! `redis.Redis.from_url` takes).
//!
//! PostgreSQL: a template data folder is made with `initdb` once per server version and cached
//! in the runner's data folder; each runner process (watch, run, verify, dev check, grade)
//! copies it and starts one server on a unix socket only (`listen_addresses = ''`, fsync off),
//! and each check gets a database of its own, owned by a role of its own with a password of its
//! own (`CREATE DATABASE ... TEMPLATE template0`), dropped with its role after the check. The
//! tests find it in `BACKENDLINGS_POSTGRES_DSN`
//! (`postgresql://ROLE:PASSWORD@/DATABASE?host=/socket/folder&port=5432`, a libpq URI that
//! `psycopg.connect` and SQLAlchemy's `postgresql+psycopg://` both take).
//!
//! Isolation (grading): `pg_hba.conf` admits the administrator role with its password (a new
//! random one each session, known to this process only) and every other role to the database
//! of its own name only (`sameuser`), with its password; check roles are neither superusers nor
//! allowed to create roles or databases, and `CONNECT` on every database is revoked from
//! `PUBLIC`. A learner's check knows one role's password: its own.
//!
//! Root: PostgreSQL refuses to run as root, and CI and graders run as root. There the server
//! runs in a user namespace made by bubblewrap in which it is an ordinary user (uid 1000
//! inside, the caller outside): it owns its data folder, as PostgreSQL requires, and has no
//! capability on anything else.
//!
//! A missing server is not the learner's failure: the check's verdict names what to install.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::course::Service;

/// Where the runner looks for servers besides `PATH`; `BACKENDLINGS_SERVICE_PATH` replaces
/// both (a `PATH`-like list), for packagers and for the runner's own tests.
const SEARCH_VAR: &str = "BACKENDLINGS_SERVICE_PATH";
/// Set (to anything): the runner prints how long its servers took on stderr, and the harness
/// how long `redis-server` took to answer.
pub const TIMES_VAR: &str = "BACKENDLINGS_SERVICE_TIMES";

/// Whether to print the servers' timings.
pub fn timed() -> bool {
    std::env::var_os(TIMES_VAR).is_some()
}

/// What to do when `service` is not installed, in one paragraph.
pub fn install_message(service: Service) -> String {
    match service {
        Service::Postgres => "This exercise needs PostgreSQL (the `postgres` and `initdb` programs), \
            which is not installed here (searched PATH, /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, \
            Homebrew's /opt/homebrew and /usr/local). It is not a problem with your code. Install \
            it, then check again (the runner starts and stops its own server; nothing needs to \
            run as a service):\n  Debian/Ubuntu: sudo apt install postgresql\n  macOS: brew install \
            postgresql@16\n  Windows: winget install PostgreSQL.PostgreSQL (or run the course in WSL \
            with apt)"
            .to_string(),
        Service::Redis => "This exercise needs Redis (the `redis-server` program), which is not \
            installed here (searched PATH, /usr/bin, /usr/sbin, /usr/local/bin, /opt/homebrew/bin). \
            It is not a problem with your code. Install it, then check again (the runner starts a \
            throwaway server for each check; nothing needs to run as a service):\n  Debian/Ubuntu: \
            sudo apt install redis-server\n  macOS: brew install redis\n  Windows: Memurai \
            (https://www.memurai.com, Redis-compatible) or Redis in WSL (sudo apt install \
            redis-server)"
            .to_string(),
    }
}

/// The folders searched for servers, in order.
fn search_dirs(service: Service) -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os(SEARCH_VAR) {
        return std::env::split_paths(&list).collect();
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let versioned = |pattern_dir: &str, prefix: &str, suffix: &str| -> Vec<PathBuf> {
        // The newest version first: `/usr/lib/postgresql/16/bin` before `.../15/bin`.
        let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(pattern_dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let version = name.strip_prefix(prefix)?;
                let number = version.split('.').next()?.parse::<u32>().ok()?;
                Some((number, entry.path().join(suffix)))
            })
            .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.0));
        found.into_iter().map(|(_, p)| p).collect()
    };
    match service {
        Service::Postgres => {
            dirs.extend(versioned("/usr/lib/postgresql", "", "bin"));
            dirs.extend(versioned("/usr", "pgsql-", "bin"));
            for brew in ["/opt/homebrew/opt", "/usr/local/opt"] {
                dirs.extend(versioned(brew, "postgresql@", "bin"));
                dirs.push(Path::new(brew).join("postgresql/bin"));
            }
            dirs.extend(
                [
                    "/opt/homebrew/bin",
                    "/usr/local/bin",
                    "/usr/local/pgsql/bin",
                    "/Applications/Postgres.app/Contents/Versions/latest/bin",
                ]
                .map(PathBuf::from),
            );
        }
        Service::Redis => dirs.extend(
            [
                "/usr/bin",
                "/usr/sbin",
                "/usr/local/bin",
                "/opt/homebrew/bin",
                "/opt/homebrew/opt/redis/bin",
                "/usr/local/opt/redis/bin",
            ]
            .map(PathBuf::from),
        ),
    }
    dirs
}

fn executable(dir: &Path, name: &str) -> Option<PathBuf> {
    let file = dir.join(if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    });
    file.is_file().then_some(file)
}

/// `redis-server`, if installed.
pub fn find_redis() -> Option<PathBuf> {
    (search_dirs(Service::Redis).iter()).find_map(|dir| executable(dir, "redis-server"))
}

/// The folder holding both `postgres` and `initdb`, if installed.
pub fn find_postgres() -> Option<PathBuf> {
    (search_dirs(Service::Postgres).into_iter())
        .find(|dir| executable(dir, "postgres").is_some() && executable(dir, "initdb").is_some())
}

/// Whether `service` can be used here: `Err` says what to install.
pub fn available(service: Service) -> Result<(), String> {
    let found = match service {
        Service::Postgres => find_postgres().is_some(),
        Service::Redis => find_redis().is_some(),
    };
    if found {
        Ok(())
    } else {
        Err(install_message(service))
    }
}

/// The paths a jailed check needs to see to start `redis-server` (the program and, through a
/// link, the file it points to).
pub fn redis_paths(server: &Path) -> Vec<PathBuf> {
    let mut paths = vec![server.to_path_buf()];
    if let Ok(real) = std::fs::canonicalize(server)
        && real != server
    {
        paths.push(real);
    }
    paths
}

/// Why a service could not serve a check.
#[derive(Debug, Clone)]
pub enum Problem {
    /// Not installed: the install message.
    Missing(Service),
    /// Installed, but it did not start or answer: what it said.
    Failed(Service, String),
}

/// A database made for one check; dropped (with its role) by [`Postgres::drop_database`].
#[derive(Debug)]
pub struct CheckDatabase {
    pub name: String,
    /// What the check's process gets as `BACKENDLINGS_POSTGRES_DSN`.
    pub dsn: String,
}

/// The session's server once started, or why it could not start (not retried).
type Started = Option<Result<Arc<pg::Postgres>, String>>;

/// The one PostgreSQL server of this runner process, started on first use.
static POSTGRES: OnceLock<Mutex<Started>> = OnceLock::new();

fn postgres_slot() -> &'static Mutex<Started> {
    POSTGRES.get_or_init(|| Mutex::new(None))
}

/// The session's PostgreSQL server, started (once) if needed.
pub fn postgres() -> Result<Arc<pg::Postgres>, Problem> {
    let Some(bin) = find_postgres() else {
        return Err(Problem::Missing(Service::Postgres));
    };
    let mut slot = postgres_slot().lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_none() {
        *slot = Some(start_postgres(&bin));
    }
    match slot.as_ref() {
        Some(Ok(server)) => Ok(server.clone()),
        Some(Err(why)) => Err(Problem::Failed(Service::Postgres, why.clone())),
        None => unreachable!("set above"),
    }
}

fn start_postgres(bin: &Path) -> Result<Arc<pg::Postgres>, String> {
    let started = pg::Postgres::start(bin).map(Arc::new);
    if let (true, Ok(server)) = (timed(), &started) {
        eprintln!(
            "services: {} started in {} ms (template copy {} ms)",
            server.version,
            server.started_in.as_millis(),
            server.copied_in.as_millis()
        );
    }
    started
}

/// A PostgreSQL server of one learner's grading (red team round 9: on a shared server one
/// check could fill the cluster-wide lock table with advisory locks, failing every other
/// learner's checks, or use its memory and disk): started on the learner's first PostgreSQL
/// check, stopped (its folder removed) when the learner's toolchain is dropped. A hog hurts only
/// itself. Each check still gets a database and role of its own on it.
#[derive(Default)]
pub struct OwnPostgres(Mutex<Option<Arc<pg::Postgres>>>);

impl OwnPostgres {
    /// The learner's server, started if needed (not cached when it fails: the next check
    /// tries again).
    pub fn get(&self) -> Result<Arc<pg::Postgres>, Problem> {
        let Some(bin) = find_postgres() else {
            return Err(Problem::Missing(Service::Postgres));
        };
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(server) = slot.as_ref() {
            return Ok(server.clone());
        }
        let server = start_postgres(&bin).map_err(|why| Problem::Failed(Service::Postgres, why))?;
        *slot = Some(server.clone());
        Ok(server)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let taken = self.0.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(server) = taken {
            server.stop();
        }
    }
}

/// Stops this process's PostgreSQL server, if it started one, and removes its folder. Called
/// when a command ends; a runner killed outright leaves the server to its parent-death signal
/// and the folder to the next session's sweep.
pub fn shutdown() {
    if let Some(slot) = POSTGRES.get() {
        let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(Ok(server)) = taken {
            server.stop();
        }
    }
}

#[cfg(unix)]
pub mod pg {
    //! The PostgreSQL server of a session, and the few statements the runner sends it over the
    //! frontend/backend protocol (startup, cleartext password, simple query).

    use std::fs;
    use std::io::{Read as _, Write as _};
    use std::os::unix::fs::PermissionsExt as _;
    use std::os::unix::net::UnixStream;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{Duration, Instant};

    use super::CheckDatabase;

    const ADMIN: &str = "bdl_admin";
    const PORT: u16 = 5432;
    /// How long a server may take to accept connections.
    const START_TIMEOUT: Duration = Duration::from_secs(60);
    /// Session folders are named so: the next session removes those whose server is gone.
    const SESSION_PREFIX: &str = "backendlings-pg-";
    /// The largest file a server may write (each relation segment, temporary file, log):
    /// Linux, where the servers are started with resource limits (see `spawn_kept`).
    #[cfg(target_os = "linux")]
    const SERVER_FILE_BYTES: u64 = 512 * 1024 * 1024;
    /// Written last into a complete template.
    const MARKER: &str = ".backendlings-complete";
    /// Password authentication, no fsync while making it, UTF-8 and the C locale (the same
    /// sort order everywhere), and 1 MiB WAL segments: a session copies 28 MB instead of 39.
    const INITDB_OPTIONS: [&str; 7] = [
        "-A",
        "password",
        "-N",
        "-E",
        "UTF8",
        "--locale=C",
        "--wal-segsize=1",
    ];

    pub struct Postgres {
        /// The session's folder: `data/`, `s/` (the socket), `server.log`.
        dir: PathBuf,
        socket_dir: PathBuf,
        postmaster: i32,
        child: Mutex<Option<Child>>,
        admin_password: String,
        admin: Mutex<Option<Conn>>,
        counter: AtomicU64,
        pub version: String,
        /// How long the server took to start (copy and start), and to copy the template.
        pub started_in: Duration,
        pub copied_in: Duration,
    }

    impl Postgres {
        pub fn start(bin: &Path) -> Result<Postgres, String> {
            let began = Instant::now();
            let version = version(bin)?;
            let template = template(bin, &version)?;
            sweep();
            let dir = tempfile::Builder::new()
                .prefix(SESSION_PREFIX)
                .tempdir()
                .map_err(|e| format!("cannot create a folder for PostgreSQL: {e}"))?
                .keep();
            // Jailed checks (another user) reach the socket through this folder.
            let _ = fs::set_permissions(&dir, fs::Permissions::from_mode(0o755));
            let data = dir.join("data");
            let socket_dir = dir.join("s");
            let copying = Instant::now();
            copy_tree(&template.join("data"), &data)
                .map_err(|e| format!("cannot copy PostgreSQL's template: {e}"))?;
            let copied_in = copying.elapsed();
            fs::set_permissions(&data, fs::Permissions::from_mode(0o700))
                .map_err(|e| e.to_string())?;
            fs::create_dir(&socket_dir).map_err(|e| e.to_string())?;
            fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o755))
                .map_err(|e| e.to_string())?;
            // The administrator with its password; any other role to its own database only.
            fs::write(
                data.join("pg_hba.conf"),
                format!("local all {ADMIN} password\nlocal sameuser all password\n"),
            )
            .map_err(|e| e.to_string())?;
            let template_password = fs::read_to_string(template.join("password"))
                .map_err(|e| format!("cannot read the template's password: {e}"))?;
            let log = fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
            let mut cmd = as_unprivileged(&bin.join("postgres"))?;
            cmd.arg("-D")
                .arg(&data)
                .arg("-k")
                .arg(&socket_dir)
                .arg("-p")
                .arg(PORT.to_string())
                .args(["-c", "listen_addresses="])
                .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
                .args(["-c", "full_page_writes=off", "-c", "max_connections=200"])
                .args(["-c", "unix_socket_permissions=0777"])
                // Bounds a check cannot change (red team round 9): temporary files (sorts and
                // hashes that `SET work_mem` pushed to disk) at most 256 MiB per session
                // (`temp_file_limit` is for superusers only), and no file of the server larger
                // than SERVER_FILE_BYTES (see `spawn_kept`: an `UNLOGGED TABLE AS` of 1.3 GB
                // fails at that size).
                .args(["-c", "temp_file_limit=262144"])
                .args([
                    "-c",
                    "log_min_messages=warning",
                    "-c",
                    "logging_collector=off",
                ])
                .stdin(Stdio::null())
                .stdout(log.try_clone().map_err(|e| e.to_string())?)
                .stderr(log);
            let child = spawn_kept(cmd)?;
            let mut server = Postgres {
                socket_dir,
                postmaster: 0,
                child: Mutex::new(Some(child)),
                admin_password: template_password.trim().to_string(),
                admin: Mutex::new(None),
                counter: AtomicU64::new(0),
                version,
                started_in: Duration::ZERO,
                copied_in,
                dir,
            };
            let ready = server.wait_ready();
            if let Err(why) = ready {
                server.stop();
                return Err(why);
            }
            server.postmaster = postmaster_pid(&data).unwrap_or(0);
            // A new administrator password each session: the template's was on disk.
            let password = super::super::nonce();
            server.admin_query(&format!("ALTER ROLE {ADMIN} PASSWORD '{password}'"))?;
            server.admin_password = password;
            *server.admin.lock().unwrap_or_else(|e| e.into_inner()) = None;
            for db in ["postgres", "template1"] {
                server.admin_query(&format!("REVOKE ALL ON DATABASE {db} FROM PUBLIC"))?;
            }
            server.started_in = began.elapsed();
            Ok(server)
        }

        /// The folder holding the socket: jailed checks see it, read-only.
        pub fn socket_dir(&self) -> &Path {
            &self.socket_dir
        }

        fn wait_ready(&self) -> Result<(), String> {
            let began = Instant::now();
            loop {
                match Conn::open(&self.socket_dir, ADMIN, "postgres", &self.admin_password) {
                    Ok(conn) => {
                        *self.admin.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
                        return Ok(());
                    }
                    Err(why) => {
                        let exited = (self.child.lock().unwrap_or_else(|e| e.into_inner()))
                            .as_mut()
                            .is_none_or(|c| c.try_wait().ok().flatten().is_some());
                        if exited || began.elapsed() > START_TIMEOUT {
                            let log =
                                fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                            let tail: Vec<&str> = log.lines().rev().take(8).collect();
                            let tail: Vec<&str> = tail.into_iter().rev().collect();
                            return Err(format!(
                                "PostgreSQL did not start ({why}); its log ends:\n{}",
                                tail.join("\n")
                            ));
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
        }

        /// Runs one statement as the administrator (reconnecting once if needed).
        fn admin_query(&self, sql: &str) -> Result<(), String> {
            let mut admin = self.admin.lock().unwrap_or_else(|e| e.into_inner());
            for attempt in 0..2 {
                if admin.is_none() {
                    *admin = Some(Conn::open(
                        &self.socket_dir,
                        ADMIN,
                        "postgres",
                        &self.admin_password,
                    )?);
                }
                let conn = admin.as_mut().expect("set above");
                match conn.query(sql) {
                    Ok(()) => return Ok(()),
                    Err(QueryError::Server(why)) => return Err(why),
                    Err(QueryError::Io(why)) => {
                        *admin = None;
                        if attempt == 1 {
                            return Err(why);
                        }
                    }
                }
            }
            Err("unreachable".into())
        }

        /// A new database for one check, owned by a new role that may log in to it only.
        pub fn create_database(&self) -> Result<CheckDatabase, String> {
            let n = self.counter.fetch_add(1, Ordering::Relaxed);
            let name = format!("check_{n}_{}", &super::super::nonce()[..8]);
            let password = super::super::nonce();
            self.admin_query(&format!(
                "CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
                 NOBYPASSRLS CONNECTION LIMIT 32 PASSWORD '{password}'"
            ))?;
            let created = self
                .admin_query(&format!(
                    "CREATE DATABASE {name} OWNER {name} TEMPLATE template0 ENCODING 'UTF8' \
                     LC_COLLATE 'C' LC_CTYPE 'C'"
                ))
                .and_then(|()| {
                    self.admin_query(&format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"))
                })
                .and_then(|()| {
                    self.admin_query(&format!("GRANT CONNECT ON DATABASE {name} TO {name}"))
                });
            if let Err(why) = created {
                self.drop_database(&name);
                return Err(why);
            }
            let dsn = format!(
                "postgresql://{name}:{password}@/{name}?host={}&port={PORT}",
                self.socket_dir.display()
            );
            Ok(CheckDatabase { name, dsn })
        }

        /// Drops a check's database (ending its sessions) and its role.
        pub fn drop_database(&self, name: &str) {
            let _ = self.admin_query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            let _ = self.admin_query(&format!("DROP ROLE IF EXISTS {name}"));
        }

        /// Stops the server (immediate shutdown) and removes the session's folder.
        pub fn stop(&self) {
            *self.admin.lock().unwrap_or_else(|e| e.into_inner()) = None;
            if self.postmaster > 0 {
                // SIGQUIT: immediate shutdown; its backends go with it.
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(self.postmaster),
                    nix::sys::signal::Signal::SIGQUIT,
                );
            }
            if let Some(mut child) = self.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let began = Instant::now();
                while child.try_wait().ok().flatten().is_none() {
                    if began.elapsed() > Duration::from_secs(5) {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    /// `postgres --version`'s text, e.g. `postgres (PostgreSQL) 16.4`.
    fn version(bin: &Path) -> Result<String, String> {
        let out = Command::new(bin.join("postgres"))
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", bin.join("postgres").display()))?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if text.is_empty() {
            return Err(format!("{} --version says nothing", bin.display()));
        }
        Ok(text)
    }

    /// The cached template data folder for this server version, made with `initdb` if needed.
    fn template(bin: &Path, version: &str) -> Result<PathBuf, String> {
        let data = crate::engine::python::env::data_dir().map_err(|e| format!("{e:#}"))?;
        // The options below are part of the key: a template made otherwise is another one.
        let key =
            blake3::hash(format!("{version}|{}|{INITDB_OPTIONS:?}", bin.display()).as_bytes())
                .to_hex();
        // `postgres (PostgreSQL) 16.4 (Debian 16.4-1)`: the first word that is a version.
        let number: String = (version.split_whitespace())
            .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or("x")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let folder = data
            .join("postgres")
            .join(format!("template-{number}-{}", &key[..12]));
        if folder.join(MARKER).is_file() {
            return Ok(folder);
        }
        let parent = folder.parent().expect("joined above");
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let building = tempfile::Builder::new()
            .prefix(".template-")
            .tempdir_in(parent)
            .map_err(|e| e.to_string())?;
        let password = super::super::nonce();
        let password_file = building.path().join("password");
        fs::write(&password_file, &password).map_err(|e| e.to_string())?;
        fs::set_permissions(&password_file, fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
        let mut cmd = as_unprivileged(&bin.join("initdb"))?;
        cmd.arg("-D")
            .arg(building.path().join("data"))
            .args(["-U", ADMIN])
            .args(INITDB_OPTIONS)
            .arg(format!("--pwfile={}", password_file.display()))
            .stdin(Stdio::null());
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        fs::write(building.path().join(MARKER), version).map_err(|e| e.to_string())?;
        let built = building.keep();
        if fs::rename(&built, &folder).is_err() {
            // Another runner finished first: theirs is as good.
            let _ = fs::remove_dir_all(&built);
        }
        if folder.join(MARKER).is_file() {
            Ok(folder)
        } else {
            Err(format!(
                "the PostgreSQL template in {} is incomplete",
                folder.display()
            ))
        }
    }

    /// `program` as a user PostgreSQL accepts: itself, or under root a user namespace in which
    /// it is uid 1000 (bubblewrap maps it to the caller; no capability inside).
    fn as_unprivileged(program: &Path) -> Result<Command, String> {
        if !nix::unistd::geteuid().is_root() {
            return Ok(Command::new(program));
        }
        let bwrap = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
            .chain(["/usr/bin".into(), "/bin".into()])
            .map(|dir| dir.join("bwrap"))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                "PostgreSQL refuses to run as root, and running it as an ordinary user needs \
                 bubblewrap (`apt install bubblewrap`): install it or run as another user"
                    .to_string()
            })?;
        let mut cmd = Command::new(bwrap);
        cmd.args(["--unshare-user", "--uid", "1000", "--gid", "1000"])
            .args(["--dev-bind", "/", "/", "--die-with-parent", "--"])
            .arg(program);
        Ok(cmd)
    }

    /// Starts `cmd` from a thread that lives as long as the process, with a parent-death signal
    /// (Linux): the server ends with the runner however the runner ends.
    fn spawn_kept(mut cmd: Command) -> Result<Child, String> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt as _;
            // SAFETY: prctl and setrlimit are async-signal-safe; nothing else runs between
            // fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGQUIT)
                        .map_err(std::io::Error::from)?;
                    // PostgreSQL ignores SIGXFSZ: a write past the limit fails with an error.
                    nix::sys::resource::setrlimit(
                        nix::sys::resource::Resource::RLIMIT_FSIZE,
                        SERVER_FILE_BYTES,
                        SERVER_FILE_BYTES,
                    )
                    .map_err(std::io::Error::from)
                });
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("postgres".into())
            .spawn(move || {
                let _ = tx.send(cmd.spawn());
                // The parent-death signal follows this thread: it never ends.
                loop {
                    std::thread::park();
                }
            })
            .map_err(|e| e.to_string())?;
        rx.recv()
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("cannot start PostgreSQL: {e}"))
    }

    fn postmaster_pid(data: &Path) -> Option<i32> {
        fs::read_to_string(data.join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// Removes the folders of sessions whose server is gone (a runner killed outright).
    fn sweep() {
        let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(SESSION_PREFIX) {
                continue;
            }
            let path = entry.path();
            let alive = postmaster_pid(&path.join("data")).is_some_and(|pid| {
                nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
            });
            let young = (entry.metadata().and_then(|m| m.modified()).ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age < Duration::from_secs(120));
            if !alive && !young {
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let target = to.join(entry.file_name());
            if kind.is_dir() {
                copy_tree(&entry.path(), &target)?;
                fs::set_permissions(&target, fs::Permissions::from_mode(0o700))?;
            } else if kind.is_file() {
                fs::copy(entry.path(), &target)?;
            }
        }
        Ok(())
    }

    enum QueryError {
        Io(String),
        Server(String),
    }

    /// One connection over the unix socket, as far as the runner needs the protocol.
    struct Conn {
        stream: UnixStream,
    }

    impl Conn {
        fn open(dir: &Path, user: &str, database: &str, password: &str) -> Result<Conn, String> {
            let path = dir.join(format!(".s.PGSQL.{PORT}"));
            let stream = UnixStream::connect(&path).map_err(|e| e.to_string())?;
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .map_err(|e| e.to_string())?;
            let mut conn = Conn { stream };
            let mut body = Vec::new();
            body.extend_from_slice(&196_608_i32.to_be_bytes());
            for (key, value) in [("user", user), ("database", database)] {
                body.extend_from_slice(key.as_bytes());
                body.push(0);
                body.extend_from_slice(value.as_bytes());
                body.push(0);
            }
            body.push(0);
            let mut message = ((body.len() + 4) as i32).to_be_bytes().to_vec();
            message.extend_from_slice(&body);
            conn.stream.write_all(&message).map_err(|e| e.to_string())?;
            loop {
                let (kind, body) = conn.read().map_err(|e| e.to_string())?;
                match kind {
                    b'R' => {
                        let code = i32::from_be_bytes(body[..4].try_into().unwrap_or_default());
                        match code {
                            0 => {}
                            3 => {
                                let mut p = password.as_bytes().to_vec();
                                p.push(0);
                                conn.send(b'p', &p).map_err(|e| e.to_string())?;
                            }
                            other => return Err(format!("unexpected authentication {other}")),
                        }
                    }
                    b'E' => return Err(error_text(&body)),
                    b'Z' => return Ok(conn),
                    _ => {}
                }
            }
        }

        fn send(&mut self, kind: u8, body: &[u8]) -> std::io::Result<()> {
            let mut message = vec![kind];
            message.extend_from_slice(&((body.len() + 4) as i32).to_be_bytes());
            message.extend_from_slice(body);
            self.stream.write_all(&message)
        }

        fn read(&mut self) -> std::io::Result<(u8, Vec<u8>)> {
            let mut head = [0u8; 5];
            self.stream.read_exact(&mut head)?;
            let len = i32::from_be_bytes([head[1], head[2], head[3], head[4]]);
            let len = usize::try_from(len).unwrap_or(4).saturating_sub(4);
            if len > 16 * 1024 * 1024 {
                return Err(std::io::Error::other("message too large"));
            }
            let mut body = vec![0u8; len];
            self.stream.read_exact(&mut body)?;
            Ok((head[0], body))
        }

        fn query(&mut self, sql: &str) -> Result<(), QueryError> {
            let mut text = sql.as_bytes().to_vec();
            text.push(0);
            self.send(b'Q', &text)
                .map_err(|e| QueryError::Io(e.to_string()))?;
            let mut failed = None;
            loop {
                let (kind, body) = self.read().map_err(|e| QueryError::Io(e.to_string()))?;
                match kind {
                    b'E' => failed = Some(error_text(&body)),
                    b'Z' => {
                        return match failed {
                            Some(why) => Err(QueryError::Server(why)),
                            None => Ok(()),
                        };
                    }
                    _ => {}
                }
            }
        }
    }

    /// The message field of an ErrorResponse.
    fn error_text(body: &[u8]) -> String {
        let mut fields = body.split(|b| *b == 0);
        let mut message = String::from("PostgreSQL error");
        for field in fields.by_ref() {
            if let Some((b'M', text)) = field.split_first() {
                message = String::from_utf8_lossy(text).into_owned();
            }
        }
        message
    }
}

#[cfg(not(unix))]
pub mod pg {
    //! PostgreSQL exercises run on Linux and macOS (and in WSL).
    use std::path::Path;
    use std::time::Duration;

    use super::CheckDatabase;

    pub struct Postgres {
        pub version: String,
        pub started_in: Duration,
        pub copied_in: Duration,
    }

    impl Postgres {
        pub fn start(_bin: &Path) -> Result<Postgres, String> {
            Err(
                "the runner starts PostgreSQL on Linux and macOS only: on Windows, run the \
                 course in WSL (sudo apt install postgresql)"
                    .into(),
            )
        }
        pub fn socket_dir(&self) -> &Path {
            Path::new("")
        }
        pub fn create_database(&self) -> Result<CheckDatabase, String> {
            Err("unsupported".into())
        }
        pub fn drop_database(&self, _name: &str) {}
        pub fn stop(&self) {}
    }
}
