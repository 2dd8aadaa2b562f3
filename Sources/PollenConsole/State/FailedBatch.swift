import PollenEngine

/// A batch given up on, and the attempt it belonged to.
public struct FailedBatch: Equatable, Sendable {
    public var attempt: Int
    public var failure: BatchFailure
}
