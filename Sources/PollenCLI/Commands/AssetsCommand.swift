import ArgumentParser
import Foundation
import PollenEngine
import PollenSource

/// `pollen assets`: registers asset rows (the only command that creates them) and lists them.
struct AssetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets", abstract: "Register or list assets.",
        subcommands: [AssetsAddCommand.self, AssetsListCommand.self])
}

/// `pollen assets add SYMBOL...`
struct AssetsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Register asset rows.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Symbols to register.")
    var symbols: [String] = []

    @Option(name: .customLong("from-source"), help: "Also register every symbol folder of this source directory.")
    var fromSource: String?

    func validate() throws {
        if symbols.isEmpty && fromSource == nil { throw ValidationError("Name at least one symbol, or --from-source DIR.") }
        if let bad = symbols.first(where: { !SymbolRules.isValid($0.uppercased()) }) {
            throw ValidationError("'\(ExternalText.escaped(bad, singleLine: true))' is not a valid symbol (A-Z, 0-9, '.', '-', at most 12 characters).")
        }
    }

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let registry = AssetRegistry(client: try connection.makeClient(), tablePrefix: connection.resolvedTablePrefix)
            var all = symbols.map { $0.uppercased() }
            if let fromSource {
                do {
                    all += try DirectorySource(root: URL(fileURLWithPath: fromSource)).symbols().filter(SymbolRules.isValid)
                } catch {
                    throw CLIFailure.message(String(describing: error))
                }
            }
            var created = 0
            for symbol in all {
                switch try await registry.register(symbol, at: Date()) {
                case .created:
                    created += 1
                    StandardStreams.out("registered  \(symbol)\n")
                case .alreadyRegistered:
                    StandardStreams.out("exists      \(symbol)  (left unchanged)\n")
                }
            }
            StandardStreams.out("\(created) registered, \(all.count - created) already there\n")
        }
    }
}

/// `pollen assets list [--stale-days N]`
struct AssetsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List assets with status and dates.")

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("stale-days"), help: "Only assets whose lastPollenationDate is missing or older than N days.")
    var staleDays: Int?

    @Flag(help: "One JSON object per asset.")
    var json = false

    func validate() throws {
        if let staleDays, staleDays < 0 { throw ValidationError("--stale-days must be 0 or more.") }
    }

    func run() async throws {
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            let registry = AssetRegistry(client: try connection.makeClient(), tablePrefix: connection.resolvedTablePrefix)
            let rows: [AssetRegistry.Row]
            if let staleDays {
                rows = try await registry.stale(days: staleDays, now: Date())
            } else {
                rows = try await registry.list()
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                for row in rows { StandardStreams.json(String(decoding: try encoder.encode(row), as: UTF8.self)) }
                return
            }
            var table = [["SYMBOL", "STATUS", "LAST POLLENATION", "LAST ATTEMPT", "TABLES"]]
            for row in rows {
                let states = PollenTable.dataTables.map { "\($0.rawValue)=\(row.tables[$0.rawValue] ?? "-")" }
                table.append([row.symbol, row.status ?? "-", row.lastPollenationDate ?? "-", row.lastPollenationAttempt ?? "-",
                              row.tables.isEmpty ? "-" : states.joined(separator: " ")])
            }
            StandardStreams.out(TextColumns.render(table))
        }
    }
}
