//! The paging rule of every list, HTML and API alike (INTERFACES.md, "Lists"): `?page=N`,
//! 1-based, default 1; a fixed page size per surface; a page number that is not a positive
//! integer is the client's mistake; a page past the end does not exist, except page 1 of an
//! empty list.

use std::num::NonZeroUsize;
use std::ops::Range;

/// Items on one page of an HTML list.
pub const HTML_PAGE_SIZE: usize = 20;
/// Items on one page of an API list.
pub const API_PAGE_SIZE: usize = 50;

/// A requested page number: a positive integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(NonZeroUsize);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(NonZeroUsize::MIN);

    /// `?page=` as sent: absent or empty is page 1.
    ///
    /// ```
    /// use certwise::domain::paging::PageNumber;
    /// assert_eq!(PageNumber::parse(Some("3")).unwrap().get(), 3);
    /// assert!(PageNumber::parse(Some("0")).is_err());
    /// ```
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        match raw {
            None | Some("") => Ok(Self::FIRST),
            Some(s) => s
                .parse::<NonZeroUsize>()
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_digit()))
                .map(Self)
                .ok_or_else(|| format!("`page` must be a whole number from 1 up, not `{s}`")),
        }
    }

    pub fn get(self) -> usize {
        self.0.get()
    }
}

/// One page of a list of `total` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub number: usize,
    /// How many pages the list has (at least 1).
    pub pages: usize,
    pub total: usize,
    /// The items of this page, as indexes into the list.
    pub items: Range<usize>,
}

impl Page {
    /// Page `number` of a list of `total` items, `size` to a page; `None` when the page is
    /// past the end (page 1 always exists).
    pub fn of(total: usize, size: usize, number: PageNumber) -> Option<Self> {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let number = number.get();
        if number > pages {
            return None;
        }
        let start = (number - 1) * size;
        Some(Self { number, pages, total, items: start..(start + size).min(total) })
    }

    pub fn previous(&self) -> Option<usize> {
        (self.number > 1).then(|| self.number - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.number < self.pages).then(|| self.number + 1)
    }

    /// This page's items of `list`.
    pub fn slice<'a, T>(&self, list: &'a [T]) -> &'a [T] {
        list.get(self.items.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: &str) -> PageNumber {
        PageNumber::parse(Some(n)).unwrap()
    }

    #[test]
    fn page_numbers_are_positive_integers() {
        assert_eq!(PageNumber::parse(None).unwrap(), PageNumber::FIRST);
        assert_eq!(PageNumber::parse(Some("")).unwrap(), PageNumber::FIRST);
        for bad in ["0", "-1", "+2", "x", "1.5", " 1", "99999999999999999999999999"] {
            assert!(PageNumber::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_cover_the_list_and_stop_at_its_end() {
        let p = Page::of(45, 20, page("3")).unwrap();
        assert_eq!((p.pages, p.items.clone(), p.previous(), p.next()), (3, 40..45, Some(2), None));
        assert_eq!(Page::of(45, 20, page("1")).unwrap().next(), Some(2));
        assert!(Page::of(45, 20, page("4")).is_none());
        assert!(Page::of(40, 20, page("3")).is_none());
    }

    #[test]
    fn an_empty_list_has_one_empty_page_and_huge_numbers_do_not_wrap() {
        let p = Page::of(0, 20, PageNumber::FIRST).unwrap();
        assert_eq!((p.pages, p.items.len()), (1, 0));
        assert!(Page::of(0, 20, page("2")).is_none());
        assert!(Page::of(45, 20, page("4611686018427387905")).is_none());
        assert!(Page::of(45, 20, page(&usize::MAX.to_string())).is_none());
    }
}
