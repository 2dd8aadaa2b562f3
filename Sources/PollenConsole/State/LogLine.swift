/// How much a log line matters: the event log highlights errors and warnings.
public enum LogSeverity: Sendable {
    case info, warning, error
    /// A run (attempt) starting or ending.
    case milestone
}

/// One line of the event log, made from an event: names, keys and counts, never item contents.
public struct LogLine: Sendable {
    /// Seconds since its run started.
    public var elapsed: Double
    public var attempt: Int
    public var severity: LogSeverity
    /// The event's kind in a word (`throttled`, `retry`, `failed`, ...).
    public var kind: String
    public var text: String
    /// Kind and text in lower case, for filtering without allocating per frame.
    let searchText: String

    public init(elapsed: Double, attempt: Int, severity: LogSeverity, kind: String, text: String) {
        self.elapsed = elapsed
        self.attempt = attempt
        self.severity = severity
        self.kind = kind
        self.text = text
        searchText = (kind + " " + text).lowercased()
    }

    /// Whether the line contains `filter` (already lower-cased).
    func matches(_ filter: String) -> Bool {
        searchText.contains(filter)
    }
}
