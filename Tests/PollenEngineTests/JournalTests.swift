import Foundation
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The journal: durable appends (group commit) and reading it back for `--resume`.
final class JournalTests: XCTestCase {
    let header = JournalHeader(runId: "20260101T000000Z-abcd", source: "/data/av", tablePrefix: "dev_",
                               work: ["IBM": [.earnings, .cashFlow], "7203.T": [.companyOverview]],
                               startedAt: "2026-01-01T00:00:00Z")

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testEveryRecordTypeRoundTrips() async throws {
        let records: [JournalRecord] = [
            .run(header),
            .acknowledged(symbol: "IBM", table: .earnings, keys: ["annual#2024-12-31", "quarterly#2024-12-31"]),
            .marked(symbol: "IBM", status: .partial),
            .finished(status: .complete),
        ]
        for record in records {
            let data = try JSONEncoder().encode(record)
            XCTAssertEqual(try JSONDecoder().decode(JournalRecord.self, from: data), record)
            XCTAssertFalse(data.contains(UInt8(ascii: "\n")), "one record, one line")
        }
        XCTAssertThrowsError(try JSONDecoder().decode(JournalRecord.self, from: Data(#"{"type":"bogus"}"#.utf8)))

        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("nested/run/journal").path
        let writer = try JournalWriter(path: path)
        for record in records { try await writer.append(record) }
        let written = try lines(path)
        XCTAssertEqual(written.count, 5, "four lines, each ending in a newline")
        XCTAssertEqual(written.last, "")
        XCTAssertEqual(try written.dropLast().map {
            try JSONDecoder().decode(JournalRecord.self, from: try XCTUnwrap(JournalState.checkedJSON(Data($0.utf8))))
        }, records)
        XCTAssertTrue(written[0].range(of: #"\} [0-9a-f]{8}$"#, options: .regularExpression) != nil, "sealed: \(written[0])")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "the journal is private to its owner")

        let state = try JournalState.read(path: path)
        XCTAssertEqual(state.header, header)
        XCTAssertTrue(state.finished)
        XCTAssertEqual(state.acknowledged["IBM"]?[.earnings], ["annual#2024-12-31", "quarterly#2024-12-31"])
    }

    func testConcurrentAppendsAllLandAsWholeLines() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("journal").path
        let writer = try JournalWriter(path: path)
        try await writer.append(.run(header))
        let count = 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await writer.append(.acknowledged(symbol: "S\(index % 7)", table: .earnings, keys: ["key-\(index)"]))
                }
            }
            try await group.waitForAll()
        }
        let written = try lines(path)
        XCTAssertEqual(written.count, count + 2)
        for line in written.dropLast() {
            XCTAssertNoThrow(try JSONDecoder().decode(JournalRecord.self, from: try XCTUnwrap(JournalState.checkedJSON(Data(line.utf8)))),
                             line)
        }
        let state = try JournalState.read(path: path)
        let keys = state.acknowledged.values.flatMap { $0[.earnings] ?? [] }
        XCTAssertEqual(Set(keys), Set((0..<count).map { "key-\($0)" }))
        for index in 0..<count {
            XCTAssertTrue(state.isAcknowledged(symbol: "S\(index % 7)", table: .earnings, key: "key-\(index)"))
        }
    }

    func testAppendingToAnExistingJournalKeepsItsRecords() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("journal").path
        try await JournalWriter(path: path).append(.run(header))
        let resumed = try JournalWriter(path: path)
        try await resumed.append(.acknowledged(symbol: "IBM", table: .cashFlow, keys: ["annual#2023-12-31"]))
        let state = try JournalState.read(path: path)
        XCTAssertEqual(state.header, header)
        XCTAssertTrue(state.isAcknowledged(symbol: "IBM", table: .cashFlow, key: "annual#2023-12-31"))
        XCTAssertFalse(state.finished)
    }

