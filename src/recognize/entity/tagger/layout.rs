//! The runtime layout of a tagger model: what [`super::model::Model`] indexes and looks
//! weights up in, built from a model file's payload. Self-contained (std and flate2 only)
//! because the build script includes it too (`build.rs`): it builds the embedded models'
//! tables at build time with this same code, and the binary borrows them as they are
//! (see [`Tables::from_prebuilt`]), so no start-up inflates and indexes a model.
//!
//! Kept apart from `model.rs` only for that reason; `model.rs` describes the model.

// The build script uses only the building half.
#![allow(dead_code)]

/// Low bits of a feature id (see `features::GROUPED`; `model.rs` checks the two agree).
pub(crate) const GROUPED: u64 = 8;
pub(crate) const SLOT_MASK: u64 = 7;
/// Slots per group record.
pub(crate) const GROUP_SLOTS: usize = 5;

/// Features whose largest weight (relative to O's) is below this fraction of the model's
/// largest weight are dropped at load. 0.02 costs at most 0.001 F1 on the NER sets and
/// shrinks the table; 0.04 cost 0.002-0.004, 0.07 about 0.012 (see data/models/README.md).
pub(crate) const PRUNE_FRACTION: f32 = 0.02;

/// Number of tags: O, then B and I for PER, ORG, LOC.
pub const NT: usize = 7;

/// The quantised weights of one feature for the tags other than O, relative to O's weight:
/// subtracting one constant from every tag of a unit changes no decision, so O's weight is
/// folded away and six `i16` remain.
pub(crate) type Weights = [i16; NT - 1];

