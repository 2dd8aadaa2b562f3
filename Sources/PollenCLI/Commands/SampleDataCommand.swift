import ArgumentParser
import Foundation
import PollenSource

/// `pollen sample-data`: writes realistic Alpha Vantage-shaped payloads for made-up symbols,
/// for the demo, tests and benchmarks.
struct SampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-data",
        abstract: "Write sample payloads as DIR/<SYMBOL>/<FUNCTION>.json for made-up symbols.")

    @Option(help: "Directory to write into (created if needed).")
    var out: String

    @Option(help: "Number of assets.")
    var assets: Int = 50

    @Option(help: "Seed: the same seed writes the same files.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("print-symbols"), help: "Print the symbols written, one per line.")
    var printSymbols = false

    func validate() throws {
        if assets < 1 || assets > 1_000_000 { throw ValidationError("--assets must be between 1 and 1,000,000.") }
    }

    func run() throws {
        let symbols: [String]
        do {
            symbols = try SampleDataGenerator(seed: seed).write(assets: assets, to: URL(fileURLWithPath: out))
        } catch {
            StandardStreams.err("pollen: cannot write sample data to \(out): \(error)\n")
            throw ExitCode(1)
        }
        if printSymbols {
            StandardStreams.out(symbols.joined(separator: "\n") + "\n")
        } else {
            StandardStreams.out("wrote \(symbols.count) assets (5 payloads each) to \(out)\n")
        }
    }
}
