/// Alpha Vantage's number formats: whole currency amounts and fixed-point ratios, as text.
///
/// Written by hand because `String(format:)` is slow and its output depends on the locale.
enum SampleNumberText {
    /// A whole amount such as `"-1234567890"`.
    static func integer(_ value: Double) -> String {
        String(Int64(value.rounded()))
    }

    /// A fixed-point number with `places` decimals, such as `"2.13"` or `"-0.254"`; never `"-0.00"`.
    static func decimal(_ value: Double, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((value * Double(scale)).rounded())
        let magnitude = scaled.magnitude
        let whole = String(magnitude / UInt64(scale))
        let sign = scaled < 0 ? "-" : ""
        guard places > 0 else { return sign + whole }
        let fraction = String(magnitude % UInt64(scale))
        return sign + whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}

extension JSONTextBuilder {
    /// `"name": "<whole amount>"`, or `"None"` when there is no amount.
    mutating func member(_ name: String, amount: Double?) {
        member(name, amount.map(SampleNumberText.integer) ?? "None")
    }

    /// `"name": "<fixed-point number>"`, or `"None"` when there is no number.
    mutating func member(_ name: String, decimal: Double?, places: Int) {
        member(name, decimal.map { SampleNumberText.decimal($0, places: places) } ?? "None")
    }
}
