import Synchronization

/// The one place where a run's counters and rates are computed, from the event stream.
///
/// It is an ``EventSink``: every event updates totals and one-second sliding windows;
/// ``snapshot(at:)`` turns them into a ``ProgressSnapshot`` and evaluates the operating alert
/// thresholds.
public final class RunMetrics: EventSink {
    /// Seconds of the window that rates are averaged over.
    public static let rateWindowSeconds = 10
    /// Seconds of per-second history kept for graphs.
    public static let historySeconds = 180

    private let state: Mutex<State>

    public init() {
        state = Mutex(State())
    }

    public func receive(_ event: EngineEvent) {
        state.withLock { $0.apply(event) }
    }

    /// The numbers as of `time` (seconds since the run started).
    public func snapshot(at time: Double) -> ProgressSnapshot {
        state.withLock { $0.snapshot(at: time) }
    }

    /// Per-table totals for the summary and report.
    public func tableTotals() -> [PollenTable: RunSummary.TableTotals] {
        state.withLock { state in state.tables.mapValues(\.totals) }
    }

    /// The operating thresholds of the console issue, evaluated as of `time`.
    public func alerts(at time: Double) -> [Alert] {
        state.withLock { $0.alerts(at: time) }
    }

    struct TableCounters {
        var info: TableInfo?
        var totals = RunSummary.TableTotals()
        var itemsKnown = 0
        var requests = 0
        var inFlight = 0
        var backingOff: Set<UInt64> = []
        var allowedRate: Double?
        var estimatedLimit: Double?
        var lastThrottleReason: String?
        var items = SlidingWindow(seconds: RunMetrics.historySeconds)
        var units = SlidingWindow(seconds: RunMetrics.historySeconds)
        var requestWindow = SlidingWindow(seconds: 60)
        var pushedBack = SlidingWindow(seconds: 60)
        var unprocessed = SlidingWindow(seconds: 60)
    }

    struct State {
        var tables: [PollenTable: TableCounters] = [:]
        var assetsTotal: Int?
        var assetsStarted: [String: Double] = [:]
        var assetsDone = 0
        var marks = 0
        var markFailures = 0
        var batchesFinished = 0
        var batchesFailed = 0
        var retries = SlidingWindow(seconds: 60)
        var fetch: ProgressSnapshot.FetchSummary?
        var fetchRequests = SlidingWindow(seconds: 70)

        mutating func apply(_ event: EngineEvent) {
            let time = event.elapsed
            switch event.body {
            case .runStarted(let info):
                assetsTotal = info.assets
                for table in info.tables { tables[table.table, default: TableCounters()].info = table }
            case .assetStarted(let symbol):
                assetsStarted[symbol] = time
            case .tableLoaded(let load):
                update(load.table) {
                    $0.itemsKnown += load.items + load.alreadyWritten
                    $0.totals.written += load.alreadyWritten
                    $0.totals.rejected += load.rejected
                    $0.totals.duplicates += load.duplicates
                }
            case .batchSent(let batch):
                update(batch.table) {
                    $0.inFlight += 1
                    $0.backingOff.remove(batch.batch)
                }
            case .batchAcknowledged(let ack):
                batchesFinished += ack.unprocessed == 0 ? 1 : 0
                update(ack.table) {
                    $0.inFlight -= 1
                    $0.requests += 1
                    $0.totals.written += ack.written
                    $0.totals.unprocessed += ack.unprocessed
                    $0.totals.consumedUnits += ack.consumedUnits
                    $0.items.add(Double(ack.written), at: time)
                    $0.units.add(ack.consumedUnits, at: time)
                    $0.requestWindow.add(1, at: time)
                    $0.unprocessed.add(Double(ack.unprocessed), at: time)
                    if ack.unprocessed > 0 { $0.pushedBack.add(1, at: time) }
                }
            case .batchThrottled(let issue):
                update(issue.table) {
                    $0.inFlight -= 1
                    $0.requests += 1
                    $0.totals.throttled += 1
                    var reasons = $0.totals.throttleReasons ?? [:]
                    for reason in issue.throttlingReasons { reasons[reason, default: 0] += 1 }
                    if !reasons.isEmpty { $0.totals.throttleReasons = reasons }
                    $0.lastThrottleReason = issue.throttlingReasons.first ?? $0.lastThrottleReason
                    $0.requestWindow.add(1, at: time)
                    $0.pushedBack.add(1, at: time)
                }
            case .batchErrored(let issue):
                update(issue.table) {
                    $0.inFlight -= 1
                    $0.requests += 1
                    $0.requestWindow.add(1, at: time)
                }
            case .retryScheduled(let retry):
                retries.add(1, at: time)
                update(retry.table) {
                    $0.totals.retries += 1
                    $0.backingOff.insert(retry.batch)
                }
            case .batchFailed(let failure):
                batchesFinished += 1
                batchesFailed += 1
                update(failure.table) { $0.backingOff.remove(failure.batch) }
            case .tableFinished(let result):
                // Counted per pair: the items of given-up batches and of a table that cannot be written.
                update(result.table) { $0.totals.failed += result.failed }
            case .assetMarked(let mark):
                assetsDone += 1
                marks += 1
                if mark.error != nil { markFailures += 1 }
                assetsStarted[mark.symbol] = nil
            case .rateChanged(let change) where change.symbol == nil:
                update(change.table) {
                    $0.allowedRate = change.unitsPerSecond
                    $0.estimatedLimit = change.estimatedLimit
                }
            case .fetchProgress(let progress):
                fetchRequests.add(1, at: time)
                var summary = fetch ?? .init(assetsFetched: 0, assetsPending: 0, requests: 0, errors: 0,
                                             requestsLastMinute: 0, budgetPerMinute: progress.budgetPerMinute)
                summary.assetsFetched = progress.assetsFetched
                summary.assetsPending = progress.assetsPending
                summary.requests += 1
                if progress.outcome == .failed { summary.errors += 1 }
                if progress.outcome == .stopped { summary.stopped = summary.stopped ?? progress.message }
                fetch = summary
            case .stateChanged, .alert, .progress, .runFinished, .rateChanged, .capChanged, .leaseMet:
                break
            }
        }

