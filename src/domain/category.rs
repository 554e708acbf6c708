//! A category's slug, for the address of its filtered index: categories are free text in the
//! content, so the slug is made from the name, umlauts spelled out as German readers do.

use super::Slug;

/// `Data & AI` → `data-ai`, `Qualität, Design & Delivery` → `qualitaet-design-delivery`; `None`
/// for a name with no letter or digit to make one from.
pub fn category_slug(name: &str) -> Option<Slug> {
    let mut slug = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let (first, second) = match c {
            'ä' => ('a', Some('e')),
            'ö' => ('o', Some('e')),
            'ü' => ('u', Some('e')),
            'ß' => ('s', Some('s')),
            c if c.is_ascii_alphanumeric() => (c, None),
            _ => {
                gap = true;
                continue;
            }
        };
        if gap && !slug.is_empty() {
            slug.push('-');
        }
        gap = false;
        slug.push(first);
        slug.extend(second);
    }
    let cut = slug.get(..Slug::MAX_LEN).unwrap_or(&slug).trim_end_matches('-');
    Slug::parse(cut).ok()
}

#[cfg(test)]
mod tests {
    use super::category_slug;

    #[test]
    fn a_category_name_becomes_a_slug_with_umlauts_spelled_out() {
        let slug = |name: &str| category_slug(name).map(|s| s.as_str().to_owned());
        assert_eq!(slug("Data & AI").as_deref(), Some("data-ai"));
        assert_eq!(slug("Qualität, Design & Delivery").as_deref(), Some("qualitaet-design-delivery"));
        assert_eq!(slug("  Größe  ").as_deref(), Some("groesse"));
        assert_eq!(slug("& –"), None);
        assert_eq!(slug(&"a-".repeat(60)).map(|s| s.len()), Some(79));
    }
}
