import ArgumentParser
import Foundation
import PollenDynamoDB

/// The `pollen` command: bulk backfills of company fundamentals into DynamoDB.
public struct PollenCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pollen",
        abstract: "Bulk-upsert company fundamentals into DynamoDB and watch it live.",
        version: PollenVersion.current,
        subcommands: [BackfillCommand.self, TablesCommand.self, AssetsCommand.self, RunsCommand.self, SampleDataCommand.self]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen subcommand (the executable's entry point).
    public static func runFromCommandLine() async {
        // A parent may have started us with SIGINT or SIGTERM blocked; the operator's Ctrl-C
        // must reach the run (threads created from here on inherit this mask).
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let asyncMain: () async -> Void = main
        await asyncMain()
    }
}
