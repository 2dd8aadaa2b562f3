import Foundation
import PollenConsole
import XCTest

/// Compares a rendered frame with `Snapshots/NAME.txt`: the text, then a layer of one letter per
/// cell (theme roles, or the attributes actually drawn without color). A mismatch fails with
/// the differing lines side by side. `POLLEN_RECORD_SNAPSHOTS=1` writes the files instead.
enum SnapshotAssertion {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    /// What the second layer shows.
    enum Layer {
        /// The role of each cell (see ``roleLetters``).
        case roles
        /// The attributes drawn for each cell without color, as a hex digit of bold 1, dim 2,
        /// reverse 4, underline 8; `.` for none.
        case noColorAttributes(Theme)
    }

    static let roleLetters: [ThemeRole: Character] = [
        .text: "t", .muted: "m", .accent: "a", .ok: "o", .warn: "w", .error: "e", .background: ".", .border: "b",
        .focus: "f", .title: "T", .header: "h", .selection: "s", .barFill: "B", .barEmpty: "_", .graph: "g",
        .capacityLine: "c",
    ]

    static func render(_ buffer: CellBuffer, name: String, layer: Layer) -> String {
        var lines = ["== \(name) (\(buffer.width)x\(buffer.height)) ==", "-- text --"]
        lines += buffer.textLines
        switch layer {
        case .roles:
            lines.append("-- roles: " + roleLetters.sorted { $0.value < $1.value }.map { "\($0.value)=\($0.key.rawValue)" }
                .joined(separator: " ") + " --")
            lines += buffer.layer { roleLetters[$0.style.role]! }
        case .noColorAttributes(let theme):
            lines.append("-- attributes without color: 1=bold 2=dim 4=reverse 8=underline (sums in hex), .=none --")
            lines += buffer.layer { cell in
                let bits = theme.style(for: cell.style, color: false).attributes.rawValue
                return bits == 0 ? "." : Character(String(bits, radix: 16))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func assertMatches(_ buffer: CellBuffer, named name: String, layer: Layer = .roles,
                              file: StaticString = #filePath, line: UInt = #line) {
        let actual = render(buffer, name: name, layer: layer)
        let url = directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["POLLEN_RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            XCTAssertNoThrow(try actual.write(to: url, atomically: true, encoding: .utf8), file: file, line: line)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no snapshot \(url.path); record it with POLLEN_RECORD_SNAPSHOTS=1", file: file, line: line)
            return
        }
        guard expected != actual else { return }
        XCTFail("snapshot \(name) differs:\n" + diff(expected: expected, actual: actual), file: file, line: line)
    }

    /// The differing lines, numbered, expected above actual (at most 30).
    static func diff(expected: String, actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        var report: [String] = []
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? old[index] : "(none)"
            let after = index < new.count ? new[index] : "(none)"
            guard before != after else { continue }
            let number = String(index + 1)
            let margin = String(repeating: " ", count: max(0, 4 - number.count)) + number
            report.append("\(margin) - \(before)")
            report.append("\(margin) + \(after)")
            if report.count >= 60 { report.append("..."); break }
        }
        return report.joined(separator: "\n")
    }
}
