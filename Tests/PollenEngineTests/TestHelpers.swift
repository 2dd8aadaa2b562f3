import Foundation
import Synchronization

/// A value shared between a test and the tasks it starts.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    var value: Value { mutex.withLock { $0 } }

    @discardableResult
    func update<T: Sendable>(_ change: (inout Value) -> T) -> T {
        mutex.withLock { change(&$0) }
    }

    func set(_ value: Value) { mutex.withLock { $0 = value } }
}

/// Waits (real time, up to `timeout` seconds) until `condition` holds; returns whether it did.
@discardableResult
func eventually(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(nanoseconds: 1_000_000)
    }
    return true
}
