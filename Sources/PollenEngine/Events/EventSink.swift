import Foundation
import PollenHTTP
import Synchronization

/// Anything that watches a run: receives every event, synchronously, from any task.
///
/// Implementations must be quick and thread-safe; slow work (drawing, disk) belongs on their
/// own thread or behind a buffer.
public protocol EventSink: Sendable {
    func receive(_ event: EngineEvent)
}

/// Sends each event to several sinks, in order.
public struct EventFanOut: EventSink {
    public let sinks: [any EventSink]

    public init(_ sinks: [any EventSink]) {
        self.sinks = sinks
    }

    public func receive(_ event: EngineEvent) {
        for sink in sinks { sink.receive(event) }
    }
}

/// Keeps every event in memory (tests, and the console's drill-down).
public final class EventRecorder: EventSink {
    private let events = Mutex<[EngineEvent]>([])

    public init() {}

    public func receive(_ event: EngineEvent) {
        events.withLock { $0.append(event) }
    }

    public var all: [EngineEvent] { events.withLock { $0 } }
}

/// Writes every event as one JSON line: the run's structured log (`events.jsonl`), or
/// `--ui json` on standard output.
public final class JSONLinesSink: EventSink {
    private let handle: FileHandle
    private let filter: @Sendable (EngineEvent) -> Bool
    private let lock = Mutex(())
    private let encoder: JSONEncoder

    public init(handle: FileHandle, filter: @escaping @Sendable (EngineEvent) -> Bool = { _ in true }) {
        self.handle = handle
        self.filter = filter
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    public func receive(_ event: EngineEvent) {
        guard filter(event) else { return }
        lock.withLock { _ in
            guard let encoded = try? encoder.encode(event) else { return }
            var line = KnownSecrets.redacted(encoded)
            line.append(UInt8(ascii: "\n"))
            handle.write(line)
        }
    }
}
