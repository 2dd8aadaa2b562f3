import Foundation

/// Writes to standard output and standard error without Swift's buffered `print`, so that
/// lines from several threads never interleave mid-line and reach pipes promptly.
enum StandardStreams {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
