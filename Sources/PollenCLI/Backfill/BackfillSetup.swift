import ArgumentParser
import Foundation
import PollenDynamoDB
import PollenEngine
import PollenHTTP
import PollenSource

/// What a backfill will do, from the command line: a fresh run from `--source` (a directory
/// or the live API), a `--rerun` of a report's failed pairs, or a `--resume` of a journal.
struct BackfillSetup {
    static let liveSource = "alphavantage"

    var runID: String
    var source: any AssetSource
    var plan: WorkPlan
    var tablePrefix: String
    var resume: (state: JournalState, path: String)?
    /// The attempts before this one (the report `--rerun` repeats), for the summary.
    var earlier = AttemptHistory()
    /// What this attempt re-runs (`re-run of cashFlow`); `nil` for a first run or a resume.
    var rerunLabel: String?
    /// The finished run this one re-runs, whose leases it takes as its own (a lease its release
    /// could not give up would otherwise hold the re-run off its own failed pairs).
    var predecessors: [String] = []

    static func make(command: BackfillCommand, client: DynamoDBClient, runID: String,
                     cacheDirectory: String) async throws -> BackfillSetup {
        let prefix = command.connection.resolvedTablePrefix
        func source(_ name: String, plan: WorkPlan) throws -> any AssetSource {
            try makeSource(name, plan: plan, command: command, cacheDirectory: cacheDirectory)
        }
        if let journalPath = command.resume {
            let state = try JournalState.read(path: journalPath)
            let plan = WorkPlan(units: state.header.work.keys.sorted().map {
                WorkPlan.Unit(symbol: $0, tables: state.header.work[$0]!)
            })
            let tablePrefix = command.connection.tablePrefix ?? state.header.tablePrefix
            // Refused before anything is written (the run directory's report included).
            if let mismatch = state.header.mismatch(endpoint: client.settings.endpoint.absoluteString,
                                                    region: client.settings.region, tablePrefix: tablePrefix) {
                throw CLIFailure.message("Cannot resume: " + mismatch + ".")
            }
            return BackfillSetup(runID: state.header.runId, source: try source(state.header.source, plan: plan),
                                 plan: plan, tablePrefix: tablePrefix,
                                 resume: (state, URL(fileURLWithPath: journalPath).standardizedFileURL.path))
        }
        if let reportPath = command.rerun {
            let report = try RunReport.read(path: reportPath)
            let tables = try command.selectedTables()
            var setup = try rerun(of: report, symbols: try command.selectedSymbols(), tables: tables, command: command,
                                  runID: runID, cacheDirectory: cacheDirectory)
            setup.earlier.append(report, rerun: nil, reportPath: reportPath)
            setup.rerunLabel = AttemptHistory.rerunLabel(tables: tables)
            return setup
        }
        let sourceName = command.source!
        let symbols = try await selectSymbols(command: command, client: client, prefix: prefix, sourceName: sourceName)
        let plan = WorkPlan(symbols: symbols, tables: try command.selectedTables() ?? PollenTable.dataTables)
        return BackfillSetup(runID: runID, source: try source(sourceName, plan: plan), plan: plan, tablePrefix: prefix,
                             resume: nil)
    }

    /// A run of the pairs that failed in `report`, narrowed to `symbols` and `tables` when given
    /// (`--rerun`, and the console's `r` and `R`).
    static func rerun(of report: RunReport, symbols: [String]?, tables: [PollenTable]?, command: BackfillCommand,
                      runID: String, cacheDirectory: String) throws -> BackfillSetup {
        var plan = report.failedPairs
        if let symbols { plan.units = plan.units.filter { symbols.contains($0.symbol) } }
        if let tables {
            plan.units = plan.units.compactMap { unit in
                let kept = unit.tables.filter(tables.contains)
                return kept.isEmpty ? nil : WorkPlan.Unit(symbol: unit.symbol, tables: kept)
            }
        }
        return BackfillSetup(runID: runID,
                             source: try makeSource(command.source ?? report.source, plan: plan, command: command,
                                                    cacheDirectory: cacheDirectory),
                             plan: plan, tablePrefix: command.connection.tablePrefix ?? report.tablePrefix, resume: nil,
                             predecessors: [report.runId])
    }

