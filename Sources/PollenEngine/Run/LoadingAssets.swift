import Synchronization

/// The assets a run has taken whose tables are not yet loaded and queued on their rates: until
/// they are, what those rates will hold back is not known (see ``AssetAdmission``).
final class LoadingAssets: Sendable {
    private let symbols = Mutex<Set<String>>([])

    /// How many taken assets are still loading.
    var count: Int { symbols.withLock { $0.count } }

    func started(_ symbol: String) {
        symbols.withLock { _ = $0.insert(symbol) }
    }

    /// `symbol`'s tables are loaded (or it was left, or it is done); saying so twice is harmless.
    func loaded(_ symbol: String) {
        symbols.withLock { _ = $0.remove(symbol) }
    }
}
