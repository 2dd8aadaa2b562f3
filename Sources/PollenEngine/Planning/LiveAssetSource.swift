import Foundation
import PollenSource
import Synchronization

/// `--source alphavantage`: fetches each asset's five payloads from the live API, within the
/// requests-per-minute budget and the daily one, ahead of the writes.
///
/// One fetcher walks the plan in order (asset by asset, so the first asset is ready first)
/// and keeps at most `lookahead` fetched assets waiting to be written: writes proceed while the
/// next assets download, and memory stays bounded. Notices are told apart by their text: a
/// burst limit (or an unknown notice) is retried after a wait within the budget, network
/// errors and 5xx with backoff, up to `maxAttempts`; `Error Message` and premium-only fail the
/// pair at once; the daily limit (or the daily budget) stops all fetching, and every payload
/// not fetched yet comes back `notFetched`; a refused key stops the run (``fatalError``).
/// Every final body is saved in the cache directory (atomically) so `--source DIR` can repeat
/// the run without fetching.
public final class LiveAssetSource: AssetSource {
    public let sourceDescription = "alphavantage"
    private let client: AlphaVantageClient
    private let cache: DirectorySource
    private let plan: WorkPlan
    private let budget: FetchBudget
    private let daily: DailyRequestLedger?
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
        /// Requests sent in this run.
        var requests = 0
        /// Why fetching stopped, once it has.
        var stopped: PayloadFailure?
    }

    public init(client: AlphaVantageClient, cache: DirectorySource, plan: WorkPlan, budget: FetchBudget,
                daily: DailyRequestLedger? = nil, maxAttempts: Int, lookahead: Int = 4, clock: any EngineClock,
                random: any RandomSource) {
        self.client = client
        self.cache = cache
        self.plan = plan
        self.budget = budget
        self.daily = daily
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

    /// Set once the API refused the key: the run stops (nothing further can be fetched).
    public var fatalError: String? {
        state.withLock { state in state.stopped.flatMap { $0.kind == .keyRefused ? $0.message : nil } }
    }

    /// Requests sent in this run so far.
    public var requestsSent: Int { state.withLock { $0.requests } }

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
            if let stopped = state.withLock({ $0.stopped }) { return .failed(stopped) }
            do { try await budget.acquire() } catch { break }
            if let daily, !daily.take() {
                let reason = PayloadFailure(kind: .notFetched, message: "not fetched: the daily budget of "
                    + "\(daily.limit) requests (--fetch-per-day) was used up after \(requestsSent) requests in this run")
                report(symbol, function, outcome: .stopped, attempt: attempt, message: reason.message)
                return .failed(setStopped(reason))
            }
            state.withLock { $0.requests += 1 }
            switch await client.fetch(function: function, symbol: symbol) {
            case .body(let body):
                try? cache.saveAtomically(body, symbol: symbol, function: function)
                let content = PayloadParser.parse(body, function: function, symbol: symbol)
                report(symbol, function, content: content, attempt: attempt)
                return content
            case .notice(.dailyLimit(let text)):
                let sent = requestsSent - 1  // the requests the key was granted, before this answer
                report(symbol, function, outcome: .stopped, attempt: attempt, message: "Alpha Vantage daily limit: \(text)")
                return .failed(setStopped(PayloadFailure(
                    kind: .notFetched, message: "not fetched: the API key's daily limit was reached after \(sent) requests")))
            case .notice(.invalidKey):
                let refusal = PayloadFailure(kind: .keyRefused, message: "Alpha Vantage refused the API key "
                    + "(ALPHAVANTAGE_API_KEY): it is invalid, missing or the demo key.")
                report(symbol, function, outcome: .stopped, attempt: attempt, message: refusal.message)
                return .failed(setStopped(refusal))
            case .notice(.premiumOnly(let text)):
                let failure = PayloadContent.failed(PayloadFailure(
                    kind: .premiumOnly, message: "\(function.rawValue) needs a premium Alpha Vantage plan: \(text)"))
                report(symbol, function, content: failure, attempt: attempt)
                return failure
            case .notice(let notice):
                let kind = notice == .burstLimit(notice.text) ? "rate limit" : "notice"
                lastProblem = "Alpha Vantage \(kind): \(notice.text)"
                report(symbol, function, outcome: .retrying, attempt: attempt, message: lastProblem)
                // Wait out a little more of the budget (at least a second) before asking again.
                try? await clock.sleep(seconds: max(1, budget.interval) * Double(attempt))
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

    /// Stops all fetching for `reason` (the first reason wins) and returns it.
    private func setStopped(_ reason: PayloadFailure) -> PayloadFailure {
        state.withLock { state in
            if state.stopped == nil { state.stopped = reason }
            return state.stopped!
        }
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
