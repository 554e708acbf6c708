//! Where the lead and staff store lives: a SQLite file, or a PostgreSQL database given by URL,
//! whose password never reaches a message or a log line.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadsDatabase {
    Sqlite(PathBuf),
    Postgres(PostgresUrl),
}

/// A `postgres://` or `postgresql://` URL, as libpq reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl(String);

impl PostgresUrl {
    /// The URL with its password, for libpq only.
    pub(crate) fn with_password(&self) -> &str {
        &self.0
    }

    /// The URL without its password (in the user part or as a `password=` parameter).
    pub fn redacted(&self) -> String {
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("postgres", &self.0));
        let (address, query) = rest.split_once('?').map_or((rest, None), |(a, q)| (a, Some(q)));
        let authority_end = address.find('/').unwrap_or(address.len());
        let (authority, path) = address.split_at(authority_end);
        let authority = match authority.rsplit_once('@') {
            Some((user, host)) => format!("{}@{host}", user.split_once(':').map_or(user, |(name, _)| name)),
            None => authority.to_owned(),
        };
        let query: Vec<&str> = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|pair| !pair.split('=').next().is_some_and(|key| key.eq_ignore_ascii_case("password")))
            .collect();
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        format!("{scheme}://{authority}{path}{query}")
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for LeadsDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeadsDatabase::Sqlite(path) => write!(f, "{}", path.display()),
            LeadsDatabase::Postgres(url) => f.write_str(&url.redacted()),
        }
    }
}

impl FromStr for LeadsDatabase {
    type Err = String;

    fn from_str(value: &str) -> Result<LeadsDatabase, String> {
        let scheme = value.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => Ok(LeadsDatabase::Postgres(PostgresUrl(value.to_owned()))),
            Some(other) => Err(format!(
                "`{other}://` is not a database this site runs on: give a postgres:// URL or a SQLite file"
            )),
            None if value.is_empty() => {
                Err("the lead database is empty: give a postgres:// URL or a SQLite file".into())
            }
            None => Ok(LeadsDatabase::Sqlite(PathBuf::from(value))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LeadsDatabase;

    fn shown(value: &str) -> String {
        value.parse::<LeadsDatabase>().expect("parses").to_string()
    }

    #[test]
    fn a_postgres_url_is_shown_without_its_password() {
        assert_eq!(shown("postgres://leads:s3cret@db.internal:5432/jobs"), "postgres://leads@db.internal:5432/jobs");
        assert_eq!(
            shown("postgresql://db/jobs?user=leads&password=s3cret&sslmode=require"),
            "postgresql://db/jobs?user=leads&sslmode=require"
        );
        assert_eq!(shown("postgres://leads@db/jobs"), "postgres://leads@db/jobs");
        let debug = format!("{:?}", "postgres://a:s3cret@db/x".parse::<LeadsDatabase>().expect("parses"));
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn a_path_is_a_sqlite_file_and_another_scheme_is_refused() {
        assert_eq!(shown("data/leads.db"), "data/leads.db");
        assert!("mysql://db/jobs".parse::<LeadsDatabase>().is_err());
        assert!("".parse::<LeadsDatabase>().is_err());
    }
}
