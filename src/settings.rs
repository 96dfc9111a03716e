//! Where the command's settings come from, in one precedence: **flags > environment
//! (`CERTWISE_…`) > the configuration file > built-in defaults**.
//!
//! clap already reads flags and their environment variables (its `env` feature); the file
//! is the layer beneath them: each of its keys becomes the default of the flag with that
//! long name, in the top-level command and every subcommand that has it, so clap's own
//! precedence does the rest and its parsers check every value. A setting is a flag with an
//! environment variable: flags of one invocation (`--force`, `--format`, `--from`) have
//! none and are not read from the file, so a file cannot make every import forced. A value the flag's parser
//! refuses is reported with the file and key; a key no flag (and no [`FILE_ONLY`] setting)
//! has is an error that names the key and the file, so a typo never passes silently.
//!
//! The file is `--config FILE` (or `CERTWISE_CONFIG`), which must exist, else
//! `certwise.toml` in the working directory when there is one. Keys are the flags' long
//! names (`addr`, `database`, `metrics-addr`, `trusted-proxy = ["10.0.0.0/8"]`, …); values
//! are TOML strings, integers, booleans, dates or arrays of them.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The file read when `--config` is not given and it exists.
pub const DEFAULT_FILE: &str = "certwise.toml";

/// Settings with an environment variable and a file key but no flag: the lead settings
/// (`app::LeadConfig`), as (file key, environment variable).
pub const FILE_ONLY: &[(&str, &str)] = &[
    ("lead-retention-days", "CERTWISE_LEAD_RETENTION_DAYS"),
    ("lead-webhook-url", "CERTWISE_LEAD_WEBHOOK_URL"),
    ("lead-webhook-secret", "CERTWISE_LEAD_WEBHOOK_SECRET"),
];

/// A configuration file's values, by key.
#[derive(Debug, Clone, Default)]
pub struct File {
    /// Where it was read from (`None`: no file).
    pub path: Option<PathBuf>,
    values: BTreeMap<String, Vec<String>>,
}

impl File {
    /// Which file to read: `explicit` (from `--config`/`CERTWISE_CONFIG`, must exist), else
    /// [`DEFAULT_FILE`] in `dir` when it exists, else none.
    pub fn find(explicit: Option<&Path>, dir: &Path) -> anyhow::Result<Self> {
        match explicit {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the configuration file {}", path.display()))?;
                Self::parse(path, &text)
            }
            None => {
                let path = dir.join(DEFAULT_FILE);
                match std::fs::read_to_string(&path) {
                    Ok(text) => Self::parse(Path::new(DEFAULT_FILE), &text),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
                    Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
                }
            }
        }
    }

    /// The values of a file's text; `path` names it in messages.
    pub fn parse(path: &Path, text: &str) -> anyhow::Result<Self> {
        let table: toml::Table = text.parse().map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut values = BTreeMap::new();
        for (key, value) in table {
            let scalar = |v: &toml::Value| -> anyhow::Result<String> {
                Ok(match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    toml::Value::Datetime(d) => d.to_string(),
                    _ => bail!(
                        "{}: `{key}` must be a string, a whole number, true/false or a date (or a list of them)",
                        path.display()
                    ),
                })
            };
            let list = match &value {
                toml::Value::Array(items) => items.iter().map(scalar).collect::<anyhow::Result<_>>()?,
                other => vec![scalar(other)?],
            };
            values.insert(key, list);
        }
        Ok(Self { path: Some(path.to_path_buf()), values })
    }

    /// The value of a [`FILE_ONLY`] setting, by its environment variable's name.
    pub fn var(&self, env: &str) -> Option<String> {
        let (key, _) = FILE_ONLY.iter().find(|(_, e)| *e == env)?;
        self.values.get(*key)?.first().cloned()
    }

    /// `command` with the file's values as the defaults of the flags they name. Fails on a
    /// key no flag has, and on a value the flag's parser refuses, naming the file and key.
    pub fn apply(&self, mut command: clap::Command) -> anyhow::Result<clap::Command> {
        let file = self.path.as_deref().unwrap_or(Path::new(DEFAULT_FILE)).display();
        for (key, values) in &self.values {
            if FILE_ONLY.iter().any(|(k, _)| k == key) {
                continue;
            }
            let mut found = false;
            command = with_default(command, key, values, &mut found)
                .map_err(|e| anyhow::anyhow!("{file}: `{key}`: {e}"))?;
            if !found {
                let mut known = known_keys(&command);
                known.extend(FILE_ONLY.iter().map(|(k, _)| (*k).to_owned()));
                known.sort();
                known.dedup();
                bail!("{file}: unknown key `{key}`; the settings are: {}", known.join(", "));
            }
        }
        Ok(command)
    }
}