    func testIsAcknowledged() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write([
            line(.run(header)),
            line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["a", "b"])),
            line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["c"])),
            line(.acknowledged(symbol: "MSFT", table: .cashFlow, keys: ["a"])),
        ].joined(), to: "journal")
        let state = try JournalState.read(path: path)
        XCTAssertTrue(state.isAcknowledged(symbol: "IBM", table: .earnings, key: "a"))
        XCTAssertTrue(state.isAcknowledged(symbol: "IBM", table: .earnings, key: "c"), "acks of one pair add up")
        XCTAssertFalse(state.isAcknowledged(symbol: "IBM", table: .cashFlow, key: "a"), "per table")
        XCTAssertFalse(state.isAcknowledged(symbol: "MSFT", table: .earnings, key: "a"), "per symbol")
        XCTAssertFalse(state.isAcknowledged(symbol: "AAPL", table: .earnings, key: "a"))
        XCTAssertFalse(state.finished)
    }

    func testATornLastLineIsIgnored() throws {
        let directory = TemporaryDirectory()
        let torn = String(line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["b"])).prefix(25))
        let path = try directory.write(line(.run(header)) + line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["a"])) + torn,
                                       to: "journal")
        let state = try JournalState.read(path: path)
        XCTAssertTrue(state.isAcknowledged(symbol: "IBM", table: .earnings, key: "a"))
        XCTAssertFalse(state.isAcknowledged(symbol: "IBM", table: .earnings, key: "b"), "the torn batch is sent again")
    }

    func testACorruptLineInTheMiddleIsAnError() throws {
        let directory = TemporaryDirectory()
        let path = try directory.write(line(.run(header)) + "{\"type\":\"ack\",\"sym\n"
                                       + line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["a"])), to: "journal")
        XCTAssertThrowsError(try JournalState.read(path: path)) { error in
            XCTAssertEqual(error as? JournalError, .corrupt(path: path, line: 2))
        }
        // A complete (newline-terminated) last line that does not parse was not torn: corrupt too.
        let ended = try directory.write(line(.run(header)) + "not json\n", to: "ended")
        XCTAssertThrowsError(try JournalState.read(path: ended)) { error in
            XCTAssertEqual(error as? JournalError, .corrupt(path: ended, line: 2))
        }
    }

    func testMissingFileAndMissingHeader() throws {
        let directory = TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("nope").path
        XCTAssertThrowsError(try JournalState.read(path: missing)) { error in
            guard case .unreadable(let path, _) = error as? JournalError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, missing)
        }
        let headless = try directory.write(line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["a"])), to: "headless")
        XCTAssertThrowsError(try JournalState.read(path: headless)) { error in
            XCTAssertEqual(error as? JournalError, .noHeader(path: headless))
        }
        let empty = try directory.write("", to: "empty")
        XCTAssertThrowsError(try JournalState.read(path: empty)) { error in
            XCTAssertEqual(error as? JournalError, .noHeader(path: empty))
        }
        XCTAssertTrue(JournalError.noHeader(path: "/x").description.contains("not a pollen journal"))
    }

    func testAJournalThatCannotBeOpenedIsReported() throws {
        let directory = TemporaryDirectory()
        let file = try directory.write("x", to: "file")
        XCTAssertThrowsError(try JournalWriter(path: file + "/journal"), "a file where the folder should be")
    }

    private func line(_ record: JournalRecord) -> String {
        String(decoding: try! JournalWriter.line(for: record), as: UTF8.self)
    }

    /// One changed character in an acknowledged key made resume skip an item never written.
    func testAChangedCharacterIsFoundByTheChecksum() throws {
        let directory = TemporaryDirectory()
        let ack = line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["annual#2023-12-31"]))
        let changed = ack.replacingOccurrences(of: "2023", with: "2024")
        let path = try directory.write(line(.run(header)) + changed + line(.finished(status: .complete)), to: "journal")
        XCTAssertThrowsError(try JournalState.read(path: path)) { error in
            XCTAssertEqual(error as? JournalError, .corrupt(path: path, line: 2))
        }
        // A journal of an older version (lines without checksums) is still read.
        let legacy = try directory.write(String(decoding: try JSONEncoder().encode(JournalRecord.run(header)), as: UTF8.self) + "\n",
                                         to: "legacy")
        XCTAssertEqual(try JournalState.read(path: legacy).header, header)
    }

    /// kill -9, a torn tail, resume, kill -9, resume: the writer cuts the torn fragment before
    /// appending, so the journal stays readable (it used to append onto the fragment, and every
    /// later resume failed "corrupt at line N").
    func testATornTailIsCutBeforeAppendingAndTheJournalStaysReadable() async throws {
        let directory = TemporaryDirectory()
        let first = line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["a"]))
        let torn = String(line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["b"])).prefix(30))
        let path = try directory.write(line(.run(header)) + first + torn, to: "journal")
        for round in 0..<2 {
            let writer = try JournalWriter(path: path)
            XCTAssertEqual(writer.droppedTornBytes, round == 0 ? 30 : 20, "round \(round)")
            try await writer.append(.acknowledged(symbol: "IBM", table: .earnings, keys: ["c\(round)"]))
            // Killed while writing the next line: 20 bytes of it reach the file.
            let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line(.acknowledged(symbol: "IBM", table: .earnings, keys: ["d"])).utf8.prefix(20)))
            try handle.close()
        }
        let state = try JournalState.read(path: path)
        XCTAssertEqual(state.acknowledged["IBM"]?[.earnings], ["a", "c0", "c1"])
        XCTAssertEqual(try JournalWriter(path: path).droppedTornBytes, 20)
        XCTAssertEqual(try JournalWriter(path: path).droppedTornBytes, 0, "nothing left to cut")
    }
}
