import Synchronization

/// The assets a run has taken and not yet finished, and which of them are still loading: until
/// an asset's tables are loaded and queued on their rates, what those rates will hold back is not
/// known (see ``AssetAdmission``). Its rows hold this run's leases, where other runs leave notes.
final class AssetsInFlight: Sendable {
    private struct State {
        var symbols: [String] = []
        var loading: Set<String> = []
    }

    private let state = Mutex(State())

    /// How many taken assets are still loading.
    var loadingCount: Int { state.withLock { $0.loading.count } }

    /// The assets in flight, oldest first.
    var symbols: [String] { state.withLock { $0.symbols } }

    func started(_ symbol: String) {
        state.withLock { state in
            state.symbols.append(symbol)
            state.loading.insert(symbol)
        }
    }

    /// `symbol`'s tables are loaded; saying so twice is harmless.
    func loaded(_ symbol: String) {
        state.withLock { _ = $0.loading.remove(symbol) }
    }

    func finished(_ symbol: String) {
        state.withLock { state in
            state.loading.remove(symbol)
            state.symbols.removeAll { $0 == symbol }
        }
    }
}
