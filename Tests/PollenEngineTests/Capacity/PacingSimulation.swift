import Foundation
import PollenDynamoDB
import PollenTestSupport
import Synchronization
@testable import PollenEngine

/// A clock the simulation sets: `now` is whatever the event loop says.
final class SimulationClock: EngineClock {
    private let time = Mutex(0.0)
    func now() -> Double { time.withLock { $0 } }
    func date() -> Date { Date(timeIntervalSince1970: 1_767_225_600 + now()) }
    func sleep(seconds: Double) async throws { fatalError("the simulation never sleeps") }
    func set(_ value: Double) { time.withLock { $0 = value } }
}

/// One table's backfill in virtual time: batches of 25 one-unit items paced by a
/// ``WriteRateController`` against a ``SimulatedCapacity`` model, with the engine's resend rules
/// (unprocessed items after a short backoff, throttled batches after 1 to 5 s), a request latency
/// and a limit on requests in flight. Minutes of a run take milliseconds, deterministically.
struct PacingSimulation {
    var model: SimulatedCapacity.Model
    /// The table's real limit (units/s) at each moment.
    var limit: @Sendable (Double) -> Double
    var capacity = TableCapacity()
    var cap = WriteRateController.Cap()
    var batches = 800
    var latency = 0.02
    /// A busy server's latency instead (the local DynamoDB beside a build): requests it writes
    /// answered after a random time in this range, refusals at once (`latency`).
    var writeLatency: ClosedRange<Double>?
    /// A busy server's queue: each request reaches the server's accounting after a random time in
    /// this range (so which of its per-second windows pays for it is not what its send time says).
    var arrivalLatency: ClosedRange<Double>?
    var inFlightLimit = 16
    var reason: ThrottlingReason? = ThrottlingReason(reason: "TableWriteAccountLimitExceeded")
    /// Whether the controller is a hot key's pacer (created at the key's first push-back) rather than a table's.
    var hotKey = false
    /// How many partition keys (assets) the batches take turns among; above one, answers go
    /// through ``HotKeyPacers`` as the engine's do, so a push-back may be read as a key's.
    var symbols = 1
    /// How many processes write the table at once, each with its own pacer and `batches`.
    var writers = 1
    /// Work shared through leases instead of `batches` each: this many assets of `batchesEach`
    /// batches in one pool, each writer taking the next as the engine's ``AssetAdmission`` lets it
    /// (`held` is its window; the writers have met each other). The run ends with the last asset.
    var assets: (count: Int, batchesEach: Int, held: Int)?
    var seed: UInt64 = 1

    /// What a simulated run did.
    struct Run {
        var seconds: Double
        var requests: Int
        var pushedBack: Int
        var units: Double
        /// (time, allowed rate, summed over the writers still writing) after each answer.
        var rates: [(at: Double, rate: Double)]
        /// (time, units granted by the server) per answer.
        var granted: [(at: Double, units: Double)]
        var changes: [RateChange]
        /// Push-backs read as one key's rather than the table's (with `symbols` above one).
        var keyLevelPushBacks = 0
        /// Keys that got a pacer of their own.
        var hotKeys = 0
        /// When each writer's last item was written.
        var finished: [Double] = []

        var pushedBackShare: Double { Double(pushedBack) / Double(max(1, requests)) }

        /// The allowed rate's mean and spread (max - min) over `[from, to)`.
        func rateStats(from: Double, to: Double) -> (mean: Double, min: Double, max: Double) {
            let window = rates.filter { $0.at >= from && $0.at < to }.map(\.rate)
            guard !window.isEmpty else { return (0, 0, 0) }
            return (window.reduce(0, +) / Double(window.count), window.min()!, window.max()!)
        }

        /// Units the server granted per second over `[from, to)`.
        func grantedRate(from: Double, to: Double) -> Double {
            granted.filter { $0.at >= from && $0.at < to }.reduce(0) { $0 + $1.units } / (to - from)
        }

        func pushBacks(from: Double, to: Double) -> Int {
            changes.filter { $0.reason == .pushedBack }.count
        }
    }

    private struct Job {
        var items: Int
        var asset = 0
        var symbol = "S0"
        var resends = 0
    }

