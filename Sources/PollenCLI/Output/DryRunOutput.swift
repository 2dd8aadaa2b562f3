import Foundation
import PollenEngine

/// Prints a `--dry-run` plan as a table (or one JSON object with `--ui json`).
enum DryRunOutput {
    static func print(_ plan: DryRunPlanner.Plan, json: Bool) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(plan) { StandardStreams.json(String(decoding: data, as: UTF8.self)) }
            return
        }
        var rows = [["TABLE", "ITEMS", "BATCHES", "WRITE UNITS", "REJECTED", "DUPLICATES", "CAPACITY", "TIME"]]
        for table in plan.tables {
            rows.append([
                table.name, Format.count(table.items), Format.count(table.batches), Format.count(table.writeUnits),
                Format.count(table.rejected), Format.count(table.duplicates),
                table.unavailable != nil ? "missing" : table.unitsPerSecond.map { "\(Format.number($0)) WCU/s" } ?? "on-demand",
                table.estimatedSeconds.map(Format.duration) ?? "-",
            ])
        }
        var text = "Dry run: \(plan.assets) assets, nothing written.\n" + TextColumns.render(rows)
        if let seconds = plan.estimatedSeconds {
            text += "Estimated time at the tables' capacity: \(Format.duration(seconds)) (tables are written in parallel).\n"
        }
        if !plan.problems.isEmpty {
            text += "\(plan.problems.count) problems:\n" + plan.problems.map { "  \($0)\n" }.joined()
        }
        StandardStreams.out(text)
    }
}
