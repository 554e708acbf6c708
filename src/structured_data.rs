//! schema.org JSON-LD for search engines, built from domain values. Output is safe to put
//! inside a `<script>` element: `<`, `>` and `&` are written as JSON escapes.

use serde_json::{Value, json};

use crate::domain::{CountryCode, Engagement, Profile, SalaryPeriod, SiteSettings};

/// JSON text that cannot end the script element it sits in.
pub fn script_safe(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn duration(period: SalaryPeriod) -> &'static str {
    match period {
        SalaryPeriod::Year => "P1Y",
        SalaryPeriod::Month => "P1M",
        SalaryPeriod::Day => "P1D",
        SalaryPeriod::Hour => "PT1H",
    }
}

/// The role as a schema.org `Occupation`: one salary distribution per employee row (day rates
/// are not a salary), and the countries the rows name. Regions of several countries, such as
/// Europe, have no schema.org place to stand for them, so they are left out of the locations.
pub fn occupation(profile: &Profile, url: &str) -> Value {
    let salaries: Vec<Value> = profile
        .salaries
        .iter()
        .filter(|row| row.engagement() == Engagement::Employee)
        .map(|row| {
            let name = match row.level() {
                Some(level) => format!("{} ({})", row.region(), level.code()),
                None => row.region().to_owned(),
            };
            let mut salary = json!({
                "@type": "MonetaryAmountDistribution",
                "name": name,
                "currency": row.currency().code(),
                "duration": duration(row.period()),
                "percentile10": row.min(),
                "percentile90": row.max(),
            });
            if let Some(median) = row.median() {
                salary["median"] = json!(median);
            }
            salary
        })
        .collect();
    let mut countries: Vec<(CountryCode, &str)> =
        profile.salaries.iter().filter_map(|row| Some((row.country()?, row.region()))).collect();
    countries.sort_by_key(|(code, _)| *code);
    countries.dedup_by_key(|(code, _)| *code);
    let locations: Vec<Value> = countries
        .iter()
        .map(|(code, name)| json!({ "@type": "Country", "name": name, "identifier": code.as_str() }))
        .collect();
    let mut occupation = json!({
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": profile.title,
        "description": profile.summary,
        "occupationalCategory": profile.category,
        "skills": profile.hard_skills.iter().chain(&profile.soft_skills).collect::<Vec<_>>(),
        "estimatedSalary": salaries,
        "inLanguage": profile.lang.code(),
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": url,
            "lastReviewed": profile.updated.to_string(),
        },
    });
    if !locations.is_empty() {
        occupation["occupationLocation"] = json!(locations);
    }
    if let Some(isco) = profile.isco {
        occupation["occupationalCategory"] = json!({
            "@type": "CategoryCode",
            "codeValue": isco.as_str(),
            "inCodeSet": "ISCO-08",
            "name": profile.category,
        });
    }
    occupation
}

/// The trail from the home page to the current page, each with its absolute URL.
pub fn breadcrumbs(trail: &[(&str, String)]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

pub fn organization(site: &SiteSettings, logo: &str) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site.name,
        "url": format!("{}/", site.base_url),
        "logo": logo,
    })
}

pub fn website(site: &SiteSettings, url: &str, lang: &str) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.name,
        "url": url,
        "inLanguage": lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_close_the_script() {
        let text = script_safe(&json!({ "name": "</script><script>alert(1)</script> & co" }));
        assert!(!text.contains("</"), "{text}");
        assert!(!text.contains('<'));
        let back: Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
