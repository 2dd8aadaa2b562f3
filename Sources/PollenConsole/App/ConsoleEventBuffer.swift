import PollenEngine
import Synchronization

/// The engine's sink for the console: queues events from any thread, quickly, until the
/// console's thread takes them at its next frame.
public final class ConsoleEventBuffer: EventSink {
    private let queue = Mutex<[EngineEvent]>([])

    public init() {}

    public func receive(_ event: EngineEvent) {
        queue.withLock { $0.append(event) }
    }

    /// Takes every queued event, oldest first.
    public func drain() -> [EngineEvent] {
        queue.withLock { queue in
            var taken: [EngineEvent] = []
            swap(&taken, &queue)
            return taken
        }
    }
}