pub(crate) fn fingerprint(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// Bits of [`Bucket::at`] holding the first row of the record's window; the bits above
/// hold the group's slot mask.
pub(crate) const ROW_BITS: u32 = 27;
const _: () = assert!(GROUP_SLOTS as u32 <= 32 - ROW_BITS);

/// Places per index bucket.
pub(crate) const LANES: usize = 8;

/// One cache line of the index: eight places, each a key's fingerprint (its high 32 bits;
/// 0 = empty) and where its weight rows are (`at`: the first row of its window, and above
/// [`ROW_BITS`] which slots of the group have a row; a single feature is a group of one
/// slot). A key is looked for in all eight places at once, without data-dependent
/// branches; only a full bucket sends the search on to the next one. Places fill in
/// order, so an empty last place means the bucket never overflowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
pub(crate) struct Bucket {
    pub(crate) fp: [u32; LANES],
    pub(crate) at: [u32; LANES],
}

const _: () = assert!(std::mem::size_of::<Bucket>() == 64);

/// A hint to load the cache line of `x`.
#[inline]
pub(crate) fn prefetch_line<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; the pointer is to a live value.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (x as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Lanes of a [`Row`]: the six weights of [`Weights`] and two zeros.
pub(crate) const ROW_LANES: usize = 8;

/// One feature's [`Weights`] as the runtime keeps them: padded with two zeros to 16
/// bytes and aligned, so that a row is one aligned SIMD load (see [`Sums`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(16))]
pub(crate) struct Row(pub(crate) [i16; ROW_LANES]);

impl Row {
    /// What an absent feature adds.
    pub(crate) const ZERO: Row = Row([0; ROW_LANES]);

    /// The row of quantised weights `w`.
    pub(crate) fn of(w: Weights) -> Row {
        Row(std::array::from_fn(|t| w.get(t).copied().unwrap_or(0)))
    }

    /// Its six weights.
    #[cfg(test)]
    pub(crate) fn weights(&self) -> Weights {
        std::array::from_fn(|t| self.0[t])
    }
}

/// `x.round().clamp(-32767.0, 32767.0) as i16`: a weight's nearest quantisation step,
/// halves away from zero, without the call to libm's `roundf` that `round` is on the
/// x86-64 baseline (no SSE4.1), over a million times a model load. `x ± 0.5` is exact in
/// f64 for every f32 below 2^31, so truncating it rounds half away from zero; larger
/// values, infinities and NaN saturate or go to 0 in the conversion to `i32` as they do
/// through `round` and the float clamp. The test `from_bytes_builds_the_reference_model`
/// holds the whole load against the plain computation.
#[inline]
pub(crate) fn round_to_step(x: f32) -> i16 {
    let x = f64::from(x);
    ((x + 0.5f64.copysign(x)) as i32).clamp(-32767, 32767) as i16
}

/// The key of the record holding feature `key`, and the feature's slot in it.
#[inline]
pub(crate) fn record_of(key: u64) -> (u64, usize) {
    if key & GROUPED != 0 {
        (key & !SLOT_MASK, (key & SLOT_MASK) as usize)
    } else {
        (key, 0)
    }
}

/// The rows of a model being built, in windows (see [`Model`]), and its records: `(record
/// key, first row of its window, slot mask)`.
pub(crate) struct Windows {
    rows: Vec<Row>,
    records: Vec<(u64, u32, u8)>,
    /// Rows at the end of `rows` past the last window's last present slot: zeros a next
    /// window's leading absent slots may share.
    spare: usize,
}

impl Windows {
    /// No records; the window of zeros at row 0.
    pub(crate) fn new() -> Windows {
        Windows {
            rows: vec![Row::ZERO; GROUP_SLOTS],
            records: Vec::new(),
            spare: GROUP_SLOTS,
        }
    }

    /// Puts the row of feature `key`; features come in increasing key order, so a group's
    /// slots come together, lowest first. False (and nothing put) if the rows would no
    /// longer be addressable by a [`Loc`].
    pub(crate) fn put(&mut self, key: u64, row: Row) -> bool {
        let (rec, slot) = record_of(key);
        let first = match self.records.last_mut() {
            Some(last) if last.0 == rec => {
                last.2 |= 1 << slot;
                last.1 as usize
            }
            _ => {
                // A new window starts where its absent leading slots land on the zeros the
                // last one left.
                let width = if key & GROUPED != 0 { GROUP_SLOTS } else { 1 };
                let first = self.rows.len() - slot.min(self.spare);
                if first + width >= 1 << ROW_BITS {
                    return false;
                }
                self.rows.resize(first + width, Row::ZERO);
                self.records.push((rec, first as u32, 1 << slot));
                first
            }
        };
        let Some(place) = self.rows.get_mut(first + slot) else {
            return false;
        };
        *place = row;
        self.spare = self.rows.len() - (first + slot + 1);
        true
    }

    /// The rows and the records. The rows end in a whole window of zeros, so that every
    /// record's window (even a last single feature's) lies within them.
    pub(crate) fn finish(mut self) -> (Vec<Row>, Vec<(u64, u32, u8)>) {
        let end = self.rows.len() - self.spare;
        self.rows.resize(end + GROUP_SLOTS, Row::ZERO);
        (self.rows, self.records)
    }
}

/// The `(key, weights)` entries [`Model::from_sorted`] indexes, by position (always
/// inlined: it reads each of a model's 190,000 entries twice, and as a call it cost a
/// fifth of the index's build).
pub(crate) trait SortedEntries {
    fn count(&self) -> usize;
    fn entry(&self, i: usize) -> (u64, [f32; NT]);
}

impl SortedEntries for [(u64, [f32; NT])] {
    #[inline(always)]
    fn count(&self) -> usize {
        self.len()
    }
    #[inline(always)]
    fn entry(&self, i: usize) -> (u64, [f32; NT]) {
        self[i]
    }
}

impl SortedEntries for Payload<'_> {
    #[inline(always)]
    fn count(&self) -> usize {
        self.keys.len()
    }
    #[inline(always)]
    fn entry(&self, i: usize) -> (u64, [f32; NT]) {
        (self.keys[i], self.weights_of(i))
    }
}

/// Inflates a model file's payload (the part after its header line).
pub(crate) fn inflate(payload: &[u8]) -> Result<Vec<u8>, String> {
    // The weights inflate to about 1.6 times the payload: reserved once, the body is
    // not copied from buffer to doubled buffer as it grows (a start-up cost).
    // The whole payload is in memory: inflated in one call, not through a reader's buffer.
    let mut body = Vec::with_capacity(payload.len() * 2 + 64);
    let mut inflater = flate2::Decompress::new(false);
    loop {
        let read = inflater.total_in() as usize;
        let status = inflater
            .decompress_vec(
                payload.get(read..).unwrap_or(&[]),
                &mut body,
                flate2::FlushDecompress::Finish,
            )
            .map_err(|e| format!("model payload: {e}"))?;
        if status == flate2::Status::StreamEnd {
            return Ok(body);
        }
        if body.len() < body.capacity() {
            // Room left but the stream did not end: the input ran out.
            return Err("model payload: deflate stream ends early".into());
        }
        body.reserve(body.capacity());
    }
}

/// The inflated payload of a model file, read but for its weights, which stay where they
/// are (tag-major `i16`s) until [`Payload::weights_of`] reads one feature's.
pub(crate) struct Payload<'b> {
    pub(crate) scale: f32,
    pub(crate) start: [f32; NT],
    pub(crate) trans: [[f32; NT]; NT],
    pub(crate) keys: Vec<u64>,
    /// `NT` runs of `keys.len()` little-endian `i16`s, one run per tag.
    pub(crate) weights: &'b [u8],
}

