import Foundation
import PollenEngine
import Synchronization

/// A clock whose time only moves when someone sleeps: each sleep advances it by the
/// sleep's length and returns at once. Backoff schedules and rate windows run in
/// milliseconds of real time; `sleeps` records every wait.
public final class InstantClock: EngineClock {
    private let state: Mutex<(now: Double, sleeps: [Double])>
    private let epoch: Date

    public init(start: Double = 0, epoch: Date = Date(timeIntervalSince1970: 1_767_225_600)) {  // 2026-01-01
        state = Mutex((start, []))
        self.epoch = epoch
    }

    public func now() -> Double { state.withLock { $0.now } }

    public func date() -> Date { epoch.addingTimeInterval(now()) }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(seconds)
            state.now += max(0, seconds)
        }
        await Task.yield()
    }

    /// Moves time forward without sleeping.
    public func advance(by seconds: Double) {
        state.withLock { $0.now += seconds }
    }

    /// Every sleep so far, in order.
    public var sleeps: [Double] { state.withLock { $0.sleeps } }
}

/// Deterministic uniform numbers in [0, 1) from a seed (SplitMix64).
public final class SeededRandom: RandomSource {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) {
        state = Mutex(seed)
    }

    public func nextUnit() -> Double {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53)
        }
    }
}

/// Always the same number: pins jitter to its lower (0) or upper (close to 1) bound.
public struct FixedRandom: RandomSource {
    public let value: Double
    public init(_ value: Double) { self.value = value }
    public func nextUnit() -> Double { value }
}