        mutating func update(_ table: PollenTable, _ change: (inout TableCounters) -> Void) {
            change(&tables[table, default: TableCounters()])
        }

        func snapshot(at time: Double) -> ProgressSnapshot {
            let window = RunMetrics.rateWindowSeconds
            var perTable: [ProgressSnapshot.TableProgress] = []
            var requests = 0.0, pushed = 0.0
            for (table, counters) in tables.sorted(by: { $0.key < $1.key }) {
                let tableRequests = counters.requestWindow.sum(lastSeconds: window, at: time)
                let tablePushed = counters.pushedBack.sum(lastSeconds: window, at: time)
                requests += tableRequests
                pushed += tablePushed
                perTable.append(ProgressSnapshot.TableProgress(
                    table: table, name: counters.info?.name ?? table.rawValue,
                    provisionedWCU: counters.info?.provisionedWCU, allowedUnitsPerSecond: counters.allowedRate,
                    estimatedLimitUnitsPerSecond: counters.estimatedLimit, lastThrottleReason: counters.lastThrottleReason,
                    itemsKnown: counters.itemsKnown, written: counters.totals.written, failed: counters.totals.failed,
                    rejected: counters.totals.rejected, requests: counters.requests, retries: counters.totals.retries,
                    throttledRequests: counters.totals.throttled, unprocessedItems: counters.totals.unprocessed,
                    consumedUnits: counters.totals.consumedUnits, inFlight: counters.inFlight,
                    backingOff: counters.backingOff.count,
                    itemsPerSecond: counters.items.rate(lastSeconds: window, at: time),
                    unitsPerSecond: counters.units.rate(lastSeconds: window, at: time),
                    throttledPercent: tableRequests > 0 ? 100 * tablePushed / tableRequests : 0,
                    unprocessedPerSecond: counters.unprocessed.rate(lastSeconds: window, at: time),
                    unitsHistory: counters.units.history(count: 120, at: time)))
            }
            let known = perTable.reduce(0) { $0 + $1.itemsKnown }
            let written = perTable.reduce(0) { $0 + $1.written }
            let failed = perTable.reduce(0) { $0 + $1.failed }
            let itemsPerSecond = perTable.reduce(0) { $0 + $1.itemsPerSecond }
            // Items of assets not read yet are estimated at the average of the assets read so far.
            var expected = Double(known)
            let started = assetsStarted.count + assetsDone
            if let total = assetsTotal, started > 0, started < total {
                expected += Double(total - started) * Double(known) / Double(started)
            }
            let remaining = max(0, expected - Double(written + failed))
            let eta = itemsPerSecond > 0 ? remaining / itemsPerSecond : nil
            return ProgressSnapshot(
                elapsedSeconds: time, assetsTotal: assetsTotal, assetsStarted: assetsStarted.count + assetsDone,
                assetsDone: assetsDone, itemsKnown: known, itemsExpected: expected, itemsWritten: written, itemsFailed: failed,
                itemsRejected: perTable.reduce(0) { $0 + $1.rejected }, itemsPerSecond: itemsPerSecond,
                unitsPerSecond: perTable.reduce(0) { $0 + $1.unitsPerSecond },
                retriesPerSecond: retries.rate(lastSeconds: window, at: time),
                throttledPercent: requests > 0 ? 100 * pushed / requests : 0,
                batchFailurePercent: batchesFinished > 0 ? 100 * Double(batchesFailed) / Double(batchesFinished) : 0,
                markFailurePercent: marks > 0 ? 100 * Double(markFailures) / Double(marks) : 0,
                etaSeconds: eta, tables: perTable,
                fetch: fetch.map { summary in
                    var current = summary
                    current.requestsLastMinute = fetchRequests.sum(lastSeconds: 60, at: time + 1)
                    return current
                })
        }

        func alerts(at time: Double) -> [Alert] {
            let snapshot = snapshot(at: time)
            let slowest = assetsStarted.values.map { time - $0 }.max() ?? 0
            return [
                Alert(name: .batchFailureRate, message: "batch write failure rate above 15%",
                      value: snapshot.batchFailurePercent, threshold: 15,
                      active: batchesFinished >= 5 && snapshot.batchFailurePercent > 15),
                Alert(name: .slowAsset, message: "an asset's upsert is taking over 1 minute",
                      value: slowest, threshold: 60, active: slowest > 60),
                Alert(name: .throttleRate, message: "throttled requests above 20%",
                      value: snapshot.throttledPercent, threshold: 20, active: snapshot.throttledPercent > 20),
                Alert(name: .markFailureRate, message: "asset status update failures above 10%",
                      value: snapshot.markFailurePercent, threshold: 10, active: marks >= 1 && snapshot.markFailurePercent > 10),
            ]
        }
    }
}
