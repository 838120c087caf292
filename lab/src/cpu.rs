//! CPU-time clocks for A/B timing on a shared machine: time spent descheduled (waiting for
//! a core another job holds) is not counted, unlike the wall clock.

/// CPU seconds of the calling thread.
pub fn thread_seconds() -> f64 {
    seconds_of(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU seconds of the whole process, every thread.
pub fn process_seconds() -> f64 {
    seconds_of(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn seconds_of(clock: libc::clockid_t) -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given; both clocks exist on Linux.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_advance_with_work() {
        let (t0, p0) = (thread_seconds(), process_seconds());
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(thread_seconds() > t0);
        assert!(process_seconds() > p0);
    }
}
