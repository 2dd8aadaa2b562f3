import Foundation
import Logging
import PollenSource

/// swift-log's handler for the command line: each record on one line of standard error,
/// through `ExternalText`, because a log message quotes what came from outside (a server's
/// error text, a table or file name) and must neither carry a terminal escape nor a secret.
struct SanitizedLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Where the finished, sanitised line goes (standard error; a test's buffer).
    var write: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: " ")
        let time = ISO8601DateFormatter().string(from: Date())
        // One record, one line: a message's own line breaks are shown, not obeyed.
        let text = "\(message)\(details)".replacingOccurrences(of: "\n", with: "\\n")
        write(ExternalText.escaped("\(time) \(level) \(label): \(text)") + "\n")
    }
}
