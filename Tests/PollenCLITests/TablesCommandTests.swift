import Foundation
import PollenTestSupport
import XCTest

/// `pollen tables create` and `pollen tables describe`, run as the real binary against the
/// local DynamoDB, checked with boto3.
final class TablesCommandTests: XCTestCase {
    nonisolated(unsafe) static var server: LocalDynamoDB!

    override class func setUp() {
        server = try! LocalDynamoDB()
    }

    override class func tearDown() {
        server.stop()
    }

    func pollen(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(RepositoryPaths.pollenExecutable, arguments,
                              environment: Self.server.environment.merging(environment) { $1 })
    }

    static let expectedKeys: [String: [[String]]] = [
        "assets": [["symbol", "HASH"]], "companyOverview": [["symbol", "HASH"]],
        "earnings": [["symbol", "HASH"], ["reportKey", "RANGE"]], "cashFlow": [["symbol", "HASH"], ["reportKey", "RANGE"]],
        "balanceSheet": [["symbol", "HASH"], ["reportKey", "RANGE"]],
        "incomeStatement": [["symbol", "HASH"], ["reportKey", "RANGE"]],
    ]

    static let describeSnippet = """
        out = {}
        for name in args["tables"]:
            t = ddb.describe_table(TableName=args["prefix"] + name)["Table"]
            out[name] = {
                "keys": [[k["AttributeName"], k["KeyType"]] for k in t["KeySchema"]],
                "types": sorted({a["AttributeName"]: a["AttributeType"] for a in t["AttributeDefinitions"]}.items()),
                "billing": t.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
                "wcu": t.get("ProvisionedThroughput", {}).get("WriteCapacityUnits", 0),
                "maxOnDemand": t.get("OnDemandThroughput", {}).get("MaxWriteRequestUnits"),
            }
        emit(out)
        """

    func describeWithBoto3(prefix: String) throws -> [String: [String: Any]] {
        try XCTUnwrap(Boto3.run(Self.describeSnippet, endpoint: Self.server.endpoint,
                                args: ["prefix": prefix, "tables": Array(Self.expectedKeys.keys)]) as? [String: [String: Any]])
    }

    /// `tables create` gave up on the first HTTP 500.
    func testCreateRetriesAServerError() async throws {
        let prefix = "retried_"
        try await Self.server.setFaults(["fail_next": 2])
        let result = try pollen(["tables", "create", "--endpoint-url", Self.server.endpoint, "--table-prefix", prefix])
        XCTAssertEqual(result.exitCode, 0, result.output)
        XCTAssertEqual(try describeWithBoto3(prefix: prefix).count, 6)
    }

    func testCreateMakesTheSixContractTablesOnDemand() throws {
        let prefix = "ondemand_"
        let result = try pollen(["tables", "create", "--endpoint-url", Self.server.endpoint, "--table-prefix", prefix])
        XCTAssertEqual(result.exitCode, 0, result.output)
        let tables = try describeWithBoto3(prefix: prefix)
        XCTAssertEqual(tables.count, 6)
        for (name, keys) in Self.expectedKeys {
            let table = try XCTUnwrap(tables[name], name)
            XCTAssertEqual(table["keys"] as? [[String]], keys, name)
            XCTAssertEqual((table["types"] as? [[String]])?.map { $0[1] }, keys.map { _ in "S" }, "\(name): string keys")
            XCTAssertEqual(table["billing"] as? String, "PAY_PER_REQUEST")
            XCTAssertTrue(result.stdout.contains("created  \(prefix)\(name)"), result.stdout)
        }
        // Running it again leaves the tables as they are.
        let again = try pollen(["tables", "create", "--table-prefix", prefix])
        XCTAssertEqual(again.exitCode, 0, again.output)
        XCTAssertEqual(again.stdout.components(separatedBy: "exists").count - 1, 6, again.stdout)
    }

    func testCreateProvisionedUsesTheGivenCapacityAndThePrefixFromTheEnvironment() throws {
        let result = try pollen(["tables", "create", "--billing", "provisioned", "--wcu", "40", "--rcu", "3"],
                                environment: ["POLLEN_TABLE_PREFIX": "prov_"])
        XCTAssertEqual(result.exitCode, 0, result.output)
        let tables = try describeWithBoto3(prefix: "prov_")
        for name in Self.expectedKeys.keys {
            XCTAssertEqual(tables[name]?["billing"] as? String, "PROVISIONED")
            XCTAssertEqual(tables[name]?["wcu"] as? Int, 40)
        }
    }

    func testCreateOnDemandWithAMaximumSetsOnDemandThroughputAndDescribeShowsIt() throws {
        let result = try pollen(["tables", "create", "--max-wcu-on-demand", "75", "--table-prefix", "odmax_"])
        XCTAssertEqual(result.exitCode, 0, result.output)
        let tables = try describeWithBoto3(prefix: "odmax_")
        for name in Self.expectedKeys.keys {
            XCTAssertEqual(tables[name]?["billing"] as? String, "PAY_PER_REQUEST", name)
            XCTAssertEqual(tables[name]?["maxOnDemand"] as? Int, 75, name)
        }
        let described = try pollen(["tables", "describe", "--table-prefix", "odmax_"])
        XCTAssertEqual(described.exitCode, 0, described.output)
        XCTAssertTrue(described.stdout.split(separator: "\n")[0].contains("WARM WCU"), described.stdout)
        let earnings = try XCTUnwrap(described.stdout.split(separator: "\n").first { $0.hasPrefix("odmax_earnings ") })
        XCTAssertTrue(earnings.contains("max 75"), String(earnings))
        XCTAssertTrue(earnings.contains("4000"), "the warm throughput of a new on-demand table: \(earnings)")
        XCTAssertEqual(try pollen(["tables", "create", "--billing", "provisioned", "--max-wcu-on-demand", "5"]).exitCode, 64)
        XCTAssertEqual(try pollen(["tables", "create", "--max-wcu-on-demand", "0"]).exitCode, 64)
    }

    func testDescribeShowsKeysBillingCapacityAndMissingTables() throws {
        XCTAssertEqual(try pollen(["tables", "create", "--table-prefix", "desc_"]).exitCode, 0)
        let described = try pollen(["tables", "describe", "--table-prefix", "desc_"])
        XCTAssertEqual(described.exitCode, 0, described.output)
        let lines = described.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertTrue(lines[0].hasPrefix("TABLE"))
        let earnings = try XCTUnwrap(lines.first { $0.hasPrefix("desc_earnings ") })
        XCTAssertTrue(earnings.contains("symbol (HASH), reportKey (RANGE)"))
        XCTAssertTrue(earnings.contains("on-demand"))
        XCTAssertTrue(earnings.contains("ACTIVE"))

        let missing = try pollen(["tables", "describe", "--table-prefix", "nothing_here_"])
        XCTAssertEqual(missing.exitCode, 0)
        XCTAssertEqual(missing.stdout.components(separatedBy: "MISSING").count - 1, 6)
    }

    func testBadCommandLineExitsWith64() throws {
        XCTAssertEqual(try pollen(["tables", "create", "--billing", "sometimes"]).exitCode, 64)
        XCTAssertEqual(try pollen(["tables", "create", "--billing", "provisioned", "--wcu", "0"]).exitCode, 64)
        XCTAssertEqual(try pollen(["tables", "frobnicate"]).exitCode, 64)
    }
}
