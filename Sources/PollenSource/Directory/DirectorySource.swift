import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Payload files on disk in the layout of CONTRACT section 2: `DIR/<SYMBOL>/<FUNCTION>.json`.
///
/// It is the `--source DIR` input and the live source's cache. Loading never throws: a missing,
/// unreadable or oversized file is a `PayloadFailure` for that asset and function only.
public struct DirectorySource: Sendable {
    /// Files larger than this are refused without being read (64 MiB, far above any real payload).
    public static let maxPayloadBytes = 64 << 20

    public let root: URL
    /// `maxPayloadBytes`, smaller in tests.
    let payloadByteLimit: Int

    public init(root: URL) {
        self.init(root: root, payloadByteLimit: Self.maxPayloadBytes)
    }

    init(root: URL, payloadByteLimit: Int) {
        self.root = root
        self.payloadByteLimit = payloadByteLimit
    }

    /// The names of the sub-folders of `root`, sorted, hidden entries skipped. Names that are not
    /// valid symbols are returned too, so that the caller can report them.
    public func symbols() throws(DirectorySourceError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw .missingRoot(path: root.path)
        }
        guard isDirectory.boolValue else { throw .rootNotADirectory(path: root.path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        } catch {
            throw .unreadableRoot(path: root.path, reason: error.localizedDescription)
        }
        return names.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    /// Where the payload of `function` for `symbol` lives.
    public func fileURL(symbol: String, function: SourceFunction) -> URL {
        root.appendingPathComponent(symbol, isDirectory: true).appendingPathComponent(function.fileName)
    }

    /// The parsed payload of `function` for `symbol`, or why there is none.
    public func load(symbol: String, function: SourceFunction) -> PayloadContent {
        guard SymbolRules.isValid(symbol) else { return PayloadParser.invalidSymbol(symbol, function: function) }
        let folder = root.appendingPathComponent(symbol, isDirectory: true).path
        let file = fileURL(symbol: symbol, function: function)
        // Non-blocking, so that a FIFO (or a device) is refused below instead of hanging the open.
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                return failure(.missingFile, "no \(function.fileName) for \(symbol) in \(folder)")
            }
            return failure(.unreadableFile, "cannot open \(file.path): \(Self.describe(code))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            return failure(.unreadableFile, "cannot read \(file.path): \(Self.describe(errno))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            return failure(.unreadableFile, "cannot read \(file.path): it is not a regular file")
        }
        if status.st_size > payloadByteLimit {
            return tooLarge(file)
        }
        let data: Data
        do {
            // One byte over the limit tells a file that grew since `fstat` from one that did not.
            data = try handle.read(upToCount: payloadByteLimit + 1) ?? Data()
        } catch {
            return failure(.unreadableFile, "cannot read \(file.path): \(error.localizedDescription)")
        }
        if data.count > payloadByteLimit {
            return tooLarge(file)
        }
        return PayloadParser.parse(data, function: function, symbol: symbol)
    }

    /// Writes `data` as the payload of `function` for `symbol` so that a reader sees either the
    /// old file or the whole new one: a temporary file in the same folder, flushed to disk, then
    /// renamed over the payload file, then the folder flushed.
    public func saveAtomically(_ data: Data, symbol: String, function: SourceFunction) throws(DirectorySourceError) {
        guard SymbolRules.isValid(symbol) else { throw .invalidSymbol(symbol) }
        let folder = root.appendingPathComponent(symbol, isDirectory: true)
        let file = fileURL(symbol: symbol, function: function)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: file.path, reason: error.localizedDescription)
        }
        let temporary = folder.appendingPathComponent(".\(function.fileName).\(UUID().uuidString).tmp")
        do throws(FileProblem) {
            try writeAndSync(data, to: temporary.path)
            guard rename(temporary.path, file.path) == 0 else { throw FileProblem(text: Self.describe(errno)) }
        } catch {
            unlink(temporary.path)
            throw .writeFailed(path: file.path, reason: error.text)
        }
        syncFolder(folder.path)
    }

    private func writeAndSync(_ data: Data, to path: String) throws(FileProblem) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileProblem(text: Self.describe(errno)) }
        defer { close(descriptor) }
        let writeError: Int32 = data.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let result = write(descriptor, bytes.baseAddress?.advanced(by: written), bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return 0
        }
        guard writeError == 0 else { throw FileProblem(text: Self.describe(writeError)) }
        guard fsync(descriptor) == 0 else { throw FileProblem(text: Self.describe(errno)) }
    }

    /// Makes the rename durable; a folder that cannot be flushed leaves the file in place anyway.
    private func syncFolder(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private func tooLarge(_ file: URL) -> PayloadContent {
        failure(.fileTooLarge, "\(file.path) is larger than the \(payloadByteLimit)-byte payload limit")
    }

    private func failure(_ kind: PayloadFailure.Kind, _ message: String) -> PayloadContent {
        .failed(PayloadFailure(kind: kind, message: message))
    }

    /// A system error number as text ("No such file or directory").
    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A system call's failure as text, carried between the private file helpers.
private struct FileProblem: Error {
    var text: String
}

/// Why the directory source cannot list or save payloads; each names the path concerned.
public enum DirectorySourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingRoot(path: String)
    case rootNotADirectory(path: String)
    case unreadableRoot(path: String, reason: String)
    case invalidSymbol(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingRoot(let path): return "The source folder \(path) does not exist."
        case .rootNotADirectory(let path): return "The source path \(path) is not a folder."
        case .unreadableRoot(let path, let reason): return "The source folder \(path) cannot be listed: \(reason)."
        case .invalidSymbol(let symbol):
            return "Cannot save a payload for symbol \(symbol): it does not match \(SymbolRules.pattern)."
        case .writeFailed(let path, let reason): return "Could not write \(path): \(reason)."
        }
    }
}
