//! The shared `~/.aws/config` and `~/.aws/credentials` files, and the environment they are found through.

use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Where configuration is read from: the process environment, or a fixed map (for tests and embedding).
#[derive(Clone, Default)]
pub struct Environment {
    vars: Option<HashMap<String, String>>,
}

/// Shows where variables come from and their names, never their values (they may hold secrets).
impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.vars {
            None => f.write_str("Environment(process)"),
            Some(m) => {
                let mut names: Vec<&String> = m.keys().collect();
                names.sort();
                f.debug_tuple("Environment").field(&names).finish()
            }
        }
    }
}

impl Environment {
    /// The process environment.
    pub fn process() -> Environment {
        Environment { vars: None }
    }
    /// A fixed set of variables; the process environment is not consulted.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Environment {
        Environment {
            vars: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }
    /// A variable's value; empty values count as unset.
    pub fn var(&self, name: &str) -> Option<String> {
        let v = match &self.vars {
            Some(m) => m.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        v.filter(|v| !v.is_empty())
    }
    /// The SSO token cache folder (`~/.aws/sso/cache`).
    pub(crate) fn sso_cache_dir(&self) -> Option<PathBuf> {
        self.home().map(|h| h.join(".aws/sso/cache"))
    }
    fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .map(PathBuf::from)
    }
    fn expand(&self, path: &str) -> PathBuf {
        match path.strip_prefix("~/") {
            Some(rest) => self
                .home()
                .map(|h| h.join(rest))
                .unwrap_or_else(|| PathBuf::from(path)),
            None => PathBuf::from(path),
        }
    }
    /// The config file path (`AWS_CONFIG_FILE`, else `~/.aws/config`).
    pub fn config_file(&self) -> PathBuf {
        self.expand(
            &self
                .var("AWS_CONFIG_FILE")
                .unwrap_or_else(|| "~/.aws/config".into()),
        )
    }
    /// The credentials file path (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
    pub fn credentials_file(&self) -> PathBuf {
        self.expand(
            &self
                .var("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or_else(|| "~/.aws/credentials".into()),
        )
    }
}

/// One profile's settings.
pub type Profile = BTreeMap<String, String>;

/// The profiles of both shared files.
#[derive(Clone, Default)]
pub struct ProfileFiles {
    config: BTreeMap<String, Profile>,
    credentials: BTreeMap<String, Profile>,
    /// The config file's `[sso-session NAME]` sections.
    sso_sessions: BTreeMap<String, Profile>,
}

/// Shows the profile names only: the files hold secret keys.
impl std::fmt::Debug for ProfileFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileFiles")
            .field("config", &self.config.keys().collect::<Vec<_>>())
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ProfileFiles {
    /// Reads both files; a missing file counts as empty, an unreadable one is an error.
    pub fn load(env: &Environment) -> Result<ProfileFiles> {
        let read = |path: PathBuf| -> Result<String> {
            match std::fs::read_to_string(&path) {
                Ok(s) => Ok(s),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
                Err(e) => Err(Error::config(format!(
                    "cannot read {}: {e}",
                    path.display()
                ))),
            }
        };
        let config = read(env.config_file())?;
        let credentials = read(env.credentials_file())?;
        Ok(ProfileFiles::parse(&config, &credentials))
    }

    /// Parses the two files' text.
    pub fn parse(config: &str, credentials: &str) -> ProfileFiles {
        let mut cfg = BTreeMap::new();
        let mut sso_sessions = BTreeMap::new();
        for (section, values) in parse_ini(config) {
            if let Some(name) = section.strip_prefix("sso-session ") {
                sso_sessions.insert(name.trim().to_string(), values);
                continue;
            }
            // In the config file profiles are `[profile name]`, except `[default]`.
            let name = match section.strip_prefix("profile ") {
                Some(n) => n.trim().to_string(),
                None if section == "default" => section,
                None => continue,
            };
            // `[profile default]` wins over `[default]` for the keys it sets.
            let entry: &mut Profile = cfg.entry(name).or_default();
            entry.extend(values);
        }
        ProfileFiles {
            config: cfg,
            credentials: parse_ini(credentials).into_iter().collect(),
            sso_sessions,
        }
    }

    /// A setting of the config file's `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str, key: &str) -> Option<&str> {
        self.sso_sessions
            .get(name)
            .and_then(|s| s.get(key))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// True when either file has the profile.
    pub fn has_profile(&self, name: &str) -> bool {
        self.config.contains_key(name) || self.credentials.contains_key(name)
    }

    /// A setting of the profile: the credentials file first, then the config file.
    pub fn get(&self, profile: &str, key: &str) -> Option<&str> {
        self.credentials
            .get(profile)
            .and_then(|p| p.get(key))
            .or_else(|| self.config.get(profile).and_then(|p| p.get(key)))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Parses INI text into sections of `key = value` settings.
///
/// Indented lines under a `key =` with no value are nested settings (`s3 =\n  addressing_style = path`)
/// and are stored as `key.subkey`. Comments start with `#` or `;`.
pub fn parse_ini(text: &str) -> Vec<(String, Profile)> {
    let mut out: Vec<(String, Profile)> = Vec::new();
    let mut parent: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            if let Some(end) = rest.find(']') {
                let name = rest[..end].trim().to_string();
                out.push((name, Profile::new()));
                parent = None;
            }
            continue;
        }
        let Some((_, section)) = out.last_mut() else {
            continue;
        };
        let indented = line.starts_with(' ') || line.starts_with('\t');
        let Some((k, v)) = trimmed.split_once('=') else {
            continue;
        };
        let key = k.trim().to_lowercase();
        let value = strip_comment(v.trim()).to_string();
        match (&parent, indented) {
            (Some(p), true) => {
                section.insert(format!("{p}.{key}"), value);
            }
            _ => {
                parent = if value.is_empty() {
                    Some(key.clone())
                } else {
                    None
                };
                section.insert(key, value);
            }
        }
    }
    out
}

fn strip_comment(v: &str) -> &str {
    // An inline comment needs whitespace before `#` or `;`.
    for (i, c) in v.char_indices() {
        if (c == '#' || c == ';') && i > 0 && v[..i].ends_with([' ', '\t']) {
            return v[..i].trim_end();
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_from_both_files() {
        let config = "[default]\nregion = us-west-2\n\n[profile dev]\nregion=eu-west-1 ; comment\ns3 =\n  addressing_style = path\n[other]\nregion=x\n";
        let creds = "# c\n[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n[dev]\naws_access_key_id=DEV\n";
        let p = ProfileFiles::parse(config, creds);
        assert_eq!(p.get("default", "region"), Some("us-west-2"));
        assert_eq!(p.get("dev", "region"), Some("eu-west-1"));
        assert_eq!(p.get("dev", "s3.addressing_style"), Some("path"));
        assert_eq!(p.get("default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(p.get("dev", "aws_access_key_id"), Some("DEV"));
        // `[other]` without the `profile ` prefix is not a profile in the config file.
        assert!(!p.has_profile("other"));
        assert!(p.has_profile("dev"));
    }

    #[test]
    fn debug_shows_no_values() {
        let env =
            Environment::from_vars([("AWS_SECRET_ACCESS_KEY", "s3cr3t"), ("AWS_REGION", "x")]);
        let d = format!("{env:?}");
        assert!(
            d.contains("AWS_SECRET_ACCESS_KEY") && !d.contains("s3cr3t"),
            "{d}"
        );
        let p = ProfileFiles::parse("", "[default]\naws_secret_access_key = s3cr3t\n");
        let d = format!("{p:?}");
        assert!(d.contains("default") && !d.contains("s3cr3t"), "{d}");
    }

    #[test]
    fn env_paths() {
        let env = Environment::from_vars([("HOME", "/h"), ("AWS_CONFIG_FILE", "/etc/c")]);
        assert_eq!(env.config_file(), PathBuf::from("/etc/c"));
        assert_eq!(env.credentials_file(), PathBuf::from("/h/.aws/credentials"));
        assert_eq!(env.var("MISSING"), None);
    }
}
