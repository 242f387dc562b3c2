//! The diagnostics of a kit's own files that are not open documents of the server: its env
//! files (editors do not hand `.env` buffers to a language server of code), with the failures
//! of fetching with the connection they give at the name to change; and its flow files and
//! configuration while they are closed (a JSON flow or `lamatic.config.yaml` is never opened
//! with the server), so that the Problems panel lists them. An open document publishes its own.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::proto;
use super::state::ServerState;
use crate::base::catalog::Code;
use crate::base::document::Document;
use crate::config::Config;
use crate::surfaces::kit::Kit;

/// The `.env` names a failure is about: the key for 401, the project for 403, else the URL.
fn names_for(code: Code) -> &'static [&'static str] {
    match code {
        Code::Unauthorized | Code::OrgKeyOnProjectEndpoint => {
            &["LAMATIC_API_KEY", "LAMATIC_PROJECT_API_KEY"]
        }
        Code::Forbidden => &["LAMATIC_PROJECT_ID"],
        _ => crate::surfaces::kit::env_checks::ENDPOINT_NAMES,
    }
}

impl ServerState {
    /// Publishes the diagnostics of `kit`'s files that are not open documents, when they
    /// changed; `config` is the connection the kit stands for (its failures are placed at the
    /// `.env` names it read).
    pub(super) async fn publish_kit_files(&self, kit: &Kit, config: Option<&Config>) {
        let failures = config
            .map(|c| self.standing_failures(c))
            .unwrap_or_default();
        let encoding = self.encoding();
        let base = self.docs_base();
        let open: HashSet<PathBuf> = self
            .documents()
            .values()
            .filter_map(|d| d.path.clone())
            .collect();
        let mut files: BTreeSet<PathBuf> = kit.env.files.iter().cloned().collect();
        files.extend(kit.problems.iter().map(|p| p.file.clone()));
        // Made from the same reading of the kit, failures and open files: nothing to do (the
        // files are not read again on every keystroke of every document of the kit).
        let made_from = format!(
            "{}|{:?}|{:?}",
            kit.reading,
            failures
                .iter()
                .map(|(_, _, d)| &d.message)
                .collect::<Vec<_>>(),
            files
                .iter()
                .filter(|f| open.contains(*f))
                .collect::<Vec<_>>()
        );
        let before = {
            let mut published = self.kit_files.0.lock().unwrap_or_else(|e| e.into_inner());
            let entry = (made_from.clone(), files.iter().cloned().collect());
            match published.insert(kit.root.clone(), entry) {
                Some((previous, _)) if previous == made_from => return,
                Some((_, before)) => before,
                None => HashSet::new(),
            }
        };
        // Files that had diagnostics and have none now are cleared.
        files.extend(before);
        for file in &files {
            if open.contains(file) {
                self.forget_published(file);
                continue;
            }
            // A file too large to be read by the kit has its problem at its start: no need to
            // read it here either.
            let too_large = kit.env.too_large.contains(file)
                || std::fs::metadata(file).is_ok_and(|m| {
                    m.len() > crate::surfaces::kit::flow_module::MAX_FLOW_BYTES as u64
                });
            let text = if too_large {
                String::new()
            } else {
                crate::surfaces::kit::env_files::read_lossy(file).unwrap_or_default()
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
