// Scenario: the notes API, in axum, the web framework of the tokio project. Everything from the
// framework section is here, done by the framework: routes with path parameters, a JSON body
// parsed into a struct, shared state, and middleware. Side by side with FastAPI:
//
//     app = FastAPI()                              Router::new()
//     @app.get("/notes/{id}")                      .route("/notes/{id}", get(get_note))
//     def get_note(id: int): ...                   async fn get_note(Path(id): Path<u64>) -> ...
//     def create(note: NewNote): ...  (pydantic)   async fn create(Json(note): Json<NewNote>) ...
//     Depends(get_db)                              State(state): State<AppState>
//     @app.middleware("http")                      middleware::from_fn_with_state(...)
//     TestClient(app).get("/notes/1")              app.oneshot(request).await
//
// Handler arguments are *extractors*: axum builds each from the request, and answers for you
// when one cannot be built (a path id that is not a number: 400; a body that is not JSON: 400;
// JSON of the wrong shape: 422, like FastAPI). A handler returns anything that implements
// `IntoResponse`: a `StatusCode`, `Json(value)`, a tuple `(StatusCode, headers, body)`, or a
// `Result` of two such types. Middleware is an async function that gets the request and `Next`,
// and either answers itself or calls `next.run(request).await`. `route_layer` puts a layer on the
// routes added before it (and only on matched routes), `layer` on everything.
//
// A `Router` is a tower `Service`: tests call it without a socket, through
// `tower::ServiceExt::oneshot`, as FastAPI's `TestClient` does.
//
// Done means: `GET /health` is public; everything under `/notes` needs the `x-api-key` header
// with the state's key (401 otherwise, before any handler runs); `POST /notes` answers 201 with a
// `Location` header and the note, or 422 for a blank title (nothing stored); `GET /notes/{id}`
// answers the note or 404; ids start at 1 and increase.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial (axum's docs: https://docs.rs/axum)

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
pub struct NewNote {
    pub title: String,
    pub body: String,
}

#[derive(Default)]
pub struct Notes {
    pub last_id: u64,
    pub by_id: BTreeMap<u64, Note>,
}

/// What every handler can reach: cloned per request, so it holds `Arc`s.
#[derive(Clone)]
pub struct AppState {
    pub api_key: Arc<str>,
    pub notes: Arc<Mutex<Notes>>,
}

/// FastAPI's error body: `{"detail": "..."}`.
fn problem(status: StatusCode, detail: &str) -> Response {
    (status, Json(serde_json::json!({ "detail": detail }))).into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn get_note(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<Note>, Response> {
    let notes = state.notes.lock().unwrap();
    match notes.by_id.get(&id) {
        Some(note) => Ok(Json(note.clone())),
        None => Err(problem(StatusCode::NOT_FOUND, "note not found")),
    }
}

async fn create_note(State(state): State<AppState>, Json(new): Json<NewNote>) -> Response {
    if new.title.trim().is_empty() {
        return problem(StatusCode::UNPROCESSABLE_ENTITY, "title must not be blank");
    }
    let mut notes = state.notes.lock().unwrap();
    notes.last_id += 1;
    let note = Note {
        id: notes.last_id,
        title: new.title,
        body: new.body,
    };
    notes.by_id.insert(note.id, note.clone());
    let location = format!("/notes/{}", note.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(note),
    )
        .into_response()
}

/// The middleware: only requests with the right `x-api-key` reach the handler.
async fn require_api_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = request.headers().get("x-api-key").map(|v| v.as_bytes());
    if key != Some(state.api_key.as_bytes()) {
        return problem(StatusCode::UNAUTHORIZED, "missing or wrong API key");
    }
    next.run(request).await
}

/// The application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/notes", post(create_note))
        .route("/notes/{id}", get(get_note))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_api_key,
        ))
        .route("/health", get(health))
        .with_state(state)
}

