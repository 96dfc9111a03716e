//! Located messages about a content directory: `path:line:column: error: message`.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is so that the person who reads it can fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {severity}: {}", self.path.display(), self.line, self.column, self.message)
    }
}

/// A file's text with its line starts, to turn byte offsets into lines and columns.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { path, text, line_starts }
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    pub fn diagnostic(&self, offset: usize, severity: Severity, message: String) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic { path: self.path.clone(), line, column, severity, message }
    }
}

/// Everything found in one run of the checks.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// A problem with a file as a whole (missing, unreadable): line 1, column 1.
    pub fn file(&mut self, path: &Path, severity: Severity, message: impl Into<String>) {
        self.0.push(Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            severity,
            message: message.into(),
        });
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorted by file and position, so the output reads top to bottom.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let f = SourceFile::new("x".into(), "ab\nçd\n\nz".into());
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(1), (1, 2));
        assert_eq!(f.position(3), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(f.position(5), (2, 2));
        // Bytes: a b \n ç ç d \n \n z — the empty line 3 is byte 7, `z` is byte 8.
        assert_eq!(f.position(7), (3, 1));
        assert_eq!(f.position(8), (4, 1));
        assert_eq!(f.position(9), (4, 2));
        assert_eq!(f.position(1000), (4, 2));
    }
}
