@testable import PollenEngine

/// Short constructors for engine events, so tests read as what happened.
enum Events {
    static let tables: [TableInfo] = [
        TableInfo(table: .companyOverview, name: "dev_companyOverview", provisionedWCU: nil),
        TableInfo(table: .earnings, name: "dev_earnings", provisionedWCU: 50),
        TableInfo(table: .cashFlow, name: "dev_cashFlow", provisionedWCU: nil),
        TableInfo(table: .balanceSheet, name: "dev_balanceSheet", provisionedWCU: nil),
        TableInfo(table: .incomeStatement, name: "dev_incomeStatement", provisionedWCU: nil),
    ]

    static func runStarted(_ elapsed: Double = 0, runId: String = "bf-20260101-7f3a", assets: Int? = 20,
                           tables: [TableInfo] = Events.tables, cap: WriteRateController.Cap = .init()) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .runStarted(RunInfo(
            runId: runId, endpoint: "http://localhost:8000", region: "us-east-1", tablePrefix: "dev_", tables: tables,
            assets: assets, dryRun: false, resumed: false, runDirectory: "pollen-runs/\(runId)", cap: cap)))
    }

    static func capChanged(_ elapsed: Double, percent: Double, maxUnitsPerSecond: Double? = nil) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .capChanged(.init(capacityPercent: percent, maxUnitsPerSecond: maxUnitsPerSecond)))
    }

    static func assetStarted(_ elapsed: Double, _ symbol: String) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .assetStarted(symbol: symbol))
    }

    static func tableLoaded(_ elapsed: Double, _ symbol: String, _ table: PollenTable, items: Int, units: Int,
                            rejected: Int = 0) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .tableLoaded(TableLoad(
            symbol: symbol, table: table, items: items, units: units, rejected: rejected, duplicates: 0, alreadyWritten: 0)))
    }

    static func batchSent(_ elapsed: Double, _ batch: UInt64, _ symbol: String, _ table: PollenTable, items: Int,
                          units: Int, attempt: Int = 1) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .batchSent(BatchInfo(
            batch: batch, symbol: symbol, table: table, items: items, units: units, attempt: attempt)))
    }

    static func batchAcknowledged(_ elapsed: Double, _ batch: UInt64, _ symbol: String, _ table: PollenTable,
                                  written: Int, unprocessed: Int = 0, units: Double) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .batchAcknowledged(BatchAck(
            batch: batch, symbol: symbol, table: table, written: written, unprocessed: unprocessed,
            consumedUnits: units, latencyMs: 42)))
    }

    static let throttlingMessage = "The level of configured provisioned throughput for the table was exceeded."

    static func batchThrottled(_ elapsed: Double, _ batch: UInt64, _ symbol: String, _ table: PollenTable) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .batchThrottled(BatchIssue(
            batch: batch, symbol: symbol, table: table, code: "ProvisionedThroughputExceededException",
            category: .throttling, message: throttlingMessage)))
    }

    static func retryScheduled(_ elapsed: Double, _ batch: UInt64, _ symbol: String, _ table: PollenTable,
                               attempt: Int, delay: Double, reason: RetryReason, items: Int) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .retryScheduled(RetryInfo(
            batch: batch, symbol: symbol, table: table, attempt: attempt, delaySeconds: delay, reason: reason, items: items)))
    }

    static func batchFailed(_ elapsed: Double, _ batch: UInt64, _ symbol: String, _ table: PollenTable, keys: [String],
                            attempts: Int, error: String) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .batchFailed(BatchFailure(
            batch: batch, symbol: symbol, table: table, keys: keys, attempts: attempts, error: error)))
    }

    static func tableFinished(_ elapsed: Double, _ symbol: String, _ table: PollenTable, _ state: TableState,
                              written: Int, failed: Int = 0, rejected: Int = 0, reason: String? = nil) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .tableFinished(TableResult(
            symbol: symbol, table: table, state: state, written: written, failed: failed, rejected: rejected, reason: reason)))
    }

    static func assetMarked(_ elapsed: Double, _ symbol: String, _ status: AssetStatus, date: String? = "2026-01-01",
                            confirmed: Bool = true, error: String? = nil) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .assetMarked(AssetMark(
            symbol: symbol, status: status, lastPollenationDate: date, confirmed: confirmed, error: error,
            durationSeconds: 30)))
    }

    static func rateChanged(_ elapsed: Double, _ table: PollenTable, _ rate: Double?, reason: RateChange.Reason) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .rateChanged(RateChange(table: table, unitsPerSecond: rate, reason: reason)))
    }

    static func stateChanged(_ elapsed: Double, _ state: RunState) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .stateChanged(state))
    }

    static func throttleAlert(_ elapsed: Double, value: Double = 34, active: Bool = true) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .alert(Alert(
            name: .throttleRate, message: "throttled requests above 20%", value: value, threshold: 20, active: active)))
    }

    static func progress(_ snapshot: ProgressSnapshot) -> EngineEvent {
        EngineEvent(elapsed: snapshot.elapsedSeconds, body: .progress(snapshot))
    }

    static func summary(_ elapsed: Double, status: AssetStatus, exitCode: Int32,
                        tables: [PollenTable: RunSummary.TableTotals] = [:],
                        assets: [String: RunSummary.AssetSummary] = [:], alerts: [Alert] = [],
                        interrupted: Bool = false) -> EngineEvent {
        EngineEvent(elapsed: elapsed, body: .runFinished(RunSummary(
            status: status, exitCode: exitCode, tables: tables, assets: assets,
            report: "pollen-runs/bf-20260101-7f3a/report.json", runDirectory: "pollen-runs/bf-20260101-7f3a",
            interrupted: interrupted, fatalError: nil, alerts: alerts, elapsedSeconds: elapsed)))
    }
}
