//! Search quality on a labelled set the team did not tune on: the held-out half of
//! tests/data/search_queries.csv over the projects of tests/data/similar_heldout.csv
//! (written by another author in the style of council minutes and town websites, split
//! into halves before any measurement). recall@10 is reported by `make bench`.
use std::collections::HashSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::TestApp;

both_backends!(
    search_recall_at_10_on_held_out_queries,
    similar_hints_on_the_held_out_half_through_the_api
);

const PROJECTS: &str = include_str!("../data/similar_heldout.csv");
const QUERIES: &str = include_str!("../data/search_queries.csv");
/// A regression floor just under the held-out figure measured on 2026-12-01 (0.419 on
/// SQLite, 0.408 on PostgreSQL, see BENCHMARKS.md). The findability issue's bar is 0.8
/// and is not reached yet: most misses are words of the same meaning that neither the
/// stemmer nor OpenThesaurus connects ("Glasfaser" and "Breitband").
const MIN_RECALL: f64 = 0.38;

async fn search_recall_at_10_on_held_out_queries(app: TestApp) {
    // All 106 projects, district-visible, spread over three towns.
    let officers = [
        app.login("digital@brakel.example").await,
        app.login("digital@warburg.example").await,
        app.login("digital@hoexter.example").await,
    ];
    let mut ids = std::collections::HashMap::new();
    for (i, line) in PROJECTS.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(';').collect();
        let resp = app
            .post(
                &officers[i % 3],
                "/api/v1/projects",
                json!({"title": f[3], "summary": f[4]}),
            )
            .await;
        assert_eq!(resp.status(), 201, "{line}");
        let p: Value = resp.json().await.unwrap();
        ids.insert(p["id"].as_str().unwrap().to_string(), f[0].to_string());
    }
    let reader = app.login("digital@nieheim.example").await;
    let (mut sum, mut n) = (0.0, 0);
    for line in QUERIES.lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if f[1] != std::env::var("SEARCH_SPLIT").unwrap_or_else(|_| "heldout".into()) {
            continue;
        }
        let relevant: HashSet<&str> = f[2].split(',').collect();
        let page: Value = app
            .get(&reader, &format!("/api/v1/projects?q={}&limit=10", f[0]))
            .await
            .json()
            .await
            .unwrap();
        let found: HashSet<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| ids[p["id"].as_str().unwrap()].clone())
            .collect();
        let hit = relevant.iter().filter(|r| found.contains(**r)).count();
        let recall = hit as f64 / relevant.len().min(10) as f64;
        if recall < 1.0 {
            println!(
                "search \"{}\": recall {recall:.2}, missed {:?}",
                f[0],
                relevant
                    .iter()
                    .filter(|r| !found.contains(**r))
                    .collect::<Vec<_>>()
            );
        }
        sum += recall;
        n += 1;
    }
    let recall = sum / n as f64;
    println!(
        "search recall@10 (held-out half, {n} queries, {:?}) = {recall:.3}",
        app.db
    );
    assert!(n >= 20, "{n} held-out queries");
    assert!(
        recall >= MIN_RECALL,
        "recall@10 {recall:.3} < {MIN_RECALL} (regression)"
    );
}

/// The held-out half of tests/data/similar_heldout.csv through the API, so that the
/// candidates come from the search index as in production (the unit test in
/// src/projects/similar.rs scores every project). Each clustered project asks, as a
/// draft of a town without projects, for hints among all other held-out projects.
async fn similar_hints_on_the_held_out_half_through_the_api(app: TestApp) {
    // The labelled projects name OZG services of the whole catalogue.
    digitalnetzwerk::ozg::import::import_bundled(&mut app.conn()).unwrap();
    let officers = [
        app.login("digital@brakel.example").await,
        app.login("digital@warburg.example").await,
        app.login("digital@hoexter.example").await,
    ];
    // label -> (cluster, api id, title, summary, ozg ids)
    let mut rows: Vec<(String, String, String, String, String, Vec<i32>)> = Vec::new();
    for (i, line) in PROJECTS.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(';').collect();
        // SIMILAR_SPLIT=tune for tuning; the reported figure is the held-out half.
        if f[2] != std::env::var("SIMILAR_SPLIT").unwrap_or_else(|_| "heldout".into()) {
            continue;
        }
        let ozg: Vec<i32> = f[5]
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        let resp = app
            .post(
                &officers[i % 3],
                "/api/v1/projects",
                json!({"title": f[3], "summary": f[4], "ozg_ids": ozg}),
            )
            .await;
        let status = resp.status();
        let p: Value = resp.json().await.unwrap();
        assert_eq!(status, 201, "{line}: {p}");
        rows.push((
            f[0].to_string(),
            f[1].to_string(),
            p["id"].as_str().unwrap().to_string(),
            f[3].to_string(),
            f[4].to_string(),
            ozg,
        ));
    }
    let reader = app.login("digital@nieheim.example").await;
    let label_of: std::collections::HashMap<&str, &str> =
        rows.iter().map(|r| (r.2.as_str(), r.0.as_str())).collect();
    let (mut p_sum, mut r_sum, mut n) = (0.0, 0.0, 0);
    for (label, cluster, id, title, summary, ozg) in rows.iter().filter(|r| r.1 != "none") {
        let resp = app
            .post(
                &reader,
                "/api/v1/projects/similar",
                json!({"title": title, "summary": summary, "ozg_ids": ozg, "exclude_id": id}),
            )
            .await;
        assert_eq!(resp.status(), 200);
        let hints: Value = resp.json().await.unwrap();
        let found: Vec<&str> = hints["items"]
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .map(|h| label_of[h["project"]["id"].as_str().unwrap()])
            .collect();
        assert!(
            !found.contains(&label.as_str()),
            "the draft itself is left out"
        );
        let same: Vec<&str> = rows
            .iter()
            .filter(|r| &r.1 == cluster && &r.0 != label)
            .map(|r| r.0.as_str())
            .collect();
        let hits = found.iter().filter(|f| same.contains(f)).count();
        p_sum += if found.is_empty() {
            0.0
        } else {
            hits as f64 / found.len() as f64
        };
        r_sum += hits as f64 / same.len().min(3) as f64;
        n += 1;
    }
    let (precision, recall) = (p_sum / n as f64, r_sum / n as f64);
    println!(
        "similar hints through the API ({} half, {n} drafts, {:?}): precision@3 = {precision:.3}, recall@3 = {recall:.3}",
        std::env::var("SIMILAR_SPLIT").unwrap_or_else(|_| "heldout".into()),
        app.db
    );
    assert!(n >= 30, "{n} held-out drafts");
    // The same regression floors as the unit test over every project: the candidates
    // taken from the search index must not lose what the scoring finds.
    assert!(precision >= 0.5, "precision@3 {precision:.3}");
    assert!(recall >= 0.45, "recall@3 {recall:.3}");
}
