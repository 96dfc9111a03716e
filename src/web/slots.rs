//! Response slots: rendered pages carry placeholders for the two things that change with
//! every response — the CSP nonce and the form token — so a rendered page can be cached
//! and shared, and each response fills in its own values ([`SlottedBody::fill`]).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, LazyLock};

use bytes::{Bytes, BytesMut};

use crate::seal::{Keys, random_token};

/// Slots that rendered pages carry instead of the nonce and the form token. Random per
/// process, so no content can contain them by accident or on purpose.
pub static NONCE_SLOT: LazyLock<String> =
    LazyLock::new(|| format!("cwnonce{}", random_token(12).replace(['-', '_'], "x")));
pub static TOKEN_SLOT: LazyLock<String> =
    LazyLock::new(|| format!("cwtoken{}", random_token(12).replace(['-', '_'], "x")));

/// A body split at its slots: `pieces[0] slot[0] pieces[1] … pieces[n]`.
#[derive(Debug, Clone)]
pub struct SlottedBody {
    pieces: Vec<Bytes>,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Nonce,
    Token,
}

impl SlottedBody {
    /// Finds the slots; a body without any is one piece, served without a copy.
    pub fn split(body: &Bytes) -> Self {
        let nonce = memchr::memmem::Finder::new(NONCE_SLOT.as_bytes());
        let token = memchr::memmem::Finder::new(TOKEN_SLOT.as_bytes());
        let mut found: Vec<(usize, Slot, usize)> = nonce
            .find_iter(body)
            .map(|at| (at, Slot::Nonce, NONCE_SLOT.len()))
            .chain(token.find_iter(body).map(|at| (at, Slot::Token, TOKEN_SLOT.len())))
            .collect();
        found.sort_unstable_by_key(|(at, _, _)| *at);
        let mut pieces = Vec::with_capacity(found.len() + 1);
        let mut slots = Vec::with_capacity(found.len());
        let mut start = 0;
        for (at, slot, len) in found {
            // A match inside the previous one (the two slots' random tails can overlap) is
            // not a slot of its own.
            if at < start {
                continue;
            }
            pieces.push(body.slice(start..at));
            slots.push(slot);
            start = at + len;
        }
        pieces.push(body.slice(start..));
        Self { pieces, slots }
    }

    /// The body with the slots filled.
    pub fn fill(&self, nonce: &str, token: &str) -> Bytes {
        if self.slots.is_empty() {
            return self.pieces[0].clone();
        }
        let len = self.pieces.iter().map(Bytes::len).sum::<usize>()
            + self.slots.len() * nonce.len().max(token.len());
        let mut out = BytesMut::with_capacity(len);
        for (piece, slot) in self.pieces.iter().zip(&self.slots) {
            out.extend_from_slice(piece);
            out.extend_from_slice(match slot {
                Slot::Nonce => nonce.as_bytes(),
                Slot::Token => token.as_bytes(),
            });
        }
        out.extend_from_slice(self.pieces.last().map_or(&[][..], |p| &p[..]));
        out.freeze()
    }

    /// The body with the slots filled, in two frames: everything up to the last slot,
    /// copied and filled (the head and the banner: a few KiB), then the rest of the page
    /// shared, not copied (the article itself: most of the bytes). Two frames rather than
    /// one per piece, because each frame costs its way through every layer.
    pub fn pieces(&self, nonce: &[u8], token: &[u8]) -> Pieces {
        let mut out = VecDeque::with_capacity(2);
        if let Some((last, before)) = self.pieces.split_last() {
            if !self.slots.is_empty() {
                let len = before.iter().map(Bytes::len).sum::<usize>()
                    + self.slots.len() * nonce.len().max(token.len());
                let mut head = BytesMut::with_capacity(len);
                for (piece, slot) in before.iter().zip(&self.slots) {
                    head.extend_from_slice(piece);
                    head.extend_from_slice(match slot {
                        Slot::Nonce => nonce,
                        Slot::Token => token,
                    });
                }
                out.push_back(head.freeze());
            }
            out.push_back(last.clone());
        }
        out.retain(|b| !b.is_empty());
        let remaining = out.iter().map(|b| b.len() as u64).sum();
        Pieces { pieces: out, remaining }
    }

    /// The bytes of the body without its slots.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0 && self.slots.is_empty()
    }
}

/// A slotted body compressed once: each piece deflated on its own (no back-references
/// across a slot, ending on a byte boundary), so a response is the gzip header, the
/// pieces' compressed bytes with the nonce and token between them as stored blocks, and a
/// trailer whose CRC is combined from the pieces' — no compression per response.
#[derive(Debug)]
pub struct GzippedBody {
    segments: Vec<Bytes>,
    crcs: Vec<crc32fast::Hasher>,
    lens: Vec<u64>,
    slots: Vec<Slot>,
}

impl SlottedBody {
    /// The body's pieces compressed, for clients that accept gzip.
    pub fn gzip(&self) -> GzippedBody {
        use std::io::Write as _;
        let segments = self
            .pieces
            .iter()
            .map(|piece| {
                let mut deflate =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                // A sync flush ends the piece on a byte boundary without a final block.
                let _ = deflate.write_all(piece);
                let _ = deflate.flush();
                Bytes::from(std::mem::take(deflate.get_mut()))
            })
            .collect();
        let crcs = self
            .pieces
            .iter()
            .map(|piece| {
                let mut crc = crc32fast::Hasher::new();
                crc.update(piece);
                crc
            })
            .collect();
        let lens = self.pieces.iter().map(|p| p.len() as u64).collect();
        GzippedBody { segments, crcs, lens, slots: self.slots.clone() }
    }
}

