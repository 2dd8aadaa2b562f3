/// A small deterministic random source (SplitMix64) for sample data.
///
/// The standard library's generators are seeded randomly and its range helpers may change
/// between releases; this one, and the helpers on it, give the same numbers for the same seed
/// on every platform and toolchain, so sample files are identical byte for byte.
struct SeededGenerator {
    private var state: UInt64

    /// A generator for one independent stream, derived from a seed and any number of labels.
    init(seed: UInt64, labels: UInt64...) {
        var mixed = Self.mix(seed)
        for label in labels { mixed = Self.mix(mixed ^ label) }
        state = mixed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A whole number in `range` (multiply-shift; the bias is far below anything visible).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// A number in `range`, uniformly.
    mutating func double(in range: Range<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) * 0x1p-53 * (range.upperBound - range.lowerBound)
    }

    /// `true` with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        double(in: 0..<1) < probability
    }

    mutating func element<T>(of choices: [T]) -> T {
        choices[int(in: 0...(choices.count - 1))]
    }

    /// A stable 64-bit label for text (FNV-1a), for deriving streams from symbols.
    static func label(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
