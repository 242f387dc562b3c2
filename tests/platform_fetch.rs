//! Schema fetching against the fake platform on 127.0.0.1: success, every failure mapped to
//! its catalog code, bounded retries, `Retry-After`, redirects that drop the key, `ETag`s, and
//! the disk cache.

mod support;

use std::time::{Duration, Instant};

use flowql::base::catalog::Code;
use flowql::config::{FlowqlSettings, Secret};
use flowql::platform::fetch::{client, fetch_schema, Endpoint, FetchOptions, Fetched};
use flowql::platform::Remote;
use support::fake_platform::{FakePlatform, Mode, API_KEY, PROJECT_ID};

fn endpoint(url: &str) -> Endpoint {
    Endpoint {
        url: url.to_string(),
        project_id: Some(PROJECT_ID.to_string()),
        api_key: Some(Secret::new(API_KEY)),
    }
}

fn quick() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        first_wait: Duration::from_millis(10),
        max_wait: Duration::from_millis(50),
        ..FetchOptions::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn fetch(
    endpoint: &Endpoint,
    options: &FetchOptions,
) -> Result<Fetched, flowql::platform::failure::FetchFailure> {
    runtime().block_on(fetch_schema(&client(options), endpoint, options))
}

fn failure_code(endpoint: &Endpoint, options: &FetchOptions) -> (Code, String) {
    let failure = fetch(endpoint, options).expect_err("the fetch fails");
    assert!(
        !failure.message.contains(API_KEY),
        "the key leaked: {}",
        failure.message
    );
    // What the user is shown, for `cargo test --test platform_fetch -- --nocapture`.
    eprintln!("{}: {}", failure.code, failure.message);
    (failure.code, failure.message)
}

#[test]
fn fetches_the_schema_with_the_platform_headers() {
    let fake = FakePlatform::start();
    let Fetched::Schema { sdl, .. } = fetch(&endpoint(&fake.url()), &quick()).unwrap() else {
        panic!("expected a schema");
    };
    assert!(
        sdl.contains("executeWorkflow(") && sdl.contains("scalar JSON"),
        "{sdl}"
    );
    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(seen[0].project_id.as_deref(), Some(PROJECT_ID));
    assert!(seen[0]
        .accept_encoding
        .as_deref()
        .unwrap_or("")
        .contains("gzip"));
}

#[test]
fn auth_failures_say_what_to_check() {
    let fake = FakePlatform::start();
    let mut wrong_key = endpoint(&fake.url());
    wrong_key.api_key = Some(Secret::new("lt-wrong-key-123456"));
    let (code, message) = failure_code(&wrong_key, &quick());
    assert_eq!(code, Code::Unauthorized);
    assert!(
        message.contains("401") && message.contains("refused"),
        "{message}"
    );
    assert!(!message.contains("lt-wrong-key-123456"));

    let mut no_key = endpoint(&fake.url());
    no_key.api_key = None;
    let (code, message) = failure_code(&no_key, &quick());
    assert_eq!(code, Code::Unauthorized);
    assert!(message.contains("no `apiKey`"), "{message}");

    let mut wrong_project = endpoint(&fake.url());
    wrong_project.project_id = Some("00000000-0000-0000-0000-000000000000".into());
    assert_eq!(failure_code(&wrong_project, &quick()).0, Code::Forbidden);

    let wrong_path = endpoint(&format!("http://{}/nope/graphql", fake.addr));
    assert_eq!(failure_code(&wrong_path, &quick()).0, Code::NotFound);
}

#[test]
fn an_organisation_key_is_never_sent_to_the_project_endpoint() {
    let fake = FakePlatform::start();
    let mut org = endpoint(&fake.url());
    org.api_key = Some(Secret::new("lt-org-abcdef123456"));
    assert_eq!(
        failure_code(&org, &quick()).0,
        Code::OrgKeyOnProjectEndpoint
    );
    assert_eq!(fake.requests(), 0);
}

#[test]
fn a_429_storm_makes_a_bounded_number_of_requests() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::RateLimited(0));
    let (code, message) = failure_code(&endpoint(&fake.url()), &quick());
    assert_eq!(code, Code::RateLimited);
    assert!(message.contains("after 4 tries"), "{message}");
    assert_eq!(fake.requests(), 4);
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::RateLimited(1));
    let options = FetchOptions {
        max_attempts: 2,
        max_wait: Duration::from_secs(5),
        ..quick()
    };
    let start = Instant::now();
    failure_code(&endpoint(&fake.url()), &options);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        start.elapsed()
    );

    fake.set_mode(Mode::RateLimited(3600));
    let start = Instant::now();
    failure_code(&endpoint(&fake.url()), &quick());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "an hour-long Retry-After is capped"
    );
}

#[test]
fn server_errors_are_retried_then_explained() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::FailThenRecover {
        status: 503,
        failures: 2,
    });
    assert!(matches!(
        fetch(&endpoint(&fake.url()), &quick()),
        Ok(Fetched::Schema { .. })
    ));
    assert_eq!(fake.requests(), 3);

    fake.set_mode(Mode::Status(500));
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &quick()).0,
        Code::ServerError
    );
    fake.set_mode(Mode::Status(502));
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &quick()).0,
        Code::ModelProviderError
    );
}

