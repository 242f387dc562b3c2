//! The network edge: fetching the project's schema from its endpoint, and the disk cache that
//! lets flowql start at once and keep working offline. Analysis never waits on this module.

pub mod cache;
pub mod failure;
pub mod fetch;
pub mod flows_api;

use std::path::PathBuf;
use std::time::Duration;

use crate::config::FlowqlSettings;
use cache::CacheEntry;
use failure::FetchFailure;
use fetch::{Endpoint, FetchOptions, Fetched};

/// Something fetched from the platform, as failures are remembered by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fetchable {
    Schema(Remote),
    Flows(flows_api::OrgApi),
}

impl Fetchable {
    /// What the user sees in progress reports and logs.
    pub fn describe(&self) -> String {
        match self {
            Fetchable::Schema(remote) => format!("the schema of {}", remote.endpoint.url),
            Fetchable::Flows(api) => {
                format!("the flows of project {} at {}", api.project, api.base)
            }
        }
    }

    /// Whether the cached copy is younger than `ttl`.
    pub fn is_fresh(&self, ttl: Duration) -> bool {
        match self {
            Fetchable::Schema(remote) => remote.cached().is_some_and(|c| c.is_fresh(ttl)),
            Fetchable::Flows(api) => api.cached().is_some_and(|c| c.age() < ttl),
        }
    }

    pub fn offline(&self) -> bool {
        match self {
            Fetchable::Schema(remote) => remote.offline,
            Fetchable::Flows(api) => api.offline,
        }
    }

    /// Fetches and caches; returns a short summary of what arrived.
    pub async fn refresh(
        &self,
        client: &reqwest::Client,
        options: &FetchOptions,
    ) -> Result<String, FetchFailure> {
        match self {
            Fetchable::Schema(remote) => remote
                .refresh(client, options)
                .await
                .map(|e| format!("{} bytes of SDL", e.sdl.len())),
            Fetchable::Flows(api) => api
                .refresh(client, options)
                .await
                .map(|c| format!("{} flows", c.flows.len())),
        }
    }
}

/// A project's endpoint and where its schema is cached.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Remote {
    pub endpoint: Endpoint,
    pub cache_path: PathBuf,
    pub offline: bool,
}

impl Remote {
    /// The remote of a project's settings, when an endpoint is configured.
    pub fn from_settings(settings: &FlowqlSettings) -> Option<Remote> {
        let url = settings.endpoint.clone()?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return None;
        }
        let dir = cache::cache_dir(settings.cache_dir.as_deref());
        let cache_path = cache::entry_path(&dir, &url, settings.project_id.as_deref());
        Some(Remote {
            endpoint: Endpoint {
                url,
                project_id: settings.project_id.clone(),
                api_key: settings.api_key.clone(),
            },
            cache_path,
            offline: settings.offline,
        })
    }

    /// The cached copy, if there is a usable one.
    pub fn cached(&self) -> Option<CacheEntry> {
        cache::read(
            &self.cache_path,
            &self.endpoint.url,
            self.endpoint.project_id.as_deref(),
        )
    }

    /// Fetches the schema (conditionally, when a cached copy has an `ETag`) and stores it.
    pub async fn refresh(
        &self,
        client: &reqwest::Client,
        options: &FetchOptions,
    ) -> Result<CacheEntry, FetchFailure> {
        if self.offline {
            return Err(FetchFailure::new(
                crate::base::catalog::Code::SchemaFromCache,
                "`offline` is set: the schema is not fetched",
            ));
        }
        let cached = self.cached();
        let mut options = options.clone();
        options.etag = cached.as_ref().and_then(|c| c.etag.clone());
        let project = self.endpoint.project_id.as_deref();
        let entry = match fetch::fetch_schema(client, &self.endpoint, &options).await? {
            Fetched::Schema { sdl, etag } => {
                CacheEntry::new(&self.endpoint.url, project, etag, sdl)
            }
            Fetched::NotModified => match cached {
                Some(cached) => {
                    CacheEntry::new(&self.endpoint.url, project, cached.etag, cached.sdl)
                }
                None => {
                    return Err(FetchFailure::new(
                        crate::base::catalog::Code::MalformedResponse,
                        format!(
                            "{} answered 304 Not Modified to a request without a cached copy",
                            self.endpoint.url
                        ),
                    ))
                }
            },
        };
        if let Err(e) = cache::write(&self.cache_path, &entry) {
            tracing::warn!(
                "cannot write the schema cache {}: {e}",
                self.cache_path.display()
            );
        }
        Ok(entry)
    }
}

/// The default limits, for the server and the command line alike.
pub fn default_options() -> FetchOptions {
    FetchOptions::default()
}

/// How long after a failed fetch the server waits before trying again on its own.
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);