    private static func makeSource(_ name: String, plan: WorkPlan, command: BackfillCommand,
                                   cacheDirectory: String) throws -> any AssetSource {
        name == liveSource ? try live(command: command, plan: plan, cacheDirectory: cacheDirectory) : try directory(name)
    }

    /// `--symbols`, `--stale-days`, `--all-assets`, or every folder of a directory source;
    /// each symbol once, in order.
    private static func selectSymbols(command: BackfillCommand, client: DynamoDBClient, prefix: String,
                                      sourceName: String) async throws -> [String] {
        var symbols: [String]
        if let selected = try command.selectedSymbols() {
            symbols = selected
        } else if let days = command.staleDays {
            symbols = try await AssetRegistry(client: client, tablePrefix: prefix).stale(days: days, now: Date()).map(\.symbol)
        } else if command.allAssets {
            symbols = try await AssetRegistry(client: client, tablePrefix: prefix).list().map(\.symbol)
        } else {
            symbols = (try? directory(sourceName).symbols()) ?? []
        }
        var seen = Set<String>()
        symbols = symbols.filter { seen.insert($0).inserted }
        return symbols
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

    /// The live Alpha Vantage source: key from `ALPHAVANTAGE_API_KEY`, base URL from
    /// `ALPHAVANTAGE_BASE_URL` (tests point it at a local fake).
    private static func live(command: BackfillCommand, plan: WorkPlan, cacheDirectory: String) throws -> any AssetSource {
        let environment = ProcessInfo.processInfo.environment
        guard let key = environment["ALPHAVANTAGE_API_KEY"], !key.isEmpty else {
            throw CLIFailure.message("ALPHAVANTAGE_API_KEY is not set: the live source needs an Alpha Vantage API key.")
        }
        var baseURL = AlphaVantageClient.defaultBaseURL
        if let custom = environment["ALPHAVANTAGE_BASE_URL"], !custom.isEmpty {
            guard let url = URL(string: custom), url.scheme != nil, url.host != nil else {
                throw CLIFailure.message("ALPHAVANTAGE_BASE_URL is not an absolute URL.")
            }
            baseURL = url
        }
        let transportConfiguration = command.connection.transportConfiguration
        if let refusal = transportConfiguration.refusal(for: baseURL) { throw CLIFailure.message(refusal.description) }
        let clock = SystemClock()
        return LiveAssetSource(
            client: AlphaVantageClient(baseURL: baseURL, apiKey: key, transport: CurlTransport(configuration: transportConfiguration)),
            cache: DirectorySource(root: URL(fileURLWithPath: cacheDirectory)), plan: plan,
            budget: FetchBudget(requestsPerMinute: command.fetchRPM, clock: clock), daily: try dailyLedger(command: command),
            maxAttempts: command.maxAttempts, clock: clock, random: SystemRandomSource())
    }

    /// The key's daily budget (`--fetch-per-day`, 0: none), counted in the user's state
    /// directory; `POLLEN_FAKE_TODAY` (tests) stands in for the UTC day.
    static func dailyLedger(command: BackfillCommand) throws -> DailyRequestLedger? {
        let environment = ProcessInfo.processInfo.environment
        guard command.fetchPerDay > 0, let key = environment["ALPHAVANTAGE_API_KEY"], !key.isEmpty else { return nil }
        let directory = DailyRequestLedger.stateDirectory(environment: environment)
        if let day = environment["POLLEN_FAKE_TODAY"], !day.isEmpty {
            return DailyRequestLedger(apiKey: key, limit: command.fetchPerDay, directory: directory, today: { day })
        }
        return DailyRequestLedger(apiKey: key, limit: command.fetchPerDay, directory: directory)
    }
}
