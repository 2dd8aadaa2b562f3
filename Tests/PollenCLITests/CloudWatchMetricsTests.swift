import Foundation
import PollenTestSupport
import XCTest

/// `--metrics cloudwatch` against moto's CloudWatch on the same local server, read back with boto3.
final class CloudWatchMetricsIntegrationTests: XCTestCase {
    func testABackfillPublishesItsMetrics() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 3)
        try harness.register(symbols)
        let run = try harness.pollen(["backfill", "--source", harness.sourceDirectory, "--ui", "json", "--metrics", "cloudwatch",
                                      "--run-dir", harness.runsDirectory + "/metrics"],
                                     environment: ["AWS_ENDPOINT_URL_CLOUDWATCH": harness.server.endpoint])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertFalse(run.stderr.contains("metrics not published"), run.stderr)
        let summaryLine = try XCTUnwrap(run.stdout.split(separator: "\n").last)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(summaryLine.utf8)) as? [String: Any])
        let written = try XCTUnwrap((summary["tables"] as? [String: [String: Int]])?["earnings"]?["written"])

        let snippet = """
            import datetime
            cw = boto3.client("cloudwatch", endpoint_url=args["endpoint"], region_name="us-east-1")
            now = datetime.datetime.now(datetime.timezone.utc)
            def total(name, table, statistic="Sum"):
                points = cw.get_metric_statistics(Namespace="Pollen", MetricName=name,
                    Dimensions=[{"Name": "Table", "Value": table}], StartTime=now - datetime.timedelta(hours=1),
                    EndTime=now + datetime.timedelta(hours=1), Period=3600, Statistics=[statistic])["Datapoints"]
                return sum(p[statistic] for p in points)
            names = sorted({m["MetricName"] for m in cw.list_metrics(Namespace="Pollen")["Metrics"]})
            emit({"names": names, "items": total("ItemsWritten", "earnings"), "marks": total("AssetStatusUpdateSuccesses", "assets"),
                  "durations": total("AssetUpsertDuration", "assets", "SampleCount")})
            """
        let read = try XCTUnwrap(try Boto3.run(snippet, endpoint: harness.server.endpoint,
                                               args: ["endpoint": harness.server.endpoint]) as? [String: Any])
        XCTAssertEqual(read["items"] as? Double, Double(written))
        XCTAssertEqual(read["marks"] as? Double, 3)
        XCTAssertEqual(read["durations"] as? Double, 3)
        let names = Set(read["names"] as? [String] ?? [])
        for name in ["ItemsWritten", "BatchWriteSuccesses", "BatchWriteFailures", "ThrottledRequests", "Retries",
                     "UnprocessedItems", "ConsumedWriteUnits", "AssetUpsertDuration", "AssetStatusUpdateSuccesses",
                     "AssetStatusUpdateFailures"] {
            XCTAssertTrue(names.contains(name), "\(name) in \(names)")
        }
    }
}
