import Foundation
import Synchronization

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
