import ArgumentParser
import PollenDynamoDB

/// The `pollen` command: bulk backfills of company fundamentals into DynamoDB.
public struct PollenCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pollen",
        abstract: "Bulk-upsert company fundamentals into DynamoDB and watch it live.",
        version: PollenVersion.current,
        subcommands: [BackfillCommand.self, TablesCommand.self, AssetsCommand.self, SampleDataCommand.self]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen subcommand (the executable's entry point).
    public static func runFromCommandLine() async {
        let asyncMain: () async -> Void = main
        await asyncMain()
    }
}
