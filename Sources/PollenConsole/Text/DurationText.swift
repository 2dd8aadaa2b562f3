/// Durations as the console writes them.
public enum DurationText {
    /// A short duration: `0.4s`, `12s`, `2m`, `1m52s`, `2h05m` (whole seconds from 10 s up,
    /// counted down like a clock).
    public static func short(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 9.95 { return NumberText.fixed(seconds, decimals: 1) + "s" }
        let whole = max(10, Int(seconds))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" + (whole % 60 == 0 ? "" : twoDigits(whole % 60) + "s") }
        return "\(whole / 3600)h" + twoDigits(whole / 60 % 60) + "m"
    }

    /// A running clock: `03:12`, `1:02:03`.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds.isFinite ? seconds : 0))
        let minutesAndSeconds = twoDigits(whole / 60 % 60) + ":" + twoDigits(whole % 60)
        return whole >= 3600 ? "\(whole / 3600):" + minutesAndSeconds : minutesAndSeconds
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
