import ArgumentParser
import Foundation
import Logging
import PollenAWS
import PollenCloudWatch
import PollenConsole
import PollenDynamoDB
import PollenHTTP
import PollenEngine
import PollenSource
import PollenTerminal

/// `pollen backfill`: the main job (CONTRACT section 3).
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Bulk-upsert Alpha Vantage payloads into the five data tables and mark the asset rows.",
        discussion: """
            Exit codes: 0 everything written and every asset row confirmed; 2 partial success \
            (the report says what failed); 1 nothing written or a fatal error; 64 bad command \
            line; 130 interrupted (resume with --resume JOURNAL).
            """)

    enum UIMode: String, ExpressibleByArgument, CaseIterable {
        case auto, tui, plain, json
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Source of payloads: a directory laid out as DIR/<SYMBOL>/<FUNCTION>.json, or 'alphavantage' (the live API, key in ALPHAVANTAGE_API_KEY).")
    var source: String?

    @Option(help: "Comma-separated symbols to backfill (default: every folder of a directory source).")
    var symbols: String?

    @Option(name: .customLong("stale-days"), help: "Only assets whose lastPollenationDate is missing or older than N days (read from the assets table).")
    var staleDays: Int?

    @Flag(name: .customLong("all-assets"), help: "Every asset registered in the assets table.")
    var allAssets = false

    @Option(help: "Where the live source saves every fetched body (default: the run directory's cache/).")
    var cache: String?

    @Option(name: .customLong("fetch-rpm"), help: "Alpha Vantage requests per minute, shared by all fetches.")
    var fetchRPM: Double = 5

    @Option(name: .customLong("fetch-per-day"),
            help: "Alpha Vantage requests per UTC day for this key, counted across runs on this machine (a free key has 25; 0: no daily budget).")
    var fetchPerDay: Int = 25

    @Option(help: "Comma-separated data tables to write (default: all five).")
    var tables: String?

    @Option(help: "Re-run only the (asset, table) pairs that failed in this report.")
    var rerun: String?

    @Option(help: "Continue a killed or interrupted run from its journal.")
    var resume: String?

    @Flag(name: .customLong("dry-run"), help: "Validate and plan (items, batches, write units, time); write nothing.")
    var dryRun = false

    @Option(help: "Output: auto (the console on a terminal, plain otherwise), tui, plain or json.")
    var ui: UIMode = .auto

    @Option(help: "Console theme (else POLLEN_THEME).")
    var theme: String?

    @Option(help: "Requests in flight at once.")
    var concurrency: Int = 16

    @Option(name: .customLong("max-attempts"), help: "Errors in a row (5xx, timeouts, resets) before a batch is given up; throttling never counts.")
    var maxAttempts: Int = 3

    @Option(name: .customLong("stall-timeout"), help: "Seconds a throttled table (or hot key) may write nothing before its waiting batches are given up.")
    var stallTimeout: Double = 60

    @Option(name: .customLong("describe-interval"), help: "Seconds between two re-reads of each table's announced capacity (UpdateTable, auto scaling).")
    var describeInterval: Double = 60

    @Option(name: .customLong("max-capacity-pct"), help: "Share of each table's write capacity to use, in percent: of the announced capacity (provisioned WCU, on-demand maximum), else of the rate DynamoDB is measured to grant.")
    var maxCapacityPercent: Double = 100

    @Option(name: .customLong("max-wcu"), help: "Ceiling on each table's write units per second.")
    var maxWCU: Double?

    @Option(name: .customLong("run-dir"), help: "Where the run's report, journal and events go (default ./pollen-runs/<runId>/).")
    var runDirectory: String?

    @Flag(name: .customLong("wait-for-leases"), help: "Come back at the end to assets another run holds (their leases), and wait for them, instead of leaving them to it.")
    var waitForLeases = false

    @Option(name: .customLong("lease-seconds"), help: "How long an asset's lease lasts without renewal (renewed every third of it while the asset is written).")
    var leaseSeconds: Double = AssetLeases.defaultDuration

    @Option(name: .customLong("lease-clock-skew"), help: "Seconds by which hosts' clocks may differ: a lapsed lease is taken over only this long after it ran out.")
    var leaseClockSkew: Double = AssetLeases.defaultSkewAllowance

    @Option(help: "Write the report here instead of the run directory.")
    var report: String?

    @Option(help: "Write the journal here instead of the run directory.")
    var journal: String?

    enum MetricsMode: String, ExpressibleByArgument, CaseIterable {
        case cloudwatch, off
    }

    @Option(help: "Publish metrics to CloudWatch (namespace Pollen, every 60 s and at the end): cloudwatch or off. The endpoint comes from AWS_ENDPOINT_URL_CLOUDWATCH or AWS_ENDPOINT_URL.")
    var metrics: MetricsMode = .off

    func validate() throws {
        guard leaseSeconds >= 1, leaseClockSkew >= 0 else {
            throw ValidationError("--lease-seconds must be at least 1 and --lease-clock-skew not negative.")
        }
        if rerun != nil && resume != nil { throw ValidationError("--rerun and --resume cannot be combined.") }
        if [symbols != nil, staleDays != nil, allAssets].filter({ $0 }).count > 1 {
            throw ValidationError("Choose at most one of --symbols, --stale-days and --all-assets.")
        }
        if source == BackfillSetup.liveSource && symbols == nil && staleDays == nil && allAssets == false && rerun == nil {
            throw ValidationError("With --source alphavantage, say which assets: --symbols, --stale-days N or --all-assets.")
        }
        if let staleDays, staleDays < 0 { throw ValidationError("--stale-days must be 0 or more.") }
        if !(fetchRPM > 0 && fetchRPM <= 10_000) { throw ValidationError("--fetch-rpm must be more than 0 and at most 10000.") }
        if fetchPerDay < 0 { throw ValidationError("--fetch-per-day must be 0 (no daily budget) or more.") }
        if source == nil && rerun == nil && resume == nil {
            throw ValidationError("Give --source DIR, --rerun REPORT or --resume JOURNAL.")
        }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256.") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1.") }
        if !(describeInterval >= 1 && describeInterval <= 86_400) {
            throw ValidationError("--describe-interval must be between 1 and 86400 seconds.")
        }
        if !(stallTimeout >= 1 && stallTimeout <= 86_400) {
            throw ValidationError("--stall-timeout must be between 1 and 86400 seconds.")
        }
        if !WriteRateController.Cap.isValid(percent: maxCapacityPercent) {
            throw ValidationError("--max-capacity-pct must be more than 0 and at most 100.")
        }
        if let maxWCU, maxWCU < 1 { throw ValidationError("--max-wcu must be at least 1.") }
        _ = try selectedTables()
        _ = try selectedSymbols()
    }

    func selectedTables() throws -> [PollenTable]? {
        guard let tables else { return nil }
        return try tables.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let table = PollenTable(rawValue: trimmed), table != .assets else {
                throw ValidationError("Unknown table '\(ExternalText.escaped(trimmed, singleLine: true))' in --tables: use \(PollenTable.dataTables.map(\.rawValue).joined(separator: ", ")).")
            }
            return table
        }
    }

    func selectedSymbols() throws -> [String]? {
        guard let symbols else { return nil }
        let list = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .filter { !$0.isEmpty }
        guard !list.isEmpty else {
            throw ValidationError("--symbols names no symbol: give one or more, comma-separated (--symbols IBM,AAPL).")
        }
        if let bad = list.first(where: { !SymbolRules.isValid($0) }) {
            throw ValidationError("'\(ExternalText.escaped(bad, singleLine: true))' in --symbols is not a valid symbol (A-Z, 0-9, '.', '-', at most 12 characters).")
        }
        return list
    }

    func run() async throws {
        var exitCode: Int32 = 0
        try await reportingFailures(endpoint: try? connection.settings().endpoint.absoluteString) {
            exitCode = try await runBackfill()
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private func runBackfill() async throws -> Int32 {
        let client = try connection.makeClient()
        let runID = BackfillConfiguration.newRunID(at: Timestamp.iso8601(Date()))
        // A resumed run keeps writing into the run directory its journal is in.
        let plannedDirectory = runDirectory ?? resume.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? "pollen-runs/\(runID)"
        let setup = try await BackfillSetup.make(command: self, client: client, runID: runID,
                                                 cacheDirectory: cache ?? plannedDirectory + "/cache")
        let launcher = BackfillLauncher(command: self, client: client)
        if dryRun, setup.source is LiveAssetSource {
            // Fetching is what a live run costs: say how many requests, and whether today's budget covers them.
            let plan = FetchPlan(plan: setup.plan, requestsPerMinute: fetchRPM,
                                 remainingToday: try BackfillSetup.dailyLedger(command: self)?.remaining(), dailyBudget: fetchPerDay)
            StandardStreams.out(plan.text)
            return plan.covered ? 0 : 2
        }
        if dryRun {
            let planner = DryRunPlanner(client: client, source: setup.source, plan: setup.plan,
                                        tablePrefix: setup.tablePrefix, cap: launcher.cap)
            let plan = try await planner.makePlan()
            DryRunOutput.print(plan, json: ui == .json)
            return plan.problems.isEmpty ? 0 : 2
        }
        let files = RunFiles(runID: setup.runID, runDirectory: plannedDirectory, report: report, journal: resume ?? journal)
        if let options = consoleOptions() {
            do {
                return try await ConsoleHost(launcher: launcher, options: options).run(first: setup, files: files)
            } catch let error as TerminalError where ui == .auto {
                StandardStreams.err("pollen: \(error); using plain output\n")
            }
        }
        // After earlier attempts (`--rerun`), the summary covering them all replaces the engine's.
        let output: any EventSink = ui == .json ? JSONOutput.sink(withSummary: setup.earlier.attempts.isEmpty) : PlainOutput()
        let launched = try launcher.launch(setup, files: files, output: output)
        let interrupts = InterruptHandler { launched.engine.control.drain() }
        let result = await launched.result.value
        interrupts.stop()
        var history = setup.earlier
        history.append(result.report, rerun: setup.rerunLabel, reportPath: files.report)
        if ui == .json {
            if !setup.earlier.attempts.isEmpty { JSONOutput.printSummary(result.summary, history: history) }
        } else {
            StandardStreams.out(SummaryText.render(history))
        }
        return result.exitCode
    }

    /// The console's options when the console should run: `--ui tui`, or `--ui auto` on a
    /// terminal that can take it (not `TERM=dumb`, not a pipe).
    private func consoleOptions() -> ConsoleOptions? {
        let environment = ProcessInfo.processInfo.environment
        switch ui {
        case .plain, .json: return nil
        case .tui, .auto:
            let usable = NcursesTerminal.isUsable(environment: environment, isTerminal: isatty(STDOUT_FILENO) == 1)
            if !usable && ui == .tui {
                StandardStreams.err("pollen: this terminal cannot show the console (TERM=\(environment["TERM"] ?? "unset")); using plain output\n")
            }
            guard usable else { return nil }
            return ConsoleOptions(environment: environment, themeName: theme, themeDirectories: ThemeDirectories.bundled())
        }
    }
}