#[test]
fn network_failures_are_told_apart() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::Slow(Duration::from_secs(3)));
    let options = FetchOptions {
        timeout: Duration::from_millis(300),
        ..quick()
    };
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &options).0,
        Code::FetchTimeout
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let (code, message) = failure_code(
        &endpoint(&format!("http://127.0.0.1:{port}/graphql")),
        &quick(),
    );
    assert_eq!(code, Code::ConnectionFailed, "{message}");

    fake.set_mode(Mode::Normal);
    let (code, message) = failure_code(
        &endpoint(&format!("https://{}/graphql", fake.addr)),
        &quick(),
    );
    assert_eq!(code, Code::TlsFailed, "{message}");

    fake.set_mode(Mode::Drop);
    let (code, message) = failure_code(&endpoint(&fake.url()), &quick());
    assert_eq!(code, Code::ConnectionFailed, "{message}");
}

#[test]
fn unknown_hosts_are_a_dns_failure() {
    // `.invalid` never resolves (RFC 6761).
    let (code, message) = failure_code(&endpoint("http://flowql-test.invalid/graphql"), &quick());
    assert_eq!(code, Code::DnsFailed, "{message}");
}

#[test]
fn bodies_that_are_not_a_schema_are_explained() {
    let fake = FakePlatform::start();
    fake.set_mode(Mode::Html);
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &quick()).0,
        Code::NotJson
    );
    fake.set_mode(Mode::Malformed);
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &quick()).0,
        Code::MalformedResponse
    );
    fake.set_mode(Mode::Oversize(2 * 1024 * 1024));
    let options = FetchOptions {
        max_bytes: 1024 * 1024,
        ..quick()
    };
    assert_eq!(
        failure_code(&endpoint(&fake.url()), &options).0,
        Code::ResponseTooLarge
    );
    fake.set_mode(Mode::IntrospectionDisabled);
    let (code, message) = failure_code(&endpoint(&fake.url()), &quick());
    assert_eq!(code, Code::IntrospectionDisabled);
    assert!(
        message.contains("introspection is not allowed"),
        "{message}"
    );
}

#[test]
fn redirects_to_another_host_do_not_carry_the_key() {
    let first = FakePlatform::start();
    let second = FakePlatform::start();
    first.set_mode(Mode::Redirect(second.url_via_localhost()));
    let (code, _) = failure_code(&endpoint(&first.url()), &quick());
    assert_eq!(
        code,
        Code::Unauthorized,
        "the other host got no key, so it refused"
    );
    assert!(first.seen()[0].authorization.is_some());
    let at_second = second.seen();
    assert_eq!(at_second.len(), 1);
    assert_eq!(at_second[0].authorization, None);
}

#[test]
fn etags_avoid_downloading_an_unchanged_schema() {
    let fake = FakePlatform::start();
    fake.set_etag("\"v1\"");
    let Fetched::Schema { etag, .. } = fetch(&endpoint(&fake.url()), &quick()).unwrap() else {
        panic!("expected a schema");
    };
    assert_eq!(etag.as_deref(), Some("\"v1\""));
    let options = FetchOptions { etag, ..quick() };
    assert_eq!(
        fetch(&endpoint(&fake.url()), &options).unwrap(),
        Fetched::NotModified
    );
    assert_eq!(fake.seen()[1].if_none_match.as_deref(), Some("\"v1\""));
}

#[test]
fn refresh_writes_a_cache_without_the_key() {
    let fake = FakePlatform::start();
    fake.set_etag("\"v7\"");
    let dir = std::env::temp_dir().join(format!("flowql-fetch-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let settings = FlowqlSettings {
        endpoint: Some(fake.url()),
        project_id: Some(PROJECT_ID.into()),
        api_key: Some(Secret::new(API_KEY)),
        cache_dir: Some(dir.clone()),
        ..FlowqlSettings::default()
    };
    let remote = Remote::from_settings(&settings).unwrap();
    let rt = runtime();
    let entry = rt
        .block_on(remote.refresh(&client(&quick()), &quick()))
        .unwrap();
    assert!(entry.sdl.contains("executeWorkflow"));
    let text = std::fs::read_to_string(&remote.cache_path).unwrap();
    assert!(!text.contains(API_KEY), "the cache holds no key");
    assert_eq!(remote.cached().unwrap().etag.as_deref(), Some("\"v7\""));
    // A second refresh is answered 304 and keeps the cached schema.
    let again = rt
        .block_on(remote.refresh(&client(&quick()), &quick()))
        .unwrap();
    assert_eq!(again.sdl, entry.sdl);
    assert_eq!(fake.seen()[1].if_none_match.as_deref(), Some("\"v7\""));
    // Offline never touches the network.
    let offline = Remote {
        offline: true,
        ..remote
    };
    assert!(rt
        .block_on(offline.refresh(&client(&quick()), &quick()))
        .is_err());
    assert_eq!(fake.requests(), 2);
}
