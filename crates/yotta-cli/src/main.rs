fn main() -> std::process::ExitCode {
    yotta_cli::main()
}
