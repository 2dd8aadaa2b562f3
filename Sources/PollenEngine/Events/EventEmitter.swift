/// Stamps events with the time since the run started and hands them to the sink.
public struct EventEmitter: Sendable {
    public let sink: any EventSink
    public let clock: any EngineClock
    public let start: Double

    public init(sink: any EventSink, clock: any EngineClock) {
        self.sink = sink
        self.clock = clock
        self.start = clock.now()
    }

    /// Seconds since the run started.
    public var elapsed: Double { clock.now() - start }

    public func emit(_ body: EngineEvent.Body) {
        sink.receive(EngineEvent(elapsed: elapsed, body: body))
    }
}
