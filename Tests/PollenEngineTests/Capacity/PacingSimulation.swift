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
    var inFlightLimit = 16
    var reason: ThrottlingReason? = ThrottlingReason(reason: "TableWriteAccountLimitExceeded")
    /// Whether the controller is a hot key's pacer (created at the key's first push-back) rather than a table's.
    var hotKey = false
    var seed: UInt64 = 1

    /// What a simulated run did.
    struct Run {
        var seconds: Double
        var requests: Int
        var pushedBack: Int
        var units: Double
        /// (time, allowed rate) after each answer.
        var rates: [(at: Double, rate: Double)]
        /// (time, units granted by the server) per answer.
        var granted: [(at: Double, units: Double)]
        var changes: [RateChange]

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
        var resends = 0
    }

    private enum Event {
        case pace
        case answer(job: Job, ticket: WriteRateController.Ticket, granted: Int, sent: Int)
        case ready(Job)
    }

    func run() -> Run {
        let clock = SimulationClock()
        let changes = Mutex<[RateChange]>([])
        let record: @Sendable (RateChange) -> Void = { change in changes.withLock { $0.append(change) } }
        let controller = hotKey
            ? WriteRateController(table: .earnings, symbol: "HOT", clock: clock, onChange: record)
            : WriteRateController(table: .earnings, capacity: capacity, cap: cap, clock: clock, onChange: record)
        let random = SeededRandom(seed: seed)
        let policy = RetryPolicy()
        var server = SimulatedCapacity(model: model)
        var events: [(at: Double, order: Int, event: Event)] = []
        var order = 0
        func schedule(_ event: Event, at time: Double) {
            order += 1
            events.append((time, order, event))
        }
        var fresh = batches
        var ready: [Job] = []
        var inFlight = 0
        var paceScheduled = false
        var run = Run(seconds: 0, requests: 0, pushedBack: 0, units: 0, rates: [], granted: [], changes: [])
        var written = 0
        let total = batches * 25
        schedule(.pace, at: 0)
        paceScheduled = true
        while written < total, !events.isEmpty {
            let index = events.indices.min { (events[$0].at, events[$0].order) < (events[$1].at, events[$1].order) }!
            let (now, _, event) = events.remove(at: index)
            clock.set(now)
            switch event {
            case .pace:
                paceScheduled = false
                // Send while the rate allows, requests are free and batches are waiting.
                sending: while inFlight < inFlightLimit, fresh > 0 || !ready.isEmpty {
                    let fromReady = !ready.isEmpty
                    let job = fromReady ? ready[0] : Job(items: 25)
                    switch controller.take(Array(repeating: 1, count: job.items)) {
                    case .success(let ticket):
                        if fromReady { ready.removeFirst() } else { fresh -= 1 }
                        if ticket.items < job.items {
                            // The rate let the leading items go; the rest goes next.
                            ready.insert(Job(items: job.items - ticket.items, resends: job.resends), at: 0)
                        }
                        inFlight += 1
                        run.requests += 1
                        let granted = server.grant(Array(repeating: 1, count: ticket.items), limit: limit(now), at: now)
                        schedule(.answer(job: Job(items: ticket.items, resends: job.resends), ticket: ticket,
                                         granted: granted, sent: ticket.items), at: now + latency)
                    case .failure(let wait):
                        schedule(.pace, at: now + min(wait.seconds, 0.1))
                        paceScheduled = true
                        break sending
                    }
                }
            case .answer(var job, let ticket, let granted, let sent):
                inFlight -= 1
                written += granted
                run.units += Double(granted)
                run.granted.append((now, Double(granted)))
                let pushedBack = granted < sent
                if pushedBack { run.pushedBack += 1 }
                controller.record(ticket, consumedUnits: Double(granted), writtenUnits: granted, pushedBack: pushedBack,
                                  reason: granted == 0 ? reason : nil)
                run.rates.append((now, controller.allowedRate))
                if pushedBack {
                    job.items = sent - granted
                    job.resends += 1
                    let why: RetryReason = granted == 0 ? .throttled : .unprocessed
                    schedule(.ready(job), at: now + policy.delay(for: why, resend: job.resends, random: random))
                }
                if !paceScheduled {
                    schedule(.pace, at: now)
                    paceScheduled = true
                }
            case .ready(let job):
                ready.append(job)
                if !paceScheduled {
                    schedule(.pace, at: now)
                    paceScheduled = true
                }
            }
            run.seconds = now
        }
        run.changes = changes.withLock { $0 }
        return run
    }
}
