import Foundation
import PollenDynamoDB
import Synchronization

/// Sends batches with the retry policy: re-sends unprocessed items, backs off on throttling
/// and transient errors, journals what DynamoDB acknowledged before counting it, and gives up
/// on a batch (keeping its keys and last error) after too many attempts without progress.
public final class BatchWriter: Sendable {
    /// How one batch ended.
    public struct Outcome: Sendable {
        public var written: Int
        public var retries: Int
        public var throttled: Int
        public var unprocessed: Int
        public var consumedUnits: Double
        public var failure: BatchFailure?
    }

    let client: DynamoDBClient
    let tableNames: [PollenTable: String]
    let journal: JournalWriter?
    let events: EventEmitter
    let gate: RequestGate
    let rates: [PollenTable: WriteRateController]
    let policy: RetryPolicy
    let clock: any EngineClock
    let random: any RandomSource
    let control: RunControl
    private let batchCounter = Mutex<UInt64>(0)

    init(client: DynamoDBClient, tableNames: [PollenTable: String], journal: JournalWriter?, events: EventEmitter,
         gate: RequestGate, rates: [PollenTable: WriteRateController], policy: RetryPolicy, clock: any EngineClock,
         random: any RandomSource, control: RunControl) {
        self.client = client
        self.tableNames = tableNames
        self.journal = journal
        self.events = events
        self.gate = gate
        self.rates = rates
        self.policy = policy
        self.clock = clock
        self.random = random
        self.control = control
    }

    /// A new batch number, unique within the run.
    func nextBatchID() -> UInt64 {
        batchCounter.withLock { counter in
            counter += 1
            return counter
        }
    }

    /// Writes `batch` until every item is acknowledged or the batch fails.
    func write(_ batch: WriteBatch) async -> Outcome {
        var outcome = Outcome(written: 0, retries: 0, throttled: 0, unprocessed: 0, consumedUnits: 0, failure: nil)
        var remaining = batch.items
        var attemptsWithoutProgress = 0
        var resends = 0
        var lastError = ""
        let tableName = tableNames[batch.table] ?? batch.table.rawValue

        func fail(_ error: String) -> Outcome {
            let failure = BatchFailure(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                       keys: remaining.map(\.key), attempts: resends + 1, error: error)
            events.emit(.batchFailed(failure))
            outcome.failure = failure
            return outcome
        }

        while !remaining.isEmpty {
            await control.waitWhilePaused()
            if let fatal = control.fatalError { return fail("run stopped: \(fatal)") }
            if control.isDraining { return fail("run interrupted before this batch was written") }
            let units = remaining.reduce(0) { $0 + $1.writeUnits }
            let reason: RetryReason
            do {
                try await rates[batch.table]?.acquire(units: units)
                try await gate.acquire()
            } catch {
                return fail("run cancelled")
            }
            events.emit(.batchSent(BatchInfo(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                             items: remaining.count, units: units, attempt: resends + 1)))
            let sentAt = clock.now()
            do {
                let output = try await client.batchWriteItem(BatchWriteItemInput(
                    requestItems: [tableName: remaining.map { .put(item: $0.item) }], returnConsumedCapacity: .total))
                gate.release()
                let unprocessedKeys = Set((output.unprocessedItems[tableName] ?? []).map(Self.key(of:)))
                let written = remaining.filter { !unprocessedKeys.contains($0.key) }
                remaining = remaining.filter { unprocessedKeys.contains($0.key) }
                // DynamoDB has these items whatever happens next; they count as written once journaled.
                outcome.written += written.count
                if !written.isEmpty {
                    try await journal?.append(.acknowledged(symbol: batch.symbol, table: batch.table, keys: written.map(\.key)))
                }
                let consumed = output.consumedCapacity.reduce(0) { $0 + ($1.capacityUnits ?? 0) }
                outcome.unprocessed += remaining.count
                outcome.consumedUnits += consumed
                rates[batch.table]?.record(consumedUnits: consumed, pushedBack: !remaining.isEmpty, sentAt: sentAt)
                events.emit(.batchAcknowledged(BatchAck(
                    batch: batch.id, symbol: batch.symbol, table: batch.table, written: written.count,
                    unprocessed: remaining.count, consumedUnits: consumed, latencyMs: (clock.now() - sentAt) * 1000)))
                attemptsWithoutProgress = written.isEmpty ? attemptsWithoutProgress + 1 : 0
                lastError = "\(remaining.count) items left unprocessed by DynamoDB"
                reason = .unprocessed
            } catch let error as DynamoDBError {
                gate.release()
                let issue = BatchIssue(batch: batch.id, symbol: batch.symbol, table: batch.table, code: error.code,
                                       category: error.category.rawValue, message: error.message)
                lastError = error.description
                switch error.category {
                case .throttling:
                    outcome.throttled += 1
                    rates[batch.table]?.record(consumedUnits: 0, pushedBack: true, sentAt: sentAt)
                    events.emit(.batchThrottled(issue))
                    reason = .throttled
                case .transient, .connection:
                    events.emit(.batchErrored(issue))
                    reason = .transient
                case .authentication:
                    events.emit(.batchErrored(issue))
                    control.abort("DynamoDB rejected the credentials (\(error.code))")
                    return fail(error.description)
                case .client:
                    events.emit(.batchErrored(issue))
                    return fail(error.description)
                }
                attemptsWithoutProgress += 1
            } catch let error as JournalError {
                control.abort(error.description)
                return fail(error.description)
            } catch {
                gate.release()
                events.emit(.batchErrored(BatchIssue(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                                     code: "ClientError", category: "client", message: "\(error)")))
                return fail(String(describing: error))
            }
            if remaining.isEmpty { break }
            if attemptsWithoutProgress >= policy.maxAttempts {
                return fail("gave up after \(attemptsWithoutProgress) attempts without progress: \(lastError)")
            }
            resends += 1
            outcome.retries += 1
            let delay = policy.delay(for: reason, resend: resends, random: random)
            events.emit(.retryScheduled(RetryInfo(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                                  attempt: resends + 1, delaySeconds: delay, reason: reason,
                                                  items: remaining.count)))
            do {
                try await clock.sleep(seconds: delay)
            } catch {
                return fail("run cancelled")
            }
        }
        return outcome
    }

    /// The key of an item as the journal and report name it: its `reportKey`, else its symbol.
    static func key(of request: WriteRequest) -> String {
        switch request {
        case .put(let item), .delete(let item):
            return item["reportKey"]?.stringValue ?? item["symbol"]?.stringValue ?? ""
        }
    }
}
