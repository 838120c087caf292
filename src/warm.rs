//! Start-up: what the first document needs besides jieba's dictionary, built once, in
//! order, on one thread beside jieba's.
//!
//! Building jieba's trie (about 100 ms on one core, see [`crate::segment`]) is the floor
//! of start-up to the first record. Everything else the first document needs (the check
//! of every table in [`crate::Pipeline::new`], jieba's part-of-speech model, the tagger
//! model of the document's language, the gazetteer's automaton, the patterns compiled on
//! first use) is about as much work again. On two cores that work runs on one thread
//! while jieba's trie is built on the other, and the jieba thread joins in when its trie
//! is done: one more thread would only take time from jieba's (three runnable threads
//! on two cores give each two thirds of one).
//!
//! Tasks run in the order they were queued by whichever of the two threads is free.
//! Each task forces process-wide `LazyLock`s / `OnceLock`s, so nothing is built twice: a
//! stage that needs a value first waits for the task building it, or builds it itself
//! when no task has started it. Queueing a task is therefore never needed for correct
//! output, only for start-up.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard};

/// One piece of start-up work.
pub(crate) type Task = Box<dyn FnOnce() + Send>;

/// The tasks not yet started, and whether the runner thread is alive to take them.
struct Queue {
    tasks: VecDeque<Task>,
    runner: bool,
}

static QUEUE: Mutex<Queue> = Mutex::new(Queue {
    tasks: VecDeque::new(),
    runner: false,
});

/// The queue, also after a task panicked while another thread held the lock (the
/// queue itself is never left half-changed).
fn queue() -> MutexGuard<'static, Queue> {
    QUEUE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Queues `tasks` and starts the runner thread when none is running. Returns whether a
/// runner will take them (false only when no thread could be started: the tasks stay
/// queued for [`help`], and the stages build what they need themselves).
pub(crate) fn enqueue(tasks: impl IntoIterator<Item = Task>) -> bool {
    let mut q = queue();
    q.tasks.extend(tasks);
    if q.runner {
        return true;
    }
    q.runner = true;
    drop(q);
    let started = std::thread::Builder::new()
        .name("newsfacts-warm".into())
        .spawn(|| run(true))
        .is_ok();
    if !started {
        queue().runner = false;
    }
    started
}

/// Runs queued tasks on the calling thread until none is left (jieba's thread, once
/// its trie is built).
pub(crate) fn help() {
    run(false);
}

/// Starts a second thread taking queued tasks beside the runner, for when no jieba trie is
/// being built (a first document without Chinese): the second core is free from the start.
pub(crate) fn help_on_new_thread() {
    // If no thread can be started, the runner takes every task.
    let _ = std::thread::Builder::new()
        .name("newsfacts-warm-2".into())
        .spawn(help);
}

/// Takes tasks in order until the queue is empty; the runner marks itself gone under the
/// same lock, so a task queued after that starts a new runner.
fn run(runner: bool) {
    loop {
        let task = {
            let mut q = queue();
            match q.tasks.pop_front() {
                Some(t) => t,
                None => {
                    if runner {
                        q.runner = false;
                    }
                    return;
                }
            }
        };
        // A task only builds a table or model the stages would build on first use; one
        // that panics (a table error, reported by `Pipeline::new` too) stops no other.
        let _ = catch_unwind(AssertUnwindSafe(task));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn every_queued_task_runs_once() {
        let order = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let tasks: Vec<Task> = (0..5)
            .map(|i| {
                let order = Arc::clone(&order);
                let tx = tx.clone();
                Box::new(move || {
                    order.lock().unwrap().push(i);
                    tx.send(()).unwrap();
                }) as Task
            })
            .collect();
        assert!(enqueue(tasks));
        for _ in 0..5 {
            rx.recv().unwrap();
        }
        help();
        let mut seen: Vec<i32> = order.lock().unwrap().clone();
        // In order on one thread; jieba's thread (another test may start it) may take one
        // of them beside the runner, so only "each once" holds here.
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_panicking_task_stops_no_other() {
        let ran = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = std::sync::mpsc::channel();
        let r = Arc::clone(&ran);
        let tasks: Vec<Task> = vec![
            Box::new(|| panic!("test: a task that panics")),
            Box::new(move || {
                r.fetch_add(1, Ordering::SeqCst);
                tx.send(()).unwrap();
            }),
        ];
        assert!(enqueue(tasks));
        rx.recv().unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 1);
    }
}
