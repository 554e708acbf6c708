//! Long lists cut into numbered pages: the page a request asks for, and which entries each
//! page of a list holds.

use std::num::NonZeroUsize;
use std::ops::Range;

/// A page of a list, counted from 1, in the one spelling its URL has (`2`, never `02` or `+2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(NonZeroUsize);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a page number: digits from 1, without leading zeros")]
pub struct PageNumberError(String);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(NonZeroUsize::MIN);

    pub fn parse(text: &str) -> Result<PageNumber, PageNumberError> {
        let canonical = !text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit());
        let number = text.parse::<NonZeroUsize>().ok().filter(|_| canonical);
        number.map(PageNumber).ok_or_else(|| PageNumberError(text.chars().take(20).collect()))
    }

    pub fn get(self) -> usize {
        self.0.get()
    }

    pub fn is_first(self) -> bool {
        self == PageNumber::FIRST
    }
}

/// A list of `len` entries shown `per_page` at a time. An empty list still has its first page.
#[derive(Debug, Clone, Copy)]
pub struct Pages {
    len: usize,
    per_page: NonZeroUsize,
}

impl Pages {
    pub fn new(len: usize, per_page: NonZeroUsize) -> Pages {
        Pages { len, per_page }
    }

    pub fn count(self) -> usize {
        self.len.div_ceil(self.per_page.get()).max(1)
    }

    /// The page, if the list has it.
    pub fn page(self, number: usize) -> Option<PageNumber> {
        NonZeroUsize::new(number).filter(|n| n.get() <= self.count()).map(PageNumber)
    }

    /// The entries a page holds; `None` past the last page.
    pub fn entries(self, page: PageNumber) -> Option<Range<usize>> {
        let start = (page.get() - 1).checked_mul(self.per_page.get())?;
        (page.get() <= self.count()).then(|| start..(start + self.per_page.get()).min(self.len))
    }

    /// The page that shows the entry at `index`.
    pub fn page_of(self, index: usize) -> PageNumber {
        PageNumber(NonZeroUsize::MIN.saturating_add(index / self.per_page.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_has_one_spelling() {
        assert_eq!(PageNumber::parse("2").map(PageNumber::get), Ok(2));
        assert_eq!(PageNumber::parse("120").map(PageNumber::get), Ok(120));
        for junk in ["", "0", "02", "+2", "-1", "2a", " 2", "1.0", "99999999999999999999999"] {
            assert!(PageNumber::parse(junk).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn pages_hold_their_share_of_the_entries_and_an_empty_list_has_one_page() {
        let per_page = NonZeroUsize::new(3).unwrap_or(NonZeroUsize::MIN);
        let pages = Pages::new(7, per_page);
        assert_eq!(pages.count(), 3);
        let entries = |n: usize| pages.page(n).and_then(|page| pages.entries(page));
        assert_eq!(entries(1), Some(0..3));
        assert_eq!(entries(3), Some(6..7));
        assert_eq!(entries(4), None);
        assert_eq!(pages.page_of(6).get(), 3);
        let empty = Pages::new(0, per_page);
        assert_eq!((empty.count(), empty.entries(PageNumber::FIRST)), (1, Some(0..0)));
    }
}
