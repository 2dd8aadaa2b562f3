/// A short message in the footer answering the operator's last key (`cap 80%`, `nothing
/// failed`), gone after a few seconds.
public struct Hint: Equatable, Sendable {
    public static let lifetime = 4.0

    public var text: String
    public var isWarning: Bool
    /// Console time at which it disappears.
    public var expiresAt: Double
}
