import Foundation
@testable import PollenSource
import PollenTestSupport
import XCTest

final class DirectorySourceTests: XCTestCase {
    private let earnings = #"{"symbol": "IBM", "annualEarnings": [{"fiscalDateEnding": "2023-12-31", "reportedEPS": "9.62"}]}"#

    func testSymbolsAreTheSortedSubFoldersWithoutHiddenOnes() throws {
        let root = TemporaryDirectory()
        for folder in ["MSFT", "IBM", ".cache", "bad name", "AAPL", "BRK.B"] {
            try FileManager.default.createDirectory(at: root.url.appendingPathComponent(folder),
                                                    withIntermediateDirectories: true)
        }
        try root.write("notes", to: "README.md")
        try root.write("{}", to: ".hidden.json")
        try FileManager.default.createSymbolicLink(at: root.url.appendingPathComponent("LINKED"),
                                                   withDestinationURL: root.url.appendingPathComponent("IBM"))
        XCTAssertEqual(try DirectorySource(root: root.url).symbols(), ["AAPL", "BRK.B", "IBM", "LINKED", "MSFT", "bad name"])
    }

    func testAnEmptyRootHasNoSymbols() throws {
        let root = TemporaryDirectory()
        XCTAssertEqual(try DirectorySource(root: root.url).symbols(), [])
    }

    func testAMissingRootThrowsNamingThePath() {
        let folder = TemporaryDirectory()
        let root = folder.url.appendingPathComponent("nowhere")
        XCTAssertThrowsError(try DirectorySource(root: root).symbols()) { error in
            XCTAssertEqual(error as? DirectorySourceError, .missingRoot(path: root.path))
            XCTAssertEqual("\(error)", "The source folder \(root.path) does not exist.")
        }
    }

