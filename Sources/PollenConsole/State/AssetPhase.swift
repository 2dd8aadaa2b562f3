import PollenEngine

/// Where an asset is: waiting to be written (a re-run), being written, or marked with its
/// final status.
public enum AssetPhase: String, CaseIterable, Sendable {
    case queued, writing
    case complete = "COMPLETE", partial = "PARTIAL", failed = "FAILED"

    public init(_ status: AssetStatus) {
        switch status {
        case .complete: self = .complete
        case .partial: self = .partial
        case .failed: self = .failed
        }
    }

    public var isFinal: Bool { self == .complete || self == .partial || self == .failed }
}
