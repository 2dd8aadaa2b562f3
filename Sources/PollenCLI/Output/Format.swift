import Foundation

/// Number and duration formatting shared by the plain output and the summary.
enum Format {
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + String(grouped.reversed())
    }

    /// At most one decimal, none for large values.
    static func number(_ value: Double) -> String {
        if value >= 100 || value == value.rounded() { return count(Int(value.rounded())) }
        return String(format: "%.1f", value)
    }

    /// `12s`, `3m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }
}
