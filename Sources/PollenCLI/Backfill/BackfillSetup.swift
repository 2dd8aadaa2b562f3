import ArgumentParser
import Foundation
import PollenEngine
import PollenSource

/// What a backfill will do, from the command line: a fresh run from `--source`, a
/// `--rerun` of a report's failed pairs, or a `--resume` of a journal.
struct BackfillSetup {
    var runID: String
    var source: any AssetSource
    var plan: WorkPlan
    var tablePrefix: String
    var resume: (state: JournalState, path: String)?

    static func make(command: BackfillCommand) throws -> BackfillSetup {
        let prefix = command.connection.resolvedTablePrefix
        if let journalPath = command.resume {
            let state = try JournalState.read(path: journalPath)
            let plan = WorkPlan(units: state.header.work.keys.sorted().map {
                WorkPlan.Unit(symbol: $0, tables: state.header.work[$0]!)
            })
            return BackfillSetup(runID: state.header.runId, source: try directory(state.header.source), plan: plan,
                                 tablePrefix: command.connection.tablePrefix ?? state.header.tablePrefix,
                                 resume: (state, URL(fileURLWithPath: journalPath).standardizedFileURL.path))
        }
        let runID = BackfillConfiguration.newRunID(at: Timestamp.iso8601(Date()))
        if let reportPath = command.rerun {
            let report = try RunReport.read(path: reportPath)
            var plan = report.failedPairs
            if let symbols = try command.selectedSymbols() {
                plan.units = plan.units.filter { symbols.contains($0.symbol) }
            }
            if let tables = try command.selectedTables() {
                plan.units = plan.units.compactMap { unit in
                    let kept = unit.tables.filter(tables.contains)
                    return kept.isEmpty ? nil : WorkPlan.Unit(symbol: unit.symbol, tables: kept)
                }
            }
            return BackfillSetup(runID: runID, source: try directory(command.source ?? report.source), plan: plan,
                                 tablePrefix: command.connection.tablePrefix ?? report.tablePrefix, resume: nil)
        }
        let source = try directory(command.source!)
        let symbols = try command.selectedSymbols() ?? (try? source.symbols()) ?? []
        let tables = try command.selectedTables() ?? PollenTable.dataTables
        return BackfillSetup(runID: runID, source: source, plan: WorkPlan(symbols: symbols, tables: tables),
                             tablePrefix: prefix, resume: nil)
    }

    private static func directory(_ path: String) throws -> DirectorySource {
        let source = DirectorySource(root: URL(fileURLWithPath: path))
        do {
            _ = try source.symbols()  // says clearly when the folder is missing or unreadable
        } catch {
            throw CLIFailure.message(String(describing: error))
        }
        return source
    }
}
