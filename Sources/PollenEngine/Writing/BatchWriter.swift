import Foundation
import PollenDynamoDB
import Synchronization

/// Sends batches with the retry policy: paces each send (its hot key's pacer, then its table's),
/// re-sends unprocessed items, backs off on throttling and transient errors, journals what
/// DynamoDB acknowledged before counting it, and gives up on a batch (keeping its keys and last
/// error) after too many errors in a row, or when its table has written nothing for the stall
/// timeout while DynamoDB throttled it.
public final class BatchWriter: Sendable {
    /// How one batch ended.
    public struct Outcome: Sendable {
        public var written = 0
        public var retries = 0
        public var throttled = 0
        public var unprocessed = 0
        public var consumedUnits = 0.0
        /// Throttling errors by DynamoDB's reason (`TableWriteKeyRangeThroughputExceeded`).
        public var throttleReasons: [String: Int] = [:]
        public var failure: BatchFailure?
    }

    let client: DynamoDBClient
    let tableNames: [PollenTable: String]
    let journal: JournalWriter?
    let events: EventEmitter
    let gate: RequestGate
    let rates: [PollenTable: WriteRateController]
    let hotKeys: HotKeyPacers
    let progress: WriteProgress
    let sleeping: SleepingBatches
    let policy: RetryPolicy
    let clock: any EngineClock
    let random: any RandomSource
    let control: RunControl
    private let batchCounter = Mutex<UInt64>(0)

    init(client: DynamoDBClient, tableNames: [PollenTable: String], journal: JournalWriter?, events: EventEmitter,
         gate: RequestGate, rates: [PollenTable: WriteRateController], hotKeys: HotKeyPacers, progress: WriteProgress,
         sleeping: SleepingBatches, policy: RetryPolicy, clock: any EngineClock, random: any RandomSource,
         control: RunControl) {
        self.client = client
        self.tableNames = tableNames
        self.journal = journal
        self.events = events
        self.gate = gate
        self.rates = rates
        self.hotKeys = hotKeys
        self.progress = progress
        self.sleeping = sleeping
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
        var attempt = Attempt(batch: batch, tableName: tableNames[batch.table] ?? batch.table.rawValue)
        while !attempt.remaining.isEmpty {
            if let stop = await stopReason() { return await stopped(&attempt, stop) }
            let keyPacer = hotKeys.pacer(table: batch.table, symbol: batch.symbol)
            var count = attempt.remaining.count
            let keyTicket: WriteRateController.Ticket?
            let tableTicket: WriteRateController.Ticket?
            do {
                // Each pacer may let only the leading items go, to fill its rate exactly.
                keyTicket = try await keyPacer?.acquire(attempt.remaining.prefix(count).map(\.writeUnits))
                count = keyTicket?.items ?? count
                tableTicket = try await rates[batch.table]?.acquire(attempt.remaining.prefix(count).map(\.writeUnits))
                count = tableTicket?.items ?? count
            } catch {
                return fail(&attempt, "run cancelled")
            }
            // Waiting on the rate may have taken a while: nothing is sent once the run stops.
            if let stop = await stopReason() { return await stopped(&attempt, stop) }
            let sending = Array(attempt.remaining.prefix(count))
            var pacing = Pacing(table: tableTicket, key: keyTicket)
            let retry: RetryReason
            var sentAt = clock.now()
            let sent = await send(sending, to: attempt.tableName) {
                // With the request slot in hand, the last moment to hold back: a pause or drain
                // that began while the batch queued for it stops the batch here. The pacers learn
                // when the request really left (it may have waited for the slot a while).
                sentAt = clock.now()
                pacing.table = tableTicket.map { rates[batch.table]?.sent($0) ?? $0 }
                pacing.key = keyTicket.map { keyPacer?.sent($0) ?? $0 }
                events.emit(.batchSent(BatchInfo(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                                 items: sending.count, units: sending.reduce(0) { $0 + $1.writeUnits },
                                                 attempt: attempt.sends + 1)))
            }
            switch sent {
            case .heldBack:
                continue  // to the top: wait out the pause, or stop
            case .answered:
                attempt.sends += 1
            }
            switch sent.result {
            case .success(let output):
                let unprocessed: Int
                do {
                    unprocessed = try await acknowledge(output, sent: sending, sentAt: sentAt, pacing: pacing,
                                                        attempt: &attempt)
                } catch {
                    control.abort(String(describing: error))
                    return fail(&attempt, String(describing: error))
                }
                // Items the rate held back go at once; only unprocessed ones back off.
                guard unprocessed > 0 else { continue }
                retry = .unprocessed
            case .failure(let error):
                guard let retryable = refused(error, sentAt: sentAt, pacing: pacing, attempt: &attempt) else {
                    return fail(&attempt, attempt.lastError)
                }
                retry = retryable
            }
            if attempt.remaining.isEmpty { break }
            if let reason = giveUp(retry, attempt: attempt) { return fail(&attempt, reason) }
            attempt.outcome.retries += 1
            let delay = policy.delay(for: retry, resend: attempt.sends, random: random)
            events.emit(.retryScheduled(RetryInfo(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                                  attempt: attempt.sends + 1, delaySeconds: delay, reason: retry,
                                                  items: attempt.remaining.count)))
            do {
                try await sleeping.asleep { try await backOff(delay, reason: retry, table: batch.table) }
            } catch {
                return fail(&attempt, "run cancelled")
            }
        }
        return attempt.outcome
    }

