//! A layer in front of the protocol handlers. tower-lsp-server runs handlers concurrently, so
//! document edits are applied here, in `call`, which runs once per message in arrival order,
//! before any handler future exists. The same layer turns a panic in any handler into an error
//! response (or a logged failure for a notification), so one bad request never stops the server.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::FutureExt;
use serde::de::DeserializeOwned;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ExitedError;

use super::proto;
use super::state::{is_graphql, ServerState};

/// Wraps the framework's service; see the module documentation.
pub struct Ordered<S> {
    inner: S,
    state: Arc<ServerState>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, state: Arc<ServerState>) -> Self {
        Ordered { inner, state }
    }
}

fn params<T: DeserializeOwned>(request: &Request) -> Option<T> {
    let value = request.params()?.clone();
    match serde_json::from_value(value) {
        Ok(params) => Some(params),
        Err(e) => {
            tracing::warn!("malformed {} params: {e}", request.method());
            None
        }
    }
}

/// The text of a panic payload, for logs and error responses.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

impl ServerState {
    /// Applies a document notification to the document store, synchronously.
    fn sync_document(&self, request: &Request) {
        match request.method() {
            "textDocument/didOpen" => {
                if let Some(p) = params::<lsp::DidOpenTextDocumentParams>(request) {
                    let doc = p.text_document;
                    if is_graphql(&doc.uri, &doc.language_id) {
                        self.open(doc.uri, &doc.text, doc.version);
                    }
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = params::<lsp::DidChangeTextDocumentParams>(request) {
                    let changes: Vec<_> =
                        p.content_changes.into_iter().map(proto::change).collect();
                    self.change(&p.text_document.uri, p.text_document.version, &changes);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params::<lsp::DidCloseTextDocumentParams>(request) {
                    self.close(&p.text_document.uri);
                }
            }
            "shutdown" => self.mark_shutdown(),
            _ => {}
        }
    }
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method().to_string();
        let id = request.id().cloned();
        let state = self.state.clone();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| state.sync_document(&request))) {
            tracing::error!("{method} failed: {}", panic_message(panic.as_ref()));
        }
        let future = match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => future,
            Err(panic) => {
                let message = panic_message(panic.as_ref());
                return Box::pin(async move { Ok(failure(&method, id, &message)) });
            }
        };
        Box::pin(async move {
            match AssertUnwindSafe(future).catch_unwind().await {
                Ok(result) => result,
                Err(panic) => Ok(failure(&method, id, &panic_message(panic.as_ref()))),
            }
        })
    }
}

/// The answer to a request whose handler panicked: an internal error; nothing for a notification.
fn failure(
    method: &str,
    id: Option<tower_lsp_server::jsonrpc::Id>,
    message: &str,
) -> Option<Response> {
    tracing::error!("{method} failed: {message}");
    id.map(|id| {
        Response::from_error(
            id,
            Error {
                message: format!("flowql failed while handling {method}: {message}").into(),
                ..Error::internal_error()
            },
        )
    })
}
