import Foundation
import PollenHTTP
import PollenSource

/// Writes to standard output and standard error without Swift's buffered `print`, so that
/// lines from several threads never interleave mid-line and reach pipes promptly.
///
/// Text for people goes through ``ExternalText`` on the way: a symbol, a file name or a server
/// message that carries terminal escapes is shown, never obeyed. JSON is already escaped.
enum StandardStreams {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(ExternalText.escaped(text).utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(ExternalText.escaped(text).utf8))
    }

    /// One JSON document (its encoder escaped every control character; known secrets are
    /// redacted here), and a line break.
    static func json(_ text: String) {
        FileHandle.standardOutput.write(Data((KnownSecrets.redacted(text) + "\n").utf8))
    }
}
