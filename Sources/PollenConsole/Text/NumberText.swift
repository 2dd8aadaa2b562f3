/// Numbers as the console writes them: grouped counts, compact counts, rates and percentages.
///
/// Hand-rolled rather than `String(format:)`: these run for every number of every frame.
public enum NumberText {
    /// `12345` → `12,345`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = value < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// `950` → `950`, `4000` → `4,000`, `12345` → `12.3k`, `2500000` → `2.5M`: at most 5
    /// columns (6 with a sign).
    public static func compact(_ value: Int) -> String {
        let magnitude = Double(value.magnitude)
        let sign = value < 0 ? "-" : ""
        switch magnitude {
        case ..<10_000: return count(value)
        case ..<100_000: return sign + fixed(magnitude / 1000, decimals: 1) + "k"
        case ..<1_000_000: return sign + String(Int((magnitude / 1000).rounded())) + "k"
        case ..<100_000_000: return sign + fixed(magnitude / 1_000_000, decimals: 1) + "M"
        default: return sign + String(Int((magnitude / 1_000_000).rounded())) + "M"
        }
    }

    /// A per-second rate: one decimal under 100, whole above (`4.5`, `48.2`, `1,250`).
    public static func rate(_ value: Double) -> String {
        value < 99.95 ? fixed(value, decimals: 1) : count(Int(value.rounded()))
    }

    /// A percentage, whole (`34%`), or with one decimal under 10 when `precise` (`2.5%`).
    public static func percent(_ value: Double, precise: Bool = false) -> String {
        precise && value < 9.95 && value > 0 ? fixed(value, decimals: 1) + "%" : String(Int(value.rounded())) + "%"
    }

    /// `value` with exactly `decimals` decimals (0–3), rounded half away from zero.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1
        for _ in 0..<min(max(decimals, 0), 3) { scale *= 10 }
        let scaled = Int((value.magnitude * Double(scale)).rounded())
        let whole = String(scaled / scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard decimals > 0 else { return sign + whole }
        var fraction = String(scaled % scale)
        while fraction.count < min(decimals, 3) { fraction = "0" + fraction }
        return sign + whole + "." + fraction
    }
}
