//! Prints the ratio table of docs/benchmarks.md from criterion's saved estimates.
//!
//! Run `cargo bench` first, then `cargo run --release --example bench_ratios`. Each
//! benchmark named `<case>/dualopt` is paired with `<case>/hand-written` in the same group,
//! and the table gives both mean times and their ratio. After `cargo bench --bench risk
//! --features parallel -- threads/` a second table gives the times on one and two threads
//! and the speedup over the default build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One measured benchmark: its group, function and parameter, and the mean time in ns.
struct Estimate {
    group: String,
    function: String,
    parameter: String,
    mean_ns: f64,
}

fn main() {
    // Criterion writes under the target folder, which CARGO_TARGET_DIR can move.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let root = target.join("criterion");
    let mut files = Vec::new();
    collect(&root, &mut files);
    if files.is_empty() {
        eprintln!(
            "no estimates under {}; run `cargo bench` first",
            root.display()
        );
        std::process::exit(1);
    }

    let mut table: BTreeMap<(String, String), BTreeMap<String, f64>> = BTreeMap::new();
    for dir in files {
        match read_estimate(&dir) {
            Ok(e) => {
                table
                    .entry((e.group, e.function))
                    .or_default()
                    .insert(e.parameter, e.mean_ns);
            }
            Err(message) => eprintln!("skipping {}: {message}", dir.display()),
        }
    }

    println!("| benchmark | dualopt | hand-written | ratio |");
    println!("| --- | ---: | ---: | ---: |");
    for ((group, function), runs) in &table {
        let pair = [("dualopt", "hand-written")]
            .into_iter()
            .find_map(|(ours, base)| Some((ours, runs.get(ours)?, base, runs.get(base)?)));
        if let Some((ours, ours_ns, base, base_ns)) = pair {
            println!(
                "| {group} {function} ({ours} vs {base}) | {} | {} | {:.2} |",
                format_time(*ours_ns),
                format_time(*base_ns),
                ours_ns / base_ns
            );
        }
    }

    // The `threads` group exists only after a benchmark run with `--features parallel`. Its baseline
    // is the same gradient from a default build, `constant/1e7 huber dualopt`, when that
    // was measured before (a run with `--features parallel` would overwrite it).
    let serial = table
        .get(&("constant/1e7".to_owned(), "huber".to_owned()))
        .and_then(|runs| runs.get("dualopt"));
    let threaded: Vec<_> = table
        .iter()
        .filter_map(|((group, function), runs)| {
            Some((
                group,
                function,
                runs.get("1 thread")?,
                runs.get("2 threads")?,
            ))
        })
        .collect();
    if !threaded.is_empty() {
        println!();
        println!("| benchmark | default build | 1 thread | 2 threads | speedup over default |");
        println!("| --- | ---: | ---: | ---: | ---: |");
        for (group, function, one, two) in threaded {
            let (default, speedup) = match serial {
                Some(ns) => (format_time(*ns), format!("{:.2}", ns / two)),
                None => ("not measured".to_owned(), "-".to_owned()),
            };
            println!(
                "| {group} {function} | {default} | {} | {} | {speedup} |",
                format_time(*one),
                format_time(*two),
            );
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name == "new")
                && path.join("benchmark.json").is_file()
                && path.join("estimates.json").is_file()
            {
                out.push(path);
            } else {
                collect(&path, out);
            }
        }
    }
}

fn read_estimate(dir: &Path) -> Result<Estimate, String> {
    let read = |name: &str| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    };
    let benchmark = read("benchmark.json")?;
    let estimates = read("estimates.json")?;
    let text = |key: &str| benchmark[key].as_str().unwrap_or_default().to_owned();
    let mean_ns = estimates["mean"]["point_estimate"]
        .as_f64()
        .ok_or("estimates.json has no mean.point_estimate")?;
    Ok(Estimate {
        group: text("group_id"),
        function: text("function_id"),
        parameter: text("value_str"),
        mean_ns,
    })
}

fn format_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}
