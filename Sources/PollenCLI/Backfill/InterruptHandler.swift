import Dispatch
import Foundation

/// Ctrl-C (and SIGTERM, and SIGHUP: a closed terminal or a lost SSH session) during a run: the first one drains (no new batches, in-flight ones
/// finish and are journaled, then the summary), the second exits at once with 130 after
/// `beforeExit` (the console restores the terminal there). The journal keeps the run
/// resumable either way.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let queue = DispatchQueue(label: "pollen.signals")

    init(beforeExit: @escaping @Sendable () -> Void = {}, onFirst: @escaping @Sendable () -> Void) {
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    onFirst()
                } else {
                    beforeExit()
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signals that ask a run to stop.
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Restores the default signal handling.
    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