    func testARootThatIsAFileThrows() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("x", to: "file")
        XCTAssertThrowsError(try DirectorySource(root: URL(fileURLWithPath: path)).symbols()) { error in
            XCTAssertEqual(error as? DirectorySourceError, .rootNotADirectory(path: path))
            XCTAssertEqual("\(error)", "The source path \(path) is not a folder.")
        }
    }

    func testErrorDescriptionsAreOneSentenceNamingThePath() {
        XCTAssertEqual(DirectorySourceError.unreadableRoot(path: "/data", reason: "Permission denied").description,
                       "The source folder /data cannot be listed: Permission denied.")
        XCTAssertEqual(DirectorySourceError.writeFailed(path: "/data/IBM/OVERVIEW.json", reason: "No space left").description,
                       "Could not write /data/IBM/OVERVIEW.json: No space left.")
        XCTAssertEqual(DirectorySourceError.invalidSymbol("../X").description,
                       #"Cannot save a payload for symbol ../X: it does not match ^[A-Z0-9][A-Z0-9.\-]{0,11}$."#)
    }

    func testLoadParsesThePayloadFile() throws {
        let root = TemporaryDirectory()
        try root.write(earnings, to: "IBM/EARNINGS.json")
        let payload = try parsed(DirectorySource(root: root.url).load(symbol: "IBM", function: .earnings))
        XCTAssertEqual(payload.records.map(\.reportKey), ["annual#2023-12-31"])
    }

    func testLoadReportsParserFailures() throws {
        let root = TemporaryDirectory()
        try root.write(#"{"Note": "slow down"}"#, to: "IBM/OVERVIEW.json")
        XCTAssertEqual(DirectorySource(root: root.url).load(symbol: "IBM", function: .overview),
                       .failed(PayloadFailure(kind: .note, message: "Alpha Vantage note: slow down")))
    }

    func testAMissingFileNamesTheFunctionSymbolAndFolder() throws {
        let root = TemporaryDirectory()
        try root.write("{}", to: "IBM/OVERVIEW.json")
        let outcome = try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .earnings))
        XCTAssertEqual(outcome.kind, .missingFile)
        XCTAssertEqual(outcome.message, "no EARNINGS.json for IBM in \(root.path)/IBM")
        let noFolder = try failure(DirectorySource(root: root.url).load(symbol: "MSFT", function: .cashFlow))
        XCTAssertEqual(noFolder.kind, .missingFile)
        XCTAssertEqual(noFolder.message, "no CASH_FLOW.json for MSFT in \(root.path)/MSFT")
    }

    func testASymbolFolderThatIsAFileMeansTheFileIsMissing() throws {
        let root = TemporaryDirectory()
        try root.write("not a folder", to: "IBM")
        XCTAssertEqual(try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .earnings)).kind,
                       .missingFile)
    }

    /// A FIFO as a payload file used to block the open forever; it is refused at once.
    func testAFIFOInPlaceOfTheFileIsRefusedWithoutBlocking() throws {
        let root = TemporaryDirectory()
        let folder = root.url.appendingPathComponent("IBM")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fifo = folder.appendingPathComponent("EARNINGS.json").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let source = DirectorySource(root: root.url)
        let loaded = expectation(description: "the load returns")
        let outcome = Locked<PayloadFailure?>(nil)
        Thread.detachNewThread {  // a blocking open would hang this thread, not the test
            outcome.set(try? failure(source.load(symbol: "IBM", function: .earnings)))
            loaded.fulfill()
        }
        wait(for: [loaded], timeout: 10)
        XCTAssertEqual(outcome.value?.kind, .unreadableFile)
        XCTAssertEqual(outcome.value?.message, "cannot read \(fifo): it is not a regular file")
    }

    func testAFolderInPlaceOfTheFileIsUnreadable() throws {
        let root = TemporaryDirectory()
        let folder = root.url.appendingPathComponent("IBM/EARNINGS.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let outcome = try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .earnings))
        XCTAssertEqual(outcome.kind, .unreadableFile)
        XCTAssertEqual(outcome.message, "cannot read \(folder.path): it is not a regular file")
    }

    func testAnInvalidSymbolIsRefusedWithoutTouchingTheDisk() throws {
        let root = TemporaryDirectory()
        try root.write(earnings, to: "EARNINGS.json")
        let outcome = try failure(DirectorySource(root: root.url.appendingPathComponent("IBM")).load(symbol: "..",
                                                                                                   function: .earnings))
        XCTAssertEqual(outcome.kind, .invalidSymbol)
        XCTAssertEqual(outcome.message, #"EARNINGS.json: symbol .. does not match ^[A-Z0-9][A-Z0-9.\-]{0,11}$"#)
    }

    func testAFileOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws {
        let root = TemporaryDirectory()
        let atLimit = #"{"symbol": "IBM", "annualReports": []}"#
        try root.write(atLimit, to: "IBM/CASH_FLOW.json")
        try root.write(atLimit + " ", to: "IBM/BALANCE_SHEET.json")
        let source = DirectorySource(root: root.url, payloadByteLimit: atLimit.utf8.count)
        XCTAssertEqual(source.load(symbol: "IBM", function: .cashFlow), .records(ParsedPayload(records: [])))
        let outcome = try failure(source.load(symbol: "IBM", function: .balanceSheet))
        XCTAssertEqual(outcome.kind, .fileTooLarge)
        XCTAssertEqual(outcome.message,
                       "\(root.path)/IBM/BALANCE_SHEET.json is larger than the \(atLimit.utf8.count)-byte payload limit")
    }

    func testTheDefaultLimitIs64MiB() {
        XCTAssertEqual(DirectorySource.maxPayloadBytes, 67_108_864)
        XCTAssertEqual(DirectorySource(root: URL(fileURLWithPath: "/tmp")).payloadByteLimit, 67_108_864)
    }

    #if os(Linux)
    /// `/proc` files claim a size of 0 and then deliver more: the limit still holds while reading.
    func testAFileLargerThanItsReportedSizeIsStillLimited() throws {
        let root = TemporaryDirectory()
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("IBM"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.url.appendingPathComponent("IBM/OVERVIEW.json"),
                                                   withDestinationURL: URL(fileURLWithPath: "/proc/self/status"))
        let limited = DirectorySource(root: root.url, payloadByteLimit: 16)
        XCTAssertEqual(try failure(limited.load(symbol: "IBM", function: .overview)).kind, .fileTooLarge)
        XCTAssertEqual(try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .overview)).kind,
                       .invalidJSON)
    }

    /// `/proc/self/mem` opens as a regular file but cannot be read at offset 0.
    func testAReadErrorMakesTheFileUnreadable() throws {
        let root = TemporaryDirectory()
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("IBM"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.url.appendingPathComponent("IBM/OVERVIEW.json"),
                                                   withDestinationURL: URL(fileURLWithPath: "/proc/self/mem"))
        let outcome = try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .overview))
        XCTAssertEqual(outcome.kind, .unreadableFile)
        XCTAssertTrue(outcome.message.hasPrefix("cannot read \(root.path)/IBM/OVERVIEW.json: "), outcome.message)
    }
    #endif

    func testAFileThatCannotBeOpenedIsUnreadable() throws {
        let root = TemporaryDirectory()
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("IBM"), withIntermediateDirectories: true)
        let file = root.url.appendingPathComponent("IBM/EARNINGS.json")
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: file.path)
        let outcome = try failure(DirectorySource(root: root.url).load(symbol: "IBM", function: .earnings))
        XCTAssertEqual(outcome.kind, .unreadableFile)
        XCTAssertEqual(outcome.message, "cannot open \(file.path): Too many levels of symbolic links")
    }

    func testSaveAtomicallyThenLoadRoundTrips() throws {
        let root = TemporaryDirectory()
        let source = DirectorySource(root: root.url)
        try source.saveAtomically(Data(#"{"symbol": "IBM", "annualEarnings": []}"#.utf8), symbol: "IBM",
                                  function: .earnings)
        XCTAssertEqual(source.load(symbol: "IBM", function: .earnings), .records(ParsedPayload(records: [])))
        try source.saveAtomically(Data(earnings.utf8), symbol: "IBM", function: .earnings)
        XCTAssertEqual(try parsed(source.load(symbol: "IBM", function: .earnings)).records.count, 1)
        XCTAssertEqual(try Data(contentsOf: source.fileURL(symbol: "IBM", function: .earnings)), Data(earnings.utf8))
        let files = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("IBM").path)
        XCTAssertEqual(files, ["EARNINGS.json"], "no temporary file is left behind")
        XCTAssertEqual(try source.symbols(), ["IBM"])
    }

    func testSaveAtomicallyRefusesInvalidSymbols() {
        let root = TemporaryDirectory()
        XCTAssertThrowsError(try DirectorySource(root: root.url).saveAtomically(Data(), symbol: "../x", function: .overview)) {
            XCTAssertEqual($0 as? DirectorySourceError, .invalidSymbol("../x"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }

    func testSaveAtomicallyReportsAFolderItCannotCreate() throws {
        let root = TemporaryDirectory()
        try root.write("a file where the symbol folder should be", to: "IBM")
        let source = DirectorySource(root: root.url)
        XCTAssertThrowsError(try source.saveAtomically(Data("{}".utf8), symbol: "IBM", function: .overview)) { error in
            guard case .writeFailed(let path, _) = error as? DirectorySourceError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(path, "\(root.path)/IBM/OVERVIEW.json")
        }
    }

    func testSaveAtomicallyReportsARenameThatFails() throws {
        let root = TemporaryDirectory()
        // A non-empty folder where the payload file should go cannot be replaced by a rename.
        try root.write("x", to: "IBM/OVERVIEW.json/inside")
        let source = DirectorySource(root: root.url)
        XCTAssertThrowsError(try source.saveAtomically(Data("{}".utf8), symbol: "IBM", function: .overview)) { error in
            XCTAssertEqual(error as? DirectorySourceError,
                           .writeFailed(path: "\(root.path)/IBM/OVERVIEW.json", reason: "Is a directory"))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("IBM").path)
        XCTAssertEqual(files, ["OVERVIEW.json"], "the temporary file is removed")
    }
}
