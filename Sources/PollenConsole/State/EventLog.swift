import Foundation

/// The event log: the latest lines made from events, a filter, and how far the operator has
/// scrolled back.
public struct EventLog: Sendable {
    public static let capacity = 2000

    private var storage: [LogLine] = []
    /// Lines no longer kept.
    public private(set) var dropped = 0
    /// The applied filter, lower-cased; `nil` shows every line.
    public private(set) var filter: String?
    /// Matching lines hidden below the view (0 follows the newest line).
    public var scrollBack = 0

    public init() {}

    public var count: Int { storage.count }

    public var lines: ArraySlice<LogLine> { storage[...] }

    mutating func append(_ line: LogLine) {
        storage.append(line)
        if storage.count > Self.capacity + Self.capacity / 4 {
            let excess = storage.count - Self.capacity
            storage.removeFirst(excess)
            dropped += excess
        }
        if scrollBack > 0 && (filter.map { line.matches($0) } ?? true) { scrollBack += 1 }
    }

    mutating func setFilter(_ text: String?) {
        filter = FilterText.normalized(text)
        scrollBack = 0
    }

    /// How many lines the filter lets through.
    public var matchingCount: Int {
        guard let filter else { return storage.count }
        return storage.reduce(0) { $0 + ($1.matches(filter) ? 1 : 0) }
    }

    /// Up to `count` matching lines, oldest first, ending `scrollBack` matching lines before
    /// the newest. Only scans as far back as it needs.
    public func visibleLines(_ count: Int) -> [LogLine] {
        guard count > 0 else { return [] }
        var result: [LogLine] = []
        var skipped = 0
        for line in storage.reversed() where filter.map({ line.matches($0) }) ?? true {
            if skipped < scrollBack {
                skipped += 1
                continue
            }
            result.append(line)
            if result.count == count { break }
        }
        return result.reversed()
    }
}
