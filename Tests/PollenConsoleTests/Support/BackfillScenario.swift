import Foundation
@testable import PollenEngine
import PollenConsole

/// A realistic backfill, made of the events the engine would emit: 20 assets started four
/// seconds apart, five tables (earnings provisioned at 50 WCU and throttled, the others
/// on-demand), retries backing off, one asset with a failed earnings batch and one with
/// rejected records. Progress snapshots come from the engine's own `RunMetrics` fed the same
/// events, once a second, as in a real run.
struct BackfillScenario {
    static let symbols = ["AAPL", "MSFT", "GOOGL", "AMZN", "META", "NVDA", "TSLA", "BRK.B", "JPM", "V",
                          "JNJ", "WMT", "PG", "MA", "HD", "XOM", "CVX", "KO", "PEP", "COST"]
    static let assetSeconds = 34.0
    static let items: [PollenTable: (items: Int, unitsPerItem: Int)] = [
        .companyOverview: (1, 2), .earnings: (200, 1), .cashFlow: (40, 2), .balanceSheet: (40, 2), .incomeStatement: (40, 2),
    ]
    static let batchSize = 25
    static let failedBatchError = "gave up after 3 attempts without progress: ProvisionedThroughputExceededException: "
        + Events.throttlingMessage
    static let rejectedReason = "2 records rejected: fiscalDateEnding '2023-13-31' is not a valid date"

    private(set) var timeline: [EngineEvent] = []
    private var nextBatch: UInt64 = 0

    init() {
        add(Events.runStarted(0))
        for table in Events.tables {
            add(Events.rateChanged(0, table.table, table.provisionedWCU.map(Double.init), reason: .start))
        }
        add(Events.rateChanged(20, .earnings, 40, reason: .pushedBack))
        add(Events.rateChanged(50, .earnings, 44, reason: .probe))
        add(Events.rateChanged(80, .earnings, 35.2, reason: .pushedBack))
        add(Events.throttleAlert(31))
        for (index, symbol) in Self.symbols.enumerated() {
            simulateAsset(symbol, index: index, start: 2 + Double(index) * 4)
        }
        timeline.sort { $0.elapsed < $1.elapsed }
    }

    /// The events up to `time`, with a progress snapshot at each whole second, as the engine
    /// would have emitted them.
    func events(until time: Double) -> [EngineEvent] {
        let metrics = RunMetrics()
        var result: [EngineEvent] = []
        var nextSecond = 1.0
        for event in timeline where event.elapsed <= time {
            while event.elapsed >= nextSecond {
                result.append(Events.progress(metrics.snapshot(at: nextSecond)))
                nextSecond += 1
            }
            metrics.receive(event)
            result.append(event)
        }
        while nextSecond <= time {
            result.append(Events.progress(metrics.snapshot(at: nextSecond)))
            nextSecond += 1
        }
        return result
    }

    /// The whole run to its end: every asset marked, then DONE and the summary.
    func finishedEvents() -> [EngineEvent] {
        let end = (timeline.last?.elapsed ?? 0) + 0.5
        var events = self.events(until: end)
        let metrics = RunMetrics()
        for event in events { metrics.receive(event) }
        var assets: [String: RunSummary.AssetSummary] = [:]
        for event in timeline {
            if case .assetMarked(let mark) = event.body {
                assets[mark.symbol] = RunSummary.AssetSummary(status: mark.status, lastPollenationDate: mark.lastPollenationDate,
                                                              confirmed: mark.confirmed)
            }
        }
        events.append(Events.stateChanged(end, .done))
        events.append(Events.summary(end, status: .partial, exitCode: 2, tables: metrics.tableTotals(), assets: assets,
                                     alerts: [Alert(name: .throttleRate, message: "throttled requests above 20%",
                                                    value: 31, threshold: 20, active: true)]))
        return events
    }

    /// A console state fed `events`.
    static func state(_ events: [EngineEvent], themeNames: [String] = ["default"]) -> ConsoleState {
        var state = ConsoleState(themeNames: themeNames)
        let reducer = ConsoleReducer()
        for event in events { _ = reducer.reduce(&state, .engine(event)) }
        return state
    }

    // MARK: - One asset

    private mutating func add(_ event: EngineEvent) {
        timeline.append(event)
    }

    private mutating func batchID() -> UInt64 {
        nextBatch += 1
        return nextBatch
    }