/// `command` (and each of its subcommands) with `values` as the default of the flag whose
/// long name is `key`; `found` tells whether any had it.
fn with_default(
    mut command: clap::Command,
    key: &str,
    values: &[String],
    found: &mut bool,
) -> Result<clap::Command, String> {
    let arg = command.get_arguments().find(|a| a.get_long() == Some(key) && is_setting(a)).cloned();
    if let Some(arg) = arg {
        *found = true;
        if values.len() > 1 && !matches!(arg.get_num_args(), Some(n) if n.max_values() > 1) {
            return Err("takes one value, not a list".to_owned());
        }
        for value in values {
            check(&arg, key, value)?;
        }
        // clap keeps defaults as `'static` text: the file is read once per process.
        let leaked: Vec<&'static str> =
            values.iter().map(|v| &*Box::leak(v.clone().into_boxed_str())).collect();
        // Not shown by `--help`: a file may hold a secret key or a database password.
        command =
            command.mut_arg(arg.get_id().clone(), |a| a.default_values(leaked).hide_default_value(true));
    }
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        let mut result = Ok(());
        command = command.mut_subcommand(&name, |sub| match with_default(sub.clone(), key, values, found) {
            Ok(sub) => sub,
            Err(e) => {
                result = Err(e);
                sub
            }
        });
        result?;
    }
    Ok(command)
}

/// Whether the flag `arg` takes `value`, by its own parser (a switch: `true` or `false`).
fn check(arg: &clap::Arg, key: &str, value: &str) -> Result<(), String> {
    if !arg.get_action().takes_values() {
        return match value {
            "true" | "false" => Ok(()),
            _ => Err(format!("expected true or false, not `{value}`")),
        };
    }
    clap::Command::new("certwise")
        .arg(arg.clone().required(false))
        .try_get_matches_from([OsStr::new("certwise"), OsStr::new(&format!("--{key}={value}"))])
        .map(drop)
        .map_err(|e| {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_owned()
        })
}

/// Whether a flag is a setting (module docs): it has an environment variable, and it is
/// not the one that names the file.
fn is_setting(arg: &clap::Arg) -> bool {
    arg.get_env().is_some() && arg.get_long().is_some_and(|l| l != "config")
}

/// Every setting's long name in `command` and its subcommands.
fn known_keys(command: &clap::Command) -> Vec<String> {
    let mut keys: Vec<String> = command
        .get_arguments()
        .filter(|a| is_setting(a))
        .filter_map(|a| a.get_long())
        .map(str::to_owned)
        .collect();
    for sub in command.get_subcommands() {
        keys.extend(known_keys(sub));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> clap::Command {
        clap::Command::new("t")
            .arg(clap::Arg::new("addr").long("addr").env("T_ADDR").default_value("127.0.0.1:8080"))
            .arg(
                clap::Arg::new("days")
                    .long("days")
                    .env("T_DAYS")
                    .value_parser(clap::value_parser!(u32).range(1..))
                    .default_value("7"),
            )
            .subcommand(
                clap::Command::new("import")
                    .arg(clap::Arg::new("database").long("database").env("T_DATABASE").default_value("x"))
                    .arg(clap::Arg::new("force").long("force").action(clap::ArgAction::SetTrue)),
            )
    }

    fn file(text: &str) -> anyhow::Result<File> {
        File::parse(Path::new("certwise.toml"), text)
    }

    #[test]
    fn the_file_is_beneath_the_flags_and_above_the_defaults() {
        let layered = file("addr = \"0.0.0.0:80\"\ndays = 3\ndatabase = \"sqlite://f.db\"")
            .unwrap()
            .apply(command())
            .unwrap();
        let m = layered.clone().try_get_matches_from(["t"]).unwrap();
        assert_eq!(m.get_one::<String>("addr").unwrap(), "0.0.0.0:80");
        assert_eq!(*m.get_one::<u32>("days").unwrap(), 3);
        let m = layered.clone().try_get_matches_from(["t", "--addr", "[::1]:81"]).unwrap();
        assert_eq!(m.get_one::<String>("addr").unwrap(), "[::1]:81", "a flag wins");
        let m = layered.try_get_matches_from(["t", "import"]).unwrap();
        assert_eq!(
            m.subcommand_matches("import").unwrap().get_one::<String>("database").unwrap(),
            "sqlite://f.db"
        );
        let m = command().try_get_matches_from(["t"]).unwrap();
        assert_eq!(m.get_one::<String>("addr").unwrap(), "127.0.0.1:8080", "no file: the default");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_file_and_key() {
        let e = file("adr = \"x\"").unwrap().apply(command()).unwrap_err().to_string();
        assert!(e.starts_with("certwise.toml: unknown key `adr`"), "{e}");
        assert!(e.contains("addr, database, days, lead-retention-days"), "{e}");
        // A flag of one invocation is no setting.
        let e = file("force = true").unwrap().apply(command()).unwrap_err().to_string();
        assert!(e.starts_with("certwise.toml: unknown key `force`"), "{e}");
        let e = file("days = 0").unwrap().apply(command()).unwrap_err().to_string();
        assert!(e.starts_with("certwise.toml: `days`:"), "{e}");
        let e = file("days = [1, 2]").unwrap().apply(command()).unwrap_err().to_string();
        assert!(e.contains("not a list"), "{e}");
        let e = file("days = { a = 1 }").unwrap_err().to_string();
        assert!(e.contains("`days` must be"), "{e}");
        assert!(file("addr = ").unwrap_err().to_string().starts_with("certwise.toml:"));
    }

    #[test]
    fn lead_settings_are_read_by_their_variable() {
        let f = file("lead-retention-days = 30").unwrap();
        assert_eq!(f.var("CERTWISE_LEAD_RETENTION_DAYS").as_deref(), Some("30"));
        assert_eq!(f.var("CERTWISE_LEAD_WEBHOOK_URL"), None);
        assert!(f.apply(command()).is_ok());
    }
}