impl<'b> Payload<'b> {
    /// Reads the counts, scales and keys of `body`, checking that the weights fill the
    /// rest exactly.
    pub(crate) fn read(body: &'b [u8]) -> Result<Payload<'b>, String> {
        let mut r = Reader { b: body, at: 0 };
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        let mut start = [0.0; NT];
        for w in start.iter_mut() {
            *w = r.f32()?;
        }
        let mut trans = [[0.0; NT]; NT];
        for w in trans.iter_mut().flatten() {
            *w = r.f32()?;
        }
        if n > body.len() {
            return Err("feature count exceeds payload".into());
        }
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u64;
        for _ in 0..n {
            prev = prev.wrapping_add(r.varint()?);
            keys.push(prev);
        }
        let rest = &body[r.at..];
        let size = n * NT * 2;
        if rest.len() < size {
            return Err("truncated model payload".into());
        }
        if rest.len() > size {
            return Err("trailing bytes in model payload".into());
        }
        Ok(Payload {
            scale,
            start,
            trans,
            keys,
            weights: rest,
        })
    }

    /// The weights of feature `i`: its stored steps times the file's scale.
    #[inline(always)]
    pub(crate) fn weights_of(&self, i: usize) -> [f32; NT] {
        let n = self.keys.len();
        std::array::from_fn(|t| {
            let at = 2 * (t * n + i);
            i16::from_le_bytes([self.weights[at], self.weights[at + 1]]) as f32 * self.scale
        })
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const K: usize>(&mut self) -> Result<[u8; K], String> {
        let s = self
            .b
            .get(self.at..self.at + K)
            .ok_or("truncated model payload")?;
        self.at += K;
        let mut a = [0u8; K];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take()?))
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let [b] = self.take::<1>()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("bad varint in model payload".into())
    }
}

/// The lookup tables of a model (see `Model`): its index, its rows in windows, how many
/// features have rows, and the weight of one quantisation step.
#[derive(Debug)]
pub(crate) struct Tables {
    pub(crate) index: Vec<Bucket>,
    pub(crate) mask: usize,
    pub(crate) rows: Vec<Row>,
    pub(crate) len: usize,
    pub(crate) scale: f32,
}

/// Builds the tables of `entries` (keys non-zero and increasing). Weights are quantised
/// to i16 steps of `max |w| / 32767`.
#[inline(never)]
pub(crate) fn build_tables(entries: &(impl SortedEntries + ?Sized)) -> Tables {
    let n = entries.count();
    let mut max = 0.0f32;
    for i in 0..n {
        let (_, w) = entries.entry(i);
        for x in w {
            max = max.max((x - w[0]).abs());
        }
    }
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    // Features whose every weight is tiny next to the largest barely move a decision but
    // cost table space (and so cache misses for every other lookup): drop them.
    let cut = PRUNE_FRACTION * max;
    let quantise = |w: &[f32; NT]| -> Weights {
        std::array::from_fn(|t| round_to_step((w[t + 1] - w[0]) / scale))
    };
    // The slots of one group are neighbours in key order (the slot is in the low bits):
    // one record per run of equal record keys.
    let mut windows = Windows::new();
    let mut len = 0;
    for i in 0..n {
        let (key, w) = entries.entry(i);
        if !w.iter().any(|x| (x - w[0]).abs() >= cut) {
            continue;
        }
        // More than 2^27 rows cannot come from a model file of sane size; such
        // features are left out rather than mis-addressed.
        if !windows.put(key, Row::of(quantise(&w))) {
            break;
        }
        len += 1;
    }
    let (rows, records) = windows.finish();
    // Half the places used: about one bucket in twenty overflows.
    let size = (records.len() * 2 / LANES).next_power_of_two().max(1);
    let mut index = vec![Bucket::default(); size];
    let mask = size - 1;
    for (k, &(rec, first, slots)) in records.iter().enumerate() {
        // The index is megabytes and the homes are random: ask for the home of a record
        // a few ahead, so its cache miss overlaps this one's (same order, same index).
        if let Some(&(ahead, _, _)) = records.get(k + 16) {
            prefetch_line(&index[((ahead >> 4) as usize) & mask]);
        }
        let mut b = ((rec >> 4) as usize) & mask;
        loop {
            if let Some(lane) = index[b].fp.iter().position(|&f| f == 0) {
                index[b].fp[lane] = fingerprint(rec);
                index[b].at[lane] = first | (slots as u32) << ROW_BITS;
                break;
            }
            b = (b + 1) & mask;
        }
    }
    Tables {
        index,
        mask,
        rows,
        len,
        scale,
    }
}

