import PollenDynamoDB
import XCTest
@testable import PollenEngine

/// Splitting a pair's items into `BatchWriteItem` requests.
final class WriteBatchTests: XCTestCase {
    func items(_ count: Int, bytes: Int = 200) -> [ItemMapper.MappedItem] {
        (0..<count).map { index in
            ItemMapper.MappedItem(item: ["symbol": .s("IBM"), "reportKey": .s("k\(index)")], key: "k\(index)", bytes: bytes)
        }
    }

    func counter() -> () -> UInt64 {
        var next: UInt64 = 100
        return {
            next += 1
            return next
        }
    }

    func testAtMost25ItemsPerBatchInOrder() {
        let batches = WriteBatch.split(items(60), symbol: "IBM", table: .earnings, nextID: counter())
        XCTAssertEqual(batches.map(\.items.count), [25, 25, 10])
        XCTAssertEqual(batches.flatMap(\.keys), (0..<60).map { "k\($0)" }, "order kept, nothing lost or doubled")
        XCTAssertEqual(batches.map(\.id), [101, 102, 103], "ids from the counter, in order")
        XCTAssertTrue(batches.allSatisfy { $0.symbol == "IBM" && $0.table == .earnings })
        XCTAssertEqual(WriteBatch.split(items(25), symbol: "IBM", table: .earnings, nextID: counter()).map(\.items.count), [25])
        XCTAssertEqual(WriteBatch.split(items(26), symbol: "IBM", table: .earnings, nextID: counter()).map(\.items.count), [25, 1])
        XCTAssertTrue(WriteBatch.split([], symbol: "IBM", table: .earnings, nextID: counter()).isEmpty)
    }

    func testUnitsAreTheItemsWriteUnits() {
        let mixed = items(3, bytes: 1024) + items(2, bytes: 1025) + items(1, bytes: 5000)
        let batch = WriteBatch.split(mixed, symbol: "IBM", table: .earnings, nextID: counter())[0]
        XCTAssertEqual(batch.units, 3 * 1 + 2 * 2 + 5)
    }

    func testTheRequestSizeLimitSplitsLargeItems() {
        // 1 MB items (with the JSON/base64 margin, ~1.33 MB each): 12 fit under 16 MB, 13 do not.
        let large = items(30, bytes: 1_000_000)
        let batches = WriteBatch.split(large, symbol: "IBM", table: .cashFlow, nextID: counter())
        XCTAssertEqual(batches.map(\.items.count), [12, 12, 6])
        XCTAssertEqual(batches.flatMap(\.keys), (0..<30).map { "k\($0)" })
        for batch in batches {
            let estimate = batch.items.reduce(0) { $0 + $1.bytes * 4 / 3 + 512 }
            XCTAssertLessThanOrEqual(estimate, WriteBatch.maxRequestBytes)
        }
        // An item too large for any request still goes, alone.
        let giant = items(1, bytes: 20_000_000) + items(2)
        XCTAssertEqual(WriteBatch.split(giant, symbol: "IBM", table: .cashFlow, nextID: counter()).map(\.items.count), [1, 2])
        // Items at DynamoDB's 400 KB limit are bounded by the count, not the size.
        XCTAssertEqual(WriteBatch.split(items(50, bytes: ItemSize.maxItemBytes), symbol: "IBM", table: .cashFlow,
                                        nextID: counter()).map(\.items.count), [25, 25])
    }
}