    private mutating func simulateAsset(_ symbol: String, index: Int, start: Double) {
        add(Events.assetStarted(start, symbol))
        let end = start + Self.assetSeconds
        var outcome = AssetStatus.complete
        for table in PollenTable.dataTables {
            let (items, unitsPerItem) = Self.items[table]!
            let rejected = symbol == "META" && table == .cashFlow ? 2 : 0
            add(Events.tableLoaded(start + 0.2, symbol, table, items: items - rejected, units: (items - rejected) * unitsPerItem,
                                   rejected: rejected))
            let batches = (items - rejected + Self.batchSize - 1) / Self.batchSize
            var written = 0, failed = 0
            for number in 0..<batches {
                let size = min(Self.batchSize, items - rejected - number * Self.batchSize)
                let sentAt = start + 0.5 + (Self.assetSeconds - 3) * Double(number) / Double(batches)
                let units = size * unitsPerItem
                let id = batchID()
                add(Events.batchSent(sentAt, id, symbol, table, items: size, units: units))
                if table == .earnings && symbol == "MSFT" && number == 2 {
                    failed += giveUp(id, symbol: symbol, size: size, units: units, sentAt: sentAt)
                    continue
                }
                if table == .earnings && number % 3 == 1 {
                    let delay = 1 + Double((index + number) % 4) * 0.9
                    add(Events.batchThrottled(sentAt + 0.05, id, symbol, table))
                    add(Events.retryScheduled(sentAt + 0.05, id, symbol, table, attempt: 2, delay: delay, reason: .throttled,
                                              items: size))
                    add(Events.batchSent(sentAt + 0.05 + delay, id, symbol, table, items: size, units: units, attempt: 2))
                    add(Events.batchAcknowledged(sentAt + 0.12 + delay, id, symbol, table, written: size, units: Double(units)))
                } else if table == .balanceSheet && number == 1 && index % 4 == 1 {
                    add(Events.batchAcknowledged(sentAt + 0.06, id, symbol, table, written: size - 3, unprocessed: 3,
                                                 units: Double((size - 3) * unitsPerItem)))
                    add(Events.retryScheduled(sentAt + 0.06, id, symbol, table, attempt: 2, delay: 0.3, reason: .unprocessed,
                                              items: 3))
                    add(Events.batchSent(sentAt + 0.36, id, symbol, table, items: 3, units: 3 * unitsPerItem, attempt: 2))
                    add(Events.batchAcknowledged(sentAt + 0.42, id, symbol, table, written: 3, units: Double(3 * unitsPerItem)))
                } else {
                    add(Events.batchAcknowledged(sentAt + 0.06, id, symbol, table, written: size, units: Double(units)))
                }
                written += size
            }
            if failed > 0 {
                outcome = .partial
                add(Events.tableFinished(end - 0.5, symbol, table, .failed, written: written, failed: failed,
                                         reason: "\(failed) of \(items) items not written: \(Self.failedBatchError)"))
            } else if rejected > 0 {
                outcome = .partial
                add(Events.tableFinished(end - 0.5, symbol, table, .failed, written: written, rejected: rejected,
                                         reason: Self.rejectedReason))
            } else {
                add(Events.tableFinished(end - 0.5, symbol, table, .ok, written: written))
            }
        }
        if symbol == "TSLA" {  // written, but its row cannot be marked: FAILED, not confirmed
            add(Events.assetMarked(end, symbol, .failed, date: nil, confirmed: false,
                                   error: "the asset row does not exist (register it with pollen assets add TSLA)"))
        } else {
            // The date is set only when COMPLETE; the read-back confirms either way.
            let seconds = Int(end)
            let date = String(format: "2026-01-01T09:%02d:%02dZ", seconds / 60, seconds % 60)
            add(Events.assetMarked(end, symbol, outcome, date: outcome == .complete ? date : nil))
        }
    }

    /// A batch throttled three times in a row and given up; returns the items it failed.
    private mutating func giveUp(_ id: UInt64, symbol: String, size: Int, units: Int, sentAt: Double) -> Int {
        var time = sentAt
        for attempt in 1...3 {
            add(Events.batchThrottled(time + 0.05, id, symbol, .earnings))
            guard attempt < 3 else { break }
            let delay = Double(attempt) * 1.5
            add(Events.retryScheduled(time + 0.05, id, symbol, .earnings, attempt: attempt + 1, delay: delay,
                                      reason: .throttled, items: size))
            time += 0.05 + delay
            add(Events.batchSent(time, id, symbol, .earnings, items: size, units: units, attempt: attempt + 1))
        }
        let keys = (0..<size).map { "\(symbol)#\(2015 + $0 / 4)-Q\($0 % 4 + 1)" }
        add(Events.batchFailed(time + 0.05, id, symbol, .earnings, keys: keys, attempts: 3, error: Self.failedBatchError))
        return size
    }
}
