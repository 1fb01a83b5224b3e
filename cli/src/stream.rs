//! Streaming a corpus: lines are read in chunks, each chunk is worked on by a pool of
//! threads, and the results are handed back in input order as they complete.
//!
//! At most a fixed window of chunks is in flight (read, not yet handed back), so memory
//! stays flat whatever the corpus size: about `window × max(CHUNK_BYTES, longest line)`
//! of input plus the results of those chunks.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::mpsc;

/// Lines per chunk, at most.
pub const CHUNK_LINES: usize = 256;
/// Bytes of input per chunk before it is closed (a longer line makes a chunk of its own).
pub const CHUNK_BYTES: usize = 1 << 20;
/// Chunks in flight per thread.
const WINDOW_PER_THREAD: usize = 4;

/// One non-blank line of the corpus.
pub struct RawLine {
    /// Its number in the file, from 1 (blank lines count).
    pub number: usize,
    /// Its text without the line ending, or why it is not text.
    pub text: Result<String, String>,
}

/// What a chunk covered, for progress.
#[derive(Clone, Copy, Debug, Default)]
pub struct Span {
    /// Non-blank lines in the chunk.
    pub lines: usize,
    /// Bytes of input the chunk read (blank lines and line endings included).
    pub bytes: u64,
}

/// Why a stream stopped early.
#[derive(Debug)]
pub enum Stopped<E> {
    /// Reading the input failed.
    Read(io::Error),
    /// The consumer refused a result.
    Emit(E),
}

/// Reads `input` chunk by chunk, runs `work` on each chunk on `threads` threads (0: as
/// many as rayon chooses, which honours `RAYON_NUM_THREADS`), and gives each result to
/// `emit` in input order, on the calling thread. `emit` failing stops the reading.
pub fn run<T, E>(
    input: impl BufRead + Send,
    threads: usize,
    work: impl Fn(&[RawLine]) -> T + Sync,
    mut emit: impl FnMut(T, Span) -> Result<(), E>,
) -> Result<(), Stopped<E>>
where
    T: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("pacto-worker-{i}"))
        .stack_size(pacto::DECISION_STACK_SIZE)
        .build()
        .map_err(|e| Stopped::Read(io::Error::other(e)))?;
    let window = pool.current_num_threads().max(1) * WINDOW_PER_THREAD;
    let (done_tx, done_rx) = mpsc::channel::<(u64, T, Span)>();
    // a permit per chunk in flight: the reader waits when `window` are out
    let (permit_tx, permit_rx) = mpsc::sync_channel::<()>(window);
    let (work, pool) = (&work, &pool);

    std::thread::scope(|s| {
        let reader = s.spawn(move || -> io::Result<()> {
            let mut input = input;
            let mut lines = Lines::default();
            pool.in_place_scope(|jobs| {
                let mut seq = 0;
                while let Some((chunk, span)) = lines.chunk(&mut input)? {
                    if permit_tx.send(()).is_err() {
                        break; // the consumer stopped
                    }
                    let done = done_tx.clone();
                    jobs.spawn(move |_| {
                        let result = work(&chunk);
                        let _ = done.send((seq, result, span));
                    });
                    seq += 1;
                }
                Ok(())
            })
        });

        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let mut refused = None;
        'results: for (seq, result, span) in done_rx.iter() {
            waiting.insert(seq, (result, span));
            while let Some((result, span)) = waiting.remove(&next) {
                next += 1;
                if let Err(e) = emit(result, span) {
                    refused = Some(e);
                    break 'results;
                }
                let _ = permit_rx.recv();
            }
        }
        // a refused result stops the reader at its next chunk
        drop(permit_rx);
        drop(done_rx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the corpus reader panicked")));
        match (refused, read) {
            (Some(e), _) => Err(Stopped::Emit(e)),
            (None, Err(e)) => Err(Stopped::Read(e)),
            (None, Ok(())) => Ok(()),
        }
    })
}

/// The line reader's position.
#[derive(Default)]
struct Lines {
    number: usize,
    buffer: Vec<u8>,
}

impl Lines {
    /// The next chunk of non-blank lines, or `None` at the end of the input.
    fn chunk(&mut self, input: &mut impl BufRead) -> io::Result<Option<(Vec<RawLine>, Span)>> {
        let mut chunk = Vec::new();
        let mut span = Span::default();
        let mut text_bytes = 0;
        while chunk.len() < CHUNK_LINES && text_bytes < CHUNK_BYTES {
            self.buffer.clear();
            let read = input.read_until(b'\n', &mut self.buffer)?;
            if read == 0 {
                break;
            }
            self.number += 1;
            span.bytes += read as u64;
            let mut bytes = self.buffer.as_slice();
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue; // a blank line carries no case
            }
            text_bytes += bytes.len();
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => Ok(text.to_owned()),
                Err(e) => Err(format!(
                    "the line is not UTF-8 (invalid byte at column {})",
                    e.valid_up_to() + 1
                )),
            };
            chunk.push(RawLine {
                number: self.number,
                text,
            });
        }
        span.lines = chunk.len();
        Ok((span.bytes > 0).then_some((chunk, span)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_with_line_numbers() {
        let mut input = String::new();
        for i in 0..3000 {
            input.push_str(&format!("{i}\n"));
            if i % 7 == 0 {
                input.push_str("  \r\n");
            }
        }
        let mut seen = Vec::new();
        run(
            input.as_bytes(),
            2,
            |lines: &[RawLine]| {
                lines
                    .iter()
                    .map(|l| (l.number, l.text.clone().unwrap()))
                    .collect::<Vec<_>>()
            },
            |r, span| {
                assert_eq!(r.len(), span.lines);
                seen.extend(r);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        let values: Vec<String> = seen.iter().map(|(_, t)| t.clone()).collect();
        let expected: Vec<String> = (0..3000).map(|i| i.to_string()).collect();
        assert_eq!(values, expected);
        // line 1 is `0`, line 2 blank, line 3 is `1`
        assert_eq!(seen[0].0, 1);
        assert_eq!(seen[1].0, 3);
    }

    #[test]
    fn a_refused_result_stops_the_stream() {
        let input = "x\n".repeat(100_000);
        let mut calls = 0;
        let r = run(
            input.as_bytes(),
            2,
            |lines: &[RawLine]| lines.len(),
            |_, _| {
                calls += 1;
                if calls == 3 { Err("full") } else { Ok(()) }
            },
        );
        assert!(matches!(r, Err(Stopped::Emit("full"))));
        assert_eq!(calls, 3);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_reported_not_fatal() {
        let input: &[u8] = b"ok\n\xff\xfe\nok\n";
        let mut texts = Vec::new();
        run(
            input,
            1,
            |lines: &[RawLine]| lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
            |r, _| {
                texts.extend(r);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(texts.len(), 3);
        assert!(texts[1].as_ref().unwrap_err().contains("not UTF-8"));
    }
}
