//! The whole `--help` tree, as one snapshot: it changes only when the interface does.

use assert_cmd::Command;
use clap::CommandFactory;
use yotta_cli::args::Cli;

/// Every command path, depth first, in declaration order (without clap's `help` commands).
fn paths(command: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.clone();
        path.push(sub.get_name().to_string());
        paths(sub, path, out);
    }
}

#[test]
fn help_tree() {
    let mut all = Vec::new();
    paths(&Cli::command(), Vec::new(), &mut all);
    let mut text = String::new();
    for path in all {
        let output = Command::cargo_bin("yotta")
            .unwrap()
            .args(&path)
            .arg("--help")
            .env_remove("YOTTA_API_KEY")
            .env_remove("YOTTA_BASE_URL")
            .env_remove("YOTTA_API_VERSION")
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        assert!(output.status.success(), "{path:?}: {output:?}");
        assert!(output.stderr.is_empty(), "{path:?}");
        let mut line = vec!["yotta".to_string()];
        line.extend(path);
        text.push_str(&format!("$ {} --help\n", line.join(" ")));
        text.push_str(&String::from_utf8(output.stdout).unwrap());
        text.push('\n');
    }
    insta::assert_snapshot!("help_tree", text);
}
