import Foundation
import PollenCloudWatch
import Synchronization

/// Publishes a run's numbers to CloudWatch (`--metrics cloudwatch`): namespace `Pollen`,
/// dimension `Table`, every period (60 s) and once more at the end of the run.
///
/// It is an ``EventSink``: it sums what the events say over the current period and hands the
/// period's data points to `publish`. A failure to publish is reported, never fatal.
public final class CloudWatchMetrics: EventSink {
    public static let namespace = "Pollen"

    private struct TableCounts {
        var itemsWritten = 0.0
        var batchSuccesses = 0.0
        var batchFailures = 0.0
        var throttled = 0.0
        var retries = 0.0
        var unprocessed = 0.0
        var consumedUnits = 0.0
    }

    private struct Period {
        var tables: [PollenTable: TableCounts] = [:]
        var upsertSeconds: [Double] = []
        var markSuccesses = 0.0
        var markFailures = 0.0
        var isEmpty: Bool { tables.isEmpty && upsertSeconds.isEmpty && markSuccesses == 0 && markFailures == 0 }
    }

    private let period = Mutex(Period())
    private let failures = Mutex<[String]>([])
    private let clock: any EngineClock
    private let publish: @Sendable ([MetricDatum]) async throws -> Void

    public init(clock: any EngineClock, publish: @escaping @Sendable ([MetricDatum]) async throws -> Void) {
        self.clock = clock
        self.publish = publish
    }

    /// Why publishing failed, if it did (one line per failed flush).
    public var publishFailures: [String] { failures.withLock { $0 } }

    public func receive(_ event: EngineEvent) {
        period.withLock { period in
            switch event.body {
            case .batchAcknowledged(let ack):
                period.tables[ack.table, default: TableCounts()].itemsWritten += Double(ack.written)
                period.tables[ack.table, default: TableCounts()].unprocessed += Double(ack.unprocessed)
                period.tables[ack.table, default: TableCounts()].consumedUnits += ack.consumedUnits
                if ack.unprocessed == 0 { period.tables[ack.table, default: TableCounts()].batchSuccesses += 1 }
            case .batchFailed(let failure):
                period.tables[failure.table, default: TableCounts()].batchFailures += 1
            case .batchThrottled(let issue):
                period.tables[issue.table, default: TableCounts()].throttled += 1
            case .retryScheduled(let retry):
                period.tables[retry.table, default: TableCounts()].retries += 1
            case .assetMarked(let mark):
                period.upsertSeconds.append(mark.durationSeconds)
                if mark.error == nil { period.markSuccesses += 1 } else { period.markFailures += 1 }
            default:
                break
            }
        }
    }

    /// Publishes every `seconds` until the task is cancelled.
    public func publishPeriodically(every seconds: Double = 60) async {
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: seconds) } catch { return }
            await flush()
        }
    }

    /// Publishes what was counted since the last flush (nothing if nothing happened).
    public func flush() async {
        let data = takeData(at: clock.date())
        guard !data.isEmpty else { return }
        do {
            try await publish(data)
        } catch {
            failures.withLock { $0.append(String(describing: error)) }
        }
    }

    /// The period's data points, and a fresh period.
    func takeData(at date: Date) -> [MetricDatum] {
        let current = period.withLock { period -> Period in
            defer { period = Period() }
            return period
        }
        guard !current.isEmpty else { return [] }
        var data: [MetricDatum] = []
        for (table, counts) in current.tables.sorted(by: { $0.key < $1.key }) {
            let dimension = [(name: "Table", value: table.rawValue)]
            for (name, value, unit) in [
                ("ItemsWritten", counts.itemsWritten, MetricDatum.Unit.count),
                ("BatchWriteSuccesses", counts.batchSuccesses, .count), ("BatchWriteFailures", counts.batchFailures, .count),
                ("ThrottledRequests", counts.throttled, .count), ("Retries", counts.retries, .count),
                ("UnprocessedItems", counts.unprocessed, .count), ("ConsumedWriteUnits", counts.consumedUnits, .none),
            ] {
                data.append(MetricDatum(name: name, dimensions: dimension, measurement: .value(value), unit: unit, timestamp: date))
            }
        }
        let assets = [(name: "Table", value: PollenTable.assets.rawValue)]
        if let minimum = current.upsertSeconds.min(), let maximum = current.upsertSeconds.max() {
            data.append(MetricDatum(name: "AssetUpsertDuration", dimensions: assets, measurement: .statistics(.init(
                sampleCount: Double(current.upsertSeconds.count), sum: current.upsertSeconds.reduce(0, +),
                minimum: minimum, maximum: maximum)), unit: .seconds, timestamp: date))
        }
        data.append(MetricDatum(name: "AssetStatusUpdateSuccesses", dimensions: assets,
                                measurement: .value(current.markSuccesses), unit: .count, timestamp: date))
        data.append(MetricDatum(name: "AssetStatusUpdateFailures", dimensions: assets,
                                measurement: .value(current.markFailures), unit: .count, timestamp: date))
        return data
    }
}