    /// Sleeps out a resend's `delay`. A throttled batch waits at least the policy's least wait,
    /// then goes as soon as its table has nothing else to send: from then on the rate paces it,
    /// and the table does not sit idle while its batches sleep (at a run's tail, or when a first
    /// push-back sent every batch to sleep at once).
    private func backOff(_ delay: Double, reason: RetryReason, table: PollenTable) async throws {
        guard reason == .throttled, let rate = rates[table], delay > policy.throttleMinimumDelay else {
            return try await clock.sleep(seconds: delay)
        }
        let start = clock.now()
        try await clock.sleep(seconds: policy.throttleMinimumDelay)
        while true {
            let left = delay - (clock.now() - start)
            if left <= 0.001 || rate.isIdle { return }
            try await clock.sleep(seconds: min(0.1, left))
        }
    }

    // MARK: - One attempt

    /// Where a batch stands between its sends.
    private struct Attempt {
        let batch: WriteBatch
        let tableName: String
        var remaining: [ItemMapper.MappedItem]
        var outcome = Outcome()
        var sends = 0
        /// Errors (not throttling) in a row without progress.
        var errorsInARow = 0
        /// When the batch last stopped making progress on push-back (nil: it made some).
        var pushedBackSince: Double?
        /// Whether the batch's key is paced on its own (its stall counts for the key, not the table).
        var keyIsHot = false
        var lastThrottle = ""
        var lastError = ""

        init(batch: WriteBatch, tableName: String) {
            self.batch = batch
            self.tableName = tableName
            remaining = batch.items
        }
    }

    /// The tickets a send was paced with.
    private struct Pacing {
        var table: WriteRateController.Ticket?
        var key: WriteRateController.Ticket?
    }

    /// A request sent (with DynamoDB's answer or the error), or held back because the run was
    /// paused, drained or aborted while it waited for a slot.
    private enum Sent {
        case answered(Result<BatchWriteItemOutput, Error>)
        case heldBack

        var result: Result<BatchWriteItemOutput, Error> {
            if case .answered(let result) = self { return result }
            return .failure(CancellationError())
        }
    }

    /// Sends one request holding a slot of the request gate (released however the call ends);
    /// `willSend` runs just before it leaves, once the run is known to accept work.
    private func send(_ items: [ItemMapper.MappedItem], to tableName: String, willSend: () -> Void) async -> Sent {
        do {
            return try await gate.withSlot {
                guard control.acceptsWork, !control.isPaused else { return .heldBack }
                willSend()
                do {
                    return .answered(.success(try await client.batchWriteItem(BatchWriteItemInput(
                        requestItems: [tableName: items.map { .put(item: $0.item) }], returnConsumedCapacity: .total))))
                } catch {
                    return .answered(.failure(error))
                }
            }
        } catch {
            return .answered(.failure(error))
        }
    }

