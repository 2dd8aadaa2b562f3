import Foundation

/// Made-up but realistic Alpha Vantage payloads for made-up symbols, the same bytes for the
/// same seed: the input of the demo, the tests and the benchmarks, which must not depend on
/// network access, API keys or real companies.
///
/// Each asset has all five functions with every field `alphavantage-fields.md` lists, newest
/// reports first: 5 annual and 20 quarterly statements of each kind, 10–20 years and 40–80
/// quarters of earnings, so about 150 records per asset. The figures of one company agree
/// across its payloads, and a few lines are `"None"` (or `"-"` in the overview) as in real data.
public struct SampleDataGenerator: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// `count` distinct symbols of 2 to 5 upper-case letters; the first `n` are the same for any `count >= n`.
    public func symbols(count: Int) -> [String] {
        var random = SeededGenerator(seed: seed, labels: SeededGenerator.label("symbols"))
        var symbols: [String] = []
        var seen: Set<String> = []
        symbols.reserveCapacity(max(0, count))
        while symbols.count < count {
            let length = random.element(of: [2, 3, 3, 3, 4, 4, 4, 4, 5, 5])
            var letters: [UInt8] = []
            for _ in 0..<length { letters.append(UInt8(ascii: "A") + UInt8(random.int(in: 0...25))) }
            let symbol = String(decoding: letters, as: UTF8.self)
            if seen.insert(symbol).inserted { symbols.append(symbol) }
        }
        return symbols
    }

    /// The body Alpha Vantage would return for `function` and `symbol` (valid JSON, UTF-8).
    public func payload(for function: SourceFunction, symbol: String) -> Data {
        Data(Self.payloadBytes(for: function, company: SampleCompany(symbol: symbol, generatorSeed: seed)))
    }

    /// Writes `DIR/<SYMBOL>/<FUNCTION>.json` for all five functions of the first `assets`
    /// symbols and returns those symbols.
    @discardableResult
    public func write(assets: Int, to directory: URL) throws -> [String] {
        let symbols = symbols(count: assets)
        for symbol in symbols {
            let folder = directory.appendingPathComponent(symbol, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let company = SampleCompany(symbol: symbol, generatorSeed: seed)
            for function in SourceFunction.allCases {
                let bytes = Self.payloadBytes(for: function, company: company)
                try Data(bytes).write(to: folder.appendingPathComponent(function.fileName))
            }
        }
        return symbols
    }

    private static func payloadBytes(for function: SourceFunction, company: SampleCompany) -> [UInt8] {
        switch function {
        case .overview: return company.overviewPayload()
        case .earnings: return company.earningsPayload()
        case .cashFlow, .balanceSheet, .incomeStatement: return company.statementPayload(function)
        }
    }
}
