import Synchronization

/// A value shared between a test and the tasks it starts.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    public var value: Value { mutex.withLock { $0 } }

    @discardableResult
    public func update<T: Sendable>(_ change: (inout Value) -> T) -> T {
        mutex.withLock { change(&$0) }
    }

    public func set(_ value: Value) { mutex.withLock { $0 = value } }
}
