//! The OpenAPI 3.1 description of the JSON API, served at `/api/v1/openapi.json`.
//!
//! - **Derived, not written.** utoipa builds it from each handler's `#[utoipa::path]` and
//!   from the typed request and response structs the handlers serialize (`ToSchema`), so a
//!   field cannot be sent without being described. Every `/api/v1/…` route is listed in
//!   [`ApiDoc`]'s `paths`; tests/openapi.rs reads the routers' source and fails on a route
//!   missing here.
//! - **Refusals any operation can get** are added here once ([`Refusals`]): 405 (another
//!   method) and 503 with `Retry-After` (the server cannot serve for now). The statuses
//!   particular to an endpoint (400, 404, 408, 413, 415, 422, 429) sit on its handler.
//! - **Servers: `/`.** The site's base URL comes with the content and may change with each
//!   import, and the API answers on whatever origin the client reached; a relative server
//!   keeps the document the same for every request and every snapshot, so it is built once
//!   per process and served as bytes (and the page cache keeps it like any API answer).
//!   The absolute URLs inside answers (`url`, `next`) use the content's `base_url`.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(document))
}

/// The whole description. A new endpoint adds one line to `paths`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "certwise JSON API",
        description = "The answers, the certification catalog, comparisons, the advisor and the team planner of an IT-training provider's answers hub, as JSON.\n\n\
            Lists are paginated: `?page=N` (from 1; 50 items to a page); a `page` that is not a positive integer is a 400, a page past the end a 404; a list answers `page`, `pages`, `total`, `next` (the next page's URL, or null) and `items`.\n\n\
            Every error, whatever its status, has the body `{\"error\": {\"code\", \"message\", \"field\"?}}`: a 4xx for the client's mistakes, 503 with `Retry-After` when the server cannot serve for now.\n\n\
            Rate limits: `POST /api/v1/advisor` and `POST /api/v1/plan` together accept 60 requests a minute per client by default (the peer address, or the nearest untrusted address of `X-Forwarded-For` behind a trusted proxy); past that they answer 429 with `Retry-After` (seconds). Counters live in each instance."
    ),
    servers((url = "/", description = "The site's own origin")),
    paths(
        super::api::answers,
        super::api::answer,
        super::api::certifications,
        super::api::certification,
        super::compare::api,
        super::advisor::api,
        super::plan::api,
        super::search::api,
        document,
    ),
    modifiers(&Refusals),
    tags(
        (name = "answers", description = "Answers to readers' questions, with their derived related information"),
        (name = "certifications", description = "The certification catalog"),
        (name = "decide", description = "Comparison, advisor and team planner"),
        (name = "search", description = "Search over answers, certifications, courses and topics"),
        (name = "meta", description = "This description"),
    )
)]
pub struct ApiDoc;

/// The document as served, built once.
static DOCUMENT: LazyLock<Bytes> = LazyLock::new(|| {
    Bytes::from(ApiDoc::openapi().to_json().expect("an OpenAPI document always serializes"))
});

/// This description: OpenAPI 3.1, the same for every request.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 description of the API", body = Object, content_type = "application/json"))
)]
async fn document() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.clone()).into_response()
}

/// Adds the refusals every operation can get: 405 and 503.
struct Refusals;

impl Modify for Refusals {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for item in doc.paths.paths.values_mut() {
            for operation in operations(item) {
                let responses = &mut operation.responses.responses;
                responses.insert("405".to_owned(), method_not_allowed());
                responses.insert("503".to_owned(), unavailable());
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

fn error_body() -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build()
}

fn method_not_allowed() -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description("The path does not answer this method (the `Allow` header lists those it does)")
        .content("application/json", error_body())
        .build()
        .into()
}

/// 503: the connection limit refuses before the request is read (`limits::REFUSED`,
/// plain text, since the path is not known yet); an API error of that kind has the error
/// body.
fn unavailable() -> RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let text = ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String))).build();
    ResponseBuilder::new()
        .description(
            "The server cannot serve for now: try again after `Retry-After` seconds. Too many open connections are refused in plain text, before the request is read.",
        )
        .header("Retry-After", retry_after())
        .content("application/json", error_body())
        .content("text/plain", text)
        .build()
        .into()
}

fn retry_after() -> utoipa::openapi::Header {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)))
        .description(Some("Seconds to wait before trying again"))
        .build()
}
