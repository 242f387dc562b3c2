//! The diagnostics of a kit's env files, published whether they are open or not (editors do not
//! hand `.env` buffers to a language server of code): their own problems, and the failures of
//! fetching with the connection they give, at the name to change.

use std::path::Path;

use super::proto;
use super::state::ServerState;
use crate::catalog::Code;
use crate::config::Config;
use crate::document::Document;
use crate::kit::Kit;

/// The `.env` names a failure is about: the key for 401, the project for 403, else the URL.
fn names_for(code: Code) -> &'static [&'static str] {
    match code {
        Code::Unauthorized | Code::OrgKeyOnProjectEndpoint => {
            &["LAMATIC_API_KEY", "LAMATIC_PROJECT_API_KEY"]
        }
        Code::Forbidden => &["LAMATIC_PROJECT_ID"],
        _ => crate::kit::env_checks::ENDPOINT_NAMES,
    }
}

impl ServerState {
    /// Publishes each env file's diagnostics of `kit` when they changed; `config` is the
    /// connection the kit stands for (its failures are placed at the `.env` names it read).
    pub(super) async fn publish_kit_files(&self, kit: &Kit, config: Option<&Config>) {
        let failures = config
            .map(|c| self.standing_failures(c))
            .unwrap_or_default();
        let encoding = self.encoding();
        let base = self.docs_base();
        for file in &kit.env.files {
            let text = if kit.env.too_large.contains(file) {
                String::new()
            } else {
                crate::kit::env_files::read_lossy(file).unwrap_or_default()
            };
            let mut found = crate::workspace::kit_problems_of(kit, file, &text);
            for (_, _, failure) in &failures {
                let at = names_for(failure.code)
                    .iter()
                    .find_map(|name| kit.env.values.get(*name));
                if let Some(entry) = at.filter(|e| e.file == *file) {
                    let mut failure = failure.clone();
                    failure.range = entry.range.clone();
                    found.push(failure);
                }
            }
            found.sort_by_key(|d| (d.range.start, d.range.end));
            let doc = Document::new(&text, 0);
            let diagnostics = found
                .iter()
                .map(|d| proto::diagnostic(d, &doc, encoding, &base))
                .collect();
            self.publish_to_config(Path::new(file), diagnostics).await;
        }
    }
}
