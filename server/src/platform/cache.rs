//! The schema cache on disk: one file per endpoint and project, written atomically, holding
//! the SDL, its `ETag` and when it was fetched, and never the API key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long a cached schema is fresh; after that it is refreshed in the background.
pub const DEFAULT_TTL: Duration = Duration::from_secs(60 * 60);

const FORMAT_VERSION: u32 = 1;

/// One cached schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheEntry {
    pub version: u32,
    pub endpoint: String,
    pub project_id: Option<String>,
    /// Seconds since the Unix epoch.
    pub fetched_at: u64,
    pub etag: Option<String>,
    pub sdl: String,
}

impl CacheEntry {
    pub fn new(
        endpoint: &str,
        project_id: Option<&str>,
        etag: Option<String>,
        sdl: String,
    ) -> Self {
        CacheEntry {
            version: FORMAT_VERSION,
            endpoint: endpoint.to_string(),
            project_id: project_id.map(str::to_string),
            fetched_at: crate::base::age::now_secs(),
            etag,
            sdl,
        }
    }

    pub fn age(&self) -> Duration {
        crate::base::age::age_since(self.fetched_at)
    }

    pub fn is_fresh(&self, ttl: Duration) -> bool {
        self.age() < ttl
    }
}

/// The cache folder: `cacheDir` from the settings, else `$FLOWQL_CACHE_DIR`, else the user's
/// cache folder (`~/.cache/flowql` on Linux).
pub fn cache_dir(configured: Option<&Path>) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("FLOWQL_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("flowql")
}

/// The file for an endpoint and project: readable names plus a hash of both, so that two
/// projects on one endpoint never share a file.
pub fn entry_path(dir: &Path, endpoint: &str, project_id: Option<&str>) -> PathBuf {
    let host = safe_name(
        endpoint
            .trim_start_matches("https://")
            .trim_start_matches("http://"),
        60,
    );
    let hash = fnv1a(format!("{endpoint}\n{}", project_id.unwrap_or("")).as_bytes());
    dir.join(format!("schema-{host}-{hash:016x}.json"))
}

/// Where the read-only copy of a schema source's SDL goes (`sdl/bundled-<hash>.graphql`),
/// named by its content, so one text is written once.
pub fn sdl_copy_path(dir: &Path, stem: &str, text: &str) -> PathBuf {
    let hash = fnv1a(text.as_bytes());
    dir.join("sdl")
        .join(format!("{}-{hash:016x}.graphql", safe_name(stem, 40)))
}

/// Letters, digits, `.` and `-` of `text`, the rest as `_`, at most `max` characters.
fn safe_name(text: &str, max: usize) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(max)
        .collect()
}

/// FNV-1a: a hash that is the same in every build, so cache file names stay stable.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Reads an entry; a missing, corrupt or foreign file is `None` (and will be replaced).
pub fn read(path: &Path, endpoint: &str, project_id: Option<&str>) -> Option<CacheEntry> {
    let text = std::fs::read_to_string(path).ok()?;
    match serde_json::from_str::<CacheEntry>(&text) {
        Ok(entry)
            if entry.version == FORMAT_VERSION
                && entry.endpoint == endpoint
                && entry.project_id.as_deref() == project_id =>
        {
            Some(entry)
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!("ignoring corrupt schema cache {}: {e}", path.display());
            None
        }
    }
}

/// Writes an entry atomically: a temporary file in the same folder, then a rename.
pub fn write(path: &Path, entry: &impl Serialize) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("schema"),
        std::process::id()
    ));
    let text = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("flowql-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn round_trip_and_atomic_write() {
        let dir = dir("roundtrip");
        let path = entry_path(&dir, "https://acme.example.test/graphql", Some("p1"));
        let entry = CacheEntry::new(
            "https://acme.example.test/graphql",
            Some("p1"),
            Some("\"v1\"".into()),
            "type Query { a: Int }".into(),
        );
        write(&path, &entry).unwrap();
        assert_eq!(
            read(&path, "https://acme.example.test/graphql", Some("p1")),
            Some(entry)
        );
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn projects_and_endpoints_get_their_own_files() {
        let dir = Path::new("/c");
        let a = entry_path(dir, "https://x.test/graphql", Some("p1"));
        let b = entry_path(dir, "https://x.test/graphql", Some("p2"));
        let c = entry_path(dir, "https://y.test/graphql", Some("p1"));
        assert!(a != b && a != c && b != c);
        assert!(a.to_string_lossy().contains("x.test_graphql"));
    }

    #[test]
    fn corrupt_or_foreign_files_are_ignored() {
        let dir = dir("corrupt");
        std::fs::create_dir_all(&dir).unwrap();
        let path = entry_path(&dir, "https://x.test/graphql", None);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(read(&path, "https://x.test/graphql", None), None);
        let other = CacheEntry::new(
            "https://other.test/graphql",
            None,
            None,
            "type Query { a: Int }".into(),
        );
        write(&path, &other).unwrap();
        assert_eq!(read(&path, "https://x.test/graphql", None), None);
    }
}