    /// Counts and journals what DynamoDB wrote of `sent`; returns how many items it left unprocessed.
    private func acknowledge(_ output: BatchWriteItemOutput, sent: [ItemMapper.MappedItem], sentAt: Double,
                             pacing: Pacing, attempt: inout Attempt) async throws -> Int {
        let batch = attempt.batch
        let unprocessedKeys = Set((output.unprocessedItems[attempt.tableName] ?? []).map(Self.key(of:)))
        let written = sent.filter { !unprocessedKeys.contains($0.key) }
        let writtenKeys = Set(written.map(\.key))
        attempt.remaining = attempt.remaining.filter { !writtenKeys.contains($0.key) }
        let unprocessed = sent.count - written.count
        // DynamoDB has these items whatever happens next; they count as written once journaled.
        attempt.outcome.written += written.count
        if !written.isEmpty {
            try await journal?.append(.acknowledged(symbol: batch.symbol, table: batch.table, keys: written.map(\.key)))
            progress.wrote(table: batch.table, symbol: batch.symbol, at: clock.now())
            attempt.errorsInARow = 0
            attempt.pushedBackSince = nil
        } else if attempt.pushedBackSince == nil {
            attempt.pushedBackSince = sentAt
        }
        let consumed = output.consumedCapacity.reduce(0) { $0 + ($1.capacityUnits ?? 0) }
        attempt.outcome.unprocessed += unprocessed
        attempt.outcome.consumedUnits += consumed
        feedBack(batch, pacing: pacing, consumed: consumed, writtenUnits: written.reduce(0) { $0 + $1.writeUnits },
                 pushedBack: unprocessed > 0, reason: nil, attempt: &attempt)
        events.emit(.batchAcknowledged(BatchAck(
            batch: batch.id, symbol: batch.symbol, table: batch.table, written: written.count,
            unprocessed: unprocessed, consumedUnits: consumed, latencyMs: (clock.now() - sentAt) * 1000)))
        attempt.lastError = "\(unprocessed) items left unprocessed by DynamoDB"
        return unprocessed
    }

    /// Handles a failed request: returns why it is sent again, or `nil` when it must not be.
    private func refused(_ failure: Error, sentAt: Double, pacing: Pacing, attempt: inout Attempt) -> RetryReason? {
        let batch = attempt.batch
        guard let error = failure as? DynamoDBError else {
            let cancelled = failure is CancellationError
            attempt.lastError = cancelled ? "run cancelled" : String(describing: failure)
            if !cancelled {
                events.emit(.batchErrored(BatchIssue(batch: batch.id, symbol: batch.symbol, table: batch.table,
                                                     code: "ClientError", category: .client, message: attempt.lastError)))
            }
            return nil
        }
        let issue = BatchIssue(batch: batch.id, symbol: batch.symbol, table: batch.table, code: error.code,
                               category: error.category, message: error.message,
                               throttlingReasons: error.throttlingReasons.map(\.reason))
        attempt.lastError = error.description
        switch error.category {
        case .throttling:
            attempt.outcome.throttled += 1
            for reason in error.throttlingReasons { attempt.outcome.throttleReasons[reason.reason, default: 0] += 1 }
            if attempt.pushedBackSince == nil { attempt.pushedBackSince = sentAt }
            attempt.lastThrottle = error.throttlingReasons.first?.reason ?? error.code
            let reason = error.throttlingReasons.first { $0.isWrite } ?? error.throttlingReasons.first
            feedBack(batch, pacing: pacing, consumed: 0, writtenUnits: 0, pushedBack: true, reason: reason, attempt: &attempt)
            events.emit(.batchThrottled(issue))
            return .throttled
        case .transient, .connection:
            events.emit(.batchErrored(issue))
            attempt.errorsInARow += 1
            return .transient
        case .authentication:
            events.emit(.batchErrored(issue))
            control.abort("DynamoDB rejected the credentials (\(error.code))")
            return nil
        case .client:
            events.emit(.batchErrored(issue))
            return nil
        }
    }