    private enum Event {
        case pace
        case arrive(job: Job, ticket: WriteRateController.Ticket)
        case answer(job: Job, ticket: WriteRateController.Ticket, granted: Int, sent: Int)
        case ready(Job)
    }

    /// One process writing the table: its own pacer, queue and requests in flight.
    private final class Writer {
        let controller: WriteRateController
        let hotKeys: HotKeyPacers
        /// The assets held: batches not yet sent, and units not yet written, of each.
        var unsent: [(asset: Int, batches: Int)] = []
        var unwritten: [Int: Int] = [:]
        var ready: [Job] = []
        var inFlight = 0
        /// Batches asleep in backoff.
        var asleep = 0
        /// Whether it has met the other writers' leases (sharing a selection).
        var metOthers = false
        var paceScheduled = false
        var sentBatches = 0
        var finishedAt: Double?

        init(controller: WriteRateController, hotKeys: HotKeyPacers) {
            self.controller = controller
            self.hotKeys = hotKeys
        }

        func hold(_ asset: Int, batches: Int) {
            unsent.append((asset, batches))
            unwritten[asset] = batches * 25
        }
    }

    /// When the writer that started first meets the others' leases (sharing a selection).
    static let leaderMeetsOthersAt = 1.0

    func run() -> Run {
        let clock = SimulationClock()
        let changes = Mutex<[RateChange]>([])
        let record: @Sendable (RateChange) -> Void = { change in changes.withLock { $0.append(change) } }
        let all = (0..<writers).map { _ in
            Writer(controller: hotKey
                ? WriteRateController(table: .earnings, symbol: "HOT", clock: clock, onChange: record)
                : WriteRateController(table: .earnings, capacity: capacity, cap: cap, clock: clock, onChange: record),
                   hotKeys: HotKeyPacers(clock: clock, onChange: record))
        }
        func meet(_ writer: Writer) {
            writer.metOthers = true
            writer.controller.sharedWith(otherRuns: writers - 1)
        }
        var pooled = 0
        /// Tops a writer's held assets up from the pool; `false` once it holds none and none is left.
        func takeAssets(_ writer: Writer) -> Bool {
            while let assets, pooled < assets.count,
                  AssetAdmission(window: assets.held).refusal(
                      running: writer.unwritten.count, asleep: writer.asleep, sharing: writer.metOthers, loading: 0, ratesHeldBack: true,
                      queuedOnRates: [max(0, writer.unsent.reduce(0) { $0 + $1.batches } + writer.ready.count - 1)]) == nil {
                writer.hold(pooled, batches: assets.batchesEach)
                pooled += 1
            }
            return !writer.unwritten.isEmpty
        }
        for (index, writer) in all.enumerated() {
            if assets == nil { writer.hold(index, batches: batches) } else { _ = takeAssets(writer) }
            // Writers sharing a selection meet each other's leases on their first assets, but
            // the first to start takes its first assets unopposed and meets the others later.
            if assets != nil && writers > 1 && index > 0 { meet(writer) }
        }
        let keyRange = ThrottlingReason(reason: "TableWriteKeyRangeThroughputExceeded")
        let random = SeededRandom(seed: seed)
        let policy = RetryPolicy()
        var server = SimulatedCapacity(model: model)
        var events: [(at: Double, order: Int, writer: Int, event: Event)] = []
        var order = 0
        func schedule(_ event: Event, for writer: Int, at time: Double) {
            order += 1
            events.append((time, order, writer, event))
        }
        func pace(_ index: Int, at now: Double) {
            guard !all[index].paceScheduled else { return }
            schedule(.pace, for: index, at: now)
            all[index].paceScheduled = true
        }
        var run = Run(seconds: 0, requests: 0, pushedBack: 0, units: 0, rates: [], granted: [], changes: [])
        var keys: Set<String> = []
        for index in all.indices { pace(index, at: 0) }
        while all.contains(where: { $0.finishedAt == nil }), !events.isEmpty {
            let next = events.indices.min { (events[$0].at, events[$0].order) < (events[$1].at, events[$1].order) }!
            let (now, _, index, event) = events.remove(at: next)
            let writer = all[index]
            clock.set(now)
            switch event {
            case .pace:
                writer.paceScheduled = false
                if writer.finishedAt == nil { _ = takeAssets(writer) }
                // Send while the rate allows, requests are free and batches are waiting.
                sending: while writer.inFlight < inFlightLimit, !writer.unsent.isEmpty || !writer.ready.isEmpty {
                    let fromReady = !writer.ready.isEmpty
                    let job = fromReady ? writer.ready[0]
                        : Job(items: 25, asset: writer.unsent[0].asset, symbol: "S\(writer.sentBatches % symbols)")
                    switch writer.controller.take(Array(repeating: 1, count: job.items)) {
                    case .success(let taken):
                        let ticket = writer.controller.sent(taken)
                        if fromReady {
                            writer.ready.removeFirst()
                        } else {
                            writer.unsent[0].batches -= 1
                            if writer.unsent[0].batches == 0 { writer.unsent.removeFirst() }
                            writer.sentBatches += 1
                        }
                        var sent = job
                        sent.items = ticket.items
                        if ticket.items < job.items {
                            // The rate let the leading items go; the rest goes next.
                            var rest = job
                            rest.items = job.items - ticket.items
                            writer.ready.insert(rest, at: 0)
                        }
                        writer.inFlight += 1
                        run.requests += 1
                        schedule(.arrive(job: sent, ticket: ticket), for: index,
                                 at: now + (arrivalLatency.map { $0.lowerBound + random.nextUnit() * ($0.upperBound - $0.lowerBound) } ?? 0))
                    case .failure(let wait):
                        schedule(.pace, for: index, at: now + min(wait.seconds, 0.1))
                        writer.paceScheduled = true
                        break sending
                    }
                }
            case .arrive(let job, let ticket):
                let granted = server.grant(Array(repeating: 1, count: ticket.items), limit: limit(now), at: now)
                let delay = writeLatency.map { granted > 0 ? $0.lowerBound + random.nextUnit()
                    * ($0.upperBound - $0.lowerBound) : latency } ?? latency
                schedule(.answer(job: job, ticket: ticket, granted: granted, sent: ticket.items), for: index, at: now + delay)
            case .answer(var job, let ticket, let granted, let sent):
                writer.inFlight -= 1
                if assets != nil && writers > 1 && !writer.metOthers && now >= Self.leaderMeetsOthersAt { meet(writer) }
                writer.unwritten[job.asset]! -= granted
                if writer.unwritten[job.asset] == 0 {
                    writer.unwritten[job.asset] = nil
                    if !takeAssets(writer) { writer.finishedAt = now }
                }
                run.units += Double(granted)
                run.granted.append((now, Double(granted)))
                let pushedBack = granted < sent
                if pushedBack { run.pushedBack += 1 }
                var answerReason = granted == 0 ? reason : nil
                if symbols > 1 {
                    let verdict = writer.hotKeys.record(table: .earnings, symbol: job.symbol, pushedBack: pushedBack,
                                                        limit: answerReason?.limit)
                    if pushedBack && verdict.keyLevel {
                        run.keyLevelPushBacks += 1
                        answerReason = keyRange
                    }
                    if verdict.pacer != nil { keys.insert("\(index)/\(job.symbol)") }
                }
                writer.controller.record(ticket, consumedUnits: Double(granted), writtenUnits: granted,
                                         pushedBack: pushedBack, reason: answerReason)
                run.rates.append((now, all.filter { $0.finishedAt == nil }.reduce(0) { $0 + $1.controller.allowedRate }))
                if pushedBack {
                    job.items = sent - granted
                    job.resends += 1
                    let why: RetryReason = granted == 0 ? .throttled : .unprocessed
                    writer.asleep += 1
                    schedule(.ready(job), for: index, at: now + policy.delay(for: why, resend: job.resends, random: random))
                }
                pace(index, at: now)
            case .ready(let job):
                writer.asleep -= 1
                writer.ready.append(job)
                pace(index, at: now)
            }
            run.seconds = now
        }
        run.changes = changes.withLock { $0 }
        run.hotKeys = keys.count
        run.finished = all.map { $0.finishedAt ?? run.seconds }
        return run
    }
}