fn main() {
    let state = AppState {
        api_key: "dev-key".into(),
        notes: Arc::default(),
    };
    let _app = app(state);
    println!("The notes API is a Router; its tests call it through tower's oneshot.");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use tower::ServiceExt;

    const KEY: &str = "s3cret-key";

    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    fn state() -> AppState {
        AppState {
            api_key: KEY.into(),
            notes: Arc::default(),
        }
    }

    /// One request through the app; the status, the Location header and the body as JSON
    /// (`Null` when it is not JSON).
    async fn call(
        app: &Router,
        method: &str,
        uri: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> (StatusCode, Option<String>, serde_json::Value) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let request = request
            .body(Body::from(body.unwrap_or("").to_string()))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location =
            (response.headers().get(header::LOCATION)).map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, location, json)
    }

    const TEA: &str = r#"{"title": "Tea", "body": "Green, 80 degrees"}"#;

    #[test]
    fn health_is_public() {
        run(async {
            let app = app(state());
            let (status, _, body) = call(&app, "GET", "/health", None, None).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, serde_json::json!({"status": "ok"}));
        });
    }

    #[test]
    fn a_created_note_is_201_with_its_location_and_can_be_read_back() {
        run(async {
            let app = app(state());
            let (status, location, body) = call(&app, "POST", "/notes", Some(KEY), Some(TEA)).await;
            assert_eq!(status, StatusCode::CREATED);
            assert_eq!(location.as_deref(), Some("/notes/1"));
            assert_eq!(
                body,
                serde_json::json!({"id": 1, "title": "Tea", "body": "Green, 80 degrees"})
            );
            let (status, _, read) = call(&app, "GET", "/notes/1", Some(KEY), None).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(read, body);
            let coffee = r#"{"title": "Coffee", "body": "Black"}"#;
            let (_, location, body) = call(&app, "POST", "/notes", Some(KEY), Some(coffee)).await;
            assert_eq!(location.as_deref(), Some("/notes/2"));
            assert_eq!(body["id"], 2);
        });
    }

    #[test]
    fn an_unknown_note_is_404_and_a_bad_id_400() {
        run(async {
            let app = app(state());
            let (status, _, body) = call(&app, "GET", "/notes/7", Some(KEY), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(body, serde_json::json!({"detail": "note not found"}));
            let (status, _, _) = call(&app, "GET", "/notes/seven", Some(KEY), None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        });
    }

    #[test]
    fn a_blank_title_is_422_and_stores_nothing() {
        run(async {
            let app = app(state());
            let blank = r#"{"title": "  ", "body": "x"}"#;
            let (status, location, body) =
                call(&app, "POST", "/notes", Some(KEY), Some(blank)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(location, None);
            assert_eq!(
                body,
                serde_json::json!({"detail": "title must not be blank"})
            );
            let (_, location, _) = call(&app, "POST", "/notes", Some(KEY), Some(TEA)).await;
            assert_eq!(
                location.as_deref(),
                Some("/notes/1"),
                "the blank note took an id"
            );
            // The extractor's own answers: a body without `body` is 422, one that is not JSON 400.
            let partial = r#"{"title": "Tea"}"#;
            let (status, _, _) = call(&app, "POST", "/notes", Some(KEY), Some(partial)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            let (status, _, _) = call(&app, "POST", "/notes", Some(KEY), Some("{tea")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
        });
    }

    #[test]
    fn the_notes_need_the_api_key_before_any_handler_runs() {
        run(async {
            let state = state();
            let app = app(state.clone());
            for key in [None, Some("wrong"), Some("s3cret-key "), Some("")] {
                let (status, _, body) = call(&app, "POST", "/notes", key, Some(TEA)).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "POST with key {key:?}");
                assert_eq!(
                    body,
                    serde_json::json!({"detail": "missing or wrong API key"})
                );
                let (status, _, _) = call(&app, "GET", "/notes/1", key, None).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "GET with key {key:?}");
            }
            assert!(
                state.notes.lock().unwrap().by_id.is_empty(),
                "a request without the key stored a note"
            );
            // Not even the body is looked at without the key.
            let (status, _, _) = call(&app, "POST", "/notes", None, Some("{tea")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        });
    }

    #[test]
    fn the_key_is_the_one_in_the_state() {
        run(async {
            let app = app(AppState {
                api_key: "another-key".into(),
                notes: Arc::default(),
            });
            let (status, _, _) = call(&app, "POST", "/notes", Some(KEY), Some(TEA)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            let (status, _, _) = call(&app, "POST", "/notes", Some("another-key"), Some(TEA)).await;
            assert_eq!(status, StatusCode::CREATED);
        });
    }

    #[test]
    fn an_unknown_route_is_404() {
        run(async {
            let app = app(state());
            let (status, _, _) = call(&app, "GET", "/nothing", Some(KEY), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        });
    }

    #[test]
    fn an_unknown_route_is_404_even_without_the_key() {
        run(async {
            let app = app(state());
            // Not a route: the fallback answers, whatever the key (`.route_layer`, not `.layer`).
            let (status, _, _) = call(&app, "GET", "/nope", None, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "GET /nope without a key");
        });
    }

    #[test]
    fn the_key_is_compared_exactly() {
        run(async {
            let app = app(state());
            for key in ["S3CRET-KEY", "S3cret-key", "s3cret-KEY"] {
                let (status, _, _) = call(&app, "POST", "/notes", Some(key), Some(TEA)).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "POST with key {key:?}");
            }
        });
    }
}
