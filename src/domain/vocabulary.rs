//! The closed sets of words that content files, URLs and the API use for the domain's
//! enums (`level = "expert"`, `?status=retiring`). Each enum lists its words once, here
//! through [`Vocabulary`]; parsing, filters and the "expected one of …" messages all
//! derive from that list.

/// An enum written as one of a fixed set of lower-case words.
pub trait Vocabulary: Copy + Eq + Sized + 'static {
    /// Every value, in the order lists and messages show them.
    const ALL: &'static [Self];

    /// The word for a value.
    fn as_str(self) -> &'static str;

    /// The value a word stands for; words are case-sensitive.
    fn parse(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == word)
    }

    /// The words, for messages: `` `a`, `b`, `c` ``.
    fn expected() -> String {
        Self::ALL.iter().map(|v| format!("`{}`", v.as_str())).collect::<Vec<_>>().join(", ")
    }
}

/// Implements [`Vocabulary`] and `Display` for a fieldless enum from `Variant => "word"`
/// pairs, in order.
macro_rules! vocabulary {
    ($ty:ty { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $crate::domain::Vocabulary for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$variant),+];

            fn as_str(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::Vocabulary::as_str(*self))
            }
        }
    };
}
pub(crate) use vocabulary;