impl GzippedBody {
    /// The gzip stream of the body with its slots filled.
    pub fn pieces(&self, nonce: &[u8], token: &[u8]) -> Pieces {
        const HEADER: &[u8] = &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        let mut out = VecDeque::with_capacity(self.segments.len() * 2 + 2);
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0u64;
        let mut between = BytesMut::with_capacity(HEADER.len() + 64);
        between.extend_from_slice(HEADER);
        for (i, segment) in self.segments.iter().enumerate() {
            out.push_back(between.split().freeze());
            out.push_back(segment.clone());
            crc.combine(&self.crcs[i]);
            len += self.lens[i];
            if let Some(slot) = self.slots.get(i) {
                let value = match slot {
                    Slot::Nonce => nonce,
                    Slot::Token => token,
                };
                // A stored block: not final, type 00, byte-aligned; LEN, NLEN, the bytes.
                let n = u16::try_from(value.len()).unwrap_or(u16::MAX);
                between.extend_from_slice(&[0]);
                between.extend_from_slice(&n.to_le_bytes());
                between.extend_from_slice(&(!n).to_le_bytes());
                between.extend_from_slice(&value[..usize::from(n)]);
                crc.update(&value[..usize::from(n)]);
                len += u64::from(n);
            }
        }
        // The final block (empty, stored), then CRC-32 and the length modulo 2^32.
        between.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        between.extend_from_slice(&crc.finalize().to_le_bytes());
        between.extend_from_slice(&u32::try_from(len % (1 << 32)).unwrap_or(0).to_le_bytes());
        out.push_back(between.freeze());
        out.retain(|b| !b.is_empty());
        let remaining = out.iter().map(|b| b.len() as u64).sum();
        Pieces { pieces: out, remaining }
    }
}

/// A response body made of shared pieces, sent one after the other, with its exact length
/// known (so it goes out with `Content-Length`, not chunked).
#[derive(Debug)]
pub struct Pieces {
    pieces: VecDeque<Bytes>,
    remaining: u64,
}

impl axum::body::HttpBody for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        std::task::Poll::Ready(this.pieces.pop_front().map(|piece| {
            this.remaining -= piece.len() as u64;
            Ok(hyper::body::Frame::data(piece))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.remaining)
    }
}

/// The form token of the current second, signed once per second and thread (the
/// server's threads do not wait on each other for it) and shared by every response of
/// that second.
#[derive(Debug, Default)]
pub struct FormTokens;

impl FormTokens {
    pub fn get(&self, keys: &Keys, now: i64) -> Arc<str> {
        // Per thread, the token of the second and the keys that signed it: one process may
        // hold several applications with keys of their own (tests do), and a token signed
        // by another's keys would be refused.
        thread_local!(static CURRENT: RefCell<Option<(i64, Keys, Arc<str>)>> = const { RefCell::new(None) });
        CURRENT.with(|current| {
            let mut current = current.borrow_mut();
            match &*current {
                Some((at, signer, token)) if *at == now && signer.is(keys) => token.clone(),
                _ => {
                    let token: Arc<str> = keys.form_token(now).into();
                    *current = Some((now, keys.clone(), token.clone()));
                    token
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_application_gets_a_token_its_own_keys_accept() {
        let tokens = FormTokens;
        let (a, b) = (Keys::new(vec![1; 32]).unwrap(), Keys::new(vec![2; 32]).unwrap());
        let now = 1_800_000_000;
        let (from_a, from_b) = (tokens.get(&a, now), tokens.get(&b, now));
        assert!(a.check_form_token(&from_a, now) && b.check_form_token(&from_b, now));
        assert!(!b.check_form_token(&from_a, now), "another application's token is refused");
        assert!(a.check_form_token(&tokens.get(&a.clone(), now), now), "a clone is the same keys");
    }

    #[test]
    fn slots_are_filled_wherever_they_are() {
        let html = format!("<a {n}>{t}<b>{n}{n}</b>{t}", n = NONCE_SLOT.as_str(), t = TOKEN_SLOT.as_str());
        let body = SlottedBody::split(&Bytes::from(html));
        assert_eq!(body.fill("N", "T"), Bytes::from_static(b"<a N>T<b>NN</b>T"));
        let pieces = body.pieces(b"N", b"T");
        assert_eq!(pieces.pieces.len(), 1, "nothing after the last slot");
        assert_eq!(axum::body::HttpBody::size_hint(&pieces).exact(), Some(16));
        let joined: Vec<u8> = pieces.pieces.iter().flat_map(|b| b.to_vec()).collect();
        assert_eq!(joined, b"<a N>T<b>NN</b>T");
        // The same, gzipped from the pieces compressed once.
        let gz = body.gzip().pieces(b"nonce-1", b"token-2");
        let stream: Vec<u8> = gz.pieces.iter().flat_map(|b| b.to_vec()).collect();
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&stream[..]), &mut plain).unwrap();
        assert_eq!(plain, "<a nonce-1>token-2<b>nonce-1nonce-1</b>token-2");
        let plain = SlottedBody::split(&Bytes::from_static(b"no slots"));
        assert_eq!(plain.fill("N", "T"), Bytes::from_static(b"no slots"));
        assert_eq!(SlottedBody::split(&Bytes::new()).fill("N", "T"), Bytes::new());
    }
}
