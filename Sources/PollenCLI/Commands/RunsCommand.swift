import ArgumentParser
import Foundation
import PollenEngine

/// `pollen runs`: the runs that hold asset leases now, from the `assets` table, and the release
/// of a dead run's leases (a crashed run's leases also run out on their own).
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the runs holding asset leases, or release a dead run's.",
        subcommands: [RunsListCommand.self, RunsReleaseCommand.self], defaultSubcommand: RunsListCommand.self)
}

/// `pollen runs [list]`
struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the runs holding asset leases now.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "One JSON object per run.")
    var json = false

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let registry = AssetRegistry(client: try connection.makeClient(), tablePrefix: connection.resolvedTablePrefix)
            let runs = try await registry.leasingRuns()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                for run in runs { StandardStreams.json(String(decoding: try encoder.encode(run), as: UTF8.self)) }
                return
            }
            guard !runs.isEmpty else { return StandardStreams.out("No run holds a lease.\n") }
            let now = Date().timeIntervalSince1970
            var table = [["RUN", "HOST", "ASSETS", "SINCE", "LEASES UNTIL"]]
            for run in runs {
                let until = Timestamp.iso8601(Date(timeIntervalSince1970: run.expiresAt))
                table.append([run.runId, run.host, String(run.assets.count), run.since ?? "-",
                              until + (run.expiresAt < now ? " (lapsed)" : "")])
            }
            StandardStreams.out(TextColumns.render(table))
        }
    }
}

/// `pollen runs release RUN [--yes]`
struct RunsReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release every lease a dead run holds (asks first, unless --yes).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The run id (as `pollen runs` lists it).")
    var runID: String

    @Flag(help: "Release without asking.")
    var yes = false

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let registry = AssetRegistry(client: try connection.makeClient(), tablePrefix: connection.resolvedTablePrefix)
            guard let held = try await registry.leasingRuns().first(where: { $0.runId == runID }) else {
                throw CLIFailure.message("Run \(runID) holds no lease.")
            }
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CLIFailure.message("Releasing the leases of run \(runID) on \(held.assets.count) assets needs confirmation: "
                                             + "run it on a terminal, or add --yes.")
                }
                StandardStreams.out("Release the leases of run \(runID) on host \(held.host) on \(held.assets.count) assets? "
                                    + "Only do this if that run is dead. [y/N] ")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    return StandardStreams.out("Nothing released.\n")
                }
            }
            let released = try await registry.releaseLeases(of: runID)
            StandardStreams.out("released the leases of \(released.count) assets of run \(runID)\n")
        }
    }
}
