//! Small pieces of the staff area's English wording shared by its pages.

use std::fmt::Display;

/// `n` followed by the word for one or for several: "1 lead", "3 leads".
pub fn counted(n: impl Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let word = if n == "1" { one } else { many };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(counted(1, "lead", "leads"), "1 lead");
        assert_eq!(counted(0_usize, "lead", "leads"), "0 leads");
        assert_eq!(counted(11_i64, "note", "notes"), "11 notes");
        assert_eq!(counted(21_u32, "entry", "entries"), "21 entries");
    }
}
