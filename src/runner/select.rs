//! Choosing which scenarios run: `--filter` and `--partition` (stable sharding across CI machines,
//! like nextest's `hash:` and `count:` partitions).

use std::fmt;
use std::str::FromStr;

/// How scenarios are split into shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionKind {
    /// By a stable hash of the scenario id: adding a scenario never moves the others.
    Hash,
    /// By position in the sorted list of ids: shards differ in size by at most one.
    Count,
}

/// `--partition i/n` (hash), `hash:i/n` or `count:i/n`, with 1 <= i <= n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// How to split.
    pub kind: PartitionKind,
    /// This shard, 1-based.
    pub index: u64,
    /// Number of shards.
    pub total: u64,
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (kind, rest) = match text.split_once(':') {
            Some(("hash", rest)) => (PartitionKind::Hash, rest),
            Some(("count", rest)) => (PartitionKind::Count, rest),
            Some((other, _)) => {
                return Err(format!(
                    "unknown partition kind `{other}`; use `hash:i/n`, `count:i/n` or `i/n` (hash)"
                ));
            }
            None => (PartitionKind::Hash, text),
        };
        let (index, total) = rest
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a partition; write i/n, e.g. 1/3"))?;
        let index: u64 = index
            .trim()
            .parse()
            .map_err(|_| format!("`{index}` in `{text}` is not a shard number"))?;
        let total: u64 = total
            .trim()
            .parse()
            .map_err(|_| format!("`{total}` in `{text}` is not a shard count"))?;
        if total == 0 || index == 0 || index > total {
            return Err(format!("partition `{text}`: need 1 <= i <= n"));
        }
        Ok(Partition { kind, index, total })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            PartitionKind::Hash => "hash",
            PartitionKind::Count => "count",
        };
        write!(f, "{kind}:{}/{}", self.index, self.total)
    }
}

impl Partition {
    /// Whether the scenario with this id, at this position of the sorted selection, is in
    /// this shard.
    pub fn contains(&self, id: &str, position: usize) -> bool {
        let bucket = match self.kind {
            PartitionKind::Hash => fnv1a(id.as_bytes()) % self.total,
            PartitionKind::Count => position as u64 % self.total,
        };
        bucket == self.index - 1
    }
}

/// FNV-1a, 64 bit: fixed by its definition, so shards stay the same across Rust versions and
/// machines (std's `DefaultHasher` makes no such promise).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Keeps the ids matching any of `filters` (a substring of the id or the name,
/// case-insensitive; every id when there is none), then those in the partition. `items` are
/// `(id, name)` in id order; returns the kept indexes.
pub fn select(
    items: &[(String, String)],
    filters: &[String],
    partition: Option<Partition>,
) -> Vec<usize> {
    let filters: Vec<String> = filters.iter().map(|f| f.to_lowercase()).collect();
    let filtered: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, (id, name))| {
            let (id, name) = (id.to_lowercase(), name.to_lowercase());
            filters.is_empty()
                || filters
                    .iter()
                    .any(|needle| id.contains(needle) || name.contains(needle))
        })
        .map(|(index, _)| index)
        .collect();
    match partition {
        None => filtered,
        Some(partition) => filtered
            .iter()
            .enumerate()
            .filter(|(position, index)| partition.contains(&items[**index].0, *position))
            .map(|(_, index)| *index)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!("2/3".parse::<Partition>().unwrap().to_string(), "hash:2/3");
        assert_eq!(
            "count:1/2".parse::<Partition>().unwrap().kind,
            PartitionKind::Count
        );
        assert!("0/3".parse::<Partition>().is_err());
        assert!("4/3".parse::<Partition>().is_err());
        assert!("shard:1/3".parse::<Partition>().is_err());
    }

    #[test]
    fn fnv1a_matches_its_reference_value() {
        // Reference value of FNV-1a 64 for "a".
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
