//! Cookie names. Served over HTTPS, every cookie of ours carries the `__Host-` prefix: browsers
//! take such a cookie only with `Secure`, `Path=/` and no `Domain`, so neither a subdomain nor a
//! page served over plain HTTP can plant or overwrite it.

pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure { format!("__Host-{name}") } else { name.to_owned() }
}
