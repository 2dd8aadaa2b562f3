import Foundation
import PollenAWS
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenCloudWatch

final class CloudWatchClientTests: XCTestCase {
    let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDCW", secretAccessKey: "cw-secret"),
                               region: "eu-west-1", endpoint: URL(string: "http://127.0.0.1:9/")!)
    let date = Date(timeIntervalSince1970: 1_700_000_000)

    func testPutMetricDataIsASignedQueryRequest() async throws {
        let transport = ScriptedTransport(status: 200, body: "<PutMetricDataResponse/>")
        let client = CloudWatchClient(settings: settings, transport: transport, now: { [date] in date })
        try await client.putMetricData(namespace: "Pollen", data: [
            MetricDatum(name: "ItemsWritten", dimensions: [("Table", "earnings")], measurement: .value(25), unit: .count,
                        timestamp: date),
            MetricDatum(name: "AssetUpsertDuration", dimensions: [("Table", "assets")],
                        measurement: .statistics(.init(sampleCount: 2, sum: 1.5, minimum: 0.5, maximum: 1)), unit: .seconds,
                        timestamp: date),
        ])
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.headers["content-type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertTrue(request.headers["authorization"]!.contains("/eu-west-1/monitoring/aws4_request"))
        let body = String(decoding: request.body, as: UTF8.self)
        let fields = Dictionary(uniqueKeysWithValues: body.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding! }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        XCTAssertEqual(fields["Action"], "PutMetricData")
        XCTAssertEqual(fields["Version"], "2010-08-01")
        XCTAssertEqual(fields["Namespace"], "Pollen")
        XCTAssertEqual(fields["MetricData.member.1.MetricName"], "ItemsWritten")
        XCTAssertEqual(fields["MetricData.member.1.Dimensions.member.1.Name"], "Table")
        XCTAssertEqual(fields["MetricData.member.1.Dimensions.member.1.Value"], "earnings")
        XCTAssertEqual(fields["MetricData.member.1.Value"], "25")
        XCTAssertEqual(fields["MetricData.member.1.Unit"], "Count")
        XCTAssertEqual(fields["MetricData.member.1.Timestamp"], "2023-11-14T22:13:20Z")
        XCTAssertEqual(fields["MetricData.member.2.StatisticValues.SampleCount"], "2")
        XCTAssertEqual(fields["MetricData.member.2.StatisticValues.Sum"], "1.5")
        XCTAssertEqual(fields["MetricData.member.2.Unit"], "Seconds")
    }

    func testLargeBatchesAreSplitAndErrorsAreTyped() async throws {
        let transport = ScriptedTransport { _, index in
            index < 2 ? HTTPResponse(status: 200) : HTTPResponse(status: 400, body: Data("""
                <ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>bad value</Message></Error></ErrorResponse>
                """.utf8))
        }
        let client = CloudWatchClient(settings: settings, transport: transport, now: { [date] in date })
        let data = (0..<(CloudWatchClient.maxDataPerRequest + 1)).map {
            MetricDatum(name: "M\($0)", measurement: .value(1), unit: .count, timestamp: date)
        }
        try await client.putMetricData(namespace: "Pollen", data: data)
        XCTAssertEqual(transport.requests.count, 2)
        do {
            try await client.putMetricData(namespace: "Pollen", data: [data[0]])
            XCTFail("expected an error")
        } catch let error as CloudWatchError {
            XCTAssertEqual(error.code, "InvalidParameterValue")
            XCTAssertEqual(error.message, "bad value")
            XCTAssertEqual(error.httpStatus, 400)
        }
        let unreachable = CloudWatchClient(settings: settings, transport: ScriptedTransport { _, _ in
            throw HTTPTransportError.connectFailed("127.0.0.1")
        })
        do {
            try await unreachable.putMetricData(namespace: "Pollen", data: [data[0]])
            XCTFail("expected an error")
        } catch let error as CloudWatchError {
            XCTAssertEqual(error.code, "Transport")
        }
    }

    func testEncoding() {
        XCTAssertEqual(QueryEncoding.encode("a b/c=d&é~"), "a%20b%2Fc%3Dd%26%C3%A9~")
        XCTAssertEqual(QueryEncoding.number(3), "3")
        XCTAssertEqual(QueryEncoding.number(0.25), "0.25")
    }
}