    /// Tells the table's pacer, and the key's if the key is hot, how DynamoDB answered; a
    /// push-back that is the key's does not slow the table.
    private func feedBack(_ batch: WriteBatch, pacing: Pacing, consumed: Double, writtenUnits: Int, pushedBack: Bool,
                          reason: ThrottlingReason?, attempt: inout Attempt) {
        let verdict = hotKeys.record(table: batch.table, symbol: batch.symbol, pushedBack: pushedBack,
                                     limit: reason?.limit)
        attempt.keyIsHot = verdict.pacer != nil
        let keyRange = ThrottlingReason(reason: "TableWriteKeyRangeThroughputExceeded")
        if let ticket = pacing.table {
            rates[batch.table]?.record(ticket, consumedUnits: consumed, writtenUnits: writtenUnits, pushedBack: pushedBack,
                                       reason: verdict.keyLevel ? keyRange : reason)
        }
        if let pacer = verdict.pacer, let ticket = pacing.key {
            pacer.record(ticket, consumedUnits: consumed, writtenUnits: writtenUnits,
                         pushedBack: pushedBack && verdict.keyLevel, reason: verdict.keyLevel ? keyRange : nil)
        }
    }

    /// Why the batch stops here, if it does: too many errors in a row, or a table (or hot key)
    /// that wrote nothing for the stall timeout while DynamoDB pushed back.
    private func giveUp(_ retry: RetryReason, attempt: Attempt) -> String? {
        switch retry {
        case .transient:
            guard attempt.errorsInARow >= policy.maxAttempts else { return nil }
            return "gave up after \(attempt.errorsInARow) attempts without progress: \(attempt.lastError)"
        case .throttled, .unprocessed:
            guard let since = attempt.pushedBackSince else { return nil }
            let batch = attempt.batch
            let silent = progress.secondsWithoutWrites(table: batch.table, symbol: attempt.keyIsHot ? batch.symbol : nil,
                                                       since: since, at: clock.now())
            guard silent >= policy.stallSeconds else { return nil }
            let what = attempt.keyIsHot ? "\(batch.table.rawValue) key \(batch.symbol)" : "table \(batch.table.rawValue)"
            let why = retry == .throttled ? "throttled it (\(attempt.lastThrottle))" : "left its items unprocessed"
            return "gave up: \(what) wrote nothing for \(Int(silent.rounded())) s while DynamoDB \(why)"
        }
    }

    /// Why nothing more may be sent, once the run is paused-then-stopped, draining or aborted.
    private func stopReason() async -> String? {
        await control.waitWhilePaused()
        if let fatal = control.fatalError { return "run stopped: \(fatal)" }
        if control.isDraining { return "run interrupted before this batch was written" }
        return nil
    }

    /// Ends a batch the run stopped before its remaining items were sent; a drain journals them
    /// as not sent (the journal then tells every item's fate: acknowledged or not sent).
    private func stopped(_ attempt: inout Attempt, _ reason: String) async -> Outcome {
        if control.isDraining {
            let batch = attempt.batch
            try? await journal?.append(.notSent(symbol: batch.symbol, table: batch.table, keys: attempt.remaining.map(\.key)))
        }
        return fail(&attempt, reason)
    }

    private func fail(_ attempt: inout Attempt, _ error: String) -> Outcome {
        let failure = BatchFailure(batch: attempt.batch.id, symbol: attempt.batch.symbol, table: attempt.batch.table,
                                   keys: attempt.remaining.map(\.key), attempts: attempt.sends, error: error)
        events.emit(.batchFailed(failure))
        attempt.outcome.failure = failure
        return attempt.outcome
    }

    /// The key of an item as the journal and report name it: its `reportKey`, else its symbol.
    static func key(of request: WriteRequest) -> String {
        switch request {
        case .put(let item), .delete(let item):
            return item["reportKey"]?.stringValue ?? item["symbol"]?.stringValue ?? ""
        }
    }
}
