//! Search quality on a labelled set the team did not tune on: the held-out half of
//! tests/data/search_queries.csv over the projects of tests/data/similar_heldout.csv
//! (written by another author in the style of council minutes and town websites, split
//! into halves before any measurement). recall@10 is reported by `make bench`.
use std::collections::HashSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::TestApp;

both_backends!(search_recall_at_10_on_held_out_queries);

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