/// A model's tables with its start and transition weights.
pub(crate) type FileTables = (Tables, [f32; NT], [[f32; NT]; NT]);

/// The tables of a model file (`bytes`: its header line, whose checks are the caller's,
/// and its payload), with its start and transition weights: what the runtime looks up.
/// Keys that are not increasing (no file `ModelData::to_bytes` writes) are sorted first,
/// a repeated key keeping one of its entries.
pub(crate) fn tables_of_file(bytes: &[u8]) -> Result<FileTables, String> {
    let nl = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let body = inflate(&bytes[nl + 1..])?;
    let p = Payload::read(&body)?;
    let increasing =
        p.keys.first().is_none_or(|&k| k != 0) && p.keys.windows(2).all(|w| w[0] < w[1]);
    let tables = if increasing {
        build_tables(&p)
    } else {
        build_tables(
            sorted_entries(
                (0..p.keys.len())
                    .map(|i| (p.keys[i], p.weights_of(i)))
                    .collect(),
            )
            .as_slice(),
        )
    };
    Ok((tables, p.start, p.trans))
}

/// `entries` without zero keys, sorted by key, a repeated key keeping one of its pairs.
pub(crate) fn sorted_entries(mut entries: Vec<(u64, [f32; NT])>) -> Vec<(u64, [f32; NT])> {
    entries.retain(|e| e.0 != 0);
    entries.sort_unstable_by_key(|e| e.0);
    entries.dedup_by_key(|e| e.0);
    entries
}

/// First bytes of a prebuilt model's tables (the build script's output).
pub(crate) const MAGIC: &[u8; 8] = b"nftables";
/// Written in the target's byte order: read back as the number it is only there.
pub(crate) const ORDER_MARK: u32 = 0x0102_0304;
/// Bytes before the index: the counts, scale, start and transition weights, padded so that
/// the index starts on a 64-byte boundary.
pub(crate) const HEAD: usize = 320;
const _: () =
    assert!(HEAD.is_multiple_of(std::mem::align_of::<Bucket>()) && 64 + 4 * NT * (NT + 1) <= HEAD);
const _: () = assert!(std::mem::size_of::<Bucket>().is_multiple_of(std::mem::align_of::<Row>()));

