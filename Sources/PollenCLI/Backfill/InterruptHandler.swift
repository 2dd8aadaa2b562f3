import Dispatch
import Foundation
import PollenEngine

/// Ctrl-C (and SIGTERM) during a run: the first one drains (no new batches, in-flight ones
/// finish and are journaled, then the summary), the second exits at once with 130. The
/// journal keeps the run resumable either way.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let queue = DispatchQueue(label: "pollen.signals")

    /// Starts handling; `onFirst` runs on the first signal (after `control.drain()`).
    init(control: RunControl, onFirst: @escaping @Sendable () -> Void = {}) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    control.drain()
                    onFirst()
                } else {
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Restores the default signal handling.
    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
