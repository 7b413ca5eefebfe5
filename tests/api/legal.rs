//! The legal pages: public, German defaults, and the operator's file replaces a default
//! at once, without a restart.
use serde_json::Value;

use crate::both_backends;
use crate::common::TestApp;

both_backends!(operator_file_replaces_the_default_without_restart);

async fn page(app: &TestApp, path: &str) -> (u16, Value) {
    let resp = app.client.get(app.url(path)).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

async fn operator_file_replaces_the_default_without_restart(app: TestApp) {
    // Anyone, without signing in, gets all three pages; the defaults are German and name
    // the feedback contact and the enforcement body.
    for (slug, title) in [
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutzerklärung"),
        ("barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ] {
        let (status, body) = page(&app, &format!("/api/v1/legal/{slug}")).await;
        assert_eq!(status, 200, "{slug}: {body}");
        assert_eq!(body["page"], slug);
        assert_eq!(body["title"], title);
        assert_eq!(body["lang"], "de");
        assert_eq!(body["customised"], false);
        assert!(body["updated_at"].is_null());
    }
    let (_, a11y) = page(&app, "/api/v1/legal/barrierefreiheit").await;
    let html = a11y["html"].as_str().unwrap();
    assert!(html.contains("Feedback und Kontakt"), "{html}");
    assert!(html.contains("Ombudsstelle für barrierefreie Informationstechnik"));

    // The operator writes the Impressum into the data directory of the running server.
    let dir = app.state.config.data_dir.join("legal");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("impressum.md"),
        "# Impressum des Kreises Höxter\n\nKreis Höxter, Moltkestraße 12\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))\n",
    )
    .unwrap();
    let (status, body) = page(&app, "/api/v1/legal/impressum").await;
    assert_eq!(status, 200);
    assert_eq!(body["customised"], true);
    assert_eq!(body["title"], "Impressum des Kreises Höxter");
    let html = body["html"].as_str().unwrap();
    assert!(html.contains("Kreis Höxter, Moltkestraße 12"), "{html}");
    assert!(
        !html.contains("Angaben gemäß § 5 DDG"),
        "the default is gone"
    );
    assert!(
        !html.contains("<script") && !html.contains("href=\"javascript:"),
        "{html}"
    );
    assert!(body["updated_at"].is_string());
    // A second change shows as well: nothing is cached.
    std::fs::write(dir.join("impressum.md"), "Neue Anschrift ab 1. Januar").unwrap();
    let (_, body) = page(&app, "/api/v1/legal/impressum").await;
    assert_eq!(body["markdown"], "Neue Anschrift ab 1. Januar");
    assert_eq!(body["title"], "Impressum");
    // The other pages keep their defaults.
    let (_, privacy) = page(&app, "/api/v1/legal/datenschutz").await;
    assert_eq!(privacy["customised"], false);

    // English readers: the operator's English file if there is one, else the German text.
    let (_, en) = page(&app, "/api/v1/legal/impressum?lang=en").await;
    assert_eq!(
        (en["lang"].as_str(), en["customised"].as_bool()),
        (Some("de"), Some(true))
    );
    std::fs::write(dir.join("impressum.en.md"), "District of Höxter").unwrap();
    let (_, en) = page(&app, "/api/v1/legal/impressum?lang=en").await;
    assert_eq!(en["lang"], "en");
    assert_eq!(en["title"], "Legal notice");
    assert_eq!(en["markdown"], "District of Höxter");

    // Removing the file brings the default back; an unknown page is a German 404.
    std::fs::remove_file(dir.join("impressum.md")).unwrap();
    let (_, body) = page(&app, "/api/v1/legal/impressum").await;
    assert_eq!(body["customised"], false);
    let (status, problem) = page(&app, "/api/v1/legal/agb").await;
    assert_eq!(status, 404);
    assert_eq!(problem["title"], "Nicht gefunden");
    let (status, _) = page(&app, "/api/v1/legal/..%2Fjwt-secret").await;
    assert_eq!(status, 404);
}
