/// Decides whether a run may start (and, with leases, take) one more asset now.
///
/// A run keeps `window` assets going (`--concurrency`), and one more for each batch asleep in
/// backoff, up to four windows, so that its tables never sit idle while throttled batches sleep.
/// Once it has met other runs on its selection, an asset taken while a table's rate already holds
/// requests back is work another run could be doing now: it waits behind this run's share of the
/// table, and at the end of the selection it is written alone, at that share. Measured before this
/// rule, three runs sharing tables limited to 400 units/s each held up to four windows of assets,
/// and the slowest finished its last ones 80 s after the others (2.78 x the ideal). While its
/// tables set the pace, a sharing run takes one asset at a time, the next once the last is loaded
/// and its batches wait on the rates, so the backlog is seen: taking a window at once, a run
/// squeezed to 28 units/s took ten assets in 0.1 s and wrote them for 17 s after the others were
/// done (1.37 x). While round trips set the pace, the window is what keeps the run going (one at a
/// time, three runs took 0.51 x of one run's time instead of 0.44-0.47 x).
struct AssetAdmission: Sendable, Equatable {
    /// Assets going at once when no batch sleeps.
    let window: Int
    /// Requests waiting behind the head of a table's rate that stop a sharing run from taking more.
    var backlog = 2

    /// Why another asset may not start.
    enum Refusal: Sendable, Equatable {
        /// The window (with the slots lent by sleeping batches) is full: wait for an asset to finish.
        case windowFull
        /// A table's rate holds requests back and other runs could take the asset: look again soon.
        case ratesBacklogged
        /// Sharing tables that set the pace, and an asset taken is still loading: what its batches
        /// add to the rates' backlog is not known yet. Look again soon.
        case assetLoading
    }

    /// `nil` when another asset may start, with `running` assets going, `asleep` batches in backoff,
    /// whether other runs share the selection, `loading` assets taken whose tables are not yet
    /// loaded, whether a table's rate held requests back lately, and the requests queued behind
    /// each table's rate.
    func refusal(running: Int, asleep: Int, sharing: Bool, loading: Int, ratesHeldBack: Bool,
                 queuedOnRates: some Sequence<Int>) -> Refusal? {
        guard running < window + min(asleep, 3 * window) else { return .windowFull }
        if sharing, loading > 0, ratesHeldBack { return .assetLoading }
        if sharing, queuedOnRates.contains(where: { $0 >= backlog }) { return .ratesBacklogged }
        return nil
    }
}
