/// The host's side of the console: carries out the commands the operator's keys produce
/// (pause, resume, drain, capacity cap, re-run, quit).
///
/// Called on the console's thread; implementations should hand the work off and return quickly.
public protocol ConsoleCommandHandler: Sendable {
    func handle(_ command: ConsoleCommand)
}
