//! Parallel writers, and a check that they really ran at the same time: a concurrency test
//! whose writers happened to run one after another would prove nothing.

use std::time::Instant;

/// When one call of one writer ran.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub writer: usize,
    pub start: Instant,
    pub end: Instant,
}

/// Runs `writers` threads at once, each making `rounds` calls of `call(writer, round)` one
/// after another (a call runs one process to its end); when each call ran.
pub fn race(writers: usize, rounds: usize, call: impl Fn(usize, usize) + Sync) -> Vec<Span> {
    let call = &call;
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..writers)
            .map(|writer| {
                scope.spawn(move || {
                    (0..rounds)
                        .map(|round| {
                            let start = Instant::now();
                            call(writer, round);
                            Span {
                                writer,
                                start,
                                end: Instant::now(),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().expect("a writer failed"))
            .collect()
    })
}

/// The share of calls during which a call of another writer was running too.
pub fn overlapped(spans: &[Span]) -> f64 {
    let overlapping = spans
        .iter()
        .filter(|a| {
            spans
                .iter()
                .any(|b| b.writer != a.writer && b.start < a.end && a.start < b.end)
        })
        .count();
    overlapping as f64 / spans.len() as f64
}

/// Asserts that at least 90% of the calls ran while another writer's call ran: the few that
/// did not are the first and last ones, while the threads start and finish.
#[track_caller]
pub fn assert_contended(spans: &[Span]) {
    let share = overlapped(spans);
    assert!(
        share >= 0.9,
        "only {:.0}% of {} calls overlapped another writer's",
        share * 100.0,
        spans.len()
    );
}

/// How often consecutive artifact lines of a journal come from different writers, when each
/// writer's paths start with a folder of its own (`w3/f1.rs`).
pub fn writer_switches(journal: &str) -> usize {
    let writers: Vec<String> = super::events_of(journal, "artifact")
        .iter()
        .map(|e| {
            let path = e["path"].as_str().expect("artifact path");
            path.split('/').next().unwrap_or(path).to_string()
        })
        .collect();
    writers.windows(2).filter(|w| w[0] != w[1]).count()
}
