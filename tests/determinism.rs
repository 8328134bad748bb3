//! Output is byte-for-byte the same whatever the thread count and however often it runs.

mod common;

use common::{run, seloste};

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Enough files that rayon really splits the work: the seeds, each copied many times.
    for entry in std::fs::read_dir("fixtures/seeds").expect("seeds") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("x")
            .to_owned();
        for i in 0..5 {
            std::fs::write(dir.path().join(format!("{stem}-{i:02}.yaml")), &text).expect("write");
        }
    }
    for format in ["human", "json"] {
        let mut outputs = Vec::new();
        for threads in ["1", "2"] {
            for _ in 0..10 {
                let (code, out, _) = run(seloste()
                    .env("RAYON_NUM_THREADS", threads)
                    .current_dir(dir.path())
                    .args(["lint", "--format", format, "."]));
                assert_eq!(code, 1);
                outputs.push(out);
            }
        }
        assert!(outputs[0].len() > 1000, "{format}: real output");
        for (i, o) in outputs.iter().enumerate() {
            assert!(o == &outputs[0], "{format}: run {i} differs");
        }
    }
}

#[test]
fn output_is_identical_when_chunks_are_written_while_others_are_linted() {
    // More files than one chunk (256): the outcomes of a chunk are written while the next is
    // linted, and must still come out in order.
    let dir = tempfile::tempdir().expect("tempdir");
    let seeds: Vec<String> = std::fs::read_dir("fixtures/seeds")
        .expect("seeds")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    for i in 0..600 {
        std::fs::write(
            dir.path().join(format!("r{i:03}.yaml")),
            &seeds[i % seeds.len()],
        )
        .expect("write");
    }
    let mut outputs = Vec::new();
    for threads in ["1", "2", "2"] {
        let (code, out, _) = run(seloste()
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .args(["lint", "--format", "short", "."]));
        assert_eq!(code, 1);
        outputs.push(out);
    }
    let files: Vec<&str> = outputs[0]
        .lines()
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(files.windows(2).all(|w| w[0] <= w[1]), "files out of order");
    assert!(files.contains(&"r599.yaml"), "every chunk written");
    assert!(outputs.iter().all(|o| o == &outputs[0]), "runs differ");
}