impl Tables {
    /// The tables with `start` and `trans` as the binary embeds them (the build script):
    /// a head, then the index's buckets and the rows exactly as they lie in memory on the
    /// target (its byte order: `big_endian`), so that the binary can use them in place.
    pub(crate) fn to_prebuilt(
        &self,
        start: &[f32; NT],
        trans: &[[f32; NT]; NT],
        big_endian: bool,
    ) -> Vec<u8> {
        let u32b = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let u64b = |v: u64| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = Vec::with_capacity(
            HEAD + self.index.len() * std::mem::size_of::<Bucket>()
                + self.rows.len() * std::mem::size_of::<Row>(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&u32b(ORDER_MARK));
        out.extend_from_slice(&u32b(self.scale.to_bits()));
        for v in [self.index.len(), self.rows.len(), self.len, self.mask] {
            out.extend_from_slice(&u64b(v as u64));
        }
        out.resize(64, 0);
        for w in start.iter().chain(trans.iter().flatten()) {
            out.extend_from_slice(&u32b(w.to_bits()));
        }
        out.resize(HEAD, 0);
        for b in &self.index {
            for v in b.fp.iter().chain(&b.at) {
                out.extend_from_slice(&u32b(*v));
            }
        }
        for r in &self.rows {
            for v in r.0 {
                out.extend_from_slice(
                    &(if big_endian {
                        v.to_be_bytes()
                    } else {
                        v.to_le_bytes()
                    }),
                );
            }
        }
        out
    }
}

/// Prebuilt tables as the binary embeds them, used in place.
#[derive(Debug)]
pub(crate) struct Prebuilt {
    pub(crate) index: &'static [Bucket],
    pub(crate) mask: usize,
    pub(crate) rows: &'static [Row],
    pub(crate) len: usize,
    pub(crate) scale: f32,
    pub(crate) start: [f32; NT],
    pub(crate) trans: [[f32; NT]; NT],
}

/// Types every bit pattern of whose size is a valid value, with no padding.
///
/// # Safety
/// Implement only for such types.
unsafe trait Plain: Sized {}
// SAFETY: `Bucket` is `repr(C)`: sixteen `u32`s, 64 bytes, no padding (asserted above).
unsafe impl Plain for Bucket {}
// SAFETY: `Row` is `repr(C)`: eight `i16`s, 16 bytes, no padding.
unsafe impl Plain for Row {}
const _: () = assert!(std::mem::size_of::<Row>() == 16);

/// `bytes` as `n` values of `T`, if they are exactly that long and aligned for `T`.
fn view<T: Plain>(bytes: &'static [u8], n: usize) -> Option<&'static [T]> {
    let size = n.checked_mul(std::mem::size_of::<T>())?;
    if bytes.len() != size || bytes.as_ptr().align_offset(std::mem::align_of::<T>()) != 0 {
        return None;
    }
    // SAFETY: the pointer is non-null and aligned for `T` (checked), the `size` bytes
    // behind it are initialised and live for `'static`, never written (a shared borrow of
    // them all), and every `size_of::<T>()` of them are a valid `T` (`Plain`).
    Some(unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), n) })
}

impl Prebuilt {
    /// Reads the head of prebuilt tables and views their index and rows in place. An error
    /// for bytes the build script did not write for this target (wrong magic, byte order or
    /// length, or a misaligned start).
    pub(crate) fn of(bytes: &'static [u8]) -> Result<Prebuilt, String> {
        let head = bytes.get(..HEAD).ok_or("prebuilt tables: no head")?;
        if head.get(..8) != Some(MAGIC.as_slice()) {
            return Err("prebuilt tables: bad magic".into());
        }
        let word = |at: usize| -> u32 {
            let mut a = [0u8; 4];
            a.copy_from_slice(&head[at..at + 4]);
            u32::from_ne_bytes(a)
        };
        let count = |at: usize| -> Result<usize, String> {
            let mut a = [0u8; 8];
            a.copy_from_slice(&head[at..at + 8]);
            usize::try_from(u64::from_ne_bytes(a)).map_err(|e| format!("prebuilt tables: {e}"))
        };
        if word(8) != ORDER_MARK {
            return Err("prebuilt tables: another byte order".into());
        }
        let scale = f32::from_bits(word(12));
        let (buckets, rows, len, mask) = (count(16)?, count(24)?, count(32)?, count(40)?);
        if buckets == 0 || mask != buckets - 1 {
            return Err("prebuilt tables: bad index size".into());
        }
        let mut start = [0.0; NT];
        let mut trans = [[0.0; NT]; NT];
        for (k, w) in start
            .iter_mut()
            .chain(trans.iter_mut().flatten())
            .enumerate()
        {
            *w = f32::from_bits(word(64 + 4 * k));
        }
        let index_end = buckets
            .checked_mul(std::mem::size_of::<Bucket>())
            .and_then(|b| b.checked_add(HEAD))
            .ok_or("prebuilt tables: bad index size")?;
        let index_bytes = bytes
            .get(HEAD..index_end)
            .ok_or("prebuilt tables: truncated")?;
        let row_bytes = bytes.get(index_end..).ok_or("prebuilt tables: truncated")?;
        Ok(Prebuilt {
            index: view(index_bytes, buckets).ok_or("prebuilt tables: bad index bytes")?,
            mask,
            rows: view(row_bytes, rows).ok_or("prebuilt tables: bad row bytes")?,
            len,
            scale,
            start,
            trans,
        })
    }
}
