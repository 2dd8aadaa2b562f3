import Foundation
import PollenSource
import Synchronization

/// `--source alphavantage`: fetches each asset's five payloads from the live API, within the
/// requests-per-minute budget, ahead of the writes.
///
/// One fetcher walks the plan in order (asset by asset, so the first asset is ready first)
/// and keeps at most `lookahead` fetched assets waiting to be written: writes proceed while the
/// next assets download, and memory stays bounded. `Information`/`Note` answers (rate limits)
/// are retried after a wait within the budget, network errors and 5xx with backoff, up to
/// `maxAttempts`; `Error Message` fails the pair at once. Every final body is saved in the
/// cache directory (atomically) so `--source DIR` can repeat the run without fetching.
public final class LiveAssetSource: AssetSource {
    public let sourceDescription = "alphavantage"
    private let client: AlphaVantageClient
    private let cache: DirectorySource
    private let plan: WorkPlan
    private let budget: FetchBudget
    private let maxAttempts: Int
    private let lookahead: Int
    private let clock: any EngineClock
    private let random: any RandomSource
    private let events = Mutex<EventEmitter?>(nil)
    private let tablesPerSymbol: [String: Int]
    private let state = Mutex(State())

    private struct Key: Hashable { var symbol: String; var function: SourceFunction }

    private struct State {
        var results: [Key: PayloadContent] = [:]
        var waiters: [Key: [CheckedContinuation<PayloadContent, Never>]] = [:]
        var consumed: [String: Int] = [:]
        var assetsFetched = 0
        var assetsConsumed = 0
        var roomWaiter: CheckedContinuation<Void, Never>?
        var started = false
    }

    public init(client: AlphaVantageClient, cache: DirectorySource, plan: WorkPlan, budget: FetchBudget,
                maxAttempts: Int, lookahead: Int = 4, clock: any EngineClock, random: any RandomSource) {
        self.client = client
        self.cache = cache
        self.plan = plan
        self.budget = budget
        self.maxAttempts = maxAttempts
        self.lookahead = max(1, lookahead)
        self.clock = clock
        self.random = random
        tablesPerSymbol = Dictionary(plan.units.map { ($0.symbol, $0.tables.filter { $0.sourceFunction != nil }.count) },
                                     uniquingKeysWith: { first, _ in first })
    }

    public func attach(_ events: EventEmitter) {
        self.events.withLock { $0 = events }
    }

    public func load(symbol: String, function: SourceFunction) async -> PayloadContent {
        startIfNeeded()
        let key = Key(symbol: symbol, function: function)
        let content = await withCheckedContinuation { (continuation: CheckedContinuation<PayloadContent, Never>) in
            let ready = state.withLock { state -> PayloadContent? in
                if let result = state.results[key] { return result }
                state.waiters[key, default: []].append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        markConsumed(key)
        return content
    }

    // MARK: - The fetcher

    private func startIfNeeded() {
        let start = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        if start { Task { await fetchAll() } }
    }

    private func fetchAll() async {
        for unit in plan.units {
            await waitForRoom()
            for table in unit.tables {
                guard let function = table.sourceFunction else { continue }
                let content = await fetch(symbol: unit.symbol, function: function)
                deliver(Key(symbol: unit.symbol, function: function), content)
            }
            state.withLock { $0.assetsFetched += 1 }
        }
    }

    /// Fetches one payload with retries and returns it parsed; saves the final body.
    private func fetch(symbol: String, function: SourceFunction) async -> PayloadContent {
        guard SymbolRules.isValid(symbol) else {
            return .failed(PayloadFailure(kind: .invalidSymbol, message: "'\(symbol)' is not a valid symbol"))
        }
        var lastProblem = ""
        for attempt in 1...maxAttempts {
            do { try await budget.acquire() } catch { break }
            switch await client.fetch(function: function, symbol: symbol) {
            case .body(let body):
                try? cache.saveAtomically(body, symbol: symbol, function: function)
                let content = PayloadParser.parse(body, function: function, symbol: symbol)
                report(symbol, function, content: content, attempt: attempt)
                return content
            case .rateLimited(let notice):
                lastProblem = "Alpha Vantage rate limit: \(notice)"
                report(symbol, function, outcome: .retrying, attempt: attempt, message: lastProblem)
                // Wait out a little more of the budget before asking again.
                try? await clock.sleep(seconds: budget.interval * Double(attempt))
            case .unavailable(let reason):
                lastProblem = reason
                report(symbol, function, outcome: .retrying, attempt: attempt, message: reason)
                let backoff = RetryPolicy().delay(for: .transient, resend: attempt, random: random)
                try? await clock.sleep(seconds: max(backoff, 0.2 * Double(attempt)))
            }
        }
        let failure = PayloadContent.failed(PayloadFailure(
            kind: .fetchFailed, message: "\(function.rawValue) for \(symbol) could not be fetched after \(maxAttempts) attempts: \(lastProblem)"))
        report(symbol, function, content: failure, attempt: maxAttempts)
        return failure
    }

    private func report(_ symbol: String, _ function: SourceFunction, content: PayloadContent, attempt: Int) {
        switch content {
        case .records: report(symbol, function, outcome: .fetched, attempt: attempt, message: nil)
        case .noData: report(symbol, function, outcome: .nodata, attempt: attempt, message: nil)
        case .failed(let failure): report(symbol, function, outcome: .failed, attempt: attempt, message: failure.message)
        }
    }

    private func report(_ symbol: String, _ function: SourceFunction, outcome: FetchProgress.Outcome, attempt: Int,
                        message: String?) {
        let fetched = state.withLock { $0.assetsFetched }
        events.withLock { $0 }?.emit(.fetchProgress(FetchProgress(
            symbol: symbol, function: function.rawValue, outcome: outcome, attempt: attempt, message: message,
            assetsFetched: fetched, assetsPending: max(0, plan.units.count - fetched),
            budgetPerMinute: budget.requestsPerMinute)))
    }

    private func deliver(_ key: Key, _ content: PayloadContent) {
        let waiters = state.withLock { state -> [CheckedContinuation<PayloadContent, Never>] in
            state.results[key] = content
            return state.waiters.removeValue(forKey: key) ?? []
        }
        for waiter in waiters { waiter.resume(returning: content) }
    }

    /// Drops a delivered payload once the engine has it; an asset whose payloads are all
    /// taken frees a place in the look-ahead window.
    private func markConsumed(_ key: Key) {
        let tables = tablesPerSymbol[key.symbol] ?? 1
        let room = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.results[key] = nil
            state.consumed[key.symbol, default: 0] += 1
            guard state.consumed[key.symbol] == tables else { return nil }
            state.consumed[key.symbol] = nil
            state.assetsConsumed += 1
            defer { state.roomWaiter = nil }
            return state.roomWaiter
        }
        room?.resume()
    }

    private func waitForRoom() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state -> Bool in
                if state.assetsFetched - state.assetsConsumed < lookahead { return true }
                state.roomWaiter = continuation
                return false
            }
            if proceed { continuation.resume() }
        }
    }
}
