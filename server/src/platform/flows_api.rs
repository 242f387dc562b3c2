//! The organisation REST API as a source of flows: the project's flow list and each flow's
//! export, fetched with the organisation key, cached on disk like the schema (never with the
//! key), with the same retries and failure messages.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::cache;
use super::failure::FetchFailure;
use super::fetch::{send, FetchOptions};
use crate::base::catalog::Code;
use crate::config::{FlowqlSettings, Secret};

const FORMAT_VERSION: u32 = 1;

/// Where a project's flows come from on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgApi {
    pub base: String,
    pub org: String,
    pub project: String,
    pub key: Secret,
    pub cache_path: PathBuf,
    pub offline: bool,
}

/// The cached flow list of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowsCache {
    pub version: u32,
    pub base: String,
    pub org: String,
    pub project: String,
    pub fetched_at: u64,
    /// Each flow's export, as the API gave it (with `id`, `name`, `status`, `nodes`).
    pub flows: Vec<Value>,
}

impl FlowsCache {
    pub fn age(&self) -> Duration {
        crate::base::age::age_since(self.fetched_at)
    }
}

impl OrgApi {
    /// The API of a project's settings, when `restApi`, `orgId`, `orgKey` and `projectId` are
    /// all set.
    pub fn from_settings(settings: &FlowqlSettings) -> Option<OrgApi> {
        let base = settings.rest_api.clone()?.trim_end_matches('/').to_string();
        let org = settings.org_id.clone()?;
        let project = settings.project_id.clone()?;
        let key = settings.org_key.clone()?;
        let dir = cache::cache_dir(settings.cache_dir.as_deref());
        let name = cache::entry_path(&dir, &format!("{base}/{org}"), Some(&project));
        let cache_path = name.with_file_name(
            name.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("schema.json")
                .replacen("schema-", "flows-", 1),
        );
        Some(OrgApi {
            base,
            org,
            project,
            key,
            cache_path,
            offline: settings.offline,
        })
    }

    fn project_url(&self) -> String {
        format!(
            "{}/organizations/{}/project/{}",
            self.base, self.org, self.project
        )
    }

    /// The cached flows, if any usable copy exists.
    pub fn cached(&self) -> Option<FlowsCache> {
        read(&self.cache_path).filter(|c| {
            c.version == FORMAT_VERSION
                && c.base == self.base
                && c.org == self.org
                && c.project == self.project
        })
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        options: &FetchOptions,
        url: &str,
    ) -> Result<Value, FetchFailure> {
        let answer = send(options, url, true, || {
            let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.key.expose()))
                .unwrap_or_else(|_| HeaderValue::from_static(""));
            auth.set_sensitive(true);
            client
                .get(url)
                .header(AUTHORIZATION, auth)
                .header(ACCEPT, "application/json")
        })
        .await?;
        serde_json::from_slice(&answer.body).map_err(|e| {
            FetchFailure::new(
                Code::MalformedResponse,
                format!("the answer of {url} is not valid JSON: {e}"),
            )
        })
    }

    /// Lists the project's flows and fetches each export, then caches them.
    pub async fn refresh(
        &self,
        client: &reqwest::Client,
        options: &FetchOptions,
    ) -> Result<FlowsCache, FetchFailure> {
        if self.offline {
            return Err(FetchFailure::new(
                Code::SchemaFromCache,
                "`offline` is set: flows are not fetched",
            ));
        }
        let key = self.key.expose().to_string();
        let result = async {
            let list_url = format!("{}/flows", self.project_url());
            let list = self.get(client, options, &list_url).await?;
            let ids: Vec<String> = list
                .get("flows")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    FetchFailure::new(
                        Code::MalformedResponse,
                        format!("{list_url} did not answer a `flows` list"),
                    )
                })?
                .iter()
                .filter_map(|f| f.get("id").and_then(Value::as_str).map(str::to_string))
                .collect();
            let mut flows = Vec::with_capacity(ids.len());
            for id in ids {
                let url = format!("{}/flows/{id}", self.project_url());
                let mut export = match self.get(client, options, &url).await {
                    Ok(export) => export,
                    // Listed but gone by now (deleted meanwhile): leave it out.
                    Err(failure) if failure.status == Some(404) => {
                        tracing::info!("{url}: {failure}; the flow is left out");
                        continue;
                    }
                    Err(failure) => return Err(failure),
                };
                // Exports sometimes come wrapped: `{ "flow": {...} }`.
                if export.get("nodes").is_none() {
                    if let Some(inner) = export.get("flow").cloned() {
                        export = inner;
                    }
                }
                if export.get("id").is_none() {
                    export["id"] = Value::String(id);
                }
                flows.push(export);
            }
            Ok(FlowsCache {
                version: FORMAT_VERSION,
                base: self.base.clone(),
                org: self.org.clone(),
                project: self.project.clone(),
                fetched_at: crate::base::age::now_secs(),
                flows,
            })
        }
        .await
        .map_err(|f: FetchFailure| f.redacted(Some(&key)))?;
        if let Err(e) = cache::write(&self.cache_path, &result) {
            tracing::warn!(
                "cannot write the flow cache {}: {e}",
                self.cache_path.display()
            );
        }
        Ok(result)
    }
}

fn read(path: &Path) -> Option<FlowsCache> {
    let text = std::fs::read_to_string(path).ok()?;
    match serde_json::from_str(&text) {
        Ok(cache) => Some(cache),
        Err(e) => {
            tracing::warn!("ignoring corrupt flow cache {}: {e}", path.display());
            None
        }
    }
}
