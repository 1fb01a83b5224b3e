//! A guest's stdout or stderr for one decision: bounded, and never failing a write.
//!
//! The sink keeps the first [`HEAD`] bytes and the last [`TAIL`] bytes a guest writes
//! and counts what it drops in between, so a panic's message (written last) survives
//! however much the guest said before it. Every write succeeds and the stream is always
//! ready: output can never trap a decision. A store, and so a sink, lives for one
//! decision.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError};

/// Bytes kept from the start of the output.
pub(super) const HEAD: usize = 4 * 1024;
/// Bytes kept from the end of the output.
pub(super) const TAIL: usize = 12 * 1024;
/// How much a guest may write in one call: all of it, as far as it can tell.
const PERMIT: usize = 1 << 20;

#[derive(Default)]
struct Captured {
    head: Vec<u8>,
    /// The latest bytes; up to `2 * TAIL` of them, of which the last `TAIL` count.
    tail: Vec<u8>,
    dropped: u64,
}

impl Captured {
    /// Copies at most `HEAD + 2 * TAIL` bytes per write, with `memcpy`s only.
    fn write(&mut self, mut bytes: &[u8]) {
        let now = bytes.len().min(HEAD - self.head.len());
        self.head.extend_from_slice(&bytes[..now]);
        bytes = &bytes[now..];
        if bytes.len() > TAIL {
            self.dropped += (self.tail.len() + bytes.len() - TAIL) as u64;
            self.tail.clear();
            bytes = &bytes[bytes.len() - TAIL..];
        }
        self.tail.extend_from_slice(bytes);
        if self.tail.len() > 2 * TAIL {
            let over = self.tail.len() - TAIL;
            self.tail.drain(..over);
            self.dropped += over as u64;
        }
    }

    /// The kept tail and how many bytes were dropped before it.
    fn tail(&self) -> (&[u8], u64) {
        let over = self.tail.len().saturating_sub(TAIL);
        (&self.tail[over..], self.dropped + over as u64)
    }
}

/// One decision's stdout or stderr. Clones share the same buffer.
#[derive(Clone, Default)]
pub(super) struct OutputSink(Arc<Mutex<Captured>>);

impl OutputSink {
    /// What the guest wrote, lossily as UTF-8, with a marker where bytes were dropped.
    pub(super) fn text(&self) -> String {
        let Ok(c) = self.0.lock() else {
            return String::new();
        };
        let mut text = String::from_utf8_lossy(&c.head).into_owned();
        let (tail, dropped) = c.tail();
        if dropped > 0 {
            text.push_str(&format!("\n[… {dropped} bytes of output dropped …]\n"));
        }
        text.push_str(&String::from_utf8_lossy(tail));
        text
    }

    fn write(&self, bytes: &[u8]) {
        if let Ok(mut c) = self.0.lock() {
            c.write(bytes);
        }
    }
}

impl OutputStream for OutputSink {
    fn write(&mut self, bytes: Bytes) -> Result<(), StreamError> {
        OutputSink::write(self, &bytes);
        Ok(())
    }
    fn flush(&mut self) -> Result<(), StreamError> {
        Ok(())
    }
    fn check_write(&mut self) -> Result<usize, StreamError> {
        Ok(PERMIT)
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for OutputSink {
    async fn ready(&mut self) {}
}

impl tokio::io::AsyncWrite for OutputSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        OutputSink::write(&self, buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for OutputSink {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for OutputSink {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_head_and_tail_and_counts_the_rest() {
        let sink = OutputSink::default();
        sink.write(&vec![b'a'; HEAD]);
        sink.write(&vec![b'b'; 100_000]);
        sink.write(b"the end");
        let text = sink.text();
        assert!(text.starts_with(&"a".repeat(HEAD)));
        assert!(text.ends_with("the end"));
        let dropped = 100_000 + 7 - TAIL;
        assert!(text.contains(&format!("[… {dropped} bytes of output dropped …]")));
        assert_eq!(
            text.len(),
            HEAD + TAIL + format!("\n[… {dropped} bytes of output dropped …]\n").len()
        );
    }

    #[test]
    fn short_output_is_whole() {
        let sink = OutputSink::default();
        sink.write(b"hello ");
        sink.write(b"world");
        assert_eq!(sink.text(), "hello world");
    }

    #[test]
    fn many_small_writes_keep_the_latest() {
        let sink = OutputSink::default();
        for i in 0..10_000 {
            sink.write(format!("line {i}\n").as_bytes());
        }
        let text = sink.text();
        assert!(text.starts_with("line 0\n"));
        assert!(text.ends_with("line 9999\n"));
    }
}
