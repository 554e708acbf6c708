//! schema.org JSON-LD for search engines, built from domain values. Output is safe to put
//! inside a `<script>` element: `<`, `>` and `&` are written as JSON escapes.

use serde_json::{Value, json};

use crate::domain::{Profile, SalaryPeriod, SiteSettings};

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

/// The role as a schema.org `Occupation`, one salary distribution and location per row.
pub fn occupation(profile: &Profile, url: &str) -> Value {
    let salaries: Vec<Value> = profile
        .salaries
        .iter()
        .map(|row| {
            let mut salary = json!({
                "@type": "MonetaryAmountDistribution",
                "name": row.region(),
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
    let mut regions: Vec<&str> = profile.salaries.iter().map(|row| row.region()).collect();
    regions.dedup();
    let locations: Vec<Value> =
        regions.iter().map(|region| json!({ "@type": "AdministrativeArea", "name": region })).collect();
    json!({
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": profile.title,
        "description": profile.summary,
        "occupationalCategory": profile.category,
        "skills": profile.hard_skills.iter().chain(&profile.soft_skills).collect::<Vec<_>>(),
        "estimatedSalary": salaries,
        "occupationLocation": locations,
        "inLanguage": profile.lang.code(),
        "mainEntityOfPage": {
            "@type": "WebPage",
            "@id": url,
            "lastReviewed": profile.updated.to_string(),
        },
    })
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
